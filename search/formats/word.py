"""A Word file (.docx): its paragraphs and headings, and its title, author and date.

python-docx reads the document; before it does, the zip's table of contents is checked so
that a zip bomb or a zip of something else is refused without inflating anything.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import SkipFile
from .document import Block, Document, rules


def read(data: bytes) -> Document:
    _check_zip(data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(io.BytesIO(data))
        paragraphs = list(doc.paragraphs)
        props = doc.core_properties
        title, author, created = props.title, props.author, props.created
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as err:
        raise SkipFile(f"not a readable Word document: {err}") from err
    blocks: list[Block] = []
    first_title: str | None = None
    for para in paragraphs:
        text = " ".join(para.text.split())
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        if style == "Title":
            first_title = first_title or text
            continue
        blocks.append(Block(text, heading=style.startswith("Heading")))
    return Document(
        blocks=blocks,
        title=(title or "").strip() or first_title,
        date=created.date().isoformat() if created else None,
        author=(author or "").strip() or None,
    )


def _check_zip(data: bytes) -> None:
    r = rules()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise SkipFile(f"not a Word document: broken zip archive ({err})") from err
    names = {i.filename for i in infos}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise SkipFile("not a Word document: a zip archive without word/document.xml")
    total = sum(i.file_size for i in infos)
    if total > r["max_unzipped_mb"] * 2**20:
        raise SkipFile(
            f"refused: the archive would expand to {total // 2**20} MB "
            f"(the limit is {r['max_unzipped_mb']} MB): a zip bomb?"
        )
    for i in infos:
        if i.file_size > 2**20 and i.file_size > r["max_zip_ratio"] * max(i.compress_size, 1):
            raise SkipFile(
                f"refused: {i.filename} expands {i.file_size // max(i.compress_size, 1)} "
                "times: a zip bomb?"
            )

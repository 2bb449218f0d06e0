"""Read saved web pages, PDFs and Word files into text blocks and the file's own metadata.

Each kind has its reader module; its library is imported when a file of that kind is
first read, so a corpus of text files never loads it. The content must match the
extension: a JPEG named ``.html`` or a text file named ``.pdf`` is skipped, saying what it
really is.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SkipFile
from .document import Document, rules

SUFFIXES = (".html", ".htm", ".pdf", ".docx")

# what a file really is, from its first bytes
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image or audio)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Office document (.doc)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x00\x00\x00", "a binary file"),
)


def handles(path: str) -> bool:
    return path.lower().endswith(SUFFIXES)


def max_bytes(path: str) -> int | None:
    """The size limit of a file of this kind, or None for the text-article default."""
    suffix = Path(path).suffix.lower()
    mb = rules()["max_mb"].get(suffix)
    return int(mb * 2**20) if mb else None


def what_is(data: bytes) -> str | None:
    """What the first bytes say the file is, when they say."""
    head = data[:16]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml", b"<!--")):
        return "an HTML page"
    return None


def read_document(path: str, data: bytes) -> Document:
    """Read one file of a kind in ``SUFFIXES``; raise ``SkipFile`` saying why when it
    cannot be used (wrong content, no text, broken, encrypted, a bomb)."""
    suffix = Path(path).suffix.lower()
    if not data.strip():
        raise SkipFile("empty file")
    kind = what_is(data)
    if suffix in (".html", ".htm"):
        if kind is not None and kind != "an HTML page":
            raise SkipFile(f"not an HTML page: the content is {kind}")
        from . import webpage as reader

        label = "the HTML page"
    elif suffix == ".pdf":
        if kind != "a PDF document":
            raise SkipFile(f"not a PDF (no %PDF header): the content is {kind or 'something else'}")
        from . import pdf as reader

        label = "the PDF"
    else:
        if kind != "a zip archive":
            raise SkipFile(f"not a Word document: the content is {kind or 'not a zip archive'}")
        from . import word as reader

        label = "the Word document"
    try:
        return reader.read(data)
    except SkipFile:
        raise
    except MemoryError as err:
        raise SkipFile("too large to read in memory") from err
    except Exception as err:  # a library's own error on a malformed file: skip, not crash
        raise SkipFile(f"cannot read {label}: {type(err).__name__}") from err

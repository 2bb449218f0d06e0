"""A PDF: its text page by page, each paragraph keeping the page it starts on.

pypdf (pure Python, maintained) extracts the text in its layout mode, where a blank line
marks a vertical gap: a paragraph break. Page numbers and running headers or footers
(the same line on most pages) are furniture. The pages read and the bytes any one stream
may inflate to are capped, so a PDF bomb is refused or cut short with a note.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from ..errors import SkipFile
from .document import Block, Document, rules

_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})(\d{2})")


def read(data: bytes) -> Document:
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its notes would reach the terminal
    import pypdf

    limit = int(rules()["max_stream_mb"] * 2**20)
    caps = {
        name: limit
        for name in (
            "maximum_declared_stream_length",
            "array_based_stream_maximum_output_length",
            "zlib_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "brotli_maximum_output_length",
        )
    }
    with pypdf.apply_configuration(**caps):
        return _read(data)


def _read(data: bytes) -> Document:
    import pypdf
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError, PyPdfError

    r = rules()
    notes: list[str] = []
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:  # many "protected" PDFs open with an empty password
                opened = reader.decrypt("")
            except (PyPdfError, NotImplementedError, ValueError):  # AES needs `cryptography`
                opened = 0
            if not opened:
                raise SkipFile("encrypted PDF: cannot read it without the password")
        count = len(reader.pages)
        most = int(r["max_pdf_pages"])
        if count > most:
            notes.append(f"only the first {most} of its {count} pages read")
        pages: list[list[str]] = []
        chars = 0
        for n in range(min(count, most)):
            text = _page_text(reader.pages[n], LimitReachedError)
            room = r["max_text_chars"] - chars
            chars += len(text)
            if len(text) > room:
                notes.append(f"text cut on page {n + 1}: longer than an article")
                pages.append(_paragraphs(text[:room]))
                break
            pages.append(_paragraphs(text))
        meta = _metadata(reader)
    except SkipFile:
        raise
    except LimitReachedError as err:
        raise SkipFile("refused: a stream expands past the limit (a PDF bomb?)") from err
    except FileNotDecryptedError as err:
        raise SkipFile("encrypted PDF: cannot read it without the password") from err
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as err:
        raise SkipFile(f"broken or truncated PDF: {err}") from err
    if not any(pages):
        raise SkipFile("no text layer: needs OCR (a scanned PDF?)")
    _drop_running_lines(pages)
    blocks = [Block(t, page=n) for n, paras in enumerate(pages, 1) for t in paras]
    return Document(blocks=blocks, notes=notes, **meta)


def _page_text(page, limit_error) -> str:  # type: ignore[no-untyped-def]
    try:
        return page.extract_text(extraction_mode="layout")
    except limit_error:
        raise
    except Exception:  # the layout mode is fragile on odd fonts: the plain one is not
        return page.extract_text()


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; the lines of one are joined (a hyphen that cuts a
    word at a line end is removed)."""
    out: list[str] = []
    furniture = [re.compile(p, re.IGNORECASE) for p in rules()["furniture"]]
    for chunk in re.split(r"\n\s*\n", text):
        lines = [" ".join(ln.split()) for ln in chunk.split("\n")]
        lines = [ln for ln in lines if ln and not any(p.fullmatch(ln) for p in furniture)]
        if not lines:
            continue
        para = lines[0]
        for ln in lines[1:]:
            if para.endswith("-") and ln[:1].islower() and para[-2:-1].isalpha():
                para = para[:-1] + ln
            else:
                para = para + " " + ln
        out.append(para)
    return out


def _drop_running_lines(pages: list[list[str]]) -> None:
    """A first or last paragraph repeated on most pages is a running header or footer."""
    if len(pages) < 3:
        return
    ends = Counter(
        re.sub(r"\d+", "#", t) for paras in pages if paras for t in {paras[0], paras[-1]}
    )
    running = {k for k, v in ends.items() if v >= max(3, len(pages) // 2)}
    for paras in pages:
        while paras and re.sub(r"\d+", "#", paras[0]) in running:
            paras.pop(0)
        while paras and re.sub(r"\d+", "#", paras[-1]) in running:
            paras.pop()


def _metadata(reader) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    info = reader.metadata or {}

    def text(key: str) -> str | None:
        value = info.get(key)
        value = " ".join(str(value).split()) if value is not None else ""
        return value or None

    date = None
    m = _PDF_DATE.match(text("/CreationDate") or "")
    if m:
        import datetime as dt

        try:
            date = dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            date = None
    return {"title": text("/Title"), "author": text("/Author"), "date": date}

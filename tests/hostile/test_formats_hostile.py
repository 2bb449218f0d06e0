"""Saved pages, PDFs and Word files that try to break us: each is skipped with a reason
naming it (or read with a note), none crashes or stalls, and none hides the good files."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from search import formats
from search.workspace import Workspace

from ..formats_data import FIXTURES, load_articles
from .conftest import ANSI, MARKUP, copy_seeds

A = load_articles()
GOOD = (A.BBC["file"], A.PDF["file"], A.DOCX["file"])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The seeds and one good page, PDF and Word file, to add a bad file to."""
    corpus = tmp_path / "corpus"
    copy_seeds(corpus)
    for name in GOOD:
        shutil.copy(FIXTURES / name, corpus / name)
    return corpus


def open_ws(folder: Path) -> Workspace:
    ws = Workspace.open(folder, folder.parent / "ix")
    paths = {s.path for s in ws.sources.values()}
    assert set(GOOD) <= paths and len([p for p in paths if p.endswith(".txt")]) == 5
    return ws


def skipped(ws: Workspace) -> dict[str, str]:
    return {s.path: s.reason for s in ws.skipped if s.skipped}


def notes(ws: Workspace) -> dict[str, str]:
    return {s.path: s.reason for s in ws.skipped if not s.skipped}


def page(body: str, title: str = "A page") -> str:
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>"


ARTICLE = "".join(
    f"<p>The {w} paragraph of the test article reports on the river and the town at length.</p>"
    for w in ("first", "second", "third")
)


def test_an_html_file_that_is_a_jpeg(folder: Path) -> None:
    (folder / "photo.html").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + os.urandom(2048))
    assert skipped(open_ws(folder))["photo.html"] == "not an HTML page: the content is a JPEG image"


def test_a_50_mb_page_is_refused_before_it_is_read(folder: Path) -> None:
    with open(folder / "huge.html", "wb") as fh:
        fh.write(page(ARTICLE).encode())
        fh.truncate(50 * 2**20)  # sparse: the test writes almost nothing
    reason = skipped(open_ws(folder))["huge.html"]
    assert reason.startswith("too large for an article (50.0 MB, the limit is 16.0 MB)")


def test_script_text_never_becomes_a_passage(folder: Path) -> None:
    script = (
        "<script>document.write('<p>Injected claim: 500 drones were shot down today.</p>');"
        "</script><noscript><p>Injected claim: enable scripts.</p></noscript>"
    )
    (folder / "scripted.html").write_text(page(f"<article>{ARTICLE}{script}</article>"))
    ws = open_ws(folder)
    got = [p.text for p in ws.by_source["scripted"]]
    assert len(got) == 3 and all("test article" in t for t in got)
    assert not any("Injected" in p.text for p in ws.passages.values())
    assert not any("500" in f.text for f in ws.all_facts(source="scripted"))


def test_escapes_and_markup_in_a_title_stay_inert(folder: Path) -> None:
    hostile = f"Title {ANSI} {MARKUP}".replace("<", "&lt;")
    meta = f'<meta property="og:title" content="{hostile}">'
    html = page(f"<article>{ARTICLE}</article>", hostile).replace("</head>", meta + "</head>")
    (folder / "hostile-title.html").write_text(html)
    src = open_ws(folder).sources["hostile-title"]
    assert "[bold red]loud[/bold red]" in src.title  # markup stays literal text
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in src.title)
    assert "\u202e" not in src.title


def test_an_index_page_without_an_article(folder: Path) -> None:
    links = "".join(f'<li><a href="/n/{i}">Headline {i}</a></li>' for i in range(30))
    (folder / "index.html").write_text(page(f"<nav><ul>{links}</ul></nav>"))
    assert "no article text" in skipped(open_ws(folder))["index.html"]


def test_a_truncated_pdf(folder: Path) -> None:
    data = (FIXTURES / A.PDF["file"]).read_bytes()
    (folder / "cut.pdf").write_bytes(data[: len(data) // 2])
    assert "truncated PDF" in skipped(open_ws(folder))["cut.pdf"]


def pdf_with_content(content: bytes, pages: int = 1) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    for _ in range(pages):
        stream = StreamObject()
        stream.set_data(content)
        writer.add_blank_page(200, 200)[NameObject("/Contents")] = writer._add_object(
            stream.flate_encode()
        )
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_a_pdf_stream_that_expands_past_the_cap(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(formats.rules(), "max_stream_mb", 1)
    bomb = pdf_with_content(b"BT (x) Tj ET " + b" " * (3 * 2**20))  # 3 MB from ~3 KB
    (folder / "bomb.pdf").write_bytes(bomb)
    assert "PDF bomb" in skipped(open_ws(folder))["bomb.pdf"]


def test_a_pdf_with_too_many_pages_is_read_up_to_the_cap(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(formats.rules(), "max_pdf_pages", 1)
    shutil.copy(FIXTURES / A.PDF["file"], folder / "long.pdf")
    ws = open_ws(folder)
    assert notes(ws)["long.pdf"] == "only the first 1 of its 2 pages read"
    assert {p.page for p in ws.by_source["long"]} == {1}


def test_a_scanned_pdf_and_an_encrypted_pdf(folder: Path) -> None:
    from pypdf import PdfWriter

    (folder / "scan.pdf").write_bytes(pdf_with_content(b"q 100 0 0 100 0 0 cm Q"))
    writer = PdfWriter()
    writer.append(FIXTURES / A.PDF["file"])
    writer.encrypt("secret")
    buf = io.BytesIO()
    writer.write(buf)
    (folder / "locked.pdf").write_bytes(buf.getvalue())
    got = skipped(open_ws(folder))
    assert got["scan.pdf"].startswith("no text layer: needs OCR")
    assert got["locked.pdf"] == "encrypted PDF: cannot read it without the password"


def zipped(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_a_docx_that_is_a_zip_of_something_else(folder: Path) -> None:
    (folder / "photos.docx").write_bytes(zipped({"a.jpg": b"\xff\xd8\xff" + b"x" * 100}))
    reason = skipped(open_ws(folder))["photos.docx"]
    assert reason == "not a Word document: a zip archive without word/document.xml"


def test_a_zip_bomb_named_docx(folder: Path) -> None:
    parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (8 * 2**20)}
    (folder / "bomb.docx").write_bytes(zipped(parts))
    assert "zip bomb" in skipped(open_ws(folder))["bomb.docx"]


def test_a_docx_with_broken_parts(folder: Path) -> None:
    parts = {"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}
    (folder / "broken.docx").write_bytes(zipped(parts))
    assert skipped(open_ws(folder))["broken.docx"].startswith("cannot read the Word document")


def test_right_extension_wrong_content(folder: Path) -> None:
    (folder / "memo.pdf").write_text("Just a plain text memo, saved with the wrong name.\n")
    (folder / "page.docx").write_text(page(ARTICLE))
    shutil.copy(FIXTURES / A.PDF["file"], folder / "release.html")
    got = skipped(open_ws(folder))
    assert got["memo.pdf"] == "not a PDF (no %PDF header): the content is something else"
    assert got["page.docx"] == "not a Word document: the content is an HTML page"
    assert got["release.html"] == "not an HTML page: the content is a PDF document"


def test_a_pdf_longer_than_an_article_is_cut_with_a_note(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(formats.rules(), "max_text_chars", 600)
    shutil.copy(FIXTURES / A.PDF["file"], folder / "long.pdf")
    ws = open_ws(folder)
    assert notes(ws)["long.pdf"] == "text cut on page 1: longer than an article"
    assert {p.page for p in ws.by_source["long"]} == {1}

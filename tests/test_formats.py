"""Saved web pages, PDFs and Word files: the article's paragraphs and metadata, nothing of
the page around them, and the language of each report (fixtures in tests/data/formats/,
made by its make_fixtures.py from invented text)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from search.export import ExportItem, ExportOptions, render_markdown
from search.workspace import Workspace

from .formats_data import load_articles

FIXTURES = Path(__file__).resolve().parent / "data" / "formats"
A = load_articles()
PAGES = [A.WORDPRESS, A.ARC, A.BBC]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    folder = tmp_path_factory.mktemp("formats") / "corpus"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return Workspace.open(folder, tmp_path_factory.mktemp("ix"))


def source_of(ws: Workspace, file: str):  # type: ignore[no-untyped-def]
    return next(s for s in ws.sources.values() if s.path == file)


def texts(ws: Workspace, file: str) -> list[str]:
    return [p.text for p in ws.by_source[source_of(ws, file).id]]


def test_every_fixture_is_read(ws: Workspace) -> None:
    assert not ws.skipped
    assert {s.path for s in ws.sources.values()} == {
        a["file"] for a in (*PAGES, A.PDF, A.DOCX, A.UKRAINIAN)
    }


@pytest.mark.parametrize("page", PAGES, ids=lambda a: a["file"])
def test_a_saved_page_gives_exactly_its_article(ws: Workspace, page: dict) -> None:
    assert texts(ws, page["file"]) == page["paragraphs"]
    src = source_of(ws, page["file"])
    assert (src.title, src.outlet, src.author, src.date, src.url, src.language) == (
        page["title"],
        page["outlet"],
        page["author"],
        page["date"],
        page["url"],
        "en",
    )


def test_headings_of_a_page_are_kept_for_their_passages(ws: Workspace) -> None:
    passages = ws.by_source[source_of(ws, A.ARC["file"]).id]
    assert [p.heading for p in passages] == [None, None, None, *[A.ARC["headings"][3]] * 2]


def test_no_page_furniture_in_any_passage_or_fact(ws: Workspace) -> None:
    for p in ws.passages.values():
        for line in A.BOILERPLATE:
            assert line.lower() not in p.text.lower(), (p.id, line)
    for f in ws.all_facts():
        for line in A.BOILERPLATE:
            assert line.lower() not in f.text.lower()


def test_a_pdf_is_read_by_page(ws: Workspace) -> None:
    src = source_of(ws, A.PDF["file"])
    passages = ws.by_source[src.id]
    expected = [(n, t) for n, page in enumerate(A.PDF["pages"], 1) for t in page]
    assert [(p.page, p.text) for p in passages] == expected
    assert (src.title, src.author, src.date, src.outlet, src.url, src.language) == (
        A.PDF["title"],
        A.PDF["author"],
        A.PDF["date"],
        None,  # a PDF names no outlet: none is invented
        None,
        "en",
    )


def test_a_word_file_gives_its_paragraphs_and_headings(ws: Workspace) -> None:
    src = source_of(ws, A.DOCX["file"])
    passages = ws.by_source[src.id]
    expected, heading = [], None
    for kind, text in A.DOCX["blocks"]:
        if kind == "heading":
            heading = text
        else:
            expected.append((heading, text))
    assert [(p.heading, p.text) for p in passages] == expected
    assert all(p.page is None for p in passages)
    assert (src.title, src.author, src.date, src.language) == (
        A.DOCX["title"],
        A.DOCX["author"],
        A.DOCX["date"],
        "en",
    )


def test_a_ukrainian_report_is_detected_and_yields_no_english_facts(ws: Workspace) -> None:
    src = source_of(ws, A.UKRAINIAN["file"])
    assert src.language == "uk"
    assert src.title == A.UKRAINIAN["title"]
    assert texts(ws, A.UKRAINIAN["file"]) == A.UKRAINIAN["paragraphs"]
    assert src.date is None  # the text gives none: none is invented
    assert ws.all_facts(source=src.id) == []
    # English reports still have theirs, and search works across languages
    assert ws.all_facts(source=source_of(ws, A.WORDPRESS["file"]).id)
    assert {h.passage.source for h in ws.search("1200 OR Тамсін").hits} >= {src.id}
    found = {h.passage.source for h in ws.search("Velmar").hits}
    assert found == {source_of(ws, a["file"]).id for a in (*PAGES, A.PDF)}


def test_sources_yaml_overrides_the_files_metadata(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for a in (A.WORDPRESS, A.UKRAINIAN):
        shutil.copy(FIXTURES / a["file"], folder)
    (folder / "sources.yaml").write_text(
        f"{A.WORDPRESS['file']}:\n  outlet: Courier Weekly\n  date: 2025-03-20\n"
        f"{A.UKRAINIAN['file']}:\n  language: en\n",
        encoding="utf-8",
    )
    ws = Workspace.open(folder, tmp_path / "ix")
    src = source_of(ws, A.WORDPRESS["file"])
    assert (src.outlet, src.date, src.title) == (
        "Courier Weekly",
        "2025-03-20",
        A.WORDPRESS["title"],
    )
    assert source_of(ws, A.UKRAINIAN["file"]).language == "en"


def test_export_attribution_names_the_pdf_page(ws: Workspace) -> None:
    src = source_of(ws, A.PDF["file"])
    last = ws.by_source[src.id][-1]
    assert "p. 2 · passage" in note(ws, last)
    assert "p. " not in note(ws, ws.by_source[source_of(ws, A.BBC["file"]).id][0])


def note(ws: Workspace, passage) -> str:  # type: ignore[no-untyped-def]
    when = datetime(2025, 3, 20, tzinfo=UTC)
    return render_markdown(
        [ExportItem(passage)],
        ws.sources,
        corpus="c",
        query=None,
        created=when,
        options=ExportOptions(),
    )


def test_passages_and_sources_json_carry_page_language_and_author(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))

    def run(*args: str) -> list[dict]:
        code = main([*args, "--corpus", str(folder), "--index-dir", str(tmp_path / "ix"), "--json"])
        out, err = capsys.readouterr()
        assert code == 0, err
        return json.loads(out)

    pdf = [p for p in run("passages") if p["source"] == "press-release"]
    assert [p["page"] for p in pdf] == [1, 1, 1, 2, 2]
    langs = {s["path"]: (s["language"], s["author"]) for s in run("sources")}
    assert langs[A.UKRAINIAN["file"]] == ("uk", None)
    assert langs[A.BBC["file"]] == ("en", A.BBC["author"])
    assert main(["sources", "--corpus", str(folder), "--index-dir", str(tmp_path / "ix")]) == 0
    listed = capsys.readouterr().out
    assert "  uk  " in listed and "  en  North Broadcasting" in listed


async def test_the_app_shows_languages_and_pdf_pages(tmp_path: Path) -> None:
    from tui.app import make_app
    from tui.config import Config
    from tui.widgets.reader import Reader
    from tui.widgets.sources import SourcesPane

    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    app = make_app(folder, tmp_path / "ix", Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.query_one(SourcesPane)
        rows = {
            pane.get_option_at_index(i).id: str(pane.get_option_at_index(i).prompt)
            for i in range(pane.option_count)
        }
        assert rows["ukrainian-report"].endswith("· uk")
        assert rows["press-release"].endswith("· en")
        app.main.open_source("press-release")
        await pilot.pause()
        reader = app.query_one(Reader)
        shown = [str(reader.get_option(p.id).prompt) for p in reader.passages]
        pages = [line.split("¶")[0].strip() for line in shown]
        assert [p for p in pages if p] == ["p. 1", "p. 2"]  # where each page begins


def test_pages_are_reindexed_incrementally_with_stable_ids(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(FIXTURES / A.PDF["file"], folder)
    first = Workspace.open(folder, tmp_path / "ix")
    ids = [p.id for p in first.by_source["press-release"]]
    first.close()
    shutil.copy(FIXTURES / A.BBC["file"], folder)
    added = Workspace.open(folder, tmp_path / "ix")
    assert added.stats.parsed == ["north-broadcasting"]  # only the new page is read
    assert [p.id for p in added.by_source["press-release"]] == ids
    assert added.search("divers").hits[0].passage.source == "north-broadcasting"
    added.close()
    (folder / A.BBC["file"]).unlink()
    removed = Workspace.open(folder, tmp_path / "ix")
    assert removed.stats.removed == ["north-broadcasting"] and not removed.stats.parsed
    assert set(removed.sources) == {"press-release"} and not removed.search("divers").hits


def test_short_texts_of_unknown_language() -> None:
    from search.language import detect, english_rules_apply

    assert detect("Hello") is None
    assert english_rules_apply(None, "Officials said 42 drones fell.")
    assert not english_rules_apply(None, "Загинули 42 людини.")
    assert not english_rules_apply("uk", "Officials said 42 drones fell.")
    assert english_rules_apply("en", "")


def test_a_russian_page_in_windows_1251(tmp_path: Path) -> None:
    paragraphs = [
        "Река Тамсин вышла из берегов в ночь на пятницу после трёх дней сильных дождей, "
        "и вода затопила нижнюю часть города.",
        "По данным окружной службы, из домов эвакуировали около 1200 жителей, а 14 "
        "человек доставили в больницу.",
        "Жители города рассказали журналистам, что вода поднялась очень быстро и они не "
        "успели собрать вещи. Многие провели ночь в школьных спортзалах.",
        "Синоптики предупреждают, что в выходные может выпасть ещё сорок миллиметров "
        "осадков, и уровень воды в реке снова поднимется.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        '<html><head><meta charset="windows-1251"><title>Наводнение в Вельмаре</title>'
        f"</head><body><nav><a href='/'>Главная</a></nav><article>{body}</article></body></html>"
    )
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "ru.html").write_bytes(html.encode("cp1251"))
    ws = Workspace.open(folder, tmp_path / "ix")
    src = ws.sources["ru"]
    assert (src.title, src.language, src.date) == ("Наводнение в Вельмаре", "ru", None)
    assert [p.text for p in ws.by_source["ru"]] == paragraphs
    assert ws.all_facts(source="ru") == []
    # Russian stems: another form of the word finds it, and the match is highlighted
    hit = ws.search("эвакуированы").hits[0]
    assert hit.passage.id == "ru:2"
    assert [hit.passage.text[a:b] for a, b in hit.highlights] == ["эвакуировали"]


def test_lists_quotes_and_tables_of_a_page_are_blocks_of_their_own() -> None:
    from search.formats import read_document
    from search.formats.layout import lay_out

    long = "is long enough to count as text for the extractor of the main content"
    html = (
        "<html><head><title>Flood report</title></head><body><article><h1>Flood report</h1>"
        f"<p>The first paragraph {long}.</p>"
        "<ul><li>One item of the list about the river.</li><li>Another item.</li></ul>"
        "<blockquote><p>A quoted paragraph from the mayor.</p></blockquote>"
        "<table><tr><td>Deaths</td><td>2</td></tr><tr><td>Evacuated</td><td>1,200</td></tr>"
        f"</table><p>The last paragraph {long}.</p></article></body></html>"
    )
    laid = lay_out(read_document("page.html", html.encode()))
    assert laid.title == "Flood report"
    assert [t for t, *_ in laid.passages] == [
        f"The first paragraph {long}.",
        "One item of the list about the river.",
        "Another item.",
        "A quoted paragraph from the mayor.",
        "Deaths · 2",
        "Evacuated · 1,200",
        f"The last paragraph {long}.",
    ]

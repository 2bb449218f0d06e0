"""The app on the hostile corpus and on hostile terminals: no crash, no markup or escape
sequence from a file reaches the screen, skipped files are listed, the seeds still work."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tui.app import TalksApp, make_app
from tui.config import Config
from tui.widgets.facts import FactList, FactsPane
from tui.widgets.reader import Reader
from tui.widgets.search import ResultsList
from tui.widgets.sources import SourcesPane

from .conftest import MARKUP, build_hostile, copy_seeds

RAW = ["\x1b", "\x9b", "\x9d", "\x07", "\u202e", "\u200b", "\u2060"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile-app") / "corpus"
    return folder, build_hostile(folder)


def app_for(corpus: Path, tmp_path: Path) -> TalksApp:
    return make_app(corpus, tmp_path / "ix", Config())


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: TalksApp) -> str:
    """Every character the app would draw now (all layers, toasts included)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def assert_inert(text: str) -> None:
    for ch in RAW:
        assert ch not in text, f"raw {ch!r} on screen"


def notices(app: TalksApp) -> list[str]:
    return [f"{n.title or ''}\n{n.message}" for n in app._notifications]


async def search(pilot, query: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.query_one("#query", Input).value = query
    await pilot.pause()  # the debounce is 0 in tests (conftest)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_hostile_corpus_in_the_app(hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, bad = hostile
    app = app_for(folder, tmp_path)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await ready(pilot)
        assert app.main.ws is not None and app.is_running
        # skipped files: one notification naming each, with the reason
        skipped = next(n for n in notices(app) if n.startswith("Skipped"))
        for name in list(bad)[:8]:
            assert name in skipped
        # files read with a warning (not UTF-8) are named too, as on the command line
        decoded = next(n for n in notices(app) if "with a warning" in n)
        assert "cp1252.txt" in decoded and "Windows-1252" in decoded
        assert_inert("\n".join(notices(app)))
        assert_inert(screen_text(app))
        # every source opens; every surface stays inert
        for sid in list(app.main.ws.sources):
            app.main.open_source(sid)
            await pilot.pause()
            assert_inert(screen_text(app))
        # the hostile article: markup shown literally, in the reader and its title
        app.main.open_source("hostile")
        await pilot.pause()
        reader = app.query_one(Reader)
        text = screen_text(app)
        assert "[@click=app.quit]click me[/]" in text and "[bold red]loud[/bold red]" in text
        assert "[/] Outlet[@click=app.quit]" in text  # the outlet, as the reader title
        for _ in range(reader.option_count):
            await pilot.press("down")
        assert_inert(screen_text(app))
        # results and the facts pane
        await search(pilot, "hostile OR Medinsky OR Minsk")
        assert app.query_one(ResultsList).option_count >= 3
        text = screen_text(app)
        assert_inert(text)
        assert "Medinsky" in text
        facts = app.query_one(FactList)
        app.query_one(FactsPane).focus()
        for _ in range(min(facts.option_count, 12)):
            await pilot.press("down")
        assert_inert(screen_text(app))
        # selection survives moving between articles, and export renders
        app.main.open_passage("hostile:1")
        await pilot.pause()
        reader.focus()
        await pilot.press("space")
        first = next(iter(app.main.ws.sources))
        app.main.open_source(first)
        await pilot.pause()
        await pilot.press("space")
        assert len(app.main.selection) == 2
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "ExportDialog", notices(app)[-3:]
        note = dialog.render_note()
        assert_inert(note)
        assert "\\[@click\\=app.quit\\]click me\\[/\\]" in note  # escaped Markdown
        assert_inert(screen_text(app))
        await pilot.press("escape")
        assert len(app.main.selection) == 2
        assert app.is_running


async def test_compare_on_hostile_text(hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, _ = hostile
    app = app_for(folder, tmp_path)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await ready(pilot)
        assert app.main.analysed
        app.main.open_passage("hostile:3")
        await pilot.pause()
        app.query_one(Reader).focus()
        await pilot.press("c")
        await pilot.pause()
        assert_inert(screen_text(app))
        await pilot.press("escape")
        assert app.is_running
        # where a fact is stated: other sources' text and names, shown literally
        from tui.screens.stated import StatedScreen, Statement

        hostile_text = app.main.ws.passages["hostile:1"].text  # type: ignore[union-attr]
        statement = Statement("conflict", MARKUP, MARKUP, "hostile:1", 1, hostile_text, (0, 3))
        app.push_screen(
            StatedScreen(f"Where “{MARKUP}” is stated", [statement]), app.main._stated_closed
        )
        await pilot.pause()
        text = screen_text(app)
        assert_inert(text)
        assert "[bold red]loud[/bold red]" in text and "[@click=app.quit]click me[/]" in text
        await pilot.press("enter")  # opens the hostile passage
        await pilot.pause()
        assert not isinstance(app.screen, StatedScreen)
        assert app.query_one(Reader).current.id == "hostile:1"  # type: ignore[union-attr]
        assert app.is_running


async def test_palette_shows_source_names_literally(hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, _ = hostile
    app = app_for(folder, tmp_path)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Open")
        await pilot.app.workers.wait_for_complete()  # the palette's search
        await pilot.pause()
        assert app.is_running
        assert "[/] Outlet[@click=app.quit]" in screen_text(app)


async def test_tiny_terminal_and_rapid_resizes(hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, _ = hostile
    app = app_for(folder, tmp_path)
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await ready(pilot)
        app.main.open_source("hostile")
        await pilot.pause()
        assert_inert(screen_text(app))
        for key in ("slash", "tab", "f", "f", "question_mark", "escape", "down"):
            await pilot.press(key)
        sizes = [(40, 12), (200, 60), (20, 5), (121, 33), (70, 24), (1, 1), (109, 30), (300, 90)]
        for n in range(24):
            await pilot.resize_terminal(*sizes[n % len(sizes)])
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert app.is_running
        assert_inert(screen_text(app))
        await search(pilot, "Medinsky")
        assert app.query_one(ResultsList).option_count > 0


async def test_pasting_10000_characters_into_search(hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, _ = hostile
    app = app_for(folder, tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        box = app.query_one("#query", Input)
        chunk = 'Medinsky "[/] \x1b[2J (bodies OR date:2025 source:x~ \u202e* '
        box.insert_text_at_cursor((chunk * 300)[:10_000])
        await pilot.pause()  # the debounce is 0 in tests (conftest)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert_inert(screen_text(app))
        assert "\x1b" not in box.value and "\u202e" not in box.value
        box.value = "x" * 10_000
        await pilot.pause()  # the debounce is 0 in tests (conftest)
        await app.workers.wait_for_complete()
        assert "too long" in screen_text(app)
        # still responsive: a normal search works right after
        await search(pilot, "Medinsky")
        assert app.query_one(ResultsList).option_count > 0
        await pilot.press("escape")
        assert app.is_running


async def test_sources_pane_survives_a_hostile_sources_yaml(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    copy_seeds(folder)
    (folder / "sources.yaml").write_text(
        '000_72228fac512abe4a.txt:\n  outlet: "[/]\\e]52;c;AAAA\\a[@click=app.quit]x"\n'
        '  title: "\\u202e[bold]T"\n  date: 12\n',
        encoding="utf-8",
    )
    app = app_for(folder, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert app.main.ws is not None and len(app.main.ws.sources) == 5
        assert app.query_one(SourcesPane).option_count == 5
        text = screen_text(app)
        assert "[/]" in text and "[@click=app.quit]x" in text
        assert_inert(text)
        assert any("not YYYY-MM-DD" in n for n in notices(app))

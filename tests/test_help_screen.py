"""The help screen lists every binding by scope, never renders markup, and closes."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from tui.keys import BindingRow
from tui.screens.help import HelpScreen

ROWS = [
    BindingRow("Global", "app.search", "/", "Search the corpus", "search"),
    BindingRow("Global", "app.help", "?", "Show this help", "help"),
    BindingRow("Reader", "related.next", "] / l", "Next related passage", "related_next"),
    BindingRow("Reader", "reader.select", "space", "Select [bold]passage[/]", "select"),
]


class HelpApp(App[None]):
    """A bare app that opens the help over a plain screen."""

    def __init__(self, rows: list[BindingRow] = ROWS) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Static("main screen")

    def on_mount(self) -> None:
        self.push_screen(HelpScreen(self.rows))


def screen_text(app: App[object]) -> str:
    """What is on the terminal, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_help_shows_scopes_keys_and_descriptions() -> None:
    app = HelpApp()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for expected in ("Global", "Reader", "Search the corpus", "] / l", "space", "?"):
            assert expected in text
        assert "Select [bold]passage[/]" in text  # literal, not styled
        assert "fuzzy~" in text and "date:" in text and "source:" in text
        lines = text.splitlines()
        (row,) = [line for line in lines if "Next related passage" in line]
        assert row.index("] / l") < row.index("Next related passage")


@pytest.mark.parametrize("key", ["escape", "q", "question_mark"])
async def test_help_closes(key: str) -> None:
    app = HelpApp()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert "main screen" in screen_text(app)
        assert app.is_running  # q closed the help, it did not quit the app


async def test_many_rows_scroll() -> None:
    rows = [BindingRow("Global", f"x.{i}", f"f{i}", f"Action number {i}", "a") for i in range(40)]
    app = HelpApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Action number 39" not in screen_text(app)
        await pilot.press("end")
        await pilot.pause()  # the scroll starts after a refresh, animated
        await pilot.wait_for_animation()
        assert "Action number 39" in screen_text(app)


async def test_empty_rows_still_render() -> None:
    app = HelpApp([])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No key bindings." in screen_text(app)

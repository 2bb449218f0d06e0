"""The help screen: every key binding, grouped by where it applies, and the query syntax.

Rows come from :func:`tui.keys.binding_rows`, so rebound keys from the user's keymap show
as they really are. Keys and descriptions may come from the config file, so every piece
of text is a literal ``Content``: nothing here is parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import BindingRow

QUERY_HELP = (
    'Search: words must all match (AND); also OR, NOT, -word (without), +word, "exact '
    'phrase", prefix*, fuzzy~ (a swapped pair of letters is one edit; fuzzy~2 allows two), '
    'source:NAME (id, file name or outlet words, "quoted" too), title:WORD, tag:NAME, '
    "date:YYYY, date:YYYY-MM, date:YYYY-MM-DD, or a range date:[2025-06-01 TO 2025-06-30]."
)
CLOSE_HINT = "esc / q / ? close · ↑ ↓ pgup pgdn scroll"


class HelpScreen(ModalScreen[None]):
    """A modal, scrollable table of keys → what they do."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen #help-dialog {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $primary;
        border-title-color: $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-body {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    HelpScreen .help-scope {
        text-style: bold underline;
        margin-top: 1;
    }
    HelpScreen .help-row {
        height: auto;
    }
    HelpScreen .help-key {
        color: $primary;
        text-style: bold;
        padding-right: 2;
    }
    HelpScreen .help-description {
        width: 1fr;
    }
    HelpScreen #help-query {
        margin-top: 1;
        color: $text-muted;
    }
    HelpScreen #help-hint {
        dock: bottom;
        color: $text-muted;
        text-align: right;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
    ]

    def __init__(
        self,
        rows: Sequence[BindingRow],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        # Room for the widest key, within reason: long key lists wrap rather than squeeze.
        key_width = min(max((cell_len(r.keys) for r in self.rows), default=6), 22) + 2
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = "Keys"
            with VerticalScroll(id="help-body"):
                if not self.rows:
                    yield Static(Content("No key bindings."))
                for scope in dict.fromkeys(row.scope for row in self.rows):
                    yield Static(Content(scope), classes="help-scope")
                    for row in self.rows:
                        if row.scope != scope:
                            continue
                        with Horizontal(classes="help-row"):
                            key = Static(Content(row.keys), classes="help-key")
                            key.styles.width = key_width
                            yield key
                            yield Static(Content(row.description), classes="help-description")
                yield Static(Content(QUERY_HELP), id="help-query")
            yield Static(Content(CLOSE_HINT), id="help-hint")

    def on_mount(self) -> None:
        self.query_one("#help-body", VerticalScroll).focus()

    def action_close(self) -> None:
        """Close the help and return to where the user was."""
        self.dismiss(None)

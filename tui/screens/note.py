"""The note dialog: free text on a passage over several lines; ctrl+s keeps it, escape
leaves it as it was. An emptied note is removed."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from search.errors import TalksError

from ..widgets.footer import Footer


class NoteDialog(ModalScreen[bool]):
    """Dismisses with whether the note was saved."""

    DEFAULT_CSS = """
    NoteDialog { align: center middle; }
    NoteDialog #note-box { width: 80; max-width: 95%; height: 20; max-height: 90%;
                           border: round $accent; background: $surface; padding: 0 1; }
    NoteDialog #note-title { text-style: bold; }
    NoteDialog TextArea { height: 1fr; }
    NoteDialog #note-status { color: $text-muted; height: auto; }
    NoteDialog #note-status.-error { color: $error; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, title: str, text: str, save: Callable[[str], object]) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Content(self.title_text), id="note-title", markup=False)
            yield TextArea(self.text, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static(
                Content("ctrl+s saves · escape cancels · an empty note is removed"),
                id="note-status",
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        self.border_title = "Note"
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        try:
            self._save(self.query_one(TextArea).text)
        except TalksError as err:
            status = self.query_one("#note-status", Static)
            status.update(Content(str(err)))
            status.add_class("-error")
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

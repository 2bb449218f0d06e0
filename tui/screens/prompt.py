"""Two small dialogs: a name to type (kept by a callback that may refuse it), and a yes
or no about something shown in full (a URL before it is opened)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from search.errors import TalksError

from ..widgets.footer import Footer

_CSS = """
{name} {{ align: center middle; }}
{name} #prompt-box {{ width: 76; max-width: 95%; height: auto; border: round $accent;
                      background: $surface; padding: 0 1; }}
{name} #prompt-title {{ text-style: bold; }}
{name} #prompt-status {{ color: $text-muted; height: auto; }}
{name} #prompt-status.-error {{ color: $error; text-style: bold; }}
{name} #prompt-buttons {{ height: 3; align-horizontal: right; }}
{name} Button {{ margin-left: 1; }}
"""


class NameDialog(ModalScreen[str | None]):
    """Dismisses with the name kept, or None when cancelled."""

    DEFAULT_CSS = _CSS.format(name="NameDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, about: str, keep: Callable[[str], str]) -> None:
        super().__init__()
        self.title_text, self.about = title, about
        self._keep = keep

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(Content(self.title_text), id="prompt-title", markup=False)
            yield Input(placeholder="a name; enter keeps it", id="prompt-name")
            yield Static(Content(self.about), id="prompt-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            kept = self._keep(event.value)
        except TalksError as err:
            status = self.query_one("#prompt-status", Static)
            status.update(Content(str(err)))
            status.add_class("-error")
            return
        self.dismiss(kept)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A question with what it is about shown in full; enter or y says yes."""

    DEFAULT_CSS = _CSS.format(name="ConfirmDialog") + "ConfirmDialog #prompt-what { margin: 1 0; }"
    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    ]

    def __init__(self, question: str, what: str, yes: str = "Open") -> None:
        super().__init__()
        self.question, self.what, self.yes = question, what, yes

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(Content(self.question), id="prompt-title", markup=False)
            yield Static(Content(self.what), id="prompt-what", markup=False)
            with Horizontal(id="prompt-buttons"):
                yield Button(Content(self.yes), id="yes", variant="primary")
                yield Button("Cancel", id="no")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

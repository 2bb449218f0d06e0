"""Where a fact is stated: the passages of other sources that state the same value, state
one that cannot also be true, or word it otherwise; enter opens one (b comes back)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..render import snippet
from ..widgets.footer import Footer

# how each kind of statement is marked, and in which style
KINDS = {
    "same": ("=", "bold $success", "same value"),
    "conflict": ("≠", "bold $error", "cannot both be true"),
    "compatible": ("≈", "bold $warning", "worded otherwise, can both be true"),
}


@dataclass(frozen=True)
class Statement:
    """One passage stating the fact (or another value of it)."""

    kind: str  # a key of KINDS
    value: str  # the value as that passage words it
    source: str  # a person's name for the source
    passage_id: str
    ordinal: int
    text: str  # the passage text, for a snippet
    span: tuple[int, int]  # where the value stands in it


class StatedScreen(ModalScreen[str | None]):
    """A list of statements; dismisses with the passage id to open, or None."""

    DEFAULT_CSS = """
    StatedScreen { align: center middle; }
    StatedScreen #stated-box {
        width: 90%; max-width: 120; height: 80%; border: round $accent; background: $surface;
    }
    StatedScreen #stated-title { padding: 0 1; background: $panel; }
    StatedScreen OptionList, StatedScreen OptionList:focus { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="stated.close"),
        Binding("j", "cursor_down", "Down", show=False, id="stated.down"),
        Binding("k", "cursor_up", "Up", show=False, id="stated.up"),
    ]

    def __init__(self, title: str, statements: Sequence[Statement]) -> None:
        super().__init__()
        self.title_text = title
        self.statements = list(statements)

    def compose(self) -> ComposeResult:
        with Vertical(id="stated-box"):
            yield Static(Content(self.title_text), id="stated-title", markup=False)
            yield OptionList(*self._options(), id="stated-list")
            yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if options.option_count:
            options.highlighted = 0

    def _options(self) -> list[Option]:
        out = []
        for s in self.statements:
            mark, style, label = KINDS[s.kind]
            text, spans = snippet(s.text, [s.span], width=240)
            body = Content(text)
            for start, end in spans:
                body = body.stylize(style, start, end)
            head = Content.assemble(
                (f"{mark} {s.value}", style),
                "  ",
                (f"{s.source} ¶{s.ordinal}", "bold"),
                (f"  ({label})", "$text-muted"),
            )
            out.append(Option(Content.assemble(head, "\n", body), id=s.passage_id))
        return out

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

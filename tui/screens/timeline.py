"""The timeline: every dated fact across sources in date order, with its source and
passage; enter opens the passage with the date marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from search.models import Passage, TimelineEntry

from ..render import count, snippet
from ..widgets.footer import Footer

_CSS = """
{name} {{ align: center middle; }}
{name} #list-box {{
    width: 95%; max-width: 130; height: 90%; border: round $accent; background: $surface;
}}
{name} #list-title {{ padding: 0 1; background: $panel; }}
{name} OptionList, {name} OptionList:focus {{ height: 1fr; border: none; }}
"""


class ListScreen(ModalScreen):
    """A titled list in a dialog; escape or q closes it, j/k move."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="list.close"),
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
    ]

    def __init__(self, title: str, options: list[Option]) -> None:
        super().__init__()
        self.title_text = title
        self._options = options

    def compose(self) -> ComposeResult:
        with Vertical(id="list-box"):
            yield Static(Content(self.title_text), id="list-title", markup=False)
            yield OptionList(*self._options, id="list")
            yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if options.option_count:
            options.highlighted = 0

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)


class TimelineScreen(ListScreen):
    """Dismisses with (passage id, start, end) of the chosen date, or None."""

    DEFAULT_CSS = _CSS.format(name="TimelineScreen")

    def __init__(
        self,
        entries: Sequence[TimelineEntry],
        names: Mapping[str, str],
        passages: Mapping[str, Passage],
    ) -> None:
        self.entries = list(entries)
        options = []
        for n, e in enumerate(self.entries):
            passage = passages.get(e.passage)
            where = f"{names.get(e.source, e.source)} ¶{passage.ordinal if passage else '?'}"
            head = Content.assemble(
                (f"{e.date:<10}", "bold $accent"),
                "  ",
                (where, "bold"),
                ("  “", "$text-muted"),
                Content(" ".join(e.text.split())),
                ("”", "$text-muted"),
            )
            if e.claim:  # the claim this date is the value of; ≠ when sources conflict
                mark = ("  ≠ ", "bold $error") if e.conflict else ("  ", "$text-muted")
                head = Content.assemble(head, mark, (e.claim, "$text-muted"))
            body = Content("")
            if passage is not None:
                text, spans = snippet(passage.text, [(e.start, e.end)], width=220)
                body = Content(text)
                for start, end in spans:
                    body = body.stylize("bold $accent", start, end)
            options.append(Option(Content.assemble(head, "\n", body), id=str(n)))
        sources = len({e.source for e in self.entries})
        title = f"Timeline: {count(len(self.entries), 'dated fact')} in {count(sources, 'source')}"
        super().__init__(title, options)

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        e = self.entries[int(event.option.id or 0)]
        self.dismiss((e.passage, e.start, e.end))

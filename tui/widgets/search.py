"""The search pane: a query box with live, ranked results and inline query errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from search.models import Hit, Source
from search.textsafe import neutralize
from search.workspace import SearchResult

from ..render import highlighted, snippet
from .sources import source_name

DEBOUNCE = 0.12  # seconds of quiet typing before a search starts
# Whoosh's analysis of a query word takes time quadratic in its length: a pasted page must
# not keep a search thread busy for a minute. No real query is longer.
MAX_QUERY = 2000
FIRST_RESULTS = 24  # results laid out before the first paint (a tall terminal's screenful)


def _one_line(text: str) -> str:
    """What a query box may hold: no escape sequences, controls or line breaks."""
    if text.isprintable():
        return text
    return neutralize(text).replace("\n", " ").replace("\t", " ")


class ResultsList(OptionList):
    """Ranked passages; enter opens one in the reader."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="results.down"),
        Binding("k", "cursor_up", "Up", show=False, id="results.up"),
    ]


class SearchPane(Vertical):
    """Query box, error line and results."""

    BORDER_TITLE = "Search"
    DEFAULT_CSS = """
    SearchPane { height: 2fr; border: round $secondary; }
    SearchPane:focus-within { border: round $accent; }
    SearchPane Input, SearchPane Input:focus { border: none; height: 1; padding: 0 1; }
    SearchPane Input { background: $boost; }
    SearchPane #query-error { color: $error; height: auto; padding: 0 1; display: none; }
    SearchPane #query-error.-shown { display: block; }
    SearchPane #query-error.-note { color: $text-muted; }
    SearchPane ResultsList, SearchPane ResultsList:focus { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("escape", "leave", "Leave search", show=False, id="search.leave"),
        # from the query box (the results list moves its own cursor with down)
        Binding("down", "to_results", "To results", show=False, id="search.results"),
    ]

    class QueryChanged(Message):
        """The user paused typing: run this query (empty means clear)."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Opened(Message):
        """The user chose a result."""

        def __init__(self, passage_id: str) -> None:
            super().__init__()
            self.passage_id = passage_id

    class Left(Message):
        """Escape in the search pane: go back to reading."""

    class Submitted(Message):
        """Enter in the query box: open the top hit of this query."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self) -> None:
        super().__init__(id="search")
        self._timer: Timer | None = None
        self._shown: tuple[object, ...] | None = None  # what show_results last listed

    def compose(self) -> ComposeResult:
        yield Input(placeholder='/ search: words, "phrase", pre*, source:, date:', id="query")
        yield Static("", id="query-error", markup=False)
        yield ResultsList(id="results")

    @property
    def query_text(self) -> str:
        return self.query_one(Input).value

    def focus_query(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        clean = _one_line(event.value)
        if clean != event.value:  # pasted escapes, controls or line breaks: drop them
            event.input.value = clean  # (posts another Changed with the clean value)
            return
        if self._timer is not None:
            self._timer.stop()
        value = event.value
        if len(value) > MAX_QUERY:
            self.show_error(
                f"The query is too long ({len(value):,} characters; at most {MAX_QUERY:,})."
            )
            return
        if DEBOUNCE <= 0:  # no pause wanted (tests): search on every keystroke
            self.post_message(self.QueryChanged(value))
            return
        self._timer = self.set_timer(DEBOUNCE, lambda: self.post_message(self.QueryChanged(value)))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:  # the query is not searched yet: the screen runs it now
            self._timer.stop()
            self._timer = None
        self.post_message(self.Submitted(event.value))

    def action_to_results(self) -> None:
        results = self.query_one(ResultsList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    @on(OptionList.OptionSelected, "#results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Opened(event.option.id))

    def action_leave(self) -> None:
        self.post_message(self.Left())

    def _append(
        self,
        shown: tuple[object, ...],
        hits: Sequence[Hit],
        sources: Mapping[str, Source],
        width: int,
    ) -> None:
        if shown is self._shown:  # still the results on screen
            self.query_one(ResultsList).add_options(self._options(hits, sources, width))

    @staticmethod
    def _options(hits: Sequence[Hit], sources: Mapping[str, Source], width: int) -> list[Option]:
        options = []
        for hit in hits:
            src = sources.get(hit.passage.source)
            name = source_name(src) if src else hit.passage.source
            text, spans = snippet(hit.passage.text, hit.highlights, width=width * 3)
            head = Content.assemble(
                (name[: width - 8], "bold"), (f" ¶{hit.passage.ordinal}", "$text-muted")
            )
            body = Content.assemble(head, "\n", highlighted(text, spans))
            options.append(Option(body, id=hit.passage.id))
        return options

    def show_error(self, message: str | None, *, note: bool = False) -> None:
        """A line under the query: an error, or (``note``) a muted remark."""
        error = self.query_one("#query-error", Static)
        error.update(Content(message or ""))
        error.set_class(bool(message), "-shown")
        error.set_class(note, "-note")

    def show_results(self, result: SearchResult | None, sources: Mapping[str, Source]) -> None:
        results = self.query_one(ResultsList)
        if result is None:
            self._shown = None
            results.clear_options()
            self.border_subtitle = ""
            return
        width = max(self.size.width - 4, 30)
        # the same hits, highlighted alike ("bodi" then "bodies"): keep the list as it is
        shown = (tuple((h.passage.id, h.highlights) for h in result.hits), result.total, width)
        if result.hits and shown == self._shown and results.option_count == len(result.hits):
            return
        self._shown = shown
        # A screenful first: every option of a list is laid out before it is painted, so
        # the rest are added just after the first paint (unless a newer search came).
        hits = result.hits
        options = self._options(hits[:FIRST_RESULTS], sources, width)
        results.set_options(options)
        if options:
            results.highlighted = 0
        if len(hits) > FIRST_RESULTS:
            self.call_after_refresh(self._append, shown, hits[FIRST_RESULTS:], sources, width)
        shown = len(result.hits)
        total = result.total
        self.border_subtitle = (
            f"{total} in {len(result.per_source)} sources"
            if shown == total
            else f"{total} passages match, showing {shown}"
        )
        if not options:
            self.border_subtitle = "no matches"
            self.show_error(
                "No passage matches. (Words as common as “the” or “of” are not indexed.)",
                note=True,
            )

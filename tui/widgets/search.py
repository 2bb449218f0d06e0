"""The search pane: a query box with live, ranked results and inline query errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from search.models import Source
from search.textsafe import neutralize
from search.workspace import SearchResult

from .results import ResultsList

# Seconds of quiet typing before a search starts: enough that a fast typist's letters
# do not each start a search, short enough not to be felt. Searches run in a worker
# and a newer query drops an older one's answer, so a shorter pause costs CPU, not order.
DEBOUNCE = 0.05
# Whoosh's analysis of a query word takes time quadratic in its length: a pasted page must
# not keep a search thread busy for a minute. No real query is longer.
MAX_QUERY = 2000


def _one_line(text: str) -> str:
    """What a query box may hold: no escape sequences, controls or line breaks."""
    if text.isprintable():
        return text
    return neutralize(text).replace("\n", " ").replace("\t", " ")


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
        # in an empty query box: the past queries (down walks back to the newest)
        Binding("up", "history_back", "Past queries", show=False, id="search.history"),
        Binding("ctrl+s", "save_query", "Save search", id="search.save"),
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

    class SaveAsked(Message):
        """ctrl+s in the query box: keep this query under a name."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self) -> None:
        super().__init__(id="search")
        self.history_source: Callable[[], Sequence[str]] | None = None  # set by the screen
        self._walk: list[str] | None = None  # past queries, while ↑/↓ walk them
        self._walk_at = -1
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

    def set_query(self, text: str, *, quiet: bool = False) -> None:
        """Put ``text`` in the box (``quiet``: without searching it yet)."""
        box = self.query_one(Input)
        if quiet:
            with box.prevent(Input.Changed):
                box.value = text
        else:
            box.value = text
        box.cursor_position = len(text)

    def action_history_back(self) -> None:
        """↑ in an empty box (or while walking): the query before."""
        if self._walk is None:
            if self.query_text.strip() or self.history_source is None:
                return
            self._walk, self._walk_at = list(self.history_source()), -1
        if self._walk_at + 1 < len(self._walk):
            self._walk_at += 1
            self.set_query(self._walk[self._walk_at])

    def _history_forward(self) -> None:
        assert self._walk is not None
        self._walk_at -= 1
        if self._walk_at < 0:
            self._walk = None
            self.set_query("")
        else:
            self.set_query(self._walk[self._walk_at])

    def action_save_query(self) -> None:
        self.post_message(self.SaveAsked(self.query_text))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._walk is not None and not (
            0 <= self._walk_at < len(self._walk) and event.value == self._walk[self._walk_at]
        ):
            self._walk = None  # typed: the walk is over
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
        if self._walk is not None and self.query_one(Input).has_focus:
            self._history_forward()
            return
        results = self.query_one(ResultsList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    @on(ResultsList.Selected, "#results")
    def _open(self, event: ResultsList.Selected) -> None:
        event.stop()
        self.post_message(self.Opened(event.passage_id))

    def action_leave(self) -> None:
        self.post_message(self.Left())

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
            results.clear()
            self.border_subtitle = ""
            return
        # the same hits, highlighted alike ("bodi" then "bodies"): keep the list as it is
        shown = (tuple((h.passage.id, h.highlights) for h in result.hits), result.total)
        if result.hits and shown == self._shown and results.option_count == len(result.hits):
            return
        self._shown = shown
        results.show(result.hits, sources)  # painted as seen: nothing is laid out here
        listed, total = len(result.hits), result.total
        self.border_subtitle = (
            f"{total} in {len(result.per_source)} sources"
            if listed == total
            else f"{total} passages match, showing {listed}"
        )
        if not result.hits:
            self.border_subtitle = "no matches"
            self.show_error(
                "No passage matches. (Words as common as “the” or “of” are not indexed.)",
                note=True,
            )

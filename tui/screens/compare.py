"""Compare view: a passage beside the passages of other sources that report the same
claim, with the words and numbers they share marked and disagreements flagged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalScroll, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from search.models import Passage

from ..render import highlighted
from ..widgets.footer import Footer

SHARED_STYLE = "bold underline $accent"
MIN_COLUMN = 36  # cells: narrower columns of prose are hard to read


@dataclass(frozen=True)
class Column:
    """One passage in the compare view."""

    source: str  # a person's name for the source
    passage: Passage
    shared: Sequence[tuple[int, int]] = ()
    why: Sequence[str] = ()
    score: float | None = None  # relative to the best match (1.0); None: the passage compared
    # (span, "x here, y there", whether both can be true: a difference of precision)
    conflicts: Sequence[tuple[tuple[int, int], str, bool]] = field(default_factory=tuple)


class ColumnView(VerticalScroll, can_focus=True):
    """A scrollable column; focus it and press enter to open its passage."""

    DEFAULT_CSS = """
    ColumnView { width: 40; height: 1fr; border: round $secondary; padding: 0 1; }
    ColumnView:focus { border: heavy $accent; border-title-style: bold reverse; }
    ColumnView.-anchor { border: round $primary; }
    ColumnView .head { text-style: bold; }
    ColumnView .why { color: $text-muted; margin-bottom: 1; }
    ColumnView .conflict { color: $error; margin-top: 1; }
    ColumnView .conflict.-compatible { color: $warning; }
    """

    def __init__(self, column: Column) -> None:
        super().__init__(classes="-anchor" if column.score is None else "")
        self.column = column

    def compose(self) -> ComposeResult:
        c = self.column
        # the ¶ number must survive the border's width (36-48 cells): the name gives way
        name = c.source if len(c.source) <= 24 else c.source[:23] + "…"
        where = f"{name} ¶{c.passage.ordinal}"
        if c.score is None:
            where += "  (this passage)"
        self.border_title = Content(where)  # literal: a str title would be parsed as markup
        if c.score is not None:
            self.border_subtitle = f"match {c.score:.0%} of the best"
        if c.why:
            yield Static(Content("shares: " + ", ".join(c.why)), classes="why", markup=False)
        body = highlighted(c.passage.text, c.shared, SHARED_STYLE)
        for (start, end), _note, both in c.conflicts:
            body = body.stylize("bold $warning" if both else "bold reverse $error", start, end)
        yield Static(body, markup=False)
        for _span, note, both in c.conflicts:
            if both:  # "339" / "several hundred": worded differently, not contradictory
                line = Content(f"≈ {note} (can both be true)")
                yield Static(line, classes="conflict -compatible", markup=False)
            else:
                yield Static(Content("≠ " + note), classes="conflict", markup=False)


class CompareScreen(ModalScreen[str | None]):
    """Side by side; dismisses with the id of a passage to open, or None."""

    DEFAULT_CSS = """
    CompareScreen { align: center middle; }
    CompareScreen #compare-box { width: 100%; height: 100%; background: $surface; }
    CompareScreen #compare-title { height: 1; padding: 0 1; background: $panel; }
    CompareScreen #compare-row { height: 1fr; }
    /* no scrollbar: it took a row from the other columns only; l/h scroll by columns */
    CompareScreen HorizontalScroll { height: 1fr; width: 1fr; scrollbar-size-horizontal: 0; }
    """
    BINDINGS = [
        Binding("escape,c,q", "close", "Close", id="compare.close"),
        Binding("enter", "open", "Open passage", id="compare.open"),
        Binding("right,l", "focus_next", "Next column", id="compare.next"),
        Binding("left,h", "focus_previous", "Previous column", id="compare.previous"),
    ]

    def __init__(
        self,
        columns: Sequence[Column],
        disagreements: int,
        reporting: int | None = None,
        looser: int = 0,
    ) -> None:
        """``reporting``: how many other sources report the claim, when only the best of
        them are in ``columns``; ``looser``: values that differ but can both be true."""
        super().__init__()
        self.columns = list(columns)
        self.disagreements = disagreements
        self.reporting = reporting
        self.looser = looser

    def compose(self) -> ComposeResult:
        with Vertical(id="compare-box"):
            others = len(self.columns) - 1
            title = f"Compare: {others} other source{'s' if others != 1 else ''} report this"
            if self.reporting is not None and self.reporting > others:
                title = (
                    f"Compare: the best {others} of {self.reporting} other sources that report this"
                )
            if not others:
                title = "Compare: no other source reports this passage's claim"
            if self.disagreements:
                title += f" · {self.disagreements} disagreement(s) flagged"
            if self.looser:
                title += f" · {self.looser} difference(s) of precision"
            yield Static(Content(title), id="compare-title", markup=False)
            with Horizontal(id="compare-row"):
                if self.columns:  # the passage compared stays in view; the others scroll
                    yield ColumnView(self.columns[0])
                with HorizontalScroll():
                    for column in self.columns[1:]:
                        yield ColumnView(column)
            yield Footer()

    _first = 0  # the first of the other columns in view
    _shown = 1  # how many of them fit
    _width = MIN_COLUMN  # the width of each of them

    def on_resize(self) -> None:
        """Columns share the width, at least MIN_COLUMN cells each where there is room.
        The compared passage stays at the left; the others scroll sideways a column at a
        time, as many whole columns as fit (the compared one takes what is left over)."""
        views = list(self.query(ColumnView))
        if not views:
            return
        total = self.size.width
        others = len(views) - 1
        if not others:
            views[0].styles.width = total
            return
        anchor = max(total // len(views), min(MIN_COLUMN, total // 2))
        rest = total - anchor
        self._shown = max(1, min(others, rest // MIN_COLUMN))
        self._width = rest // self._shown
        views[0].styles.width = total - self._width * self._shown
        for view in views[1:]:
            view.styles.width = self._width
        self._first = min(self._first, others - self._shown)
        self.call_after_refresh(self._scroll_columns)

    def on_descendant_focus(self, event) -> None:  # type: ignore[no-untyped-def]
        """Bring the focused column wholly into view, the others aligned to theirs."""
        views = list(self.query(ColumnView))
        if event.widget not in views[1:]:
            return
        index = views.index(event.widget) - 1
        if index < self._first:
            self._first = index
        elif index >= self._first + self._shown:
            self._first = index - self._shown + 1
        self.call_after_refresh(self._scroll_columns)

    def _scroll_columns(self) -> None:
        for scroll in self.query(HorizontalScroll):
            scroll.scroll_to(x=self._first * self._width, animate=False, immediate=True)

    def on_mount(self) -> None:
        self.on_resize()
        views = list(self.query(ColumnView))
        if len(views) > 1:
            views[1].focus()
        elif views:
            views[0].focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_open(self) -> None:
        focused = self.focused
        if isinstance(focused, ColumnView):
            self.dismiss(focused.column.passage.id)

    def action_focus_next(self) -> None:
        self.focus_next(ColumnView)

    def action_focus_previous(self) -> None:
        self.focus_previous(ColumnView)

"""The search results: ranked passages, each a fixed number of lines, painted only where
they are seen.

A result is its source and ¶ number on one line, then a snippet of the passage around the
first hit, wrapped into ``SNIPPET_LINES`` lines. Every result has the same height, so a
new search only stores the hits: nothing is laid out until its lines are on screen (a
list of widgets or options would lay out every result before the first paint).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from search.models import Hit, Source

from ..render import highlighted, snippet
from .sources import source_name

SNIPPET_LINES = 3
ROW = 1 + SNIPPET_LINES  # lines per result: the head, then the snippet


@dataclass(frozen=True, slots=True)
class ResultRow:
    """What a row shows (and what tests and the screen ask of it)."""

    id: str  # the passage id
    name: str  # a person's name for the source
    hit: Hit


class ResultsList(ScrollView, can_focus=True):
    """Ranked passages; enter (or a click) opens one in the reader."""

    COMPONENT_CLASSES = {"results--row", "results--cursor", "results--muted"}
    DEFAULT_CSS = """
    ResultsList { background: $surface; color: $foreground; overflow-x: hidden; }
    ResultsList > .results--muted { color: $text-muted; }
    ResultsList > .results--cursor {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
    }
    ResultsList:focus > .results--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="results.down"),
        Binding("k", "cursor_up", "Up", show=False, id="results.up"),
        # what every list does (the help screen says so once, under "Every list")
        Binding("down", "cursor_down", show=False, id="results.down.arrow"),
        Binding("up", "cursor_up", show=False, id="results.up.arrow"),
        Binding("pagedown", "page_down", show=False, id="results.page_down"),
        Binding("pageup", "page_up", show=False, id="results.page_up"),
        Binding("home", "first", show=False, id="results.first"),
        Binding("end", "last", show=False, id="results.last"),
        Binding("enter", "select", show=False, id="results.open"),
    ]

    highlighted: reactive[int | None] = reactive(None, always_update=True)

    class Selected(Message):
        """Enter or a click on a result."""

        def __init__(self, results: ResultsList, passage_id: str) -> None:
            super().__init__()
            self.results = results
            self.passage_id = passage_id

        @property
        def control(self) -> ResultsList:
            return self.results

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[ResultRow] = []
        self._cache: dict[tuple[int, int, bool, bool], list[Strip]] = {}

    # --- what the pane and the screen use ----------------------------------------------

    @property
    def option_count(self) -> int:
        return len(self._rows)

    def get_option_at_index(self, index: int) -> ResultRow:
        return self._rows[index]

    def show(self, hits: Sequence[Hit], sources: Mapping[str, Source]) -> None:
        """Replace the results (nothing is rendered until it is seen)."""
        self._rows = [self._row(h, sources) for h in hits]
        self._cache.clear()
        self.virtual_size = Size(self.size.width, ROW * len(self._rows))
        self.highlighted = 0 if self._rows else None
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def extend(self, hits: Sequence[Hit], sources: Mapping[str, Source]) -> None:
        self._rows += [self._row(h, sources) for h in hits]
        self.virtual_size = Size(self.size.width, ROW * len(self._rows))
        self.refresh()

    def clear(self) -> None:
        self.show((), {})

    @staticmethod
    def _row(hit: Hit, sources: Mapping[str, Source]) -> ResultRow:
        src = sources.get(hit.passage.source)
        return ResultRow(hit.passage.id, source_name(src) if src else hit.passage.source, hit)

    # --- painting ----------------------------------------------------------------------

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, ROW * len(self._rows))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        index, offset = divmod(line, ROW)
        base = self.get_visual_style("results--row")
        if index >= len(self._rows) or width <= 0:
            return Strip.blank(width, base.rich_style)
        return self._strips(index, width)[offset]

    def _strips(self, index: int, width: int) -> list[Strip]:
        cursor = index == self.highlighted
        key = (index, width, cursor, self.has_focus)
        strips = self._cache.get(key)
        if strips is None:
            strips = self._render_row(index, width, cursor)
            if len(self._cache) > 512:  # only what was seen lately
                self._cache.clear()
            self._cache[key] = strips
        return strips

    def _render_row(self, index: int, width: int, cursor: bool) -> list[Strip]:
        row = self._rows[index]
        names = ("results--row", "results--cursor") if cursor else ("results--row",)
        style = self.get_visual_style(*names)
        muted = self.get_visual_style(*names, "results--muted")
        inner = max(width - 2, 1)  # a cell of padding on each side
        number = f" ¶{row.hit.passage.ordinal}"
        name = row.name[: max(inner - len(number), 1)]
        head = Content.assemble((name, "bold"), (number, muted))
        text, spans = snippet(row.hit.passage.text, row.hit.highlights, width=inner * SNIPPET_LINES)
        body = highlighted(text, spans)
        lines = Visual.to_strips(self, head, inner, 1, style)
        lines += Visual.to_strips(self, body, inner, SNIPPET_LINES, style)[:SNIPPET_LINES]
        blank = Strip.blank(inner, style.rich_style)
        lines += [blank] * (ROW - len(lines))
        pad = Strip.blank(1, style.rich_style)
        return [
            Strip.join([pad, line])
            .extend_cell_length(width, style.rich_style)
            .crop(0, width)
            .apply_meta({"row": index})
            for line in lines
        ]

    # --- moving and choosing -----------------------------------------------------------

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        self._cache = {k: v for k, v in self._cache.items() if k[0] not in (old, new)}
        if new is not None and self.is_mounted:
            self.scroll_to_region(
                Region(0, new * ROW, self.size.width, ROW), animate=False, force=True
            )
        self.refresh()

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self._rows:
            return None
        return min(max(value, 0), len(self._rows) - 1)

    def _on_focus(self, event: events.Focus) -> None:
        self._cache.clear()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._cache.clear()
        self.refresh()

    def action_cursor_down(self) -> None:
        self.highlighted = 0 if self.highlighted is None else self.highlighted + 1

    def action_cursor_up(self) -> None:
        self.highlighted = 0 if self.highlighted is None else self.highlighted - 1

    def action_page_down(self) -> None:
        step = max(self.size.height // ROW, 1)
        self.highlighted = (self.highlighted or 0) + step

    def action_page_up(self) -> None:
        step = max(self.size.height // ROW, 1)
        self.highlighted = (self.highlighted or 0) - step

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = len(self._rows) - 1

    def action_select(self) -> None:
        if self.highlighted is not None and self._rows:
            self.post_message(self.Selected(self, self._rows[self.highlighted].id))

    def _on_click(self, event: events.Click) -> None:
        index = (self.scroll_offset.y + event.y) // ROW
        if 0 <= index < len(self._rows):
            self.highlighted = index
            self.action_select()

"""The claim map's table: claims as rows, sources as columns, painted line by line.

A corpus of 100k passages has thousands of claims and hundreds of sources, so this is a
line-API ``ScrollView``: each paint renders only the rows and columns in view, and a
row's cells are asked of the workspace when the row is first seen. The label column and
the header row stay put while the cells scroll under them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from search.models import Claim, ClaimCell
from search.textsafe import one_line

CELL = 16  # cells per source column, its separator included
MARKS = {"agree": "✓", "conflict": "≠", "compatible": "≈", "single": "·"}
VERDICT = {"agree": "✓", "conflict": "≠", "compatible": "≈", "single": " "}


class ClaimGrid(ScrollView, can_focus=True):
    """Claims × sources. The cursor is a cell; enter chooses it."""

    COMPONENT_CLASSES = {
        "claim-grid--header",
        "claim-grid--label",
        "claim-grid--cursor",
        "claim-grid--cursor-row",
        "claim-grid--agree",
        "claim-grid--conflict",
        "claim-grid--compatible",
        "claim-grid--single",
        "claim-grid--blank",
    }
    DEFAULT_CSS = """
    ClaimGrid { height: 1fr; background: $surface; }
    ClaimGrid > .claim-grid--header { text-style: bold; background: $panel; }
    ClaimGrid > .claim-grid--label { text-style: bold; }
    ClaimGrid > .claim-grid--cursor { background: $accent; color: $text; text-style: bold; }
    ClaimGrid > .claim-grid--cursor-row { background: $boost; }
    ClaimGrid > .claim-grid--agree { color: $success; }
    ClaimGrid > .claim-grid--conflict { color: $error; text-style: bold; }
    ClaimGrid > .claim-grid--compatible { color: $warning; }
    ClaimGrid > .claim-grid--single { color: $text; }
    ClaimGrid > .claim-grid--blank { color: $text-muted; }
    """
    BINDINGS = [
        Binding("up,k", "move(0, -1)", "Up", show=False, id="claims.up"),
        Binding("down,j", "move(0, 1)", "Down", show=False, id="claims.down"),
        Binding("left,h", "move(-1, 0)", "Left", show=False, id="claims.left"),
        Binding("right,l", "move(1, 0)", "Right", show=False, id="claims.right"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="claims.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="claims.page_down"),
        Binding("home", "edge(-1)", "First claim", show=False, id="claims.home"),
        Binding("end", "edge(1)", "Last claim", show=False, id="claims.end"),
        Binding("enter", "choose", "Open", id="claims.open"),
    ]

    class Moved(Message):
        """The cursor is on another claim or source."""

        def __init__(self, grid: ClaimGrid) -> None:
            super().__init__()
            self.grid = grid

    class Chosen(Message):
        """Enter on a cell (``cell`` None: a blind spot, the source does not report it)."""

        def __init__(self, claim: Claim, source: str, cell: ClaimCell | None) -> None:
            super().__init__()
            self.claim, self.source, self.cell = claim, source, cell

    def __init__(
        self,
        sources: Mapping[str, str],
        cells: Callable[[Claim], Mapping[str, ClaimCell]],
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.sources = list(sources)  # column order
        self.names = sources  # source id -> a person's name for it (asked per column shown)
        self._cells_of = cells
        self._cells: dict[str, Mapping[str, ClaimCell]] = {}  # claim id -> its cells
        self.claims: list[Claim] = []
        self.heading = "Claim"  # the label column's head: "Claim (12)"
        self._styles: dict[str, Style] = {}
        self.row = 0
        self.col = 0

    # --- data ------------------------------------------------------------------------

    def show(self, claims: Sequence[Claim], keep: str | None = None) -> None:
        """New rows; the cursor on claim ``keep`` if it is among them, else the first."""
        self.claims = list(claims)
        found = (n for n, c in enumerate(self.claims) if c.id == keep)
        self.row = next(found, 0) if keep is not None else 0
        self.virtual_size = Size(self.label_width + CELL * len(self.sources), len(self.claims) + 1)
        self._keep_cursor_seen()
        self.refresh()
        self._moved()

    def cells(self, claim: Claim) -> Mapping[str, ClaimCell]:
        found = self._cells.get(claim.id)
        if found is None:
            found = self._cells[claim.id] = self._cells_of(claim)
        return found

    @property
    def claim(self) -> Claim | None:
        return self.claims[self.row] if 0 <= self.row < len(self.claims) else None

    @property
    def source(self) -> str | None:
        return self.sources[self.col] if 0 <= self.col < len(self.sources) else None

    @property
    def label_width(self) -> int:
        return max(14, min(32, (self.size.width or 80) // 3))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.label_width + CELL * len(self.sources), len(self.claims) + 1)
        self._keep_cursor_seen(fresh=True)  # the same view, whenever the size came

    # --- painting --------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        """A component's style, looked up once per theme (every cell of a paint asks)."""
        found = self._styles.get(name)
        if found is None:
            if name == "base":
                found = self.rich_style
            else:
                found = self.get_component_rich_style(f"claim-grid--{name}")
            self._styles[name] = found
        return found

    def notify_style_update(self) -> None:
        self._styles = {}
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        label_w = min(self.label_width, width)
        sx, sy = self.scroll_offset
        base = self._style("base")
        if y == 0:
            head = self._style("header")
            label = f" {self.heading} ({len(self.claims):,})"
            segs = [Segment(set_cell_size(label, label_w), head)]
            segs += self._columns(sx, width - label_w, lambda s: (f" {self.names[s]}", head))
            return Strip(segs).adjust_cell_length(width, head)
        row = sy + y - 1
        if not 0 <= row < len(self.claims):
            return Strip.blank(width, base)
        claim = self.claims[row]
        cells = self.cells(claim)
        on_row = row == self.row
        row_style = base + self._style("cursor-row") if on_row else base
        mark = VERDICT.get(claim.verdict, " ")
        text = f"{mark} {one_line(claim.label, 200)}"
        count = f" {len(cells)}"  # one cell per source that states it
        room = max(1, label_w - len(count) - 1)
        label = set_cell_size(text, room) + count + " "
        segs = [Segment(set_cell_size(label, label_w), row_style + self._style("label"))]

        def cell(source: str) -> tuple[str, Style]:
            found = cells.get(source)
            if found is None:
                text, style = "", row_style + self._style("blank")
            else:
                text = f" {MARKS.get(found.mark, ' ')} {one_line(found.text, 60)}"
                style = row_style + self._style(found.mark)
            if on_row and source == self.source:
                style = style + self._style("cursor")
            return text, style

        segs += self._columns(sx, width - label_w, cell)
        return Strip(segs).adjust_cell_length(width, row_style)

    def _columns(
        self, sx: int, room: int, content: Callable[[str], tuple[str, Style]]
    ) -> list[Segment]:
        """The source columns in view, ``sx`` cells scrolled, cut to ``room`` cells."""
        if room <= 0 or not self.sources:
            return []
        first = sx // CELL
        segs: list[Segment] = []
        for n in range(first, min(len(self.sources), first + room // CELL + 2)):
            text, style = content(self.sources[n])
            segs.append(Segment(set_cell_size(text, CELL - 1), style))
            segs.append(Segment(" ", self._style("base")))
        strip = Strip(segs).crop(sx - first * CELL, sx - first * CELL + room)
        return list(strip)

    # --- moving ----------------------------------------------------------------------

    def _moved(self) -> None:
        self.post_message(self.Moved(self))

    def _go(self, row: int, col: int) -> None:
        row = max(0, min(row, len(self.claims) - 1))
        col = max(0, min(col, len(self.sources) - 1))
        if (row, col) == (self.row, self.col):
            return
        self.row, self.col = row, col
        self._keep_cursor_seen()
        self.refresh()
        self._moved()

    def _keep_cursor_seen(self, fresh: bool = False) -> None:
        """Scroll as little as shows the cursor cell (``fresh``: as little from the top
        left, so a view does not depend on the sizes it had before)."""
        width = self.scrollable_content_region.width or self.size.width
        room = max(CELL, width - self.label_width)
        rows = max(1, self.scrollable_content_region.height - 1)
        left = self.col * CELL
        region = Region(left, self.row, CELL, 1)
        x, y = (0, 0) if fresh else self.scroll_offset
        if region.x < x:
            x = region.x
        elif region.right > x + room:
            x = region.right - room
        if self.row < y:
            y = self.row
        elif self.row >= y + rows:
            y = self.row - rows + 1
        self.scroll_to(x, y, animate=False, immediate=True)

    def action_move(self, dx: int, dy: int) -> None:
        self._go(self.row + dy, self.col + dx)

    def action_page(self, step: int) -> None:
        rows = max(1, self.scrollable_content_region.height - 1)
        self._go(self.row + step * rows, self.col)

    def action_edge(self, step: int) -> None:
        self._go(0 if step < 0 else len(self.claims) - 1, self.col)

    def action_choose(self) -> None:
        claim, source = self.claim, self.source
        if claim is not None and source is not None:
            self.post_message(self.Chosen(claim, source, self.cells(claim).get(source)))

    def on_click(self, event: events.Click) -> None:
        """A click on a cell puts the cursor there."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        sx, sy = self.scroll_offset
        inside = offset.x - self.label_width
        col = self.col if inside < 0 else (sx + inside) // CELL
        self._go(sy + offset.y - 1, col)

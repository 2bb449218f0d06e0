"""The claim map: every claim as a row, every source as a column, and the chosen claim's
sentences below. Enter on a cell or a sentence opens that passage with the sentence marked.

The claims, their cells and marks come from the workspace as values; this screen only
lays them out. Article text is shown literally (``Content``), never as markup.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from search.models import Claim, Fact, Statement
from search.textsafe import one_line
from search.workspace import Workspace

from ..navigation import Navigation, Tour
from ..render import count, snippet
from ..widgets.claimgrid import MARKS, ClaimGrid
from ..widgets.footer import Footer
from ..widgets.sources import source_name

W = TypeVar("W")


class MainView(Protocol):
    """What opening the claim map and the ``]`` walk use of the main screen, which passes
    itself (named here, so that this module does not import the main screen's)."""

    ws: Workspace | None
    nav: Navigation
    fact_at_cursor: Fact | None

    @property
    def app(self) -> App[Any]: ...

    def query_one(self, selector: type[W]) -> W: ...

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any) -> bool: ...

    def notify(self, message: str, *, markup: bool = True) -> None: ...

    def _need_analysis(self) -> bool: ...

    def _jump(self, passage_id: str, note: str | None = None) -> None: ...


# the style of each mark in the sentences list
STYLES = {
    "agree": "bold $success",
    "conflict": "bold $error",
    "compatible": "bold $warning",
    "single": "bold",
}
VERDICTS = {
    "agree": "the sources agree",
    "conflict": "values that cannot all be true",
    "compatible": "worded otherwise, can all be true",
    "single": "one source only",
}

SENTENCES = 24  # sentences listed below the map (the cursor source's first)
Chosen = tuple[str, tuple[int, int]]  # passage id, the sentence's span in it


class SourceNames(Mapping[str, str]):
    """Source id -> its name, made when a column first shows it (a large corpus has
    thousands of sources and the map shows a few columns at a time)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._names: dict[str, str] = {}

    def __getitem__(self, sid: str) -> str:
        name = self._names.get(sid)
        if name is None:
            name = self._names[sid] = source_name(self.ws.sources[sid])
        return name

    def __iter__(self) -> Iterator[str]:
        return iter(self.ws.sources)

    def __len__(self) -> int:
        return len(self.ws.sources)


class SentenceList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="claims.sentences.down"),
        Binding("k", "cursor_up", "Up", show=False, id="claims.sentences.up"),
    ]


class ClaimMapScreen(Screen[Chosen | None]):
    """Claims × sources; dismisses with the passage and sentence to open, or None."""

    DEFAULT_CSS = """
    ClaimMapScreen { layout: vertical; }
    ClaimMapScreen #claims-title { height: 1; padding: 0 1; background: $panel; }
    ClaimMapScreen ClaimGrid { height: 1fr; min-height: 5; }
    ClaimMapScreen ClaimGrid:focus { background-tint: $accent 5%; }
    ClaimMapScreen #claims-about {
        height: auto; max-height: 2; padding: 0 1; background: $panel;
    }
    ClaimMapScreen SentenceList, ClaimMapScreen SentenceList:focus {
        height: 40%; min-height: 4; border: none;
    }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="claims.close"),
        Binding("c", "conflicts", "Conflicts only", id="claims.conflicts"),
        Binding("tab", "switch", "Sentences", show=False, id="claims.switch"),
    ]

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.conflicts_only = False
        self._statements: list[Statement] = []
        self._shown: tuple[str, str | None] | None = None  # the claim and source listed

    def compose(self) -> ComposeResult:
        yield Static("", id="claims-title", markup=False)
        yield ClaimGrid(SourceNames(self.ws), self.ws.claim_cells, id="claims-grid")
        yield Static("", id="claims-about", markup=False)
        yield SentenceList(id="claims-sentences")
        yield Footer()

    def on_mount(self) -> None:
        grid = self.query_one(ClaimGrid)
        grid.show(self.ws.claims(conflicts=self.conflicts_only))
        grid.focus()

    def system_commands(self) -> Iterable[SystemCommand]:
        """This screen's entries in the command palette (see TalksApp)."""
        label = "Claim map: all claims" if self.conflicts_only else "Claim map: conflicts only"
        yield SystemCommand(label, "key: c", self.action_conflicts)

    # --- what is shown ---------------------------------------------------------------

    def _title(self) -> None:
        grid = self.query_one(ClaimGrid)
        legend = "✓ agree ≠ conflict ≈ compatible · blank: not reported"
        text = f"{count(len(grid.sources), 'source')} · {legend}"
        self.query_one("#claims-title", Static).update(Content(text))

    @on(ClaimGrid.Moved)
    def _moved(self, event: ClaimGrid.Moved) -> None:
        event.stop()
        self._title()
        claim = event.grid.claim
        about = self.query_one("#claims-about", Static)
        sentences = self.query_one(SentenceList)
        if claim is None:
            about.update(Content.styled("No claims found in this corpus.", "$text-muted"))
            sentences.clear_options()
            self._statements, self._shown = [], None
            return
        head = Content.assemble(
            (one_line(claim.label, 200), "bold"),
            (f"  {VERDICTS.get(claim.verdict, claim.verdict)}", "$text-muted"),
            (f" · {count(len(event.grid.cells(claim)), 'source')}", "$text-muted"),
        )
        about.update(head)
        shown = (claim.id, event.grid.source)
        if self._shown == shown:
            return  # the same cell: keep the list where it is
        self._shown = shown
        self._fill(claim, event.grid.source)

    def _fill(self, claim: Claim, source: str | None) -> None:
        """The claim's sentences, the cursor source's first; at most ``SENTENCES`` (a
        claim of a large corpus has thousands: the cells reach the others)."""
        sentences = self.query_one(SentenceList)
        marks = self.ws.claim_marks(claim)
        statements = claim.statements
        mine = [n for n, s in enumerate(statements) if s.source == source]
        order = mine[:SENTENCES]
        if len(order) < SENTENCES:
            taken = set(mine)
            others = (n for n in range(len(statements)) if n not in taken)
            order += itertools.islice(others, SENTENCES - len(order))
        more = len(statements) - len(order)
        pairs = [(statements[n], marks[n]) for n in order]
        self._statements = [s for s, _mark in pairs]
        options = []
        for n, (s, mark) in enumerate(pairs):
            src = self.ws.sources.get(s.source)
            name = source_name(src) if src else s.source
            passage = self.ws.passages.get(s.passage)
            where = f"{name} ¶{passage.ordinal}" if passage else name
            style = STYLES.get(mark, "bold")
            value = s.value.text if s.value is not None else ""
            head = Content.assemble(
                (f"{MARKS.get(mark, ' ')} {one_line(value, 80)}  ", style), (where, "bold")
            )
            spans = []
            if s.value is not None:
                spans = [(s.value.start - s.start, s.value.end - s.start)]
            text, kept = snippet(one_line(s.text, 2000), spans, width=400)
            body = Content(text)
            for a, b in kept:
                body = body.stylize(style, a, b)
            options.append(Option(Content.assemble(head, "\n  ", body), id=str(n)))
        if more > 0:
            line = f"… and {count(more, 'more sentence')}: move along the row to reach them"
            options.append(Option(Content.styled(line, "$text-muted"), disabled=True))
        sentences.set_options(options)

    # --- keys ------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_switch(self) -> None:
        if isinstance(self.focused, ClaimGrid):
            sentences = self.query_one(SentenceList)
            sentences.focus()
            if sentences.option_count and sentences.highlighted is None:
                sentences.highlighted = 0
        else:
            self.query_one(ClaimGrid).focus()

    def action_conflicts(self) -> None:
        """Only the claims whose values cannot all be true, or all claims again."""
        self.conflicts_only = not self.conflicts_only
        grid = self.query_one(ClaimGrid)
        keep = grid.claim.id if grid.claim is not None else None
        self._shown = None
        grid.heading = "Conflict" if self.conflicts_only else "Claim"
        grid.show(self.ws.claims(conflicts=self.conflicts_only), keep)
        if self.conflicts_only and not grid.claims:
            self.notify("No claim has values that cannot all be true", markup=False)

    @on(ClaimGrid.Chosen)
    def _cell_chosen(self, event: ClaimGrid.Chosen) -> None:
        event.stop()
        if event.cell is None:
            src = self.ws.sources.get(event.source)
            name = source_name(src) if src else event.source
            self.notify(f"{name} does not report this claim", markup=False)
            return
        s = event.cell.statement
        self.dismiss((s.passage, (s.start, s.end)))

    @on(OptionList.OptionSelected, "#claims-sentences")
    def _sentence_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        s = self._statements[int(event.option.id or 0)]
        self.dismiss((s.passage, (s.start, s.end)))


def open_claim_map(main: MainView) -> None:
    """The ``m`` key: show the claim map once the sources are compared; the passage
    chosen there opens in the reader with its sentence marked (b comes back)."""
    ws = main.ws
    if ws is None or not main._need_analysis():
        return

    def closed(chosen: Chosen | None) -> None:
        if chosen is not None:
            show_sentence(main, *chosen)

    main.app.push_screen(ClaimMapScreen(ws), closed)


def show_sentence(
    main: MainView, passage_id: str, span: tuple[int, int], note: str | None = None
) -> None:
    """Open a passage (remembered for b) with ``span`` marked, ``note`` in the border."""
    from ..widgets.reader import Reader

    main._jump(passage_id, note)
    reader = main.query_one(Reader)
    # after the facts pane has refilled for the new passage (it marks its own fact)
    main.call_after_refresh(reader.mark, passage_id, [span])


@dataclass(slots=True)
class ClaimTour(Tour):
    """A ``]`` walk through one claim: the sentence to mark in each passage."""

    claim: Claim | None = None
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


def claim_step(main: MainView, step: int) -> bool:
    """``]`` / ``[``: the next (previous) source's sentence of the claim under the cursor
    (the highlighted fact's, else the passage's first claim that several sources state).
    False when the passage states none: the caller walks the related passages instead."""
    from ..widgets.reader import Reader

    ws, current = main.ws, main.query_one(Reader).current
    if ws is None or current is None:
        return False
    tour, fact, claim = main.nav.tour, main.fact_at_cursor, None
    if fact is not None and fact.passage == current.id:
        claim = ws.claim_of(current.id, fact.start, fact.end)
    if claim is None and tour is not None and tour.covers(current.id):
        if not isinstance(tour, ClaimTour):
            return False  # a walk through related passages goes on
        claim = tour.claim
    if claim is None:  # the first claim in reading order that other sources state too
        stated = [
            (s.start, s.value.start if s.value else 0, n, c)
            for n, c in enumerate(ws.claims_of_passage(current.id))
            if len(c.sources) > 1
            for s in c.statements
            if s.passage == current.id
        ]
        claim = min(stated, key=lambda t: t[:3])[3] if stated else None
    if claim is None:
        return False
    if not (isinstance(tour, ClaimTour) and tour.claim == claim and tour.covers(current.id)):
        found = ws.claim_stops(claim, current.id)
        if not found:
            return False
        mine = next(s for s in claim.statements if s.passage == current.id)
        spans = {s.passage: (s.start, s.end) for s in found}
        spans[current.id] = (mine.start, mine.end)
        tour = main.nav.tour = ClaimTour(current.id, [s.passage for s in found], claim, spans)
    target, position = tour.step(current.id, step)
    label = one_line(claim.label, 40)
    if target is None:
        main.notify(f"That was the last source stating “{label}”", markup=False)
    elif position == 0:
        show_sentence(main, target, tour.spans[target], "back at the start")
    else:
        note = f"claim {position}/{len(tour.stops)}: {label}"
        show_sentence(main, target, tour.spans[target], note)
    return True

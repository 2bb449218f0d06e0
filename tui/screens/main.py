"""The main screen: sources, search, reader and facts over one workspace.

State lives here, on the main thread. Workers (loading the corpus, searches) only post
messages; the handlers below apply them and drop stale answers. Comparisons come from the
workspace as values; this screen only chooses what to show where.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static

from search.errors import QueryError
from search.models import Fact, Passage
from search.textsafe import visible
from search.workspace import SearchResult, Workspace

from ..config import Config
from ..messages import SearchDone
from ..navigation import Navigation, Tour, step_hit
from ..render import count
from ..widgets.facts import FactList, FactsPane
from ..widgets.footer import Footer, footer_offers
from ..widgets.reader import Reader
from ..widgets.search import ResultsList, SearchPane
from ..widgets.sources import SourcesPane, source_name
from ..workflow import Workflow
from .claims import claim_step
from .loader import Loader

COMPARE_SOURCES = 12  # sources shown side by side (a big corpus may have hundreds)
QUIT_AGAIN = 5.0  # seconds in which a second q quits with an unexported selection
RESULTS = 100  # results listed per search (each is rendered to lay out the list)


class MainScreen(Workflow, Loader):
    """Keyboard-first explorer of news reports about one event."""

    # The layout is in main.tcss beside this file, read by the app (tui/app.py): Textual
    # reads a screen's CSS_PATH only for screens pushed later, not the default one.
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (70, "-narrow"), (110, "-wide")]
    BINDINGS = [
        # help first (the app's own binding, repeated here because the footer lists the
        # screen's keys before the app's): it shows what fits, and help finds the rest
        Binding("question_mark", "app.help", "Help", id="help"),
        Binding("slash", "focus_search", "Search", id="search.focus"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="pane.next"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="pane.previous"),
        Binding("n", "next_hit", "Next hit", id="hit.next"),
        Binding("N", "previous_hit", "Prev hit", show=False, id="hit.previous"),
        Binding("right_square_bracket", "next_related", "Related", id="related.next"),
        Binding(
            "left_square_bracket",
            "previous_related",
            "Prev related",
            show=False,
            id="related.previous",
        ),
        Binding("c", "compare", "Compare", id="compare"),
        Binding("m", "claim_map", "Claims", id="claims.map"),
        Binding("space", "toggle_select", "Select", id="select.toggle"),
        Binding("e", "export", "Export", id="export"),
        Binding("t", "tag", "Tag", id="tag"),
        Binding("a", "annotate", "Note", id="annotate"),
        Binding("y", "copy_citation", "Copy", show=False, id="copy"),
        Binding("o", "open_url", "Open URL", show=False, id="open.url"),
        Binding("b", "back", "Back", show=False, id="back"),
        Binding("f", "toggle_facts", "Facts", id="facts.toggle"),
        Binding("q", "quit_app", "Quit", id="quit"),
    ]

    def __init__(self, corpus: Path, index_dir: Path | None = None, classes: str | None = None):
        super().__init__(id="_default", classes=classes)
        self.corpus = corpus
        self.index_dir = index_dir
        self.ws: Workspace | None = None
        self.analysed = False  # related passages and agreement built
        self.analysis_error: str | None = None
        self.result: SearchResult | None = None
        self.generation = 0
        self.nav = Navigation()
        self._open_top_of: int | None = None  # a search whose top hit opens when it lands
        self._quit_warned = -QUIT_AGAIN  # when q last warned of an unexported selection
        self._last_progress = 0.0
        self.fact_at_cursor: Fact | None = None  # the facts pane's highlighted fact

    @property
    def config(self) -> Config:
        """The app's configuration (export folder and the like)."""
        return self.app.config  # type: ignore[attr-defined]

    @property
    def selection(self) -> list[str]:
        return self.nav.selection

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Under a dialog this screen's keys are off, and its footer (still seen below
        the dialog) stops offering them."""
        if not self.is_attached or self.app.screen is self:
            return footer_offers(self, action)
        # hidden (False), not just dimmed
        return not any(b.action == action for b in self._bindings_list())

    @classmethod
    def _bindings_list(cls) -> list[Binding]:
        return [b for b in cls.BINDINGS if isinstance(b, Binding)]

    def on_screen_suspend(self) -> None:
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        self.refresh_bindings()

    # --- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield SourcesPane(id="sources")
                yield SearchPane()
            yield Reader()
            yield FactsPane()
        with Horizontal(id="statusbar"):
            yield Static("", id="status", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Reader).loading = True
        self.set_status(f"opening {visible(str(self.corpus), 80)} …")
        self.load_workspace()  # first: the corpus opens while the rest of this runs

    # --- status ----------------------------------------------------------------------

    def set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(Content(text))

    def update_status(self) -> None:
        if self.ws is None:
            return
        parts = [
            visible(self.ws.corpus.name, 40),
            f"{len(self.ws.sources)} sources",
            f"{len(self.ws.passages)} passages",
        ]
        if self.selection:
            parts.append(f"{len(self.selection)} selected")
        if self.result is not None:
            parts.append(f"“{self.result.query}”: {count(self.result.total, 'hit')}")
        if self.analysis_error:
            parts.append("sources not compared")
        elif not self.analysed:
            parts.append("comparing sources…")
        self.set_status(" · ".join(parts))

    # --- opening and moving ----------------------------------------------------------

    def open_source(self, source_id: str, cursor: str | None = None, remember: bool = True) -> None:
        """Show an article in the reader, with the cursor on ``cursor``."""
        if self.ws is None or source_id not in self.ws.sources:
            return
        reader = self.query_one(Reader)
        if remember and reader.current is not None:
            self.nav.remember(reader.current.id)
        if reader.source is not None and reader.source.id == source_id:
            reader.move_to(cursor)
            return
        passages = self.ws.by_source[source_id]
        reader.show_article(
            self.ws.sources[source_id],
            passages,
            spans=self._spans_for(passages),
            selected=self.selection,
            cursor=cursor,
        )
        self.query_one(SourcesPane).select_source(source_id)

    def open_passage(self, passage_id: str, remember: bool = True) -> None:
        if self.ws is None or passage_id not in self.ws.passages:
            return
        self.open_source(self.ws.passages[passage_id].source, passage_id, remember)

    def _jump(self, passage_id: str, note: str | None = None, remember: bool = True) -> None:
        """Open a passage and read there: the reader has the focus, ``note`` in its border."""
        self.open_passage(passage_id, remember)
        reader = self.query_one(Reader)
        reader.focus()
        if note is not None:  # may hold a claim's label, i.e. article text: never markup
            reader.border_subtitle = Content(note)

    def _spans_for(self, passages: Iterable[Passage]) -> dict[str, list[tuple[int, int]]]:
        if self.ws is None:
            return {}
        return self.ws.highlights(passages, self.result)

    def current_passage(self) -> Passage | None:
        """The passage the user is pointing at: a highlighted result, else the cursor."""
        if self.ws is None:
            return None
        focused = self.focused
        if isinstance(focused, ResultsList) and focused.highlighted is not None:
            option = focused.get_option_at_index(focused.highlighted)
            if option.id in self.ws.passages:
                return self.ws.passages[option.id]
        return self.query_one(Reader).current

    @on(Reader.Moved)
    def _handle_reader_moved(self, event: Reader.Moved) -> None:
        if self.is_attached:
            self.show_facts(event.passage_id)

    def show_facts(self, passage_id: str | None) -> None:
        if self.ws is None:
            return
        self.fact_at_cursor = None
        passage = self.ws.passages.get(passage_id or "")
        reader = self.query_one(Reader)
        article = [f for p in reader.passages for f in self.ws.facts.get(p.id, ())]
        here = self.ws.facts.get(passage.id, []) if passage else []
        self.query_one(FactsPane).show(passage, here, article, self.ws.sources)
        self.query_one(FactsPane).show_notebook(self.notebook_line(passage))

    @on(FactsPane.Highlighted)
    def _handle_fact(self, event: FactsPane.Highlighted) -> None:
        reader = self.query_one(Reader)
        fact = self.fact_at_cursor = event.fact
        if self.ws is None or fact is None:
            if reader.current is not None:
                reader.mark(reader.current.id, ())
            return
        if reader.source is None or reader.source.id != fact.source:
            return
        # mark it where it stands: moving the cursor would rebuild this very list
        reader.mark(fact.passage, [(fact.start, fact.end)])
        if not self.analysed:
            self.query_one(FactsPane).show_detail(
                Content("Still comparing the sources…").stylize("$text-muted")
            )
            return
        self.query_one(FactsPane).describe(self.ws.compare(fact))

    @on(FactsPane.Chosen)
    def _handle_fact_chosen(self, event: FactsPane.Chosen) -> None:
        """The passages of other sources that state this fact, or another value of it."""
        from .stated import StatedScreen, Statement

        ws, fact = self.ws, event.fact
        if ws is None or not self._need_analysis():
            return
        statements = [
            Statement(
                s.kind,
                s.value,
                source_name(ws.sources[s.source]),
                s.passage.id,
                s.passage.ordinal,
                s.passage.text,
                s.span,
            )
            for s in ws.where_stated(fact)
        ]
        if not statements:
            self.notify("No other source states this fact", markup=False)
            return
        label = ws.value_label(fact)
        title = f"Where “{label}” is stated: {count(len(statements), 'passage')} in other sources"
        self.app.push_screen(StatedScreen(title, statements), self._stated_closed)

    def _stated_closed(self, passage_id: str | None) -> None:
        if passage_id:
            self._jump(passage_id)  # remembered: b comes back

    @on(SourcesPane.Chosen)
    def _handle_source_chosen(self, event: SourcesPane.Chosen) -> None:
        self.open_source(event.source_id)
        self.query_one(Reader).focus()

    @on(SearchPane.Opened)
    def _handle_result_opened(self, event: SearchPane.Opened) -> None:
        self._jump(event.passage_id, self._hit_note(event.passage_id))

    @on(SearchPane.Submitted)
    def _handle_submitted(self, event: SearchPane.Submitted) -> None:
        """Enter in the query box: open the top hit of that query (once it is found)."""
        query = event.query.strip()
        if not query or self.ws is None:
            return
        self.remember_query(query)
        if self.result is not None and self.result.query == query:
            if self.result.hits:
                top = self.result.hits[0].passage.id
                self._jump(top, self._hit_note(top))
            return
        self.generation += 1
        self._open_top_of = self.generation
        self.run_search(self.generation, query)

    @on(SearchPane.Left)
    def _handle_search_left(self) -> None:
        self.query_one(Reader).focus()

    @on(FactsPane.Left)
    def _handle_facts_left(self) -> None:
        if self.has_class("-facts-open"):  # narrow: the facts pane hides again
            self.action_toggle_facts()
        else:
            self.query_one(Reader).focus()

    def on_descendant_focus(self, event) -> None:  # type: ignore[no-untyped-def]
        """On a tiny terminal, show the pane that has focus."""
        if not self.is_attached or event.widget is None or not self.has_class("-tiny"):
            return
        in_left = any(
            isinstance(n, SourcesPane | SearchPane) for n in event.widget.ancestors_with_self
        )
        self.set_class(in_left, "-left-open")
        if in_left or isinstance(event.widget, Reader):
            self.remove_class("-facts-open")

    # --- search ----------------------------------------------------------------------

    @on(SearchPane.QueryChanged)
    def _handle_query_changed(self, event: SearchPane.QueryChanged) -> None:
        self.generation += 1
        self._open_top_of = None
        query = event.query.strip()
        pane = self.query_one(SearchPane)
        if not query or self.ws is None:
            self.workers.cancel_group(self, "search")
            self.result = None
            pane.show_error(None)
            pane.show_results(None, {})
            self._apply_result()
            return
        if self.result is not None and self.result.query == query:
            return  # Enter already ran it
        self.run_search(self.generation, query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def run_search(self, generation: int, query: str) -> None:
        ws = self.ws
        if ws is None:
            return
        try:
            result = ws.search(query, limit=RESULTS)
        except QueryError as err:
            self.post_message(SearchDone(generation, query, error=str(err)))
        except Exception as err:  # noqa: BLE001 - the user sees a line, not a crash
            self.post_message(SearchDone(generation, query, error=f"search failed: {err}"))
        else:
            self.post_message(SearchDone(generation, query, result=result))

    @on(SearchDone)
    def _handle_search_done(self, event: SearchDone) -> None:
        if event.generation != self.generation or self.ws is None:
            return  # a newer query is on its way
        pane = self.query_one(SearchPane)
        pane.show_error(event.error)
        if event.error:
            return
        self.result = event.result
        pane.show_results(event.result, self.ws.sources)
        if event.result is not None and event.result.notes and event.result.hits:
            pane.show_error(" ".join(event.result.notes), note=True)  # "use OR / NOT …"
        self._apply_result()
        if self._open_top_of == event.generation:
            self._open_top_of = None
            if event.result is not None and event.result.hits:
                top = event.result.hits[0].passage.id
                self._jump(top, self._hit_note(top))

    def _apply_result(self) -> None:
        if self.ws is None:
            return
        counts = self.result.per_source if self.result else None
        self.query_one(SourcesPane).show(list(self.ws.sources.values()), counts)
        reader = self.query_one(Reader)
        reader.set_spans(self._spans_for(reader.passages))
        self.update_status()
        self.refresh_bindings()  # n and N apply only with hits

    # --- hits ------------------------------------------------------------------------

    def _hit_order(self) -> list[tuple[str, tuple[int, int]]]:
        """The listed hits in reading order: (passage id, (source order, ordinal))."""
        if self.ws is None or self.result is None:
            return []
        order = {sid: i for i, sid in enumerate(self.ws.sources)}
        keys = [
            (h.passage.id, (order.get(h.passage.source, 0), h.passage.ordinal))
            for h in self.result.hits
        ]
        return sorted(keys, key=lambda item: item[1])

    def _hit_note(self, passage_id: str) -> str | None:
        """ "hit 3/21" (and how many match beyond those listed) for the reader's border."""
        hits = [pid for pid, _key in self._hit_order()]
        if passage_id not in hits or self.result is None:
            return None
        note = f"hit {hits.index(passage_id) + 1}/{len(hits)}"
        if self.result.total > len(hits):
            note += f" of {self.result.total} matching"
        return note

    def _step_hit(self, step: int) -> None:
        hits = self._hit_order()
        if not hits or self.ws is None:
            self.notify("No search hits: press / and type a query", markup=False)
            return
        current = self.query_one(Reader).current
        order = {sid: i for i, sid in enumerate(self.ws.sources)}
        here = None if current is None else (order.get(current.source, 0), current.ordinal)
        index = step_hit(hits, here, step)
        if index is not None:
            target = hits[index][0]
            self._jump(target, self._hit_note(target))

    def action_next_hit(self) -> None:
        self._step_hit(+1)

    def action_previous_hit(self) -> None:
        self._step_hit(-1)

    # --- actions ---------------------------------------------------------------------

    def action_focus_search(self) -> None:
        if self.has_class("-tiny"):
            self.add_class("-left-open")
        self.query_one(SearchPane).focus_query()

    def action_toggle_select(self) -> None:
        passage = self.current_passage()
        if passage is None:
            return
        self.nav.toggle(passage.id)
        self.keep_selection()
        self.query_one(Reader).refresh_selection(set(self.selection))
        self.update_status()

    def action_back(self) -> None:
        target = self.nav.back()
        if target is None:
            self.notify("Nothing to go back to", markup=False)
            return
        self._jump(target, remember=False)

    def _related_step(self, step: int) -> None:
        if self.ws is None or not self._need_analysis():
            return
        current = self.query_one(Reader).current
        if current is None or claim_step(self, step):  # the claim under the cursor
            return
        tour = self.nav.tour
        if tour is None or not tour.covers(current.id):
            links = self.ws.related_by_source(current.id)
            tour = self.nav.tour = Tour(current.id, [link.passage.id for link in links])
        if not tour.stops:
            self.notify("No other source reports this passage's claim", markup=False)
            return
        target, position = tour.step(current.id, step)
        if target is None:
            self.notify("That was the last source reporting this claim", markup=False)
        elif position == 0:
            self._jump(target, "back at the start")
        else:
            self._jump(target, f"related {position}/{len(tour.stops)}")

    def action_next_related(self) -> None:
        self._related_step(+1)

    def action_previous_related(self) -> None:
        self._related_step(-1)

    def action_compare(self) -> None:
        from .compare import Column, CompareScreen

        ws = self.ws
        anchor = self.current_passage()
        if ws is None or anchor is None or not self._need_analysis():
            return
        found = ws.compare_passage(anchor.id, COMPARE_SOURCES)

        def column(c, head: bool = False) -> Column:  # type: ignore[no-untyped-def]
            name = source_name(ws.sources[c.passage.source])
            flags = [(f.span, f.note, f.compatible) for f in c.flags]
            return Column(name, c.passage, c.shared, c.why, None if head else c.score, flags)

        columns = [column(found.anchor, head=True), *(column(c) for c in found.columns)]
        screen = CompareScreen(columns, found.conflicts, found.reporting, found.compatible)
        self.app.push_screen(screen, self._compare_closed)

    def _compare_closed(self, passage_id: str | None) -> None:
        if passage_id:
            self._jump(passage_id)

    def action_claim_map(self) -> None:
        from .claims import open_claim_map

        open_claim_map(self)

    def action_export(self) -> None:
        self.open_export()

    def may_quit(self) -> bool:
        """Whether quitting now loses nothing: with a selection not exported, only when
        asked a second time within ``QUIT_AGAIN`` seconds (it warns the first time)."""
        warning = self.quit_warning()
        now = time.monotonic()
        if warning and now - self._quit_warned > QUIT_AGAIN:
            self._quit_warned = now
            self.notify(warning, severity="warning", markup=False, timeout=QUIT_AGAIN)
            return False
        self.keep_selection()
        self.save_last_state()
        return True

    def action_quit_app(self) -> None:
        if self.may_quit():
            self.app.exit()

    def action_toggle_facts(self) -> None:
        self.toggle_class("-facts-open")
        self.remove_class("-left-open")
        if self.has_class("-facts-open"):
            self.query_one(FactList).focus()
        else:
            self.query_one(Reader).focus()

"""The talks-tui Textual app: sources, search, reader and facts over one workspace.

State lives here, on the main thread. Workers (corpus loading, searches, exports) only
post messages; handlers below apply them and drop stale answers.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from search.corpus import Skipped, check_folder
from search.engine import SearchResult
from search.errors import QueryError, TalksError
from search.models import Passage
from search.textsafe import visible
from search.workspace import Workspace

from .commands import SourceCommands
from .config import Config, load_config, save_config
from .keys import LIST_KEYS, binding_rows, known_binding_ids, validate_keymap
from .messages import (
    AnalysisReady,
    IndexProgress,
    SearchDone,
    WorkspaceFailed,
    WorkspaceReady,
)
from .render import count
from .themes import load_themes
from .widgets.facts import FactDetail, FactList, FactsPane
from .widgets.footer import Footer
from .widgets.reader import Reader
from .widgets.search import ResultsList, SearchPane
from .widgets.sources import SourcesPane, source_name

DEFAULT_THEME = "talks-dark"

PROGRESS_INTERVAL = 0.1  # seconds between progress messages from the loader
# From this many passages the corpus-wide name table is made (or loaded) before the
# first screen, off the event loop: the facts pane needs it, and building it on the
# main thread froze the screen for seconds at 100k (small corpora build it in ms).
FACTS_BEFORE_SCREEN = 5000
COMPARE_SOURCES = 12  # sources shown side by side (a big corpus may have hundreds)
# The GIL's switch interval while the first screen is built and the corpus opens in the
# loader thread. The loader's many small file reads each give the GIL up, and with the
# default 5 ms it waited up to 5 ms to get it back from the event loop every time: a
# warm open of 17 ms took 90-230 ms on the way to the first screen (bench/, 100
# passages). Restored once the first screen is painted.
LOAD_SWITCH_INTERVAL = 0.0002
QUIT_AGAIN = 5.0  # seconds in which a second q quits with an unexported selection
RESULTS = 100  # results listed per search (each is rendered to lay out the list)


class TalksApp(App[None]):
    """Keyboard-first explorer of news reports about one event."""

    TITLE = "talks-tui"
    COMMANDS = App.COMMANDS | {SourceCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (70, "-narrow"), (110, "-wide")]
    CSS = """
    #main { height: 1fr; }
    #left { width: 34; }
    .-wide #left { width: 40; }
    #statusbar { height: 1; background: $panel; }
    #status { width: 1fr; padding: 0 1; color: $text-muted; }
    #progress { width: 40; display: none; }
    #progress.-shown { display: block; }
    Reader { min-width: 24; }
    /* narrow: the facts pane hides behind f; tiny: one pane at a time */
    Screen.-narrow #facts, Screen.-tiny #facts { display: none; width: 1fr; }
    Screen.-narrow.-facts-open #facts, Screen.-tiny.-facts-open #facts { display: block; }
    Screen.-narrow.-facts-open #left, Screen.-tiny.-facts-open #left { display: none; }
    Screen.-tiny #left { display: none; width: 1fr; }
    Screen.-tiny.-left-open #left { display: block; }
    Screen.-tiny.-left-open Reader, Screen.-tiny.-facts-open Reader { display: none; }
    """
    BINDINGS = [
        # help first: the footer shows what fits, and help is how the rest is found
        Binding("question_mark", "help", "Help", id="help"),
        Binding("slash", "focus_search", "Search", id="search.focus"),
        Binding("tab", "focus_next", "Next pane", show=False, id="pane.next"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="pane.previous"),
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
        Binding("space", "toggle_select", "Select", id="select.toggle"),
        Binding("e", "export", "Export", id="export"),
        Binding("b", "back", "Back", show=False, id="back"),
        Binding("f", "toggle_facts", "Facts", show=False, id="facts.toggle"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="palette"),
        Binding("q", "quit_app", "Quit", id="quit"),
    ]

    def __init__(
        self,
        corpus: Path,
        index_dir: Path | None = None,
        config: Config | None = None,
        notes: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.index_dir = index_dir
        self.config = config or Config()
        self.startup_notes = list(notes or [])
        self.tour: tuple[str, list[str]] | None = None  # (origin passage, related passages)
        self.ws: Workspace | None = None
        self.analysed = False  # related passages and agreement built
        self.analysis_error: str | None = None
        self.result: SearchResult | None = None
        self.generation = 0
        self.selection: list[str] = []
        self._saved_selection: list[str] = []  # the selection as last exported
        self._quit_warned = -QUIT_AGAIN  # when q last warned of an unexported selection
        self.history: list[str] = []
        self._last_progress = 0.0
        self._theme_notes: list[str] = []
        self._switch_interval: float | None = None  # the GIL's, while loading (see above)

    # --- layout ----------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """Textual's default screen, born with the breakpoint class for the terminal's width.

        The first Resize sets that class anyway; adding it then restyles every widget a
        second time before the first paint. (A wrong guess is corrected the same way.)"""
        width = self.size.width
        fits = [name for edge, name in sorted(self.HORIZONTAL_BREAKPOINTS) if width >= edge]
        return Screen(id="_default", classes=fits[-1] if fits else None)

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

    def on_load(self) -> None:
        # Before the first CSS parse, so the stylesheet is parsed once, with these colours.
        self._theme_notes = self._setup_theme()
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(LOAD_SWITCH_INTERVAL, self._switch_interval))

    def _loaded(self) -> None:
        """The first screen is up (or the corpus failed): the GIL's usual switch interval."""
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None

    @staticmethod
    def _settle_memory() -> None:
        """Move what exists now (the corpus, the index, the analysis, the widgets) out of
        the garbage collector's sight. Otherwise each full collection walks all of it: on
        the bundled corpus eleven of them in 75 searches took 620 ms, up to 82 ms each, in
        the middle of painting results. Objects freed later are still freed (reference
        counts); only cycles among them wait for ``gc.unfreeze`` at unmount."""
        gc.freeze()

    def on_unmount(self) -> None:
        self._loaded()
        gc.unfreeze()

    def on_mount(self) -> None:
        self.query_one(Reader).loading = True
        self.set_status(f"opening {visible(str(self.corpus), 80)} …")
        self.load_workspace()  # first: the corpus opens while the rest of this runs
        self._setup_keys(self._theme_notes)
        for note in self.startup_notes:
            self.notify(note, severity="warning", markup=False, timeout=12)

    # --- loading ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load_workspace(self) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            if done == total or now - self._last_progress >= PROGRESS_INTERVAL:
                self._last_progress = now
                self.post_message(IndexProgress(stage, done, total))

        try:
            ws = Workspace.open(self.corpus, self.index_dir, progress=progress)
            if len(ws.passages) >= FACTS_BEFORE_SCREEN:
                ws.prepare_facts()  # the facts pane needs the name table on the first screen
        except TalksError as err:
            self.post_message(WorkspaceFailed(str(err)))
            return
        except Exception as err:  # noqa: BLE001 - shown to the user, never a traceback
            self.post_message(WorkspaceFailed(f"{type(err).__name__}: {err}"))
            return
        shown = threading.Event()
        self.post_message(WorkspaceReady(ws, shown))  # usable now: reading and searching
        # Let the app show the article first: prepare() is pure Python and would hold the
        # GIL against the event loop that is filling the screen.
        worker = get_current_worker()
        while not shown.wait(0.05):
            if worker.is_cancelled:
                return
        try:
            ws.prepare()  # related passages and agreement, still off the event loop
        except Exception as err:  # noqa: BLE001
            self.post_message(WorkspaceFailed(f"analysis failed: {type(err).__name__}: {err}"))
            return
        self.post_message(AnalysisReady(ws))

    @on(IndexProgress)
    def _handle_progress(self, event: IndexProgress) -> None:
        bar = self.query_one(ProgressBar)
        if event.done < event.total:
            # A stage reported only once it is done (a warm open's "reading 8/8") would
            # show a full bar and hide it again before the next paint: two restyles.
            bar.add_class("-shown")
        bar.update(total=event.total, progress=event.done)
        self.set_status(f"{event.stage} {event.done}/{event.total} …")

    @on(WorkspaceFailed)
    def _handle_failed(self, event: WorkspaceFailed) -> None:
        self._loaded()
        self.query_one(Reader).loading = False
        self.query_one(ProgressBar).remove_class("-shown")
        if self.ws is not None:
            # the corpus is open and readable; only comparing the sources failed
            self.analysis_error = event.error
            self.update_status()
            self.notify(event.error, title="Cannot compare sources", severity="error", markup=False)
            return
        self.set_status(f"cannot open corpus: {event.error}")
        self.notify(
            event.error, title="Cannot open corpus", severity="error", markup=False, timeout=30
        )

    @on(AnalysisReady)
    def _handle_analysed(self, event: AnalysisReady) -> None:
        if event.workspace is not self.ws:
            return
        self.analysed = True
        self._settle_memory()  # the related index and agreement groups are built
        self.update_status()
        reader = self.query_one(Reader)
        if reader.current is not None:
            self.show_facts(reader.current.id)

    def _need_analysis(self) -> bool:
        if self.analysis_error:
            self.notify(f"Sources could not be compared: {self.analysis_error}", markup=False)
        elif not self.analysed:
            self.notify("Still comparing the sources… try again in a moment", markup=False)
        return self.analysed

    @on(WorkspaceReady)
    def _handle_ready(self, event: WorkspaceReady) -> None:
        self.analysed, self.analysis_error = False, None
        reindexed = self.ws is not None and self.ws is not event.workspace
        was = self.query_one(Reader).current  # a reindex keeps the reader where it was
        if self.ws is not None and self.ws is not event.workspace:
            self.ws.close()  # a reindex replaced it
            self.result, self.tour = None, None
            self.query_one(SearchPane).show_results(None, {})
        self.ws = ws = event.workspace
        self.selection = [pid for pid in self.selection if pid in ws.passages]
        query = self.query_one(SearchPane).query_text.strip()
        if query:  # after a reindex, the query on screen runs on the new index
            self.generation += 1
            self.run_search(self.generation, query)
        self.query_one(Reader).loading = False
        self.query_one(ProgressBar).remove_class("-shown")
        self.query_one(SourcesPane).show(list(ws.sources.values()))
        if reindexed and was is not None and was.id in ws.passages:
            self.open_passage(was.id, remember=False)
        else:
            self.open_source(next(iter(ws.sources)), remember=False)
        self.query_one(Reader).focus()
        if reindexed:
            changed, removed = len(ws.stats.parsed), len(ws.stats.removed)
            self.notify(
                f"Re-read the corpus: {count(changed, 'article')} new or changed, "
                f"{count(removed, 'article')} removed",
                markup=False,
            )
        skipped = [s for s in ws.skipped if s.skipped]
        self._notify_files(skipped, f"Skipped {len(skipped)} files")
        decoded = [s for s in ws.skipped if not s.skipped]  # read, with a warning
        self._notify_files(decoded, f"Read {len(decoded)} files with a warning")
        for warning in ws.warnings:
            self.notify(warning, severity="warning", markup=False, timeout=12)
        self.update_status()
        self.call_after_refresh(self._first_screen_shown, event.shown)

    def _notify_files(self, entries: list[Skipped], title: str) -> None:
        """One notice naming the files (the first eight) and why."""
        if not entries:
            return
        listing = "\n".join(f"{s.path}: {s.reason}" for s in entries[:8])
        more = f"\n… and {len(entries) - 8} more" if len(entries) > 8 else ""
        self.notify(listing + more, title=title, severity="warning", markup=False, timeout=12)

    def _first_screen_shown(self, shown: threading.Event) -> None:
        self._loaded()
        self._settle_memory()
        shown.set()  # the loader goes on with prepare()

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
            self.history.append(reader.current.id)
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

    def _spans_for(self, passages: Iterable[Passage]) -> dict[str, list[tuple[int, int]]]:
        if self.ws is None or self.result is None or not self.result.terms:
            return {}
        spans = {}
        for p in passages:
            found = self.ws.index.spans(p.text, self.result.terms)
            if found:
                spans[p.id] = found
        return spans

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
        if self.is_running and self.screen.query(FactsPane):
            self.show_facts(event.passage_id)

    def show_facts(self, passage_id: str | None) -> None:
        if self.ws is None:
            return
        passage = self.ws.passages.get(passage_id or "")
        reader = self.query_one(Reader)
        article = [f for p in reader.passages for f in self.ws.facts.get(p.id, ())]
        here = self.ws.facts.get(passage.id, []) if passage else []
        self.query_one(FactsPane).show(passage, here, article, self.ws.sources)

    @on(FactsPane.Highlighted)
    def _handle_fact(self, event: FactsPane.Highlighted) -> None:
        reader = self.query_one(Reader)
        fact = event.fact
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
        same, different = self.ws.compare_fact(fact)
        self.query_one(FactsPane).describe(fact, same, different)

    @on(FactsPane.Chosen)
    def _handle_fact_chosen(self, event: FactsPane.Chosen) -> None:
        """The passages of other sources that state this fact, or another value of it."""
        from search.agreement import compatible, value_label

        from .screens.stated import StatedScreen, Statement

        ws, fact = self.ws, event.fact
        if ws is None or not self._need_analysis():
            return
        same, different = ws.compare_fact(fact)
        statements: list[Statement] = []
        seen: set[tuple[str, str]] = set()
        ranked = [("same", f) for f in same] + [
            ("compatible" if compatible(fact, f) else "conflict", f) for f in different
        ]
        ranked.sort(key=lambda kf: ("same", "conflict", "compatible").index(kf[0]))
        for kind, f in ranked:
            passage = ws.passages.get(f.passage)
            if passage is None or (f.passage, kind) in seen:
                continue
            seen.add((f.passage, kind))
            value = value_label(f) if f.kind == "number" else f.text
            name = source_name(ws.sources[f.source])
            span = (f.start, f.end)
            statements.append(
                Statement(kind, value, name, f.passage, passage.ordinal, passage.text, span)
            )
        if not statements:
            self.notify("No other source states this fact", markup=False)
            return
        label = value_label(fact) if fact.kind == "number" else fact.text
        title = f"Where “{label}” is stated: {count(len(statements), 'passage')} in other sources"
        self.push_screen(StatedScreen(title, statements), self._stated_closed)

    def _stated_closed(self, passage_id: str | None) -> None:
        if passage_id:
            self.open_passage(passage_id)  # remembered: b comes back
            self.query_one(Reader).focus()

    @on(SourcesPane.Chosen)
    def _handle_source_chosen(self, event: SourcesPane.Chosen) -> None:
        self.open_source(event.source_id)
        self.query_one(Reader).focus()

    @on(SearchPane.Opened)
    def _handle_result_opened(self, event: SearchPane.Opened) -> None:
        self.open_passage(event.passage_id)
        self.query_one(Reader).focus()

    @on(SearchPane.Left)
    def _handle_search_left(self) -> None:
        self.query_one(Reader).focus()

    @on(FactsPane.Left)
    def _handle_facts_left(self) -> None:
        if self.screen.has_class("-facts-open"):  # narrow: the facts pane hides again
            self.action_toggle_facts()
        else:
            self.query_one(Reader).focus()

    # --- search ----------------------------------------------------------------------

    @on(SearchPane.QueryChanged)
    def _handle_query_changed(self, event: SearchPane.QueryChanged) -> None:
        self.generation += 1
        query = event.query.strip()
        pane = self.query_one(SearchPane)
        if not query or self.ws is None:
            self.workers.cancel_group(self, "search")
            self.result = None
            pane.show_error(None)
            pane.show_results(None, {})
            self._apply_result()
            return
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
        self._apply_result()

    def _apply_result(self) -> None:
        if self.ws is None:
            return
        counts = self.result.per_source if self.result else None
        self.query_one(SourcesPane).show(list(self.ws.sources.values()), counts)
        reader = self.query_one(Reader)
        reader.set_spans(self._spans_for(reader.passages))
        self.update_status()

    # --- actions ---------------------------------------------------------------------

    def action_focus_search(self) -> None:
        if self.screen.has_class("-tiny"):
            self.screen.add_class("-left-open")
        self.query_one(SearchPane).focus_query()

    def _hit_order(self) -> list[Passage]:
        if self.ws is None or self.result is None:
            return []
        order = {sid: i for i, sid in enumerate(self.ws.sources)}
        hits = [h.passage for h in self.result.hits]
        return sorted(hits, key=lambda p: (order.get(p.source, 0), p.ordinal))

    def _step_hit(self, step: int) -> None:
        hits = self._hit_order()
        if not hits:
            self.notify("No search hits: press / and type a query", markup=False)
            return
        current = self.query_one(Reader).current
        ids = [p.id for p in hits]
        if current is None:
            target = hits[0 if step > 0 else -1]
        else:
            order = {sid: i for i, sid in enumerate(self.ws.sources)} if self.ws else {}
            here = (order.get(current.source, 0), current.ordinal)
            keys = [(order.get(p.source, 0), p.ordinal) for p in hits]
            if step > 0:
                later = [i for i, k in enumerate(keys) if k > here]
                target = hits[later[0] if later else 0]
            else:
                earlier = [i for i, k in enumerate(keys) if k < here]
                target = hits[earlier[-1] if earlier else -1]
        self.open_passage(target.id)
        self.query_one(Reader).focus()
        position = ids.index(target.id) + 1
        self.query_one(Reader).border_subtitle = f"hit {position}/{len(ids)}"

    def action_next_hit(self) -> None:
        self._step_hit(+1)

    def action_previous_hit(self) -> None:
        self._step_hit(-1)

    def action_toggle_select(self) -> None:
        passage = self.current_passage()
        if passage is None:
            return
        if passage.id in self.selection:
            self.selection.remove(passage.id)
        else:
            self.selection.append(passage.id)
        self.query_one(Reader).refresh_selection(set(self.selection))
        self.update_status()

    def action_back(self) -> None:
        if not self.history:
            self.notify("Nothing to go back to", markup=False)
            return
        self.open_passage(self.history.pop(), remember=False)
        self.query_one(Reader).focus()

    # --- across sources ----------------------------------------------------------

    def _related_step(self, step: int) -> None:
        if self.ws is None or not self._need_analysis():
            return
        current = self.query_one(Reader).current
        if current is None:
            return
        tour = self.tour
        if tour is None or (current.id != tour[0] and current.id not in tour[1]):
            links = self.ws.related_by_source(current.id)
            tour = self.tour = (current.id, [link.passage.id for link in links])
        origin, stops = tour
        if not stops:
            self.notify("No other source reports this passage's claim", markup=False)
            return
        here = stops.index(current.id) if current.id in stops else -1
        target = here + step
        if target < 0:
            self.open_passage(origin)
            self.query_one(Reader).border_subtitle = "back at the start"
            return
        if target >= len(stops):
            self.notify("That was the last source reporting this claim", markup=False)
            return
        self.open_passage(stops[target])
        self.query_one(Reader).border_subtitle = f"related {target + 1}/{len(stops)}"
        self.query_one(Reader).focus()

    def action_next_related(self) -> None:
        self._related_step(+1)

    def action_previous_related(self) -> None:
        self._related_step(-1)

    def action_compare(self) -> None:
        from .screens.compare import Column, CompareScreen

        ws = self.ws
        anchor = self.current_passage()
        if ws is None or anchor is None or not self._need_analysis():
            return
        reporting = ws.related_by_source(anchor.id)
        links = reporting[:COMPARE_SOURCES]
        top = max((link.score for link in links), default=1.0) or 1.0
        anchor_spans: list[tuple[int, int]] = []
        columns: list[Column] = []
        conflicts = looser = 0
        for link in links:
            mine, theirs = ws.shared_spans(anchor.id, link.passage.id)
            anchor_spans += mine
            flags = self._conflicts(anchor.id, link.passage.id)
            looser += sum(both for _span, _note, both in flags)
            conflicts += sum(not both for _span, _note, both in flags)
            columns.append(
                Column(
                    source_name(ws.sources[link.passage.source]),
                    link.passage,
                    theirs,
                    link.why,
                    link.score / top,
                    flags,
                )
            )
        head = Column(source_name(ws.sources[anchor.source]), anchor, sorted(set(anchor_spans)))
        self.push_screen(
            CompareScreen([head, *columns], conflicts, len(reporting), looser),
            self._compare_closed,
        )

    def _conflicts(self, anchor: str, other: str) -> list[tuple[tuple[int, int], str, bool]]:
        """Numbers in ``other`` that count what ``anchor`` counts, with another value (and
        whether both values can be true)."""
        from search.agreement import compatible, value_label

        if self.ws is None:
            return []
        out = []
        for fact in self.ws.facts.get(other, []):
            if fact.kind != "number":
                continue
            _same, different = self.ws.compare_fact(fact)
            for theirs in different:
                if theirs.passage == anchor:
                    here, there = value_label(fact), value_label(theirs)
                    note = f"{here} here, {there} there"
                    out.append(((fact.start, fact.end), note, compatible(fact, theirs)))
        return out

    def _compare_closed(self, passage_id: str | None) -> None:
        if passage_id:
            self.open_passage(passage_id)
            self.query_one(Reader).focus()

    # --- export ------------------------------------------------------------------

    def action_export(self) -> None:
        from search.export import ExportItem

        from .screens.export import ExportDialog

        ws = self.ws
        if ws is None:
            return
        if not self.selection:
            self.notify("Select passages with space first, then press e", markup=False)
            return
        terms = self.result.terms if self.result else frozenset()
        items = [
            ExportItem(
                ws.passages[pid],
                tuple(ws.index.spans(ws.passages[pid].text, terms)) if terms else (),
                tuple(ws.facts.get(pid, ())),
            )
            for pid in self.selection
            if pid in ws.passages
        ]
        folder = Path(self.config.export_dir).expanduser() if self.config.export_dir else Path.cwd()
        dialog = ExportDialog(
            items,
            ws.sources,
            corpus=str(ws.corpus),
            query=self.result.query if self.result else None,
            folder=folder,
        )
        self.push_screen(dialog, self._exported)

    def _exported(self, path: Path | None) -> None:
        if path is not None:
            self._saved_selection = list(self.selection)
            self.notify(f"Wrote {count(len(self.selection), 'passage')} to {path}", markup=False)

    def action_quit_app(self) -> None:
        """Quit; with a selection not exported as it is, only on a second q. (Textual's
        ctrl+q quits at once, from any screen.)"""
        unsaved = self.selection and self.selection != self._saved_selection
        now = time.monotonic()
        if unsaved and now - self._quit_warned > QUIT_AGAIN:
            self._quit_warned = now
            self.notify(
                f"{count(len(self.selection), 'selected passage')} not exported: "
                "press q again to quit anyway, or e to export them",
                severity="warning",
                markup=False,
                timeout=QUIT_AGAIN,
            )
            return
        self.exit()

    def action_toggle_facts(self) -> None:
        screen = self.screen
        screen.toggle_class("-facts-open")
        screen.remove_class("-left-open")
        if screen.has_class("-facts-open"):
            self.query_one(FactList).focus()
        else:
            self.query_one(Reader).focus()

    def on_descendant_focus(self, event) -> None:  # type: ignore[no-untyped-def]
        """On a tiny terminal, show the pane that has focus."""
        if not self.screen_stack:  # a focus event that arrives while the app shuts down
            return
        screen = self.screen
        if not screen.has_class("-tiny"):
            return
        in_left = any(
            isinstance(n, SourcesPane | SearchPane) for n in event.widget.ancestors_with_self
        )
        screen.set_class(in_left, "-left-open")
        if in_left or isinstance(event.widget, Reader):
            screen.remove_class("-facts-open")

    # --- help, palette, themes, keys ---------------------------------------------

    # The main screen's keys mean nothing over a dialog (compare, export, where stated):
    # disabled there, they leave that screen's own keys alone in its footer.
    _MAIN_ONLY = frozenset(
        {
            "focus_search",
            "next_hit",
            "previous_hit",
            "next_related",
            "previous_related",
            "compare",
            "toggle_select",
            "export",
            "back",
            "toggle_facts",
            "quit_app",  # every dialog closes with q or escape (the export path takes a q)
        }
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        over_a_dialog = len(self.screen_stack) > 1
        return not (over_a_dialog and action in self._MAIN_ONLY)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        rows = binding_rows(self.binding_scopes(), self.config.keymap)
        self.push_screen(HelpScreen([*LIST_KEYS, *rows]))

    def binding_scopes(self) -> list[tuple[str, type]]:
        from .screens.compare import CompareScreen
        from .screens.export import ExportDialog
        from .screens.stated import StatedScreen

        return [
            ("Global", type(self)),
            ("Sources", SourcesPane),
            ("Search", SearchPane),
            ("Results", ResultsList),
            ("Reader", Reader),
            ("Facts", FactList),
            ("Facts pane", FactsPane),
            ("Fact detail", FactDetail),
            ("Compare", CompareScreen),
            ("Where stated", StatedScreen),
            ("Export", ExportDialog),
        ]

    def _setup_theme(self) -> list[str]:
        """Register the theme files and apply the configured theme; returns warnings."""
        themes, warnings = load_themes()
        for theme in themes:
            self.register_theme(theme)
        wanted = self.config.theme or DEFAULT_THEME
        if wanted not in self.available_themes:
            warnings.append(f"unknown theme {wanted!r}: using {DEFAULT_THEME}")
            wanted = DEFAULT_THEME
        if wanted in self.available_themes:
            self._apply_theme_before_css(wanted)
        return warnings

    def _apply_theme_before_css(self, name: str) -> None:
        """What ``App._watch_theme`` does, minus reparsing and reapplying every stylesheet.

        Only before the first CSS parse (on load). Setting ``self.theme`` there would queue
        ``refresh_css``: a second parse of all the CSS and a restyle of every widget, which
        the first parse, with these variables, makes unnecessary."""
        self.set_reactive(TalksApp.theme, name)
        dark = self.current_theme.dark
        self.update_classes(
            {
                **{c: False for c in self.classes if c.startswith("-theme-")},
                f"-theme-{name}": True,
                "-dark-mode": dark,
                "-light-mode": not dark,
            },
            update=False,
        )
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    def _setup_keys(self, warnings: list[str]) -> None:
        """Apply the user's keymap; show the theme and keymap warnings."""
        keymap, key_warnings = (
            validate_keymap(self.config.keymap, known_binding_ids(self.binding_scopes()))
            if self.config.keymap  # the scopes import the compare and export screens
            else ({}, [])
        )
        self.config.keymap = keymap
        self.set_keymap(keymap)
        for warning in warnings + key_warnings:
            self.notify(warning, severity="warning", markup=False, timeout=12)
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme) -> None:  # type: ignore[no-untyped-def]
        if theme.name == self.config.theme:
            return
        self.config.theme = theme.name
        try:
            save_config(self.config)
        except OSError as err:
            self.notify(f"Theme not saved: {err}", severity="warning", markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            # Textual's own theme picker and key panel: ours are "Theme: …" and ?
            if command.title not in ("Theme", "Keys"):
                yield command
        seen = {"help", "quit"}
        for row in binding_rows([("Global", type(self))], self.config.keymap):
            if row.id in seen:
                continue
            action = row.action
            yield SystemCommand(
                row.description, f"key: {row.keys}", lambda a=action: self.run_action(a)
            )
        yield SystemCommand("Reindex", "Re-read the corpus and update the index", self.reindex)
        for name in sorted(self.available_themes):
            if name.startswith("talks-"):
                yield SystemCommand(
                    f"Theme: {name}", "Switch the colour theme", lambda n=name: self._set_theme(n)
                )

    def _set_theme(self, name: str) -> None:
        self.theme = name

    def reindex(self) -> None:
        """Re-read the corpus (new, changed and removed files) without restarting."""
        self.query_one(Reader).loading = True
        self.set_status("re-reading the corpus …")
        self.notify("Re-reading the corpus …", markup=False)
        self.load_workspace()


def make_app(
    corpus: Path | None = None,
    index_dir: Path | str | None = None,
    config: Config | None = None,
) -> TalksApp:
    """The one app factory, used by the CLI and the tests.

    Without ``config`` the user's config file is read; its problems become notices."""
    notes: list[str] = []
    if config is None:
        config, notes = load_config()
    if corpus is None:
        from .paths import bundled

        corpus = (
            Path(config.default_corpus).expanduser() if config.default_corpus else bundled("seeds")
        )
    return TalksApp(corpus, Path(index_dir) if index_dir else None, config, notes)


def run_app(corpus: Path | None, index_dir: Path | str | None = None) -> int:
    """Launch the app; errors a terminal user must see before any screen (raised as
    ``TalksError``: the CLI prints one line and exits 2)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Textual without a terminal does not stop: it spun at 85% CPU until killed.
        raise TalksError(
            "the app needs a terminal (stdin and stdout); "
            "for scripts use a subcommand (see: talks-tui --help)"
        )
    app = make_app(corpus, index_dir)
    check_folder(app.corpus)  # a missing folder: one line and exit 2, not an empty app
    app.run()
    return 0

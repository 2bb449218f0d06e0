"""Opening the corpus for the main screen: the loader worker and what its messages do.

The worker opens the workspace off the event loop, posts it once it can be read and
searched, then builds the comparison of sources (related passages, claims) while the
first article is already on screen. It only posts messages; the handlers here own the
state. ``MainScreen`` is this class plus the reading, search and actions.
"""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

from textual import on, work
from textual.screen import Screen
from textual.widgets import ProgressBar
from textual.worker import get_current_worker

from search.errors import TalksError
from search.workspace import SearchResult, Skipped, Workspace

from .. import startup
from ..messages import AnalysisReady, IndexProgress, WorkspaceFailed, WorkspaceReady
from ..navigation import Navigation
from ..render import count
from ..widgets.reader import Reader
from ..widgets.search import SearchPane
from ..widgets.sources import SourcesPane

PROGRESS_INTERVAL = 0.1  # seconds between progress messages from the loader
# From this many passages the corpus-wide name table is made (or loaded) before the
# first screen, off the event loop: the facts pane needs it, and building it on the
# main thread froze the screen for seconds on large corpora.
FACTS_BEFORE_SCREEN = 5000


class Loader(Screen[None]):
    """The part of the main screen that opens (and re-opens) the corpus."""

    corpus: Path
    index_dir: Path | None
    ws: Workspace | None
    analysed: bool
    analysis_error: str | None
    result: SearchResult | None
    generation: int
    nav: Navigation
    _last_progress: float

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
            with contextlib.suppress(TalksError):  # the screen says why (a notice)
                ws.open_notebook()  # off the event loop: a locked store waits here
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
        startup.loaded()
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
        startup.settle_memory()  # the related index and agreement groups are built
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
            self.result = None
            self.query_one(SearchPane).show_results(None, {})
        self.ws = ws = event.workspace
        self.nav.keep_only(ws.passages)
        self.load_notebook(reindexed)  # the kept selection, last query and position
        query = self.query_one(SearchPane).query_text.strip()
        if query:  # after a reindex, the query on screen runs on the new index
            self.generation += 1
            self.run_search(self.generation, query)
        self.query_one(Reader).loading = False
        self.query_one(ProgressBar).remove_class("-shown")
        self.query_one(SourcesPane).show(list(ws.sources.values()))
        if reindexed and was is not None and was.id in ws.passages:
            self.open_passage(was.id, remember=False)
        elif reindexed or not self.reopen_last():
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
        self.app.call_after_refresh(self._first_screen_shown, event.shown)

    def _notify_files(self, entries: list[Skipped], title: str) -> None:
        """One notice naming the files (the first eight) and why."""
        if not entries:
            return
        listing = "\n".join(f"{s.path}: {s.reason}" for s in entries[:8])
        more = f"\n… and {len(entries) - 8} more" if len(entries) > 8 else ""
        self.notify(listing + more, title=title, severity="warning", markup=False, timeout=12)

    def _first_screen_shown(self, shown: threading.Event) -> None:
        startup.loaded()
        startup.settle_memory()
        shown.set()  # the loader goes on with prepare()

    def reindex(self) -> None:
        """Re-read the corpus (new, changed and removed files) without restarting."""
        self.query_one(Reader).loading = True
        self.set_status("re-reading the corpus …")
        self.notify("Re-reading the corpus …", markup=False)
        self.load_workspace()

"""The working notebook on the main screen: tags and notes, the kept selection and
position, search history and saved searches, copy and open, the timeline and entities.

``MainScreen`` inherits ``Workflow``; the store is the workspace's (``ws.notebook``). Every
change of the selection is written at once, so a closed terminal loses nothing of it; the
position and the last query are written when they have stayed put for a moment, and on
every way out.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Sequence
from pathlib import Path

from textual import on
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer

from search.errors import TalksError
from search.models import LastState, Passage
from search.workspace import SearchResult, Workspace

from .navigation import Navigation
from .paths import export_folder
from .render import count
from .widgets.facts import FactsPane
from .widgets.reader import Reader
from .widgets.search import SearchPane
from .widgets.sources import source_name

KEEP_EVERY = 2.0  # seconds between checks whether the position or a settled query changed
ExportScope = tuple[str, str | None, Callable[[], Sequence[object]]]  # label, query, items


class Workflow(Screen[None]):
    """The notebook side of the main screen (see the module docstring)."""

    ws: Workspace | None
    nav: Navigation
    result: SearchResult | None
    _kept_state: LastState | None = None
    _settling: str | None = None  # a query with hits seen at the last check
    _pushed: str | None = None  # the last query the check kept in the history
    _store_warned = False
    _keeper: Timer | None = None

    # --- loading and keeping ---------------------------------------------------------

    def load_notebook(self, reindexed: bool) -> None:
        """A corpus (re)opened: after a reindex the selection on screen is kept; on the
        first open the kept one comes back, with the last query in the box."""
        ws = self.ws
        if ws is None:
            return
        reader = self.query_one(Reader)
        reader.notebook_of = self.marks_of
        pane = self.query_one(SearchPane)
        pane.history_source = lambda: self._store(ws.history, [])
        if ws.notebook.notice:
            self.notify(ws.notebook.notice, title="Notebook", severity="warning", markup=False)
        orphans = self._store(ws.notebook_orphans, [])
        if orphans:
            self.notify(
                f"{count(len(orphans), 'tagged or annotated passage')} gone from the corpus "
                "(a file changed); kept with their old text: see talks-tui tags",
                severity="warning",
                markup=False,
                timeout=12,
            )
        if reindexed:
            self.keep_selection()
        else:
            kept = self._store(ws.selection, None)
            if kept is not None:
                self.nav.selection = list(kept.passages)
                self.nav.exported = set(kept.exported)
            last = self._store(ws.last_state, LastState())
            self._kept_state = last
            if last.query:
                pane.set_query(last.query, quiet=True)
        if self._keeper is None:
            self._keeper = self.set_interval(KEEP_EVERY, self._keep_tick)
            self._catch_hangup()

    def reopen_last(self) -> bool:
        """Open the passage the user was reading last time; False when there is none."""
        last = self._kept_state
        if self.ws is None or last is None:
            return False
        if last.passage is not None:
            self.open_passage(last.passage, remember=False)  # type: ignore[attr-defined]
        elif last.source is not None:
            self.open_source(last.source, remember=False)  # type: ignore[attr-defined]
        else:
            return False
        return True

    def _store(self, call: Callable[[], object], default: object):  # type: ignore[no-untyped-def]
        """``call()``; a store that fails gives ``default`` and one notice, never a crash."""
        try:
            return call()
        except TalksError as err:
            self._store_failed(err)
            return default

    def _store_failed(self, err: TalksError) -> None:
        if not self._store_warned:
            self._store_warned = True
            self.notify(
                f"The notebook failed: {err}", title="Notebook", severity="warning", markup=False
            )

    def keep_selection(self) -> None:
        """Write the selection now (every change is kept: a stray key loses nothing)."""
        if self.ws is not None:
            ws, chosen = self.ws, list(self.nav.selection)
            self._store(lambda: ws.set_selection(chosen), None)

    def kept_export(self, passage_ids: Sequence[str]) -> None:
        """These passages are in a note now: quitting does not warn about them again.
        Only selected ones are marked, as the store marks them (a passage selected after
        it went out with a query's hits is new to the selection)."""
        chosen = set(self.nav.selection)
        ids = [pid for pid in passage_ids if pid in chosen]
        self.nav.mark_exported(ids)
        if self.ws is not None:
            ws = self.ws
            self._store(lambda: ws.mark_exported(ids), None)

    def current_state(self) -> LastState:
        reader = self.query_one(Reader)
        query = self.query_one(SearchPane).query_text.strip() or None
        source = reader.source.id if reader.source is not None else None
        passage = reader.current.id if reader.current is not None else None
        return LastState(query, source, passage)

    def save_last_state(self) -> None:
        """Write the query and position if they changed since last written."""
        if self.ws is None or not self.is_mounted:
            return
        state = self.current_state()
        if state != self._kept_state:
            ws = self.ws
            self._store(lambda: ws.set_last_state(state), None)
            self._kept_state = state

    def _keep_tick(self) -> None:
        self.save_last_state()
        result = self.result
        query = result.query if result is not None and result.hits else None
        if query and query == self._settling and query != self._pushed:
            self.remember_query(query)  # it stayed on screen with hits: the user read it
            self._pushed = query
        self._settling = query

    def remember_query(self, query: str) -> None:
        if self.ws is not None and query.strip():
            ws = self.ws
            self._store(lambda: ws.push_history(query), None)

    def _catch_hangup(self) -> None:
        """A closed terminal (SIGHUP) keeps the position, then exits."""
        if self.app.is_headless or not hasattr(signal, "SIGHUP"):
            return
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            import asyncio

            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)

    def hang_up(self) -> None:
        self.keep_selection()
        self.save_last_state()
        self.app.exit()

    def quit_warning(self) -> str | None:
        """What quitting would leave undone (None: nothing)."""
        unsaved = self.nav.unexported()
        if not unsaved:
            return None
        return (
            f"{count(len(unsaved), 'selected passage')} not exported (the selection is kept "
            "for next time): press q again to quit anyway, or e to export them"
        )

    # --- tags and notes --------------------------------------------------------------

    def marks_of(self, passage_id: str) -> tuple[tuple[str, ...], str | None]:
        """The passage's tags and note, for the reader."""
        ws = self.ws
        if ws is None:
            return (), None
        tags = self._store(lambda: ws.tags_of(passage_id), ())
        note = self._store(lambda: ws.notes_of(passage_id), None)
        return tags, note.text if note is not None else None

    def notebook_line(self, passage: Passage | None) -> Content | None:
        """The facts pane's first line: the passage's tags and note."""
        if passage is None:
            return None
        tags, note = self.marks_of(passage.id)
        parts: list[Content | str] = []
        if tags:
            parts += [Content.styled("Tags: ", "bold $secondary"), Content(", ".join(tags))]
        if note:
            first = note.splitlines()[0] if note.strip() else ""
            more = " …" if "\n" in note.strip() else ""
            parts += ["\n" if parts else "", Content.styled("Note: ", "bold $secondary")]
            parts.append(Content(first[:200] + more))
        return Content.assemble(*parts) if parts else None

    def _passage_title(self, passage: Passage) -> str:
        ws = self.ws
        name = source_name(ws.sources[passage.source]) if ws else passage.source
        return f"{name} ¶{passage.ordinal}"

    def action_tag(self) -> None:
        from .screens.tag import TagDialog

        ws, passage = self.ws, self.current_passage()  # type: ignore[attr-defined]
        if ws is None or passage is None:
            return
        pid = passage.id
        dialog = TagDialog(
            f"Tag {self._passage_title(passage)}",
            self._store(lambda: ws.tags_of(pid), ()),
            self._store(ws.tag_names, []),
            add=lambda name: ws.tag(pid, name),
            remove=lambda name: ws.untag(pid, name),
        )
        self.app.push_screen(dialog, lambda changed: self._marks_changed(pid, changed))

    def action_annotate(self) -> None:
        from .screens.note import NoteDialog

        ws, passage = self.ws, self.current_passage()  # type: ignore[attr-defined]
        if ws is None or passage is None:
            return
        pid = passage.id
        note = self._store(lambda: ws.notes_of(pid), None)
        dialog = NoteDialog(
            f"Note on {self._passage_title(passage)}",
            note.text if note is not None else "",
            save=lambda text: ws.note(pid, text),
        )
        self.app.push_screen(dialog, lambda saved: self._marks_changed(pid, saved))

    def _marks_changed(self, passage_id: str, changed: bool | None) -> None:
        if changed:
            reader = self.query_one(Reader)
            reader.refresh_passage(passage_id)
            if reader.current is not None and reader.current.id == passage_id:
                self.query_one(FactsPane).show_notebook(self.notebook_line(reader.current))

    # --- copy and open ---------------------------------------------------------------

    def action_copy_citation(self) -> None:
        ws, passage = self.ws, self.current_passage()  # type: ignore[attr-defined]
        if ws is None or passage is None:
            return
        self.app.copy_to_clipboard(ws.citation(passage.id))
        self.notify(
            f"Copied {self._passage_title(passage)} with its citation", markup=False, timeout=3
        )

    def action_open_url(self) -> None:
        from .screens.prompt import ConfirmDialog

        ws, passage = self.ws, self.current_passage()  # type: ignore[attr-defined]
        if ws is None or passage is None:
            return
        try:
            url = ws.web_link(passage.id)
        except TalksError as err:
            self.notify(f"Not opened: {err}", severity="warning", markup=False)
            return
        question = f"Open the source of {self._passage_title(passage)} in the browser?"
        self.app.push_screen(ConfirmDialog(question, url), lambda yes: self._open_url(url, yes))

    def _open_url(self, url: str, yes: bool | None) -> None:
        if not yes:
            return
        import webbrowser

        try:
            opened = webbrowser.open(url)
        except Exception as err:  # noqa: BLE001 - a browser that fails is a notice
            self.notify(f"The browser failed: {err}", severity="warning", markup=False)
            return
        if not opened:
            self.notify("No browser could be started", severity="warning", markup=False)

    # --- history, saved searches, running a query ----------------------------------------

    def run_query(self, query: str) -> None:
        """Put ``query`` in the box and search it (its results take the focus)."""
        self.action_focus_search()  # type: ignore[attr-defined]
        self.query_one(SearchPane).set_query(query)

    @on(SearchPane.SaveAsked)
    def _save_asked(self, event: SearchPane.SaveAsked) -> None:
        from .screens.prompt import NameDialog

        ws, query = self.ws, event.query.strip()
        if ws is None:
            return
        if not query:
            self.notify("Type a query first, then ctrl+s saves it", markup=False)
            return

        def keep(name: str) -> str:
            return ws.save_search(name, query).name

        dialog = NameDialog(
            f"Save the search “{query}”",
            "Its name is listed in the palette (ctrl+p) as “Search: NAME”.",
            keep,
        )
        self.app.push_screen(dialog, self._saved)

    def _saved(self, name: str | None) -> None:
        if name:
            self.notify(f"Saved the search “{name}”", markup=False, timeout=3)

    def run_saved(self, name: str) -> None:
        ws = self.ws
        if ws is None:
            return
        try:
            self.run_query(ws.saved_search(name).query)
        except TalksError as err:
            self.notify(str(err), severity="warning", markup=False)

    # --- timeline and entities ------------------------------------------------------

    def action_timeline(self) -> None:
        from .screens.timeline import TimelineScreen

        ws = self.ws
        if ws is None:
            return
        entries = ws.timeline()
        if not entries:
            self.notify("No source states a date the facts could resolve", markup=False)
            return
        names = {sid: source_name(src) for sid, src in ws.sources.items()}
        screen = TimelineScreen(entries, names, ws.passages)
        self.app.push_screen(screen, self._timeline_closed)

    def _timeline_closed(self, chosen: tuple[str, int, int] | None) -> None:
        if chosen:
            pid, start, end = chosen
            self._jump(pid)  # type: ignore[attr-defined]
            self.query_one(Reader).mark(pid, [(start, end)])

    def action_entities(self) -> None:
        from .screens.entities import EntitiesScreen

        ws = self.ws
        if ws is None:
            return
        found = ws.entities()
        if not found:
            self.notify("No person, place or organisation was found", markup=False)
            return
        names = {sid: source_name(src) for sid, src in ws.sources.items()}
        self.app.push_screen(EntitiesScreen(found, names), self._entity_chosen)

    def _entity_chosen(self, query: str | None) -> None:
        if query:
            self.run_query(query)

    # --- export ----------------------------------------------------------------------

    def export_scopes(self) -> list[ExportScope]:
        """What can be exported: the selection first, then this query's hits, then
        each tag."""
        ws = self.ws
        if ws is None:
            return []
        scopes: list[ExportScope] = []
        result = self.result
        if self.nav.selection:
            chosen = list(self.nav.selection)
            scopes.append(
                (
                    f"The selection ({count(len(chosen), 'passage')})",
                    result.query if result else None,
                    lambda: ws.export_selection(chosen, result),
                )
            )
        if result is not None and result.hits:
            query = result.query

            def hits() -> Sequence[object]:
                return ws.export_items(ws.search(query, limit=None).hits)

            scopes.append((f"All {count(result.total, 'hit')} of “{query}”", query, hits))
        for tag in self._store(ws.tags, []):
            if tag.passages:
                name = tag.name
                scopes.append(
                    (
                        f"Tag “{name}” ({count(len(tag.passages), 'passage')})",
                        f'tag:"{name}"',
                        lambda n=name: ws.export_items(ws.tagged(n)),
                    )
                )
        return scopes

    def open_export(self) -> None:
        from .screens.export import ExportDialog

        ws = self.ws
        if ws is None:
            return
        scopes = self.export_scopes()
        if not scopes:
            self.notify(
                "Select passages with space (or search, or tag them), then press e", markup=False
            )
            return
        label, query, items = scopes[0]
        folder = export_folder(self.app.config.export_dir)  # type: ignore[attr-defined]
        claims = ws.claim_table if self.analysed else ""  # the claim map of what is shown
        dialog = ExportDialog(
            items(),
            ws.sources,
            corpus=str(ws.corpus),
            query=query,
            folder=folder,
            scopes=scopes,
            claim_table=claims,
        )
        self.app.push_screen(dialog, lambda path: self._exported(dialog, path))

    def _exported(self, dialog, path: Path | None) -> None:  # type: ignore[no-untyped-def]
        if path is None:
            return
        ids = [item.passage.id for item in dialog.items]
        self.kept_export(ids)
        self.notify(f"Wrote {count(len(ids), 'passage')} to {path}", markup=False)

"""The workspace's side of the notebook: tags, notes, selection and history checked
against the corpus, the ``tag:`` query filter, and the timeline and entity views.

``Workspace`` inherits ``NotebookMixin``; the store itself is ``store.Notebook``. The
store opens on first use, so commands that never touch it never create it.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from .errors import QueryError, StoreError
from .models import (
    Entity,
    Hit,
    LastState,
    Note,
    Orphan,
    Passage,
    SavedSearch,
    Selection,
    Tag,
    TimelineEntry,
)
from .store import Notebook, default_store_path
from .textsafe import one_line
from .timeline import ENTITY_KINDS, entities, timeline

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from .engine import PassageIndex, SearchResult
    from .export import ExportItem
    from .factstore import FactStore
    from .models import Source

_OPENING = threading.Lock()
# a tag term outside phrases: tag:NAME or tag:"two words"; phrases are matched whole so
# that a tag: inside one stays a word of the phrase
_TAG_OR_PHRASE = re.compile(r'(?<![\w:])tag:(?:"([^"]*)"|([^\s()"]+))|"[^"]*"', re.IGNORECASE)
_BEFORE = re.compile(r"(?:^|[\s(])(-|NOT\s+|OR\s+)$")
_AFTER = re.compile(r"^\s+OR(?:\s|$)")


def split_tags(query: str) -> tuple[str, list[str]]:
    """``query`` without its ``tag:`` terms, and the tag names. A tag filters the results
    (AND): a negated or OR-ed tag is a ``QueryError``."""
    names: list[str] = []
    out: list[str] = []
    pos = 0
    for m in _TAG_OR_PHRASE.finditer(query):
        if m.group(0).startswith('"'):
            continue
        before = query[pos : m.start()]
        if _BEFORE.search(query[: m.start()]) or _AFTER.match(query[m.end() :]):
            raise QueryError(
                f"{one_line(m.group(0))} filters the results: it cannot follow NOT, '-' or "
                "be OR-ed (search the words, then add tag:)"
            )
        name = m.group(1) if m.group(1) is not None else m.group(2)
        if not name.strip():
            raise QueryError('tag: needs a tag name (tag:NAME or tag:"two words")')
        names.append(name)
        out.append(before)
        pos = m.end()
    out.append(query[pos:])
    return " ".join("".join(out).split()), names


class NotebookMixin:
    """Notebook methods of ``Workspace`` (which provides the attributes below)."""

    if TYPE_CHECKING:
        corpus: Path
        passages: dict[str, Passage]
        sources: dict[str, Source]
        by_source: dict[str, list[Passage]]
        facts: FactStore
        index: PassageIndex

        def require_passage(self, passage_id: str) -> Passage: ...
        def require_source(self, source_id: str) -> Source: ...
        def all_facts(self, kind: str | None = None, source: str | None = None) -> list: ...

    # --- the store -------------------------------------------------------------------

    def open_notebook(self, *, strict: bool = False, path: Path | None = None) -> Notebook:
        """The corpus's notebook, opened once and checked against the corpus (tags whose
        passage moved follow it; those gone are ``notebook_orphans``). ``strict``: a
        store that cannot be used raises ``StoreError`` instead of working in memory."""
        with _OPENING:
            nb: Notebook | None = self.__dict__.get("_notebook")
            if nb is None:
                where = path or default_store_path(self.corpus)
                nb = Notebook.open(where, strict=strict)
                _, orphans = nb.reconcile(self.passages)
                self.__dict__["_notebook"] = nb
                self.__dict__["_orphans"] = orphans
            elif strict and not nb.persistent:
                raise StoreError(nb.notice or "the notebook is not kept on disk")
            return nb

    @property
    def notebook(self) -> Notebook:
        return self.open_notebook()

    def notebook_orphans(self) -> list[Orphan]:
        """Tagged or annotated passages gone from the corpus, with their old text."""
        self.open_notebook()
        return list(self.__dict__.get("_orphans", ()))

    def close_notebook(self) -> None:
        nb = self.__dict__.pop("_notebook", None)
        if nb is not None:
            nb.close()

    # --- tags and notes ----------------------------------------------------------------

    def tag(self, passage_id: str, name: str) -> str:
        """Tag the passage; returns the name as kept."""
        return self.notebook.tag(self.require_passage(passage_id), name)

    def untag(self, passage_id: str, name: str) -> bool:
        return self.notebook.untag(passage_id, name)

    def tags(self) -> list[Tag]:
        """Every tag with its passages; passages gone from the corpus are its orphans."""
        return self.notebook.tags(self.passages)

    def tag_names(self) -> list[str]:
        return self.notebook.tag_names()

    def tags_of(self, passage_id: str) -> tuple[str, ...]:
        return self.notebook.tags_of(passage_id)

    def tagged(self, name: str) -> list[Passage]:
        """The corpus's passages carrying tag ``name``, in tagging order."""
        ids = self.notebook.tagged(name)
        if ids is None:
            raise StoreError(f"no tag named {one_line(name)!r} (see: talks-tui tags)")
        return [self.passages[p] for p in ids if p in self.passages]

    def note(self, passage_id: str, text: str) -> Note | None:
        """Set the passage's note (an empty text removes it)."""
        return self.notebook.note(self.require_passage(passage_id), text)

    def notes_of(self, passage_id: str) -> Note | None:
        return self.notebook.note_of(passage_id)

    def export_items(self, chosen: Sequence[Passage | Hit]) -> list[ExportItem]:
        """Export items for passages (or hits, whose highlights are kept), each with its
        facts, note and tags."""
        from .export import ExportItem

        out = []
        for item in chosen:
            p, spans = (item.passage, item.highlights) if isinstance(item, Hit) else (item, ())
            note = self.notes_of(p.id)
            facts = tuple(self.facts.get(p.id, ()))
            out.append(
                ExportItem(
                    p, spans, facts, note=note.text if note else None, tags=self.tags_of(p.id)
                )
            )
        return out

    # --- selection, last state, history ------------------------------------------------

    def selection(self) -> Selection:
        """The kept selection, limited to passages of the corpus."""
        sel = self.notebook.selection()
        here = tuple(p for p in sel.passages if p in self.passages)
        return Selection(here, sel.exported & frozenset(here))

    def set_selection(self, passage_ids: list[str] | tuple[str, ...]) -> Selection:
        chosen = [self.require_passage(pid) for pid in passage_ids]
        return self.notebook.set_selection(chosen)

    def mark_exported(self, passage_ids: list[str] | tuple[str, ...]) -> Selection:
        return self.notebook.mark_exported(passage_ids)

    def last_state(self) -> LastState:
        """Where the user was; a source or passage gone from the corpus is None."""
        s = self.notebook.last_state()
        return LastState(
            s.query,
            s.source if s.source in self.sources else None,
            s.passage if s.passage in self.passages else None,
        )

    def set_last_state(self, state: LastState) -> None:
        self.notebook.set_last_state(state)

    def push_history(self, query: str) -> None:
        self.notebook.push_history(query)

    def history(self) -> list[str]:
        return self.notebook.history()

    def save_search(self, name: str, query: str) -> SavedSearch:
        """Keep ``query`` under ``name`` (it must be a valid query)."""
        self.search(query, limit=1)
        return self.notebook.save_search(name, query)

    def saved_searches(self) -> list[SavedSearch]:
        return self.notebook.saved_searches()

    def saved_search(self, name: str) -> SavedSearch:
        return self.notebook.saved_search(name)

    # --- the tag: filter -----------------------------------------------------------------

    def search_tagged(
        self, query: str, *, limit: int | None = 50, source: str | None = None
    ) -> SearchResult:
        """Search with ``tag:NAME`` terms: the rest of the query, among the passages
        carrying every named tag (all of them in corpus order when nothing else is asked)."""
        from .engine import SearchResult

        rest, names = split_tags(query)
        allowed: set[str] | None = None
        for name in names:
            ids = self.notebook.tagged(name)
            if ids is None:
                raise QueryError(f"no tag named {one_line(name)!r} (see: talks-tui tags)")
            found = {p for p in ids if p in self.passages}
            allowed = found if allowed is None else allowed & found
        only = frozenset(allowed or ())
        if rest:
            return replace(
                self.index.search(rest, limit=limit, source=source, only=only), query=query
            )
        chosen = [
            p
            for ps in self.by_source.values()
            for p in ps
            if p.id in only and (source is None or p.source == source)
        ]
        shown = chosen if limit is None else chosen[:limit]
        per_source = dict(Counter(p.source for p in chosen))
        return SearchResult(query, tuple(Hit(p, 0.0) for p in shown), per_source)

    # --- views over the facts ------------------------------------------------------------

    def timeline(self) -> list[TimelineEntry]:
        """Every dated fact across sources in date order; a date that is a claim's value
        carries the claim, flagged when the sources' dates for it conflict."""
        from dataclasses import replace

        out = []
        for e in timeline(self.all_facts(kind="date"), self.sources):
            claim = None
            if e.passage in self.passages:  # not a headline's date
                claim = self.claim_set.at(e.passage, e.start, e.end)
            valued = claim is not None and any(
                s.passage == e.passage and s.value is not None and s.value.start < e.end
                and e.start < s.value.end
                for s in claim.statements
            )  # fmt: skip
            if valued:
                e = replace(e, claim=claim.label, conflict=claim.verdict == "conflict")
            out.append(e)
        return out

    def entities(self, kind: str | None = None) -> list[Entity]:
        """Each canonical person, place or organisation (``kind``: one of them)."""
        if kind is not None and kind not in ENTITY_KINDS:
            raise QueryError(f"unknown entity kind {one_line(kind)!r}: use person, place or org")
        return entities(self.all_facts(), self.sources, kind)

    # --- copying and opening ---------------------------------------------------------------

    def citation(self, passage_id: str) -> str:
        """The passage with its citation (outlet, title, date, URL, passage id), as text."""
        from .citation import citation

        p = self.require_passage(passage_id)
        return citation(p, self.sources[p.source])

    def web_link(self, passage_id: str) -> str:
        """The URL of the passage's source if a browser may open it (http/https), else
        ``TalksError`` with the reason."""
        from .citation import web_link

        return web_link(self.sources[self.require_passage(passage_id).source])

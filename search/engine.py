"""The Whoosh boundary: schema, writer, query parser, searcher.

Nothing outside this module touches a Whoosh object. In: sources and passages. Out:
``Hit`` dataclasses copied inside the searcher's ``with`` block (Whoosh hits die with it).
The classic Whoosh 2.7 API, except the parallel ingest's write path (segments written in
worker processes, listed at one commit), which reaches into Whoosh 2.7.4's privates in
``whoosh_private`` only, with a fallback to the public API on any other version.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import uuid
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import collectors
from whoosh import query as wq
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.support.charset import accent_map

from . import querylang, whoosh_private
from .errors import IndexBusyError, QueryError
from .highlight import positive_terms, spans_for
from .models import Hit, Passage, Source
from .phrase import Phrase  # noqa: F401 - the phrase tests reach it here
from .stemming import stem

if TYPE_CHECKING:
    from whoosh.qparser import QueryParser

# 2: texts come from the workspace; 3: id and source_id are columns; 4: the headline
# (head), file names and outlet word runs among the source keys; 5: Cyrillic words get
# Russian stems (stemming.py)
SCHEMA_VERSION = 5
INDEX_NAME = f"passages_v{SCHEMA_VERSION}"
PROBE_SAMPLES = 256  # documents per segment whose columns probe() reads
MAX_QUERY = 2000  # characters; the CLI and the search box refuse longer ones too
WRITE_TIMEOUT = 10.0  # seconds to wait for another process's write lock
PART_TMP = ".part-"  # in the names of segment builders' temporary folders
# Postings a builder holds in memory before it sorts them to a temporary file (below
# Whoosh's default, which is per process: two workers each held more than that)
BUILDER_MB = 64
WRITER_MB = 128  # the same for the one writer of a serial ingest (Whoosh's default)

# Numbers keep their separators ("6,000" is one token), words keep inner dots ("u.s").
_TOKEN = r"\d+(?:[.,]\d+)*|\w+(?:\.?\w+)*"


class _NumberFilter(Filter):
    """Index "6,000" and "6000" as the same term."""

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            if t.text[:1].isdigit() and "," in t.text:
                t.text = t.text.replace(",", "")
            yield t


def analyzer():  # type: ignore[no-untyped-def]
    """Stemming (by alphabet), accent folding (Erdogan finds Erdoğan), English stop words."""
    return (
        RegexTokenizer(_TOKEN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | _NumberFilter()
        | StopFilter(minsize=1)
        | StemFilter(stemfn=stem)
    )


def schema() -> Schema:
    """Only what queries need. Passages (text, offsets, heading) are not stored: the
    workspace holds them, parsed and cached, and hands them to the index
    (``PassageIndex.passages``); storing them again cost ~15% of indexing time and
    made each hit unpickle its text. ``id`` and ``source_id`` are columns (sortable):
    a hit's id is read without unpickling stored fields, and the per-source counts come
    from a docnum -> source table read once per searcher."""
    return Schema(
        id=ID(unique=True, sortable=True),
        source=KEYWORD(lowercase=True, commas=True),
        source_id=ID(sortable=True),
        date=ID(),
        text=TEXT(analyzer=analyzer()),
        # the headline, on its source's first passage only: plain words find it there,
        # and ``title:`` resolves to the sources whose headline matches (querylang)
        head=TEXT(analyzer=analyzer()),
        # never written: the parser analyses ``title:`` words with it (as ``head``'s)
        title=TEXT(analyzer=analyzer()),
    )


class _Columns:
    """Per-searcher lookups: docnum -> passage id (a column reader) and docnum -> source
    (a table of small ints, read once: counting a query's matches is then a lookup per
    matching document)."""

    def __init__(self, reader) -> None:  # type: ignore[no-untyped-def]
        self.ids = reader.column_reader("id")
        names: dict[str, int] = {}
        self.codes = array(
            "I", (names.setdefault(v, len(names)) for v in reader.column_reader("source_id"))
        )
        self.names = list(names)

    def names_of(self, tally: dict[int, int]) -> dict[str, int]:
        return {self.names[code]: n for code, n in tally.items()}


class _CountingCollector(collectors.WrappingCollector):
    """Counts the matches per source (by docnum) on their way to the child."""

    def __init__(self, child: collectors.Collector, codes: array[int]) -> None:
        super().__init__(child)
        self.codes = codes
        self.tally: Counter[int] = Counter()

    def collect(self, sub_docnum: int):  # type: ignore[no-untyped-def]
        self.tally[self.codes[self.offset + sub_docnum]] += 1
        return self.child.collect(sub_docnum)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Top hits, and how many passages matched in each source (for the sources pane)."""

    query: str
    hits: tuple[Hit, ...]
    per_source: dict[str, int] = field(default_factory=dict)
    # analysed terms to highlight, for PassageIndex.spans: a ``HitTerms`` (phrases whole)
    terms: frozenset[str] = frozenset()
    # hints on the query, for under the search box and the CLI's stderr ("use OR / NOT")
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.per_source.values())


Progress = Callable[[int, int], None]


class IndexWriter:
    """One write session: documents go to Whoosh as they are added (so indexing overlaps
    with whatever produces them); ``commit`` makes them visible, ``cancel`` drops them.
    Raises ``IndexBusyError`` when another process holds the index for longer than
    ``WRITE_TIMEOUT``. Holds the index's write lock: ``SegmentBuilder``s in other
    processes write beside it, and ``commit(parts)`` adds their segments."""

    def __init__(self, index: PassageIndex) -> None:
        self._index = index
        try:
            # Non-compound segments: Whoosh reads a compound segment into memory whole
            # when a searcher opens; separate files are mapped.
            self._w = index._ix.writer(timeout=WRITE_TIMEOUT, compound=False, limitmb=WRITER_MB)
        except LockError as err:
            raise IndexBusyError(
                f"the index at {index.directory} is being written by another talks-tui; "
                "try again when it has finished"
            ) from err
        whoosh_private.use_marshal_runs(self._w, WRITER_MB)
        self._open = True

    def remove(self, source_ids: Iterable[str]) -> None:
        w = self._w
        if not w.segments:  # a new index: nothing to delete (each delete opens a searcher)
            return
        for source_id in source_ids:
            w.delete_by_term("source_id", source_id)

    def add(self, src: Source, passages: Sequence[Passage]) -> None:
        """(Re)index the passages of ``src``, replacing any it had."""
        self.remove((src.id,))
        _add_passages(self._w, src, passages)

    def commit(self, parts: Sequence[Part] = ()) -> None:
        """Make the additions, deletions and ``parts`` (segments that
        ``SegmentBuilder``s wrote, in document order) the index's new state."""
        self._open = False
        if parts:
            # merge the small old segments, then list the parts as they are (no
            # re-reading of postings); raises whoosh_private.CommitFailed when it cannot
            if not whoosh_private.available():
                self._open = True
                self.cancel()
                raise whoosh_private.CommitFailed("segments need the private write path")
            directory = self._index.directory

            def after() -> None:  # left by builders of a killed run (the lock is held)
                if directory is not None:
                    remove_part_folders(directory)

            whoosh_private.commit_segments(self._w, [p.segment for p in parts], after)
        else:
            self._w.commit()
        self._index._reopen()

    def cancel(self) -> None:
        """Drop everything, with the files of segments never committed (this writer's,
        builders'): the lock is held until they are gone."""
        if self._open:
            self._open = False

            def clean() -> None:
                # best effort: left over, they are removed at the next commit anyway
                with contextlib.suppress(Exception):
                    self._index._clean_uncommitted()

            whoosh_private.cancel(self._w, clean)


@dataclass(frozen=True, slots=True)
class Part:
    """A segment written by a ``SegmentBuilder``, for ``IndexWriter.commit``: it crosses
    the process boundary (pickled) as it is."""

    segment: object
    documents: int


class _PartStorage(FileStorage):
    """The index folder, with one private temporary folder for a builder's writer:
    Whoosh names it after the index, so the builders and the main writer would share
    it, and a writer that finishes removes it whole."""

    def __init__(self, path: str, tmp: str) -> None:
        super().__init__(path)
        self._tmp = tmp

    def temp_storage(self, name=None):  # type: ignore[no-untyped-def]
        return super().temp_storage(self._tmp)


class SegmentBuilder:
    """Writes one new segment of the on-disk index at ``directory``, in a worker
    process, without the write lock: the process that holds it (``IndexWriter``) adds
    the finished ``Part`` at its commit, as whoosh.multiproc's sub-writers do. Until
    then no reader sees it; ``cancel`` (or the main writer's) removes its files."""

    def __init__(self, directory: Path) -> None:
        self._tmp = directory / f"{INDEX_NAME}{PART_TMP}{uuid.uuid4().hex}.tmp"
        self._storage = _PartStorage(str(directory), self._tmp.name)
        ix = self._storage.open_index(INDEX_NAME)
        self._w = whoosh_private.segment_writer(ix, BUILDER_MB)
        whoosh_private.use_marshal_runs(self._w, BUILDER_MB)
        self.documents = 0

    def add(self, src: Source, passages: Sequence[Passage]) -> None:
        _add_passages(self._w, src, passages)
        self.documents += len(passages)

    def finish(self) -> Part | None:
        """The finished segment (None when nothing was added: no files are left)."""
        if not self.documents:
            self.cancel()
            return None
        segment = whoosh_private.finish_segment(self._w)
        shutil.rmtree(self._tmp, ignore_errors=True)
        return Part(segment, self.documents)

    def cancel(self) -> None:
        for name in whoosh_private.discard_segment(self._w, self._storage):
            with contextlib.suppress(OSError):
                self._storage.delete_file(name)
        shutil.rmtree(self._tmp, ignore_errors=True)


CommitFailed = whoosh_private.CommitFailed  # IndexWriter.commit(parts) could not commit


def can_write_segments() -> bool:
    """Whether worker processes can write segments for ``IndexWriter.commit(parts)``
    (Whoosh 2.7.4's private write path: see ``whoosh_private``)."""
    return whoosh_private.available()


def remove_part_folders(directory: Path) -> None:
    """Remove ``SegmentBuilder``s' temporary folders (of builders stopped midway)."""
    for tmp in directory.glob(f"{INDEX_NAME}{PART_TMP}*.tmp"):
        shutil.rmtree(tmp, ignore_errors=True)


def _add_passages(w, src: Source, passages: Sequence[Passage]) -> None:  # type: ignore[no-untyped-def]
    keys = ",".join(querylang.source_keys(src.id, src.path, src.outlet))
    date = src.date or ""
    sid = src.id
    head = src.title or ""
    for p in passages:
        w.add_document(id=p.id, source=keys, source_id=sid, date=date, text=p.text, head=head)
        head = ""


class _PrivateRamStorage(RamStorage):
    """RamStorage whose writers' temporary files are private to this index: Whoosh names
    them after the index, in the shared temp dir, so two processes collided there."""

    def temp_storage(self, name=None):  # type: ignore[no-untyped-def]
        return super().temp_storage(f"talks-tui-{os.getpid()}-{uuid.uuid4().hex}.tmp")


class PassageIndex:
    """A persistent (or in-memory) Whoosh index of passages."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        if directory is None:
            storage = _PrivateRamStorage()
        else:
            directory.mkdir(parents=True, exist_ok=True)
            storage = FileStorage(str(directory))
        self._storage = storage
        if storage.index_exists(INDEX_NAME):
            self._ix = storage.open_index(INDEX_NAME)
        else:
            self._ix = storage.create_index(schema(), indexname=INDEX_NAME)
        self._parser: QueryParser | None = None  # made on first use: not needed to read
        self._analyzer = self._ix.schema["text"].analyzer
        # Passage id -> Passage, for the hits: set by the workspace that owns the index.
        self.passages: Mapping[str, Passage] = {}
        # One searcher, kept open: opening one per query re-read the segment files
        # (a compound segment is read into memory). Whoosh searchers are not safe for
        # concurrent use, and the app may search from a worker while the main thread
        # asks for highlights, hence the lock. It sees this process's commits only,
        # like the workspace's passages.
        self._searcher: Searcher | None = None
        self._columns: _Columns | None = None
        self._searching = threading.Lock()

    @staticmethod
    def discard(directory: Path) -> None:
        """Remove every index file in ``directory`` (schema change or corruption)."""
        for entry in directory.glob("*"):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.startswith(("_passages", "passages")) or entry.suffix in (
                ".toc",
                ".seg",
            ):
                entry.unlink(missing_ok=True)

    def probe(self) -> None:
        """Read a little of every part of the index, so damage shows now, not mid-search:
        in every segment, the deleted-documents set, the columns and field lengths at
        its first and last documents and at PROBE_SAMPLES between them, and the lexicon
        and some postings of the text field. Reading every document instead took most
        of the time of opening a large corpus."""
        with self._ix.searcher() as s:
            for leaf, _offset in s.reader().leaf_readers():
                total = leaf.doc_count_all()
                if not total:
                    continue
                step = max(1, total // PROBE_SAMPLES)
                sample = sorted({0, total - 1, *range(0, total, step)})
                for docnum in sample:
                    leaf.is_deleted(docnum)
                    leaf.doc_field_length(docnum, "text")
                for field in ("id", "source_id"):
                    if leaf.has_column(field):
                        column = leaf.column_reader(field)
                        for docnum in sample:
                            column[docnum]
                for n, term in enumerate(leaf.lexicon("text")):
                    if n % 50 == 0:
                        list(leaf.postings("text", term).all_ids())

    def doc_count(self) -> int:
        return self._ix.doc_count()

    def doc_frequencies(self, words: Iterable[str]) -> dict[str, int]:
        """How many passages hold each index term (from the lexicon: no re-reading)."""
        with self._searching:
            reader = self._current_searcher().reader()
            return {w: reader.doc_frequency("text", w) for w in words}

    # --- writing ---------------------------------------------------------------------

    def writer(self) -> IndexWriter:
        """A writer session (one at a time, across processes).

        For a full ingest the workspace's worker processes write segments of their own
        (``SegmentBuilder``) and this writer commits them; for small changes and
        in-memory indexes it is fed documents here. Whoosh's ``procs=2`` writer gained
        nothing (BENCHMARKS.md): its sub-processes only index, while
        parsing and facts kept the cores busy, and they are forked, which is unsafe from
        the app's loader thread."""
        return IndexWriter(self)

    def _clean_uncommitted(self) -> None:
        """Remove the files of segments the index does not list (a cancelled writer's,
        builders' of a failed run) and builders' temporary folders. Call with the write
        lock held: then no other writer has files in flight."""
        if self.directory is None:
            return
        whoosh_private.clean_unlisted(self._storage, INDEX_NAME)
        remove_part_folders(self.directory)

    def _reopen(self) -> None:
        with self._searching:
            self._ix = self._storage.open_index(INDEX_NAME)
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
                self._columns = None

    def _current_searcher(self) -> Searcher:
        """The kept searcher (call with ``_searching`` held)."""
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        return self._searcher

    # --- reading ---------------------------------------------------------------------

    def _query_parser(self) -> QueryParser:
        if self._parser is None:
            from whoosh.qparser import FuzzyTermPlugin, QueryParser

            parser = QueryParser("text", self._ix.schema)
            parser.add_plugin(FuzzyTermPlugin())
            parser.add_plugin(querylang.plus_minus_plugin())
            self._parser = parser
        return self._parser

    def parse(self, text: str) -> wq.Query:
        """Parse the query language; raise ``QueryError`` with a clear reason."""
        if len(text) > MAX_QUERY:
            # analysing one huge word takes time quadratic in its length
            raise QueryError(
                f"the query is too long ({len(text):,} characters; at most {MAX_QUERY:,})"
            )
        querylang.check_syntax(text)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as err:  # lone surrogates: Whoosh terms are UTF-8
            raise QueryError("the query holds characters that are not text") from err
        try:
            q = self._query_parser().parse(text)
        except (IndexError, ValueError, TypeError, AttributeError, KeyError) as err:
            # the Whoosh parser has corners that crash ("NOT AND 0": IndexError)
            raise QueryError(
                "the query cannot be read: check its AND/OR/NOT, quotes and brackets"
            ) from err
        return q.accept(querylang.fixer(self._analyzer, self))

    # --- querylang.Lookup: what filters ask while a query is resolved ---

    def known(self, field: str, term: str) -> bool:
        """Does some passage hold ``term`` in ``field``?"""
        with self._searching:
            reader = self._current_searcher().reader()
            try:
                return (field, self._ix.schema[field].to_bytes(term)) in reader
            except ValueError:
                return False

    def sources(self, q: wq.Query) -> list[str]:
        """The ids of the sources of the passages ``q`` matches."""
        with self._searching:
            s = self._current_searcher()
            cols = self._columns or _Columns(s.reader())
            self._columns = cols
            return sorted({cols.names[cols.codes[d]] for d in q.docs(s)})

    def search(
        self,
        text: str,
        *,
        limit: int | None = 50,
        source: str | None = None,
        only: frozenset[str] | None = None,
    ) -> SearchResult:
        """``only``: passage ids the hits are restricted to (a tag's passages)."""
        q = self.parse(text)
        flt = wq.Term("source_id", source) if source else None
        if only is not None:  # an empty set matches nothing
            ids = wq.Or([wq.Term("id", pid) for pid in sorted(only)]) if only else wq.NullQuery
            flt = ids if flt is None else wq.And([flt, ids])
        with self._searching:
            s = self._current_searcher()
            cols = self._columns or _Columns(s.reader())
            self._columns = cols
            # One pass that sees every match: the per-source counts need them all, so
            # the top-N collector must not skip blocks or swap in a narrower matcher
            # (as it does by default: the facet collector used before undercounted).
            top_n = (
                collectors.UnlimitedCollector()  # minscore stays 0: nothing is skipped
                if limit is None
                else collectors.TopCollector(limit=limit, usequality=False, replace=0)
            )
            counter = _CountingCollector(top_n, cols.codes)
            collector: collectors.Collector = counter
            if flt is not None:  # outermost: only the source's matches are counted
                collector = collectors.FilterCollector(counter, allow=flt)
            s.search_with_collector(q, collector)
            top = [
                (cols.ids[docnum], float(score or 0.0))
                for score, docnum in collector.results().top_n
            ]
            per_source = cols.names_of(counter.tally)
            terms = positive_terms(q, s.reader())
        ana = self._analyzer
        hits = tuple(
            Hit(passage=p, score=score, highlights=tuple(spans_for(p.text, terms, ana)))
            for pid, score in top
            if (p := self.passages.get(pid)) is not None
        )
        return SearchResult(text, hits, per_source, terms, querylang.hints(text, q))

    def spans(self, text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
        """Spans of ``text`` that a result's ``terms`` mark (cheap: no searcher): its
        words, and its phrases only where they stand whole."""
        return spans_for(text, terms, self._analyzer)

    def highlights(self, text: str, query: str) -> list[tuple[int, int]]:
        """Spans of ``text`` that ``query`` matches (for a passage shown outside results)."""
        q = self.parse(query)
        with self._searching:
            terms = positive_terms(q, self._current_searcher().reader())
        return spans_for(text, terms, self._analyzer)

    def close(self) -> None:
        with self._searching:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._ix.close()


_TERM_ANALYZER = None


def terms(text: str) -> list[tuple[str, str, int, int]]:
    """Index terms of ``text`` as (term, surface word, start, end): what the index sees,
    for code that compares passages without a searcher (related passages, facts)."""
    global _TERM_ANALYZER
    if _TERM_ANALYZER is None:
        _TERM_ANALYZER = analyzer()
    return [
        (t.text, text[t.startchar : t.endchar], t.startchar, t.endchar)
        for t in _TERM_ANALYZER(text, chars=True, mode="index")
    ]


def open_or_rebuild(directory: Path | None) -> tuple[PassageIndex, bool]:
    """Open the index, discarding it when it is unreadable (it is only a cache).

    Returns the index and whether it was (re)created empty."""
    if directory is None:
        return PassageIndex(None), True
    fresh = not (directory / f"_{INDEX_NAME}_0.toc").exists() and not any(
        directory.glob(f"_{INDEX_NAME}_*.toc")
    )
    try:
        index = PassageIndex(directory)
        index.probe()
        return index, fresh
    except Exception:  # noqa: BLE001 - any damage: the index is only a cache, rebuild it
        PassageIndex.discard(directory)
        return PassageIndex(directory), True

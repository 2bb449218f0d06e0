"""Open a corpus: read what changed, keep the index and the parsed cache in step.

This is the one entry point the CLI and the app use. The corpus folder is never written:
the index, a manifest (size, mtime, content hash per file) and the parsed passages live in
the user cache dir, keyed by the corpus path. A second run re-reads nothing that did not
change; a changed file is re-parsed and re-indexed alone.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import marshal
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

try:
    import fcntl
except ImportError:  # not on Windows: opens there are not serialised
    fcntl = None  # type: ignore[assignment]

from . import engine, parallel
from .corpus import (
    METADATA_FILE,
    FileEntry,
    SkipFile,
    Skipped,
    check_folder,
    content_hash,
    decode,
    load_metadata,
    read_bytes,
    scan,
    source_ids,
)
from .errors import CorpusError, IndexBusyError, IndexWriteError
from .factstore import FactStore
from .models import (
    Claim,
    ClaimCell,
    Comparison,
    Disagreement,
    Fact,
    FactComparison,
    Link,
    Passage,
    Source,
    Stated,
    Statement,
    WhereElse,
)
from .notebook import NotebookMixin
from .textsafe import one_line

# What the UI takes from the engine, through this facade.
SearchResult = engine.SearchResult
__all__ = ["SearchResult", "Skipped", "Workspace", "check_folder"]

if TYPE_CHECKING:
    from .agreement import Agreement
    from .claims import ClaimSet
    from .export import ExportItem
    from .related import RelatedIndex

# Parsing, facts and the analysis modules are imported where they are first used: a
# warm start reads the cache and shows the first article before it needs any of them.
DATA = Path(__file__).with_name("data")

PIPELINE_VERSION = 2  # bump when parsing or extraction changes the cached output
Progress = Callable[[str, int, int], None]
# Parse + extract facts in worker processes when at least this many files must be read
# (a worker costs ~0.3 s to start: an interpreter and our imports).
PARALLEL_MIN_FILES = 64
PARALLEL_WINDOW = 8  # files in flight per worker (bounds memory on huge corpora)
# The parsed cache: one SQLite file, one row per source (marshal'ed tuples of the model
# fields, in field order). The field names are part of the pipeline version.
CACHE_FILE = "parsed.sqlite"
_CACHE_FORMAT = "3:" + ",".join(f.name for model in (Source, Passage, Fact) for f in fields(model))


PREPARE_APART_MIN = 5000  # passages from which prepare() builds in another process
SAME_SOURCES = 100  # sources listed as stating the same name, place, date or quote
_PIPELINE_CODE = ("ingest.py", "facts.py", "names.py", "corpus.py", "textsafe.py")
_PIPELINE_CODE += (  # saved web pages, PDFs, Word files; the language of each source
    "language.py",
    "stemming.py",
    "data/formats.yaml",
    *sorted(f"formats/{f.name}" for f in Path(__file__).with_name("formats").glob("*.py")),
)


def _pipeline_version() -> str:
    """Changes whenever parsing rules, gazetteers or the parsing code change, so a cached
    parse is never stale."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    data = [DATA / "ingest.yaml", *sorted(DATA.glob("facts_*.yaml"))]
    for f in [*data, *(here / name for name in _PIPELINE_CODE)]:
        digest.update(f.read_bytes())
    digest.update(_CACHE_FORMAT.encode())
    return f"{engine.SCHEMA_VERSION}.{PIPELINE_VERSION}.{digest.hexdigest()[:12]}"


def default_index_dir(corpus: Path) -> Path:
    key = hashlib.sha256(str(corpus).encode()).hexdigest()[:12]
    name = "".join(c if c.isalnum() else "-" for c in corpus.name)[:40] or "corpus"
    return platformdirs.user_cache_path("talks-tui") / "indexes" / f"{name}-{key}"


@dataclass(slots=True)
class OpenStats:
    """What opening the corpus did, for the user and for tests."""

    files: int = 0
    parsed: list[str] = field(default_factory=list)  # source ids re-read this run
    removed: list[str] = field(default_factory=list)
    indexed_passages: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
    index_dir: Path | None = None


@dataclass(slots=True)
class _Loaded:
    source: Source
    passages: list[Passage]
    fact_rows: list[tuple[Any, ...]] | bytes  # Fact fields in order, or marshal'ed:
    # Facts are built on first use
    sha: str
    entry: FileEntry
    meta: dict[str, Any]
    blob: tuple[bytes, bytes] | None = None  # the cache row, when it must be (re)written


class Workspace(NotebookMixin):
    """A corpus opened for reading: sources, passages, and a search index over them."""

    def __init__(
        self,
        corpus: Path,
        sources: list[Source],
        passages: dict[str, list[Passage]],
        fact_rows: Mapping[str, bytes | Sequence[tuple]],
        index: engine.PassageIndex,
        skipped: list[Skipped],
        warnings: list[str],
        stats: OpenStats,
    ) -> None:
        """``fact_rows``: each source's facts as stored rows (see ``FactStore``)."""
        self.corpus = corpus
        self.sources = {s.id: s for s in sources}
        self.by_source = passages
        self.passages = {p.id: p for ps in passages.values() for p in ps}
        self.facts = FactStore(fact_rows, self.passages)
        """Passage id -> its facts (canonical names), made into objects when asked for."""
        self._related: RelatedIndex | None = None
        self._agreement: Agreement | None = None
        self._claims: ClaimSet | None = None
        self._stamp: str | None = None
        self._title_facts: dict[str, list[Fact]] = {}  # source id -> its headline's facts
        self._lock = threading.Lock()
        self.index = index
        index.passages = self.passages  # hits are passages of this workspace
        self.skipped = skipped
        self.warnings = warnings
        self.stats = stats

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        corpus: Path | str,
        index_dir: Path | str | None = None,
        *,
        progress: Progress | None = None,
        in_memory: bool = False,
        workers: int | None = None,
    ) -> Workspace:
        """Open (and index what changed in) ``corpus``. ``workers``: processes that parse
        and extract facts (default: one per CPU, up to 2, when there are at least
        ``PARALLEL_MIN_FILES`` files to read; 1 = in this process).

        The index is a cache: when it cannot be written (disk full, read-only), this
        run uses an in-memory index and says so in ``warnings``."""
        try:
            return cls._open(corpus, index_dir, progress, in_memory, workers)
        except OSError as err:
            if in_memory or err.errno not in _CANNOT_WRITE:
                raise
            directory = Path(index_dir).expanduser() if index_dir else None
            if directory is not None:
                with contextlib.suppress(OSError):
                    (directory / "manifest.json").unlink()  # rebuild it next time
            where = one_line(str(directory)) if directory else "the user cache directory"
            try:
                ws = cls._open(corpus, None, progress, True, workers)
            except OSError as again:
                if again.errno not in _CANNOT_WRITE:
                    raise
                raise IndexWriteError(
                    f"cannot write the index at {where} or in the temporary folder "
                    f"({again.strerror or again}): free some space and run again"
                ) from again
            ws.warnings.insert(
                0,
                f"cannot write the index at {where} ({err.strerror or err}); "
                "using an in-memory index for this run: free some space to keep it",
            )
            return ws

    @classmethod
    def _open(
        cls,
        corpus: Path | str,
        index_dir: Path | str | None,
        progress: Progress | None,
        in_memory: bool,
        workers: int | None,
    ) -> Workspace:
        started = time.perf_counter()
        folder = check_folder(Path(corpus))
        entries, skipped = scan(folder)
        if not entries:
            raise CorpusError(
                f"no .txt or .md articles in {one_line(str(folder))}"
                + (f" ({len(skipped)} unreadable)" if skipped else "")
            )
        ids = source_ids([e.path for e in entries])
        meta, warnings = load_metadata(folder, {e.path for e in entries})

        directory, warning = _usable_dir(folder, index_dir, in_memory)
        if warning:
            warnings.append(warning)
        stats = OpenStats(files=len(entries), index_dir=directory)
        with _open_lock(directory):
            return cls._open_locked(
                folder,
                entries,
                skipped,
                ids,
                meta,
                warnings,
                directory,
                stats,
                started,
                progress,
                workers,
            )

    @classmethod
    def _open_locked(
        cls,
        folder: Path,
        entries: list[FileEntry],
        skipped: list[Skipped],
        ids: dict[str, str],
        meta: dict[str, dict[str, Any]],
        warnings: list[str],
        directory: Path | None,
        stats: OpenStats,
        started: float,
        progress: Progress | None,
        workers: int | None,
    ) -> Workspace:
        """Everything from reading the manifest to writing it, one process at a time."""
        version = _pipeline_version()
        manifest = _read_manifest(directory, version)
        if directory is not None and manifest is None:
            engine.PassageIndex.discard(directory)
        index, fresh = engine.open_or_rebuild(directory)
        stats.rebuilt = fresh
        if fresh:
            manifest = None
        old_files: dict[str, Any] = (manifest or {}).get("files", {})
        cache = _Cache(directory)
        try:
            rows = cache.load() if manifest is not None else {}
            loaded, changed, removed, total = cls._read_all(
                folder, entries, ids, meta, old_files, rows, skipped, index, progress, workers
            )
            del rows
            stats.parsed = [item.source.id for item in changed]
            stats.removed = removed
            stats.indexed_passages = total
            cache.save(
                [i for i in loaded if i.blob is not None], keep={i.source.id for i in loaded}
            )
        finally:
            cache.close()
        _write_manifest(directory, version, folder, loaded, manifest)
        if not loaded:
            raise CorpusError(
                f"no readable articles in {one_line(str(folder))}: "
                + "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])
            )
        stats.seconds = time.perf_counter() - started
        rows_of = {i.source.id: i.fact_rows for i in loaded}
        for item in loaded:  # the rows live on in the fact store only
            item.fact_rows = []
            item.blob = None
        return cls(
            folder,
            [i.source for i in loaded],
            {i.source.id: i.passages for i in loaded},
            rows_of,
            index,
            skipped,
            warnings,
            stats,
        )

    @staticmethod
    def _read_all(
        folder: Path,
        entries: list[FileEntry],
        ids: dict[str, str],
        meta: dict[str, dict[str, Any]],
        old_files: dict[str, Any],
        rows: dict[str, tuple[bytes, bytes]],
        skipped: list[Skipped],
        index: engine.PassageIndex,
        progress: Progress | None,
        workers: int | None,
    ) -> tuple[list[_Loaded], list[_Loaded], list[str], int]:
        """Reuse the cached parse of unchanged files, parse the others (in worker
        processes for many files) and index the changed ones as they arrive, in one
        writer. Returns (loaded, changed, removed source ids, passages indexed)."""
        slots: list[_Loaded | None] = [None] * len(entries)
        jobs: list[tuple[int, _Job]] = []
        for n, entry in enumerate(entries):
            sid, overrides = ids[entry.path], meta.get(entry.path, {})
            item = _reuse(rows, entry, sid, overrides, old_files.get(entry.path), folder)
            if item is None:
                jobs.append((n, (str(folder), entry, sid, overrides)))
            else:
                slots[n] = item
        done = len(entries) - len(jobs)
        if progress:
            progress("reading", done, len(entries))

        changed: list[tuple[int, _Loaded]] = []
        late_skips: list[tuple[int, Skipped]] = []  # in job order at the end
        writer: engine.IndexWriter | None = None
        total = 0

        def accept(n: int, job: _Job, item: _Loaded | str, warn: str | None, part: bool) -> None:
            """One file read (by a worker whose segment holds its passages: ``part``)."""
            nonlocal done, total, writer
            entry, sid, overrides = job[1], job[2], job[3]
            done += 1
            if progress:
                progress("reading", done, len(entries))
            if isinstance(item, str):  # SkipFile
                late_skips.append((n, Skipped(entry.path, item)))
            else:
                if warn:
                    late_skips.append((n, Skipped(entry.path, warn, skipped=False)))
                slots[n] = item
                if parallel.changed(old_files.get(entry.path), item.sha, sid, overrides):
                    changed.append((n, item))
                    if writer is None:
                        writer = index.writer()
                    if part:
                        writer.remove([sid])  # its old passages; the new ones are in a part
                    else:
                        writer.add(item.source, item.passages)
                    total += len(item.passages)
            if part and done == len(entries) and progress:
                progress("indexing", 0, total)  # the workers now finish their segments

        try:
            if workers is None:
                workers = min(2, os.cpu_count() or 1) if len(jobs) >= PARALLEL_MIN_FILES else 1
            parts: list[engine.Part] | None = None
            pending = jobs
            if workers > 1 and len(jobs) > 1 and index.directory is not None:
                writer = index.writer()  # the lock, before workers write beside the index
                parts, pending = _read_parallel(jobs, old_files, index.directory, workers, accept)
                if pending:
                    workers = 1  # they failed: the rest is read here
            # workers that failed: what they read is indexed here, all in file order
            redo = dict(changed) if parts is None else {}
            todo = {n for n, _ in pending}
            results = _parse_all(pending, workers)
            for n, job in jobs:
                if n in redo:
                    assert writer is not None
                    writer.add(redo[n].source, redo[n].passages)
                if n not in todo:
                    continue
                result = next(results)
                if isinstance(result, str):
                    accept(n, job, result, None, False)
                else:
                    item, warn = _loaded(result, job[1], job[3])
                    accept(n, job, item, warn, False)
            skipped.extend(s for _, s in sorted(late_skips, key=lambda x: x[0]))
            changed.sort(key=lambda x: x[0])
            loaded = [item for item in slots if item is not None]
            current = {item.source.id for item in loaded}
            removed = sorted({f.get("id") for f in old_files.values()} - current - {None})
            if (removed or parts) and writer is None:
                writer = index.writer()
            if writer is not None:
                writer.remove(removed)
                if progress:
                    progress("indexing", 0, total)
                writer.commit(parts or ())
                writer = None
                if progress:
                    progress("indexing", total, total)
        finally:
            if writer is not None:
                writer.cancel()
        return loaded, [item for _, item in changed], removed, total

    # --- reading ---------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int | None = 50, source: str | None = None
    ) -> engine.SearchResult:
        if source is not None:
            self.require_source(source)
        if "tag:" in query.lower():  # tags live in the notebook, not in the index
            return self.search_tagged(query, limit=limit, source=source)
        return self.index.search(query, limit=limit, source=source)

    def require_source(self, source_id: str) -> Source:
        try:
            return self.sources[source_id]
        except KeyError:
            raise CorpusError(
                f"no source with id {one_line(source_id)!r} (see: talks-tui sources)"
            ) from None

    def require_passage(self, passage_id: str) -> Passage:
        try:
            return self.passages[passage_id]
        except KeyError:
            raise CorpusError(
                f"no passage with id {one_line(passage_id)!r} (see: talks-tui passages)"
            ) from None

    # --- analysis --------------------------------------------------------------------

    @property
    def related_index(self) -> RelatedIndex:
        with self._lock:
            if self._related is None:
                from .related import RelatedIndex

                passages = list(self.passages.values())
                kept = self._analysis_dir("related")
                if kept is not None:
                    self._related = RelatedIndex.load(kept, self._analysis_stamp(), passages)
                if self._related is None:
                    dates = {sid: src.date for sid, src in self.sources.items()}
                    self._related = RelatedIndex(passages, self.facts, dates)
                    if kept is not None:
                        with contextlib.suppress(OSError):  # only a cache
                            self._related.save(kept, self._analysis_stamp())
            return self._related

    def _save_related(self) -> None:
        """Build the related index straight into its folder beside the index, unless it
        is kept there already, without keeping it (the builder process: see
        ``RelatedIndex.build_and_save``)."""
        from .related import RelatedIndex

        kept = self._analysis_dir("related")
        if kept is None:
            raise ValueError("no index folder to save the related index in")
        passages = list(self.passages.values())
        if RelatedIndex.load(kept, self._analysis_stamp(), passages) is None:
            dates = {sid: src.date for sid, src in self.sources.items()}
            RelatedIndex.build_and_save(kept, self._analysis_stamp(), passages, self.facts, dates)

    @property
    def agreement(self) -> Agreement:
        with self._lock:
            if self._agreement is None:
                from .agreement import Agreement

                kept = self._analysis_dir("agreement.marshal")
                stamp = self._analysis_stamp() if kept is not None else ""
                if kept is not None:
                    with contextlib.suppress(Exception):  # damaged or old: build it again
                        kept_stamp, blob = marshal.loads(kept.read_bytes())
                        if kept_stamp == stamp:
                            self._agreement = Agreement.loads(blob, self._number_at)
                if self._agreement is None:
                    numbers = (f for f in self.facts.every() if f.kind == "number")
                    self._agreement = Agreement(
                        numbers, self.passages, self.index.doc_frequencies, self._number_at
                    )
                    if kept is not None:
                        with contextlib.suppress(OSError):  # only a cache
                            _atomic_write(kept, marshal.dumps((stamp, self._agreement.dumps())))
            return self._agreement

    def _number_at(self, passage_id: str, start: int, end: int) -> Fact | None:
        """The number fact stated at ``start:end`` of a passage (the agreement groups
        keep places, not facts)."""
        for fact in self.facts.get(passage_id, ()):
            if fact.start == start and fact.end == end and fact.kind == "number":
                return fact
        return None

    def prepare_facts(self) -> None:
        """Make the corpus-wide canonical-name table now (the app does this before the
        first screen, off the event loop: at 100k passages building it takes seconds),
        from the copy kept beside the index when the passages have not changed."""
        kept = self._analysis_dir("names.marshal")
        if kept is None:
            self.facts.name_table()
            return
        stamp = self._analysis_stamp()
        with contextlib.suppress(Exception):  # damaged or old: build it again
            kept_stamp, rows = marshal.loads(kept.read_bytes())
            if kept_stamp == stamp:
                self.facts.use_name_table({(k, v): c for k, v, c in rows})
                return
        rows = [(k, v, c) for (k, v), c in self.facts.name_table().items()]
        with contextlib.suppress(OSError):  # only a cache
            _atomic_write(kept, marshal.dumps((stamp, rows)))

    def _analysis_dir(self, name: str) -> Path | None:
        """Where the analysis structures are kept between runs (with the index)."""
        directory = self.index.directory
        return None if directory is None else directory / "analysis" / name

    def _analysis_stamp(self) -> str:
        """Changes whenever anything the analysis is built from changes: the passages,
        their sources' dates, the fact pipeline and the analysis code and data."""
        if self._stamp is None:
            digest = hashlib.sha256(_pipeline_version().encode())
            here = Path(__file__).parent
            for name in ("related.py", "agreement.py", "factstore.py"):
                digest.update((here / name).read_bytes())
            for path in [here / "text.py", *sorted((here / "claims").glob("*.py"))]:
                digest.update(path.read_bytes())
            for path in sorted(DATA.glob("*.yaml")):
                digest.update(path.read_bytes())
            for p in self.passages.values():
                date = self.sources[p.source].date or ""
                digest.update(f"\0{p.id}\0{date}\0".encode())
                digest.update(p.text.encode("utf-8", "surrogatepass"))
            self._stamp = digest.hexdigest()
        return self._stamp

    def prepare(self) -> None:
        """Build the analysis structures now (the app does this off the event loop).

        A large corpus with an index folder has them built and saved by another
        process, and this one maps what it saved: the build's memory is given back
        when that process ends, and it does not hold this process's GIL for seconds
        (the app's screen stays responsive). If that fails, they are built here."""
        if (
            len(self.passages) >= PREPARE_APART_MIN
            and self.index.directory is not None
            and (self._related is None or self._agreement is None or self._claims is None)
            and not self._analysis_kept()
        ):
            with contextlib.suppress(Exception):  # build here instead
                _run_apart(str(self.corpus), str(self.index.directory))
        _ = self.related_index, self.agreement, self.claim_set
        self.facts.index_values()  # which sources state each fact's value (facts pane)

    def _analysis_kept(self) -> bool:
        """Whether both analysis structures are kept, up to date, beside the index."""
        related, agreement = self._analysis_dir("related"), self._analysis_dir("agreement.marshal")
        if related is None or agreement is None:
            return False
        stamp = self._analysis_stamp()
        try:
            meta = json.loads((related / "meta.json").read_text(encoding="utf-8"))
            with agreement.open("rb") as fh:
                kept_stamp, _blob = marshal.load(fh)
        except Exception:  # noqa: BLE001 - missing or damaged: not kept
            return False
        return meta.get("stamp") == stamp and kept_stamp == stamp and self._claims_kept(stamp)

    def all_facts(self, kind: str | None = None, source: str | None = None) -> list[Fact]:
        if source is not None:
            self.require_source(source)
        if source is not None:
            facts = (f for fs in self.facts.of_source(source).values() for f in fs)
        else:
            facts = self.facts.every()
        heads = self.title_facts(source)
        return [f for f in (*heads, *facts) if kind is None or f.kind == kind]

    def title_facts(self, source: str | None = None) -> list[Fact]:
        """Facts stated in the headlines (of ``source``, else of every source): see
        ``titlefacts``. Not in ``self.facts``: their offsets index the title."""
        from .titlefacts import title_facts

        ids = [source] if source is not None else list(self.sources)
        out: list[Fact] = []
        for sid in ids:
            if sid not in self._title_facts:
                first = self.by_source.get(sid) or [None]
                self._title_facts[sid] = title_facts(self.sources[sid], first[0])
            out += self._title_facts[sid]
        return out

    def related(self, passage_id: str, limit: int | None = 10) -> list[Link]:
        self.require_passage(passage_id)
        return self.related_index.related(passage_id, limit)

    def related_by_source(self, passage_id: str) -> list[Link]:
        """The best related passage of each other source that reports the same claim."""
        self.require_passage(passage_id)
        return self.related_index.best_per_source(passage_id)

    def disagreements(self) -> list[Disagreement]:
        """The claims whose sources give different values (see ``claims``)."""
        return self.claim_set.disagreements()

    def compare_fact(
        self, fact: Fact, sources: int | None = SAME_SOURCES
    ) -> tuple[list[Fact], list[Fact]]:
        """Other sources' facts stating the same value, and those stating another.

        Numbers compare within their group of same-subject counts; names, places, dates
        and quotes are "the same" wherever another source states the same value (in
        the first ``sources`` such sources: a place named in thousands of articles)."""
        if fact.kind == "number":
            return self.agreement.compare(fact)
        stating = sorted(self.facts.sources_stating(fact.kind, fact.value) - {fact.source})
        same = [
            f
            for source in stating[:sources]
            for fs in self.facts.of_source(source).values()
            for f in fs
            if f.kind == fact.kind and f.value == fact.value
        ]
        return same, []

    def shared_spans(self, a: str, b: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Spans of the specific words and numbers two passages share, in each of them."""
        pa, pb = self.require_passage(a), self.require_passage(b)
        from .related import stopwords, synonyms

        stop, same = stopwords(), synonyms()

        def words(text: str) -> dict[str, list[tuple[int, int]]]:
            out: dict[str, list[tuple[int, int]]] = {}
            for term, _surface, start, end in engine.terms(text):
                if term not in stop and len(term) > 1:
                    out.setdefault(same.get(term, term), []).append((start, end))
            return out

        wa, wb = words(pa.text), words(pb.text)
        shared = wa.keys() & wb.keys()
        return (
            sorted(s for t in shared for s in wa[t]),
            sorted(s for t in shared for s in wb[t]),
        )

    # --- answers for the UI (values it renders; see search/comparison.py) -------------

    def compare(self, fact: Fact) -> WhereElse:
        """Where else ``fact`` is stated: same value, conflicting, compatible."""
        from .comparison import compare_fact

        return compare_fact(self, fact)

    @staticmethod
    def value_label(fact: Fact) -> str:
        """A fact's value as people say it ("over 500"); other facts as written."""
        from .comparison import value_label

        return value_label(fact) if fact.kind == "number" else fact.text

    def where_stated(self, fact: Fact) -> list[Stated]:
        from .comparison import where_stated

        return where_stated(self, fact)

    def compare_passage(self, passage_id: str, limit: int = 12) -> Comparison:
        from .comparison import compare_passage

        return compare_passage(self, passage_id, limit)

    def highlights(
        self, passages: Iterable[Passage], result: engine.SearchResult | None
    ) -> dict[str, list[tuple[int, int]]]:
        """The hits of ``result`` in each of ``passages`` that has any."""
        if result is None or not result.terms:
            return {}
        spans = {}
        for p in passages:
            found = self.index.spans(p.text, result.terms)
            if found:
                spans[p.id] = found
        return spans

    def export_selection(
        self, passage_ids: Iterable[str], result: engine.SearchResult | None = None
    ) -> list[ExportItem]:
        """The passages as a note holds them: hits of ``result`` marked, with their facts,
        notes and tags."""
        from .models import Hit

        ids = [pid for pid in passage_ids if pid in self.passages]
        found = self.highlights((self.passages[pid] for pid in ids), result)
        return self.export_items(
            [Hit(self.passages[pid], 0.0, tuple(found.get(pid, ()))) for pid in ids]
        )

    # --- claims (search/claims) ----------------------------------------------------

    @property
    def claim_set(self) -> ClaimSet:
        """Every claim of the corpus, built on first use and kept beside the index."""
        with self._lock:
            if self._claims is None:
                from .claims import ClaimSet

                kept = self._analysis_dir("claims.marshal")
                stamp = self._analysis_stamp() if kept is not None else ""
                if kept is not None:
                    with contextlib.suppress(Exception):  # damaged or old: build it again
                        kept_stamp, blob = marshal.loads(kept.read_bytes())
                        if kept_stamp == stamp:
                            self._claims = ClaimSet.loads(blob, self.passages)
                if self._claims is None:
                    self._claims = ClaimSet.build_streamed(self.passages, self._stated())
                    if kept is not None:
                        with contextlib.suppress(OSError):  # only a cache
                            _atomic_write(kept, marshal.dumps((stamp, self._claims.dumps())))
            return self._claims

    def _stated(self) -> Iterator[tuple[Passage, list[Fact]]]:
        """Each passage with its facts, source by source (not all facts at once)."""
        for source, passages in self.by_source.items():
            facts = self.facts.of_source(source)
            for p in passages:
                yield p, facts.get(p.id, [])

    def _claims_kept(self, stamp: str) -> bool:
        kept = self._analysis_dir("claims.marshal")
        try:
            with kept.open("rb") as fh:  # type: ignore[union-attr]
                kept_stamp, _blob = marshal.load(fh)
        except Exception:  # noqa: BLE001 - missing or damaged: not kept
            return False
        return kept_stamp == stamp

    def claims(
        self, conflicts: bool = False, min_sources: int = 1, source: str | None = None
    ) -> list[Claim]:
        """Claims, those reported by the most sources first; ``conflicts``: only those
        whose values cannot all be true; ``source``: only those that source states."""
        if source is not None:
            self.require_source(source)
        return self.claim_set.select(conflicts, min_sources, source)

    def claims_of_passage(self, passage_id: str) -> list[Claim]:
        self.require_passage(passage_id)
        return self.claim_set.of_passage(passage_id)

    def claim_of(self, passage_id: str, start: int, end: int | None = None) -> Claim | None:
        """The claim stated at ``start:end`` of a passage (a value there, else its
        sentence)."""
        self.require_passage(passage_id)
        return self.claim_set.at(passage_id, start, end)

    def claim_jump(
        self, passage_id: str, start: int, end: int | None = None, step: int = 1
    ) -> Statement | None:
        """Where the next (``step`` -1: previous) source states the claim at
        ``start:end``: the ``]`` / ``[`` keys."""
        self.require_passage(passage_id)
        return self.claim_set.jump(passage_id, start, end, step)

    def compare_claims(self, fact: Fact) -> FactComparison:
        """Other sources' statements of the claim a fact states: the same value, one
        that cannot also be true, one worded otherwise that can."""
        return self.claim_set.compare(fact)

    def claim_cells(self, claim: Claim) -> dict[str, ClaimCell]:
        """The claim map's cells of a claim: each reporting source's value and mark."""
        from .claims.cells import claim_cells

        return claim_cells(claim)

    def claim_marks(self, claim: Claim) -> tuple[str, ...]:
        """Each statement's mark against the claim's most-reported value (the map's rows)."""
        from .claims.cells import statement_marks

        return statement_marks(claim)

    def claim_stops(self, claim: Claim, passage_id: str) -> list[Statement]:
        """Where ``]`` goes from ``passage_id`` through ``claim``: each other source's
        first statement of it, in the order ``claim_jump`` steps."""
        from .claims.walk import stops

        return stops(claim, passage_id)

    def claim_table(self, passage_ids: Iterable[str]) -> str:
        """The claim map of these passages' claims as a Markdown section (the export)."""
        from .claimtable import claim_table, claims_of

        ids = [pid for pid in passage_ids if pid in self.passages]
        return claim_table(claims_of(ids, self.claim_set.of_passage), self.sources)

    def close(self) -> None:
        self.close_notebook()
        self.index.close()


# --- helpers ---------------------------------------------------------------------------


_CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
LOCK_TIMEOUT = 120.0  # seconds to wait for another talks-tui opening the same corpus


@contextlib.contextmanager
def _open_lock(directory: Path | None) -> Iterator[None]:
    """Serialise opens of one index across processes: two writers of a fresh index
    collided in Whoosh's temporary files. The second waits, then reuses the index."""
    if directory is None or fcntl is None:
        yield
        return
    with open(directory / "open.lock", "a+b") as handle:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexBusyError(
                        f"another talks-tui has been indexing {one_line(str(directory))} "
                        f"for over {LOCK_TIMEOUT:.0f} s; try again when it has finished"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _usable_dir(
    folder: Path, index_dir: Path | str | None, in_memory: bool
) -> tuple[Path | None, str | None]:
    if in_memory:
        return None, None
    directory = Path(index_dir).expanduser() if index_dir else default_index_dir(folder)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        return None, (
            f"cannot write the index at {one_line(str(directory))} ({err.strerror or err}); "
            "using an in-memory index for this run"
        )
    return directory, None


_Job = tuple[str, FileEntry, str, dict[str, Any]]  # folder, entry, source id, overrides
# what a worker sends back: (source row, passage rows, fact rows, sha256, warning), or
# the reason a file was skipped
_Parsed = tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]], str, str | None]


def _parse_job(job: _Job) -> _Parsed | str:
    """Read, parse and extract the facts of one file (in a worker process, or not).
    Plain tuples: they cross the process boundary and go in the cache as they are."""
    folder, entry, sid, overrides = job
    if entry.path.lower().endswith(DOCUMENT_SUFFIXES):
        from .formats.job import parse_document

        return parse_document(job)
    try:
        data = read_bytes(Path(folder), entry)
        text, warning = decode(data)
        if not text.strip():
            raise SkipFile("empty file")
        from .ingest import is_markdown, parse_article

        art = parse_article(text, markdown=is_markdown(entry.path))
        if not art.passages:
            raise SkipFile("no paragraphs of text")
    except SkipFile as err:
        return str(err)
    passages = [
        Passage(f"{sid}:{n}", sid, n, t, start, end, heading)
        for n, (t, start, end, heading) in enumerate(art.passages, 1)
    ]
    values: dict[str, Any] = {
        "title": art.title or Path(entry.path).stem,
        "date": art.date,
        "outlet": art.outlet,
        "url": art.url,
        "language": None,
    }
    if "language" not in overrides:
        from .language import detect

        values["language"] = detect(art.text)
    values.update(overrides)
    if not values.get("title"):
        values["title"] = Path(entry.path).stem
    source = Source(id=sid, path=entry.path, passages=len(passages), **values)
    from .facts import extract_article_facts
    from .language import english_rules_apply

    facts = []
    if english_rules_apply(source.language, art.text):
        facts = extract_article_facts(passages, source.date)
    return (
        _row(source),
        [_row(p) for p in passages],
        [_row(f) for f in facts],
        content_hash(data),
        warning,
    )


DOCUMENT_SUFFIXES = (".html", ".htm", ".pdf", ".docx")  # read by search/formats/job.py


def _read_parallel(
    jobs: list[tuple[int, _Job]],
    old_files: dict[str, Any],
    directory: Path,
    workers: int,
    accept: Callable[[int, _Job, _Loaded | str, str | None, bool], None],
) -> tuple[list[engine.Part] | None, list[tuple[int, _Job]]]:
    """Read (parse, facts, index) ``jobs`` in worker processes, passing each result to
    ``accept`` as it arrives. Returns the index parts they wrote and the jobs left to read
    here: (parts, []) when all went well, (None, the jobs not read) otherwise."""
    tasks = [(n, job, old_files.get(job[1].path)) for n, job in jobs]
    sizes = [job[1].size for _, job in jobs]
    run = parallel.ParallelIngest(
        directory, parallel.shares(tasks, sizes, workers), _parse_job, _start_method()
    )
    try:
        run.start()
    except (OSError, ValueError, ImportError, NotImplementedError, AssertionError):
        # no processes here (a sandbox, an odd platform, a daemonic process)
        return None, jobs
    by_number = dict(jobs)
    with run:
        for n, payload in run.results():
            job = by_number[n]
            if isinstance(payload, str):
                accept(n, job, payload, None, True)
            else:
                item, warn = _loaded_marshalled(payload, job[1], job[3])
                accept(n, job, item, warn, True)
    parts = run.segments
    if parts is None:
        return None, [(n, job) for n, job in jobs if n not in run.received]
    return parts, []


def _loaded_marshalled(
    payload: tuple[bytes, bytes, str, str | None], entry: FileEntry, overrides: dict[str, Any]
) -> tuple[_Loaded, str | None]:
    """A worker's result: the cache row as it will be written, facts left marshal'ed."""
    row, fact_blob, sha, warning = payload
    source_row, passage_rows = marshal.loads(row)
    item = _Loaded(
        Source(*source_row),
        [Passage(*r) for r in passage_rows],
        fact_blob,
        sha,
        entry,
        overrides,
        (row, fact_blob),
    )
    return item, warning


def _row(obj: Any) -> tuple[Any, ...]:
    return tuple(getattr(obj, name) for name in obj.__slots__)


def _loaded(
    parsed: _Parsed, entry: FileEntry, overrides: dict[str, Any]
) -> tuple[_Loaded, str | None]:
    source_row, passage_rows, fact_rows, sha, warning = parsed
    row = marshal.dumps((source_row, passage_rows))
    return _loaded_marshalled((row, marshal.dumps(fact_rows), sha, warning), entry, overrides)


def _start_method() -> str | None:
    """fork is fastest (the child inherits what is loaded), but forking a process with
    other threads running (the app works from worker threads) can deadlock the child:
    then a fork server, started clean, forks it."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else None


ANALYSIS_CHILD = "search.analysis_child"  # the module the analysis process runs


def _run_apart(corpus: str, index_dir: str) -> None:
    """Build and save the analysis in another process and wait; raise if it fails.

    Its output goes nowhere: it shares the app's terminal."""
    done = subprocess.run(
        [sys.executable, "-m", ANALYSIS_CHILD, corpus, index_dir],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"analysis process ended with {done.returncode}")


def _build_analysis(corpus: str, index_dir: str) -> None:
    """In another process: open the corpus and build (and save) its analysis.

    It shares the app's terminal: nothing may be written to it (a warning or a
    traceback would land on the app's screen). A failure is its exit code only; the
    app then builds the analysis itself."""
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    _map_large_allocations()
    try:
        _build_and_save(corpus, index_dir)
    except BaseException:  # noqa: BLE001 - reported as the exit code
        raise SystemExit(1) from None


MMAP_THRESHOLD = 128 * 1024  # bytes; see _map_large_allocations


def _map_large_allocations() -> None:
    """In the builder process, have glibc map every allocation of MMAP_THRESHOLD or more
    apart, so that it goes back to the system when freed. By default the threshold rises
    to the largest block freed so far (up to 32 MB), after which the build's chunk-sized
    arrays came from the heap and stayed counted in the process's size once freed: 24 MB
    of the builder's peak at 100k passages. Elsewhere (no glibc) nothing changes."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-3, MMAP_THRESHOLD)  # -3: M_MMAP_THRESHOLD


def _build_and_save(corpus: str, index_dir: str) -> None:
    ws = Workspace.open(corpus, index_dir, workers=1)
    try:
        ws._save_related()
        ws.agreement  # noqa: B018 - built and saved
        ws.claim_set  # noqa: B018 - built and saved
    finally:
        ws.close()


def _parse_all(jobs: list[tuple[int, _Job]], workers: int | None) -> Iterator[_Parsed | str]:
    """Results of ``_parse_job`` in job order; in worker processes when there are many."""
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(jobs) >= PARALLEL_MIN_FILES else 1
    if workers <= 1 or len(jobs) < 2:
        for _, job in jobs:
            yield _parse_job(job)
        return
    method = _start_method()
    done = 0
    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))
    except (OSError, ValueError, ImportError, NotImplementedError):
        pool = None  # no processes here (a sandbox, an odd platform): read them serially
    if pool is not None:
        try:
            pending: deque[Future[_Parsed | str]] = deque()
            queue = iter(jobs)
            for _, job in queue:
                pending.append(pool.submit(_parse_job, job))
                if len(pending) >= workers * PARALLEL_WINDOW:
                    break
            while pending:
                result = pending.popleft().result()
                nxt = next(queue, None)
                if nxt is not None:
                    pending.append(pool.submit(_parse_job, nxt[1]))
                yield result
                done += 1
        except (BrokenProcessPool, OSError):
            pass  # a worker died or could not start: finish in this process
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for _, job in jobs[done:]:
        yield _parse_job(job)


def _reuse(
    rows: dict[str, tuple[bytes, bytes]],
    entry: FileEntry,
    sid: str,
    overrides: dict[str, Any],
    old: dict[str, Any] | None,
    folder: Path,
) -> _Loaded | None:
    """The cached parse of an unchanged file, or None when it must be read again.

    A file whose time changed but not its size is hashed: copied, checked out or
    touched, it is still the same article (re-parsing 8,000 such files took 80 s)."""
    if old is None or sid not in rows:
        return None
    if (old.get("size"), old.get("id"), old.get("meta")) != (entry.size, sid, overrides):
        return None
    if old.get("mtime_ns") != entry.mtime_ns:
        try:
            if content_hash(read_bytes(folder, entry)) != old.get("sha256"):
                return None
        except (OSError, SkipFile):
            return None
    try:
        row, fact_rows = rows[sid]  # the facts stay marshal'ed until first use
        source_row, passage_rows = marshal.loads(row)
        source = Source(*source_row)
        passages = [Passage(*row) for row in passage_rows]
    except (ValueError, EOFError, TypeError):
        return None
    if source.id != sid:
        return None
    return _Loaded(source, passages, fact_rows, old["sha256"], entry, overrides)


_TABLE = "parsed3"  # source id, marshal'ed (source row, passage rows), marshal'ed fact rows
_SELECT = f"SELECT sid, row, facts FROM {_TABLE}"


class _Cache:
    """The parsed cache: one SQLite file, a row per source. Read in one query when the
    corpus is opened; only changed sources are written."""

    def __init__(self, directory: Path | None) -> None:
        self.db: sqlite3.Connection | None = None
        if directory is None:
            return
        try:
            self.db = sqlite3.connect(directory / CACHE_FILE, timeout=engine.WRITE_TIMEOUT)
            self._create()
        except sqlite3.Error:
            self._reset(directory)
        legacy = directory / "cache"  # per-source JSON files of earlier versions
        if legacy.is_dir():
            shutil.rmtree(legacy, ignore_errors=True)

    def _reset(self, directory: Path) -> None:
        """A damaged cache file is only a cache: start again."""
        if self.db is not None:
            self.db.close()
        (directory / CACHE_FILE).unlink(missing_ok=True)
        self.db = sqlite3.connect(directory / CACHE_FILE, timeout=engine.WRITE_TIMEOUT)
        self._create()

    def _create(self) -> None:
        assert self.db is not None
        with self.db:
            self.db.execute("DROP TABLE IF EXISTS parsed")  # format 2
            self.db.execute(
                f"CREATE TABLE IF NOT EXISTS {_TABLE} (sid TEXT PRIMARY KEY, row BLOB, facts BLOB)"
            )

    def load(self) -> dict[str, tuple[bytes, bytes]]:
        if self.db is None:
            return {}
        try:
            return {sid: (row, facts) for sid, row, facts in self.db.execute(_SELECT)}
        except sqlite3.Error:
            return {}

    def save(self, items: list[_Loaded], keep: set[str]) -> None:
        """Write the rows of ``items``; drop the rows of sources not in ``keep``."""
        if self.db is None:
            return
        try:
            with self.db:
                if items:
                    self.db.executemany(
                        f"INSERT OR REPLACE INTO {_TABLE} (sid, row, facts) VALUES (?, ?, ?)",
                        [(i.source.id, *i.blob) for i in items if i.blob is not None],
                    )
                stale = [
                    (sid,)
                    for (sid,) in self.db.execute(f"SELECT sid FROM {_TABLE}")
                    if sid not in keep
                ]
                if stale:
                    self.db.executemany(f"DELETE FROM {_TABLE} WHERE sid = ?", stale)
        except sqlite3.Error:
            pass  # a cache that could not be written is re-parsed next time

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def _read_manifest(directory: Path | None, version: str) -> dict[str, Any] | None:
    if directory is None:
        return None
    try:
        data = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != version:
        return None
    return data


def _write_manifest(
    directory: Path | None,
    version: str,
    folder: Path,
    loaded: list[_Loaded],
    old: dict[str, Any] | None = None,
) -> None:
    """Write the manifest, unless it says exactly what ``old`` (as read) said."""
    if directory is None:
        return
    files = {
        i.entry.path: {
            "id": i.source.id,
            "size": i.entry.size,
            "mtime_ns": i.entry.mtime_ns,
            "sha256": i.sha,
            "meta": i.meta,
        }
        for i in loaded
    }
    data = {"version": version, "corpus": str(folder), "metadata": METADATA_FILE, "files": files}
    if data != old:
        _atomic_write(directory / "manifest.json", json.dumps(data, indent=1))


def _atomic_write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

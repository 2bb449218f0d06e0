"""Open a corpus: read what changed, keep the index and the parsed cache in step.

This is the one entry point the CLI and the app use. The corpus folder is never written:
the index, a manifest (size, mtime, content hash per file) and the parsed passages live in
the user cache dir, keyed by the corpus path. A second run re-reads nothing that did not
change; a changed file is re-parsed and re-indexed alone.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import engine
from .corpus import FileEntry, Skipped, check_folder, load_metadata, scan, source_ids
from .errors import CorpusError, IndexWriteError
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
from .pipeline import analysis, plan, run
from .pipeline.cache import Cache
from .pipeline.lock import open_lock
from .pipeline.plan import CANNOT_WRITE, atomic_write
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
Progress = run.Progress
PREPARE_APART_MIN = 5000  # passages from which prepare() builds in another process
SAME_SOURCES = 100  # sources listed as stating the same name, place, date or quote


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
            if in_memory or err.errno not in CANNOT_WRITE:
                raise
            directory = Path(index_dir).expanduser() if index_dir else None
            if directory is not None:
                with contextlib.suppress(OSError):
                    (directory / "manifest.json").unlink()  # rebuild it next time
            where = one_line(str(directory)) if directory else "the user cache directory"
            try:
                ws = cls._open(corpus, None, progress, True, workers)
            except OSError as again:
                if again.errno not in CANNOT_WRITE:
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

        directory, warning = plan.usable_dir(folder, index_dir, in_memory)
        if warning:
            warnings.append(warning)
        stats = OpenStats(files=len(entries), index_dir=directory)
        with open_lock(directory):
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
        version = plan.pipeline_version()
        manifest = plan.read_manifest(directory, version)
        if directory is not None and manifest is None:
            engine.PassageIndex.discard(directory)
        index, fresh = engine.open_or_rebuild(directory)
        stats.rebuilt = fresh
        if fresh:
            manifest = None
        old_files: dict[str, Any] = (manifest or {}).get("files", {})
        cache = Cache(directory)
        try:
            rows = cache.load() if manifest is not None else {}
            loaded, changed, removed, total = run.read_all(
                folder, entries, ids, meta, old_files, rows, skipped, index, progress, workers
            )
            del rows
            stats.parsed = [item.source.id for item in changed]
            stats.removed = removed
            stats.indexed_passages = total
            cache.save(
                [(i.source.id, *i.blob) for i in loaded if i.blob is not None],
                keep={i.source.id for i in loaded},
            )
        finally:
            cache.close()
        plan.write_manifest(directory, version, folder, loaded, manifest)
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
                            atomic_write(kept, marshal.dumps((stamp, self._agreement.dumps())))
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
            atomic_write(kept, marshal.dumps((stamp, rows)))

    def _analysis_dir(self, name: str) -> Path | None:
        """Where the analysis structures are kept between runs (with the index)."""
        directory = self.index.directory
        return None if directory is None else directory / "analysis" / name

    def _analysis_stamp(self) -> str:
        """Changes whenever anything the analysis is built from changes (see
        ``pipeline.analysis.analysis_stamp``)."""
        if self._stamp is None:
            self._stamp = analysis.analysis_stamp(self.passages.values(), self.sources)
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
                analysis.run_apart(str(self.corpus), str(self.index.directory))
        _ = self.related_index, self.agreement, self.claim_set
        self.facts.index_values()  # which sources state each fact's value (facts pane)
        self.claim_set.index_cells()  # the claim map's cells of its largest claims

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
                            atomic_write(kept, marshal.dumps((stamp, self._claims.dumps())))
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

    def claim_cells(self, claim: Claim) -> Mapping[str, ClaimCell]:
        """The claim map's cells of a claim: each reporting source's value and mark, made
        when asked for (a row of the map asks for the cells in view)."""
        return self.claim_set.cells(claim)

    def claim_marks(self, claim: Claim) -> tuple[str, ...]:
        """Each statement's mark against the claim's most-reported value (the map's rows)."""
        return self.claim_set.marks(claim)

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


def build_analysis(corpus: str, index_dir: str) -> None:
    """In the analysis process (``search.analysis_child``): open the corpus, build and
    save its analysis beside the index. A failure is the exit code only."""

    def build() -> None:
        ws = Workspace.open(corpus, index_dir, workers=1)
        try:
            ws._save_related()
            ws.agreement  # noqa: B018 - built and saved
            ws.claim_set  # noqa: B018 - built and saved
        finally:
            ws.close()

    analysis.as_child(build)

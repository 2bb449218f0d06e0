"""Open a corpus: read what changed, keep the index and the parsed cache in step.

This is the one entry point the CLI and the app use. The corpus folder is never written:
the index, a manifest (size, mtime, content hash per file) and the parsed passages live in
the user cache dir, keyed by the corpus path. A second run re-reads nothing that did not
change; a changed file is re-parsed and re-indexed alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from . import engine
from .agreement import Agreement
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
from .errors import CorpusError
from .facts import canonicalize, extract_article_facts
from .ingest import DATA, parse_article
from .models import Disagreement, Fact, Link, Passage, Source
from .related import RelatedIndex, stopwords, synonyms
from .textsafe import one_line

PIPELINE_VERSION = 1  # bump when parsing or extraction changes the cached output
Progress = Callable[[str, int, int], None]


_PIPELINE_CODE = ("ingest.py", "facts.py", "names.py", "corpus.py", "textsafe.py")


def _pipeline_version() -> str:
    """Changes whenever parsing rules, gazetteers or the parsing code change, so a cached
    parse is never stale."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    data = [DATA / "ingest.yaml", *sorted(DATA.glob("facts_*.yaml"))]
    for f in [*data, *(here / name for name in _PIPELINE_CODE)]:
        digest.update(f.read_bytes())
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
    facts: list[Fact]
    sha: str
    entry: FileEntry
    meta: dict[str, Any]


class Workspace:
    """A corpus opened for reading: sources, passages, and a search index over them."""

    def __init__(
        self,
        corpus: Path,
        sources: list[Source],
        passages: dict[str, list[Passage]],
        facts: list[Fact],
        index: engine.PassageIndex,
        skipped: list[Skipped],
        warnings: list[str],
        stats: OpenStats,
    ) -> None:
        self.corpus = corpus
        self.sources = {s.id: s for s in sources}
        self.by_source = passages
        self.passages = {p.id: p for ps in passages.values() for p in ps}
        self.facts: dict[str, list[Fact]] = {pid: [] for pid in self.passages}
        for fact in facts:
            self.facts.setdefault(fact.passage, []).append(fact)
        self._related: RelatedIndex | None = None
        self._agreement: Agreement | None = None
        self._lock = threading.Lock()
        self.index = index
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
        version = _pipeline_version()
        manifest = _read_manifest(directory, version)
        if directory is not None and manifest is None:
            engine.PassageIndex.discard(directory)
        index, fresh = engine.open_or_rebuild(directory)
        stats.rebuilt = fresh
        if fresh:
            manifest = None
        old_files: dict[str, Any] = (manifest or {}).get("files", {})

        loaded: list[_Loaded] = []
        changed: list[_Loaded] = []
        for n, entry in enumerate(entries, 1):
            if progress:
                progress("reading", n, len(entries))
            sid, overrides = ids[entry.path], meta.get(entry.path, {})
            old = old_files.get(entry.path)
            try:
                item = _reuse(directory, entry, sid, overrides, old)
                if item is None:
                    item, warn = _parse(folder, entry, sid, overrides)
                    if warn:
                        skipped.append(Skipped(entry.path, warn, skipped=False))
                    if (
                        old is None
                        or old.get("sha256") != item.sha
                        or old.get("id") != sid
                        or (old.get("meta") != overrides)
                    ):
                        changed.append(item)
                    else:  # same content, new mtime: just remember the new stat
                        _write_cache(directory, item)
            except SkipFile as err:
                skipped.append(Skipped(entry.path, str(err)))
                continue
            loaded.append(item)

        current = {item.source.id for item in loaded}
        removed = sorted({f.get("id") for f in old_files.values()} - current - {None})
        stats.parsed = [item.source.id for item in changed]
        stats.removed = removed
        if changed or removed:
            total = sum(len(item.passages) for item in changed)

            def on_progress(done: int, _total: int) -> None:
                if progress:
                    progress("indexing", done, total)

            index.update(removed, [(i.source, i.passages) for i in changed], on_progress)
            stats.indexed_passages = total
            for item in changed:
                _write_cache(directory, item)
        for sid in stats.removed:
            _drop_cache(directory, sid)
        _write_manifest(directory, version, folder, loaded)
        if not loaded:
            raise CorpusError(
                f"no readable articles in {one_line(str(folder))}: "
                + "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])
            )
        stats.seconds = time.perf_counter() - started
        return cls(
            folder,
            [i.source for i in loaded],
            {i.source.id: i.passages for i in loaded},
            canonicalize(f for i in loaded for f in i.facts),
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
                dates = {sid: src.date for sid, src in self.sources.items()}
                self._related = RelatedIndex(list(self.passages.values()), self.facts, dates)
            return self._related

    @property
    def agreement(self) -> Agreement:
        with self._lock:
            if self._agreement is None:
                all_facts = [f for fs in self.facts.values() for f in fs]
                self._agreement = Agreement(all_facts, self.passages)
            return self._agreement

    def prepare(self) -> None:
        """Build the analysis structures now (the app does this off the event loop)."""
        _ = self.related_index, self.agreement

    def all_facts(self, kind: str | None = None, source: str | None = None) -> list[Fact]:
        if source is not None:
            self.require_source(source)
        return [
            f
            for pid, facts in self.facts.items()
            if source is None or self.passages[pid].source == source
            for f in facts
            if kind is None or f.kind == kind
        ]

    def related(self, passage_id: str, limit: int | None = 10) -> list[Link]:
        self.require_passage(passage_id)
        return self.related_index.related(passage_id, limit)

    def related_by_source(self, passage_id: str) -> list[Link]:
        """The best related passage of each other source that reports the same claim."""
        self.require_passage(passage_id)
        return self.related_index.best_per_source(passage_id)

    def disagreements(self) -> list[Disagreement]:
        return self.agreement.disagreements()

    def compare_fact(self, fact: Fact) -> tuple[list[Fact], list[Fact]]:
        """Other sources' facts stating the same value, and those stating another.

        Numbers compare within their group of same-subject counts; names, places, dates
        and quotes are "the same" wherever another source states the same value."""
        if fact.kind == "number":
            return self.agreement.compare(fact)
        same = [
            f
            for fs in self.facts.values()
            for f in fs
            if f.source != fact.source and f.kind == fact.kind and f.value == fact.value
        ]
        return same, []

    def shared_spans(
        self, a: str, b: str
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Spans of the specific words and numbers two passages share, in each of them."""
        pa, pb = self.require_passage(a), self.require_passage(b)
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

    def close(self) -> None:
        self.index.close()


# --- helpers ---------------------------------------------------------------------------


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


def _parse(
    folder: Path, entry: FileEntry, sid: str, overrides: dict[str, Any]
) -> tuple[_Loaded, str | None]:
    data = read_bytes(folder, entry)
    text, warning = decode(data)
    if not text.strip():
        raise SkipFile("empty file")
    art = parse_article(text)
    if not art.passages:
        raise SkipFile("no paragraphs of text")
    passages = [
        Passage(f"{sid}:{n}", sid, n, t, start, end, heading)
        for n, (t, start, end, heading) in enumerate(art.passages, 1)
    ]
    fields: dict[str, Any] = {
        "title": art.title or Path(entry.path).stem,
        "date": art.date,
        "outlet": art.outlet,
        "url": art.url,
        "language": None,
    }
    fields.update(overrides)
    if not fields.get("title"):
        fields["title"] = Path(entry.path).stem
    source = Source(id=sid, path=entry.path, passages=len(passages), **fields)
    facts = extract_article_facts(passages, source.date)
    return _Loaded(source, passages, facts, content_hash(data), entry, overrides), warning


def _reuse(
    directory: Path | None,
    entry: FileEntry,
    sid: str,
    overrides: dict[str, Any],
    old: dict[str, Any] | None,
) -> _Loaded | None:
    """The cached parse of an unchanged file, or None when it must be read again."""
    if directory is None or old is None:
        return None
    if (old.get("size"), old.get("mtime_ns"), old.get("id"), old.get("meta")) != (
        entry.size,
        entry.mtime_ns,
        sid,
        overrides,
    ):
        return None
    try:
        data = json.loads((directory / "cache" / f"{sid}.json").read_text(encoding="utf-8"))
        source = Source(**data["source"])
        passages = [Passage(**p) for p in data["passages"]]
        facts = [Fact(**f) for f in data["facts"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return _Loaded(source, passages, facts, old["sha256"], entry, overrides)


def _write_cache(directory: Path | None, item: _Loaded) -> None:
    if directory is None:
        return
    data = {
        "source": item.source.to_json(),
        "passages": [p.to_json() for p in item.passages],
        "facts": [f.to_json() for f in item.facts],
    }
    _atomic_write(directory / "cache" / f"{item.source.id}.json", json.dumps(data))


def _drop_cache(directory: Path | None, sid: str) -> None:
    if directory is not None:
        (directory / "cache" / f"{sid}.json").unlink(missing_ok=True)


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
    directory: Path | None, version: str, folder: Path, loaded: list[_Loaded]
) -> None:
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
    _atomic_write(directory / "manifest.json", json.dumps(data, indent=1))


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

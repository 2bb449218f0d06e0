"""The Whoosh boundary: schema, writer, query parser, searcher.

Nothing outside this module touches a Whoosh object. In: sources and passages. Out:
``Hit`` dataclasses copied inside the searcher's ``with`` block (Whoosh hits die with it).
Only the classic Whoosh 2.7 API is used, so whoosh 2.7.4, whoosh-reloaded or whoosh3 can
stand in for one another.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import collectors, sorting
from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.highlight import Formatter, WholeFragmenter, highlight
from whoosh.index import LockError
from whoosh.qparser import FuzzyTermPlugin, QueryParser
from whoosh.support.charset import accent_map

from .errors import IndexBusyError, QueryError
from .models import Hit, Passage, Source

SCHEMA_VERSION = 1
INDEX_NAME = f"passages_v{SCHEMA_VERSION}"
FIELDS = ("text", "source", "date")
WRITE_TIMEOUT = 10.0  # seconds to wait for another process's write lock

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
    """Stemming, accent folding (Erdogan finds Erdoğan), English stop words."""
    return (
        RegexTokenizer(_TOKEN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | _NumberFilter()
        | StopFilter(minsize=1)
        | StemFilter()
    )


def schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        source=KEYWORD(stored=True, lowercase=True, commas=True),
        source_id=ID(stored=True),
        date=ID(stored=True),
        ordinal=NUMERIC(stored=True),
        text=TEXT(analyzer=analyzer(), stored=True),
        start=STORED(),
        end=STORED(),
        heading=STORED(),
    )


class _SpanFormatter(Formatter):
    """A Whoosh formatter that yields character spans instead of marked-up text."""

    def format(self, fragments, replace=False):  # type: ignore[no-untyped-def]  # noqa: ARG002
        return [(t.startchar, t.endchar) for f in fragments for t in f.matches]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Top hits, and how many passages matched in each source (for the sources pane)."""

    query: str
    hits: tuple[Hit, ...]
    per_source: dict[str, int] = field(default_factory=dict)
    terms: frozenset[str] = frozenset()  # analysed terms to highlight, for PassageIndex.spans

    @property
    def total(self) -> int:
        return sum(self.per_source.values())


Progress = Callable[[int, int], None]


class PassageIndex:
    """A persistent (or in-memory) Whoosh index of passages."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        if directory is None:
            storage = RamStorage()
        else:
            directory.mkdir(parents=True, exist_ok=True)
            storage = FileStorage(str(directory))
        self._storage = storage
        if storage.index_exists(INDEX_NAME):
            self._ix = storage.open_index(INDEX_NAME)
        else:
            self._ix = storage.create_index(schema(), indexname=INDEX_NAME)
        self._parser = QueryParser("text", self._ix.schema)
        self._parser.add_plugin(FuzzyTermPlugin())

    @staticmethod
    def discard(directory: Path) -> None:
        """Remove every index file in ``directory`` (schema change or corruption)."""
        for entry in directory.glob("*"):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.startswith(("_passages", "passages")) or entry.suffix in (
                ".toc",
                ".seg",
                ".lock",
            ):
                entry.unlink(missing_ok=True)

    def doc_count(self) -> int:
        return self._ix.doc_count()

    # --- writing ---------------------------------------------------------------------

    def update(
        self,
        remove: Iterable[str],
        add: Sequence[tuple[Source, Sequence[Passage]]],
        progress: Progress | None = None,
    ) -> None:
        """Delete the passages of ``remove`` sources and (re)add those of ``add``."""
        try:
            writer = self._ix.writer(timeout=WRITE_TIMEOUT)
        except LockError as err:
            raise IndexBusyError(
                f"the index at {self.directory} is being written by another talks-tui; "
                "try again when it has finished"
            ) from err
        try:
            for source_id in remove:
                writer.delete_by_term("source_id", source_id)
            total = sum(len(p) for _, p in add)
            done = 0
            for src, passages in add:
                writer.delete_by_term("source_id", src.id)
                keys = _source_keys(src)
                for p in passages:
                    writer.add_document(
                        id=p.id,
                        source=keys,
                        source_id=src.id,
                        date=src.date or "",
                        ordinal=p.ordinal,
                        text=p.text,
                        start=p.start,
                        end=p.end,
                        heading=p.heading,
                    )
                done += len(passages)
                if progress:
                    progress(done, total)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._ix = self._storage.open_index(INDEX_NAME)

    # --- reading ---------------------------------------------------------------------

    def parse(self, text: str) -> wq.Query:
        """Parse the query language; raise ``QueryError`` with a clear reason."""
        _check_syntax(text)
        q = self._parser.parse(text)
        return q.accept(_fixer(self._ix.schema["text"].analyzer))

    def search(
        self, text: str, *, limit: int | None = 50, source: str | None = None
    ) -> SearchResult:
        q = self.parse(text)
        flt = wq.Term("source_id", source) if source else None
        with self._ix.searcher() as s:
            # s.search(groupedby=...) silently drops the limit; wrap a top-N collector.
            collector: collectors.Collector = collectors.FacetCollector(
                s.collector(limit=limit),
                sorting.FieldFacet("source_id"),
                maptype=sorting.Count,
            )
            if flt is not None:  # outermost, or the facet counts ignore it
                collector = collectors.FilterCollector(collector, allow=flt)
            s.search_with_collector(q, collector)
            results = collector.results()
            terms = _positive_terms(q, s.reader())
            ana = self._ix.schema["text"].analyzer
            hits = tuple(
                Hit(
                    passage=_passage(hit.fields()),
                    score=float(hit.score or 0.0),
                    highlights=tuple(spans_for(hit["text"], terms, ana)),
                )
                for hit in results
            )
            per_source = dict(results.groups("source_id"))
        return SearchResult(text, hits, per_source, terms)

    def spans(self, text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
        """Spans of ``text`` matching a result's ``terms`` (cheap: no searcher)."""
        return spans_for(text, terms, self._ix.schema["text"].analyzer)

    def highlights(self, text: str, query: str) -> list[tuple[int, int]]:
        """Spans of ``text`` that ``query`` matches (for a passage shown outside results)."""
        q = self.parse(query)
        with self._ix.searcher() as s:
            terms = _positive_terms(q, s.reader())
        return spans_for(text, terms, self._ix.schema["text"].analyzer)

    def close(self) -> None:
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


def spans_for(text: str, terms: frozenset[str], ana) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    if not terms:
        return []
    return highlight(text, terms, ana, WholeFragmenter(), _SpanFormatter(), top=1)


def _passage(f: dict) -> Passage:  # type: ignore[type-arg]
    return Passage(
        id=f["id"],
        source=f["source_id"],
        ordinal=int(f["ordinal"]),
        text=f["text"],
        start=int(f["start"]),
        end=int(f["end"]),
        heading=f.get("heading"),
    )


def _source_keys(src: Source) -> str:
    """What ``source:`` matches: the id, the file name and the outlet's words."""
    keys = {src.id.lower(), Path(src.path).stem.lower()}
    if src.outlet:
        keys.add(re.sub(r"\s+", "-", src.outlet.lower()))
        keys.update(w for w in re.findall(r"\w+", src.outlet.lower()) if len(w) > 2)
    return ",".join(sorted(keys))


def _positive_terms(q: wq.Query, reader) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """Text-field terms to highlight: expanded prefixes/fuzzies, never NOT-ed terms."""
    out: set[str] = set()

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if node.is_leaf():
            if node.field() == "text":
                for _f, t in node.expanded_terms(reader):
                    out.add(t.decode("utf-8") if isinstance(t, bytes) else t)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return frozenset(out)


# --- query checks the Whoosh parser forgives silently ---------------------------------

_FIELD_RE = re.compile(r"(?<![\w\"])([A-Za-z_]\w*):(?=\S)")
_DATE_VALUE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _check_syntax(text: str) -> None:
    if not text.strip():
        raise QueryError("empty query: type a word to search for")
    unquoted = re.sub(r'"[^"]*"', " ", text)
    if unquoted.count('"') % 2:
        raise QueryError('unclosed quote in the query: add the closing "')
    depth = 0
    for ch in unquoted:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            raise QueryError("a ')' in the query has no matching '('")
    if depth:
        raise QueryError("unclosed '(' in the query: add the closing ')'")
    words = unquoted.replace("(", " ").replace(")", " ").split()
    if words and words[0] in ("AND", "OR"):
        raise QueryError(f"the query starts with {words[0]}: put a word before it")
    if words and words[-1] in ("AND", "OR", "NOT"):
        raise QueryError(f"the query ends with {words[-1]}: put a word after it")
    for m in _FIELD_RE.finditer(unquoted):
        name = m.group(1)
        if name not in FIELDS:
            raise QueryError(f"unknown field '{name}:' (use source:, date: or plain words)")


def _fixer(ana):  # type: ignore[no-untyped-def]
    """Post-parse fixes: ``date:2025``/``date:2025-06`` mean every day in them, a non-date
    is an error; fuzzy and prefix terms get the same folding (and, for fuzzy, stemming)
    as the indexed text, so ``Erdoğ*`` and ``Medinksy~`` find what they should."""

    def fold(text: str) -> str:
        return "".join(
            t.text for t in ana(text, mode="query", removestops=False)
        ) or text.lower()

    def fix(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Term) and node.fieldname == "date":
            value = str(node.text)
            if not _DATE_VALUE.fullmatch(value):
                raise QueryError(f"date:{value} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
            return wq.Prefix("date", value) if len(value) < 10 else node
        if isinstance(node, wq.FuzzyTerm) and node.fieldname == "text":
            node.text = fold(node.text)
        elif isinstance(node, wq.Prefix) and node.fieldname == "text":
            node.text = accent_fold(node.text.lower())
        return node

    return fix


def accent_fold(text: str) -> str:
    return text.translate(accent_map)


def open_or_rebuild(directory: Path | None) -> tuple[PassageIndex, bool]:
    """Open the index, discarding it when it is unreadable (it is only a cache).

    Returns the index and whether it was (re)created empty."""
    if directory is None:
        return PassageIndex(None), True
    fresh = not (directory / f"_{INDEX_NAME}_0.toc").exists() and not any(
        directory.glob(f"_{INDEX_NAME}_*.toc")
    )
    try:
        return PassageIndex(directory), fresh
    except (windex.IndexError, OSError, ValueError, EOFError, KeyError):
        PassageIndex.discard(directory)
        return PassageIndex(directory), True

"""Every passage's facts, kept as compact rows per source and made into ``Fact`` objects
when a passage's facts are asked for.

Holding every fact as an object costs memory in proportion to the corpus, while the app
shows one article's facts at a time and the analysis reads them once. Names are made
canonical across the corpus (see ``facts.canonicalize``) with one table, built on first
use from the name facts alone.
"""

from __future__ import annotations

import marshal
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import fields

from .models import Fact, Passage

_NAMES = ("person", "place", "org")
RECENT = 64  # sources whose facts are kept as objects (navigation revisits articles)
_FIELDS = tuple(f.name for f in fields(Fact))


def fact_row(fact: Fact) -> tuple:
    """The row a fact is stored as: its fields in order (``Fact(*row)`` rebuilds it)."""
    return tuple(getattr(fact, name) for name in _FIELDS)


class FactStore(Mapping[str, list[Fact]]):
    """Passage id -> its facts (canonical names); every passage of the corpus is a key."""

    def __init__(
        self,
        rows: Mapping[str, bytes | Sequence[tuple]],
        passages: Mapping[str, Passage],
    ) -> None:
        """``rows``: source id -> its fact rows, as a list or marshalled."""
        self._rows = {
            sid: r if isinstance(r, bytes) else marshal.dumps(list(r)) for sid, r in rows.items()
        }
        self._passages = passages
        self._table: dict[tuple[str, str], str] | None = None
        # hash of (kind, value) -> the source stating it, or the set of them (most values
        # are stated once; a collision only means a source is read for nothing)
        self._where: dict[int, str | set[str] | tuple[str, ...]] = {}
        self._written: dict[tuple[str, str], set[str]] = {}  # while indexing names
        self._indexed = False  # whether _where is made
        self._recent: OrderedDict[str, dict[str, list[Fact]]] = OrderedDict()
        self._lock = threading.RLock()

    @classmethod
    def from_facts(cls, facts: Sequence[Fact], passages: Mapping[str, Passage]) -> FactStore:
        by_source: dict[str, list[tuple]] = {}
        for f in facts:
            by_source.setdefault(f.source, []).append(fact_row(f))
        return cls(by_source, passages)

    # --- Mapping ---------------------------------------------------------------------

    def __getitem__(self, passage_id: str) -> list[Fact]:
        source = self._passages[passage_id].source
        return list(self.of_source(source).get(passage_id, ()))

    def __iter__(self) -> Iterator[str]:
        return iter(self._passages)

    def __len__(self) -> int:
        return len(self._passages)

    def __contains__(self, passage_id: object) -> bool:
        return passage_id in self._passages

    # --- by source -------------------------------------------------------------------

    def of_source(self, source: str) -> dict[str, list[Fact]]:
        """Passage id -> facts, for the passages of one source."""
        with self._lock:
            cached = self._recent.get(source)
            if cached is not None:
                self._recent.move_to_end(source)
                return cached
            table = self._names()
            from .facts import with_canonical_name

            out: dict[str, list[Fact]] = {}
            for fact in self._decode(source):
                out.setdefault(fact.passage, []).append(with_canonical_name(fact, table))
            self._recent[source] = out
            if len(self._recent) > RECENT:
                self._recent.popitem(last=False)
            return out

    def every(self) -> Iterator[Fact]:
        """All facts, source by source (built as they are read, not kept)."""
        for source in list(self._rows):
            for facts in self.of_source(source).values():
                yield from facts

    def sources_stating(self, kind: str, value: object) -> set[str]:
        """Sources with a fact of this kind and value (names are canonical)."""
        self.index_values()
        where = self._where.get(_hash(kind, value), ())
        return {where} if isinstance(where, str) else set(where)

    # --- the name table, kept between runs ---------------------------------------------

    def name_table(self) -> dict[tuple[str, str], str]:
        """The canonical-name table (built if need be), to keep between runs."""
        return dict(self._names())

    def use_name_table(self, table: Mapping[tuple[str, str], str]) -> None:
        """Use a kept name table (from ``name_table`` over the same rows) instead of
        building it; the value index is made on first use (see ``index_values``)."""
        self._names(table)

    # --- internals -------------------------------------------------------------------

    def _stated(self, key: int, source: str) -> None:
        where = self._where.get(key)
        if where is None:
            self._where[key] = source
        elif isinstance(where, str):
            if where != source:
                self._where[key] = {where, source}
        elif isinstance(where, set):
            where.add(source)

    def _decode(self, source: str) -> list[Fact]:
        blob = self._rows.get(source)
        return [Fact(*row) for row in marshal.loads(blob)] if blob else []

    def _names(
        self, table: Mapping[tuple[str, str], str] | None = None
    ) -> Mapping[tuple[str, str], str]:
        """The canonical-name table: a kept one (``table``) as it is, else built in one
        pass over the rows that also makes the value index."""
        with self._lock:
            if self._table is None:
                if table is not None:
                    # The value index waits for its first use (or ``index_values``): it is
                    # one pass over every row, and the first screen needs only the names.
                    self._table, self._indexed = dict(table), False
                    return self._table
                from .facts import name_table

                self._table = dict(name_table(self._read_stating()))
                self._index_names()
            return self._table

    def index_values(self) -> None:
        """Make the index of which sources state each value, if it is not made yet."""
        with self._lock:
            self._names()
            if not self._indexed:
                for _ in self._read_stating():
                    pass
                self._index_names()

    def _read_stating(self) -> Iterator[Fact]:
        """Every fact, noting where each value is stated (names: where each written
        name is, until the table gives its canonical form)."""
        self._where, self._written = {}, {}
        for source in self._rows:
            for f in self._decode(source):
                if f.kind in _NAMES and isinstance(f.value, str):
                    self._written.setdefault((f.kind, f.value), set()).add(source)
                else:
                    self._stated(_hash(f.kind, f.value), source)
                yield f

    def _index_names(self) -> None:
        table = self._table or {}
        for (kind, value), sources in self._written.items():
            for source in sources:
                self._stated(_hash(kind, table.get((kind, value), value)), source)
        self._written = {}
        where = self._where
        for key, stated in where.items():  # a tuple is a quarter of a set's size
            if not isinstance(stated, str | tuple):
                where[key] = tuple(stated)
        self._indexed = True


def _hash(kind: str, value: object) -> int:
    try:
        return hash((kind, value))
    except TypeError:
        return hash((kind, repr(value)))

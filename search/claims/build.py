"""Claims across a corpus: statements grouped by what they claim, and their verdicts.

A statement joins the claim named by its predicate and subject (extract.py), a function
of its own sentence: the claims of a report do not depend on which other reports are
read, or in which order, and a claim's id is a hash of that name. Quotes join when they
share a run of QUOTE_RUN words (connected groups, also independent of order), and the
claim is about who said them.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import re
import sys
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields

from ..models import Claim, ClaimValue, Disagreement, Fact, FactComparison, Passage, Statement
from ..text import sentence_at
from . import values as V
from .cells import ClaimCells, statement_marks
from .extract import statements

QUOTE_RUN = 4  # words two quotes must share in a row to be one quote
MAX_POSTING = 50  # a run of words quoted this often is a stock phrase, not one quote
MARKS_KEPT_FROM = 64  # statements: claims whose cells ``index_cells`` makes up front
_QUOTE_WORD = re.compile(r"[^\W_][\w’'-]*")
_VALUE_FIELDS = [f.name for f in fields(ClaimValue)]

Row = tuple[str, str, int, int, ClaimValue | None]  # source, passage, start, end, value


def _claim_id(name: str) -> str:
    return "c" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


class ClaimSet:
    """Every claim of a corpus, and where each is stated."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        claims = list(claims)
        # how many sources state each claim (``Claim.sources`` is made on each call)
        self.source_counts = {c.id: len({s.source for s in c.statements}) for c in claims}
        counts = self.source_counts
        self.claims = sorted(claims, key=lambda c: (-counts[c.id], c.label, c.id))
        self.by_id = {c.id: c for c in self.claims}
        self._marks: dict[str, tuple[str, ...]] = {}  # claim id -> its statements' marks
        self._cells: dict[str, ClaimCells] = {}  # claim id -> its cells (large claims)
        self._of_passage: dict[str, list[int]] = {}
        for n, c in enumerate(self.claims):
            for s in c.statements:
                places = self._of_passage.setdefault(sys.intern(s.passage), [])
                if not places or places[-1] != n:
                    places.append(n)

    # --- building -------------------------------------------------------------------

    @classmethod
    def build(cls, passages: Mapping[str, Passage], facts: Iterable[Fact]) -> ClaimSet:
        """Claims of ``passages`` from their facts (held here: small corpora, tests)."""
        by_passage: dict[str, list[Fact]] = {}
        for f in facts:
            by_passage.setdefault(f.passage, []).append(f)
        return cls.build_streamed(
            passages, ((p, by_passage.get(p.id, [])) for p in passages.values())
        )

    @classmethod
    def build_streamed(
        cls, passages: Mapping[str, Passage], stated: Iterable[tuple[Passage, Sequence[Fact]]]
    ) -> ClaimSet:
        """Claims from each passage with its facts, one at a time: a large corpus's facts
        need not all be held at once (the caller reads them source by source)."""
        keyed: dict[str, tuple[str, list[Row]]] = {}
        quotes: list[tuple[str, Row]] = []
        for p, fs in stated:
            values = [f for f in fs if f.kind in ("number", "date")]
            people = [f for f in fs if f.kind == "person"]
            for found in statements(p.text, values, people):
                name = f"{found.predicate.key}|{found.subject}"
                label = found.predicate.label + (f" ({found.subject})" if found.subject else "")
                keyed.setdefault(name, (label, []))[1].append(
                    (p.source, p.id, found.start, found.end, found.value)
                )
            for q in fs:
                if q.kind == "quote" and isinstance(q.value, str):
                    quotes.append((q.value, _quote_row(p, q)))
        claims = [
            _claim(_claim_id(name), label, rows, passages) for name, (label, rows) in keyed.items()
        ]
        claims += _quote_claims(quotes, passages)
        return cls(claims)

    # --- asking ---------------------------------------------------------------------

    def select(
        self, conflicts: bool = False, min_sources: int = 1, source: str | None = None
    ) -> list[Claim]:
        if not conflicts and min_sources <= 1 and source is None:
            return list(self.claims)
        counts = self.source_counts
        return [
            c
            for c in self.claims
            if (not conflicts or c.verdict == "conflict")
            and counts[c.id] >= min_sources
            and (source is None or any(s.source == source for s in c.statements))
        ]

    # --- the claim map ----------------------------------------------------------------

    def marks(self, claim: Claim) -> tuple[str, ...]:
        """Each statement's mark (``cells.statement_marks``), kept once made."""
        found = self._marks.get(claim.id)
        if found is None:
            found = self._marks[claim.id] = statement_marks(claim)
        return found

    def cells(self, claim: Claim) -> ClaimCells:
        """The claim's cells, one per source that states it, each made when asked for
        (those of a claim of ``MARKS_KEPT_FROM`` statements or more are kept)."""
        found = self._cells.get(claim.id)
        if found is None:
            found = ClaimCells(claim, self.marks(claim), self.source_counts.get(claim.id))
            if len(claim.statements) >= MARKS_KEPT_FROM:
                self._cells[claim.id] = found
        return found

    def index_cells(self) -> None:
        """Make the marks and cell index of every claim of ``MARKS_KEPT_FROM`` statements
        or more now (off the UI: a row of the map then costs only the cells in view); a
        smaller claim's take microseconds when its row is first shown."""
        for c in self.claims:
            if len(c.statements) >= MARKS_KEPT_FROM:
                self.cells(c)

    def of_passage(self, passage_id: str) -> list[Claim]:
        return [self.claims[n] for n in self._of_passage.get(passage_id, ())]

    def at(self, passage_id: str, start: int, end: int | None = None) -> Claim | None:
        """The claim stated at ``start:end`` of a passage: the one whose value is there,
        else the first whose sentence holds ``start``."""
        end = start + 1 if end is None else max(end, start + 1)
        in_sentence = None
        for c in self.of_passage(passage_id):
            for s in c.statements:
                if s.passage != passage_id:
                    continue
                v = s.value
                if v is not None and v.start < end and start < v.end:
                    return c
                if in_sentence is None and s.start <= start < max(s.end, s.start + 1):
                    in_sentence = c
        return in_sentence

    def jump(self, passage_id: str, start: int, end: int | None = None, step: int = 1):
        """The first statement of the next (``step`` = -1: previous) source that states
        the claim at ``start:end`` (the ``]`` / ``[`` keys), or None."""
        from .walk import stops

        claim = self.at(passage_id, start, end)
        found = stops(claim, passage_id) if claim is not None else []
        if not found:
            return None
        return found[0] if step >= 0 else found[-1]

    def compare(self, fact: Fact) -> FactComparison:
        """Other sources' statements of the claim ``fact`` states, split by value."""
        claim = self.at(fact.passage, fact.start, fact.end)
        if claim is None:
            return FactComparison()
        mine = [
            s
            for s in claim.statements
            if s.passage == fact.passage and s.value is not None
            and s.value.start < fact.end and fact.start < s.value.end
        ]  # fmt: skip
        if not mine or mine[0].value is None:
            return FactComparison(claim)
        value = mine[0].value
        same, conflicting, compatible = [], [], []
        for s in claim.statements:
            if s.source == fact.source or s.value is None:
                continue
            r = V.relation(value, s.value)
            (same if r == V.SAME else conflicting if r == V.CONFLICT else compatible).append(s)
        return FactComparison(claim, tuple(same), tuple(conflicting), tuple(compatible))

    def differing(self) -> list[Claim]:
        """Claims whose sources give values that differ (conflict or compatible)."""
        return [c for c in self.claims if c.verdict in ("conflict", "compatible")]

    def disagreements(self) -> list[Disagreement]:
        out = []
        for c in self.differing():
            groups = by_value(c)
            values = tuple((text, tuple(_as_fact(s) for s in members)) for text, members in groups)
            out.append(Disagreement(c.label, values, c.verdict == "conflict"))
        return out

    # --- keeping ----------------------------------------------------------------------

    def dumps(self) -> bytes:
        rows = [
            (
                c.id, c.label, c.verdict,
                [(s.source, s.passage, s.start, s.end, _value_row(s.value)) for s in c.statements],
            )
            for c in self.claims
        ]  # fmt: skip
        return marshal.dumps(rows)

    @classmethod
    def loads(cls, blob: bytes, passages: Mapping[str, Passage]) -> ClaimSet:
        claims = []
        collecting = gc.isenabled()
        gc.disable()  # tens of thousands of small tuples: collections would cost 8x the read
        try:
            rows_of = marshal.loads(blob)
        finally:
            if collecting:
                gc.enable()
        for cid, label, verdict, rows in rows_of:
            statements_ = tuple(
                Statement(
                    src, pid, passages[pid].text[s:e], s, e,
                    ClaimValue(*value) if value is not None else None,
                )
                for src, pid, s, e, value in rows
            )  # fmt: skip
            claims.append(Claim(cid, label, verdict, statements_))
        return cls(claims)


def by_value(claim: Claim) -> list[tuple[str, list[Statement]]]:
    """A claim's statements grouped by value (as first written), most sources first."""
    groups: dict[tuple, list[Statement]] = {}
    for s in claim.statements:
        if s.value is not None:
            groups.setdefault(V.key(s.value), []).append(s)
    ordered = sorted(
        groups.values(), key=lambda ss: (-len({s.source for s in ss}), ss[0].value.text.lower())
    )
    return [(ss[0].value.text, ss) for ss in ordered]


def _value_row(v: ClaimValue | None) -> tuple | None:
    return None if v is None else tuple(getattr(v, name) for name in _VALUE_FIELDS)


def _as_fact(s: Statement) -> Fact:
    v = s.value
    assert v is not None
    kind = "number" if v.kind in ("number", "range") else v.kind
    return Fact(
        kind, v.text, v.value, s.passage, s.source, v.start, v.end,
        counts=v.unit, approximate=v.approximate, qualifier=v.qualifier, high=v.high,
    )  # fmt: skip


def _order(passages: Mapping[str, Passage], row: Row) -> tuple:
    source, pid, start, _end, value = row
    return (source, passages[pid].ordinal, start, value.start if value else 0)


def _claim(cid: str, label: str, rows: list[Row], passages: Mapping[str, Passage]) -> Claim:
    rows = sorted(set(rows), key=lambda r: _order(passages, r))
    stated = tuple(
        Statement(src, pid, passages[pid].text[s:e], s, e, value) for src, pid, s, e, value in rows
    )
    return Claim(cid, label, V.verdict([(s.source, s.value) for s in stated]), stated)


def _quote_row(p: Passage, q: Fact) -> Row:
    s, e = sentence_at(p.text, q.start)
    if e < q.end:  # a quote of several sentences: from its first sentence to its end
        e = q.end
    value = None
    if q.speaker:
        surname = q.speaker.split()[-1]
        spots = [m.start() for m in re.finditer(re.escape(surname), p.text)]
        if spots:
            at = min(spots, key=lambda x: abs(x - q.start))
            value = ClaimValue("person", p.text[at : at + len(surname)], q.speaker,
                               start=at, end=at + len(surname))  # fmt: skip
    return (p.source, p.id, s, e, value)


def _runs(quote: str) -> set[str]:
    words = [w.lower().replace("’", "'") for w in _QUOTE_WORD.findall(quote)]
    if len(words) < QUOTE_RUN:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + QUOTE_RUN]) for i in range(len(words) - QUOTE_RUN + 1)}


def _quote_claims(quotes: list[tuple[str, Row]], passages: Mapping[str, Passage]) -> list[Claim]:
    """Quotes that share a run of words, as claims about who said them."""
    parent = list(range(len(quotes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Every run of every quote as a 64-bit hash beside its quote, sorted: equal runs sit
    # together (one array, not a set of strings per quote: the memory of a large corpus).
    import numpy as np

    hashes: array[int] = array("q")
    owners: array[int] = array("q")
    for i, (text, _row) in enumerate(quotes):
        for run in _runs(text):
            hashes.append(hash(run))
            owners.append(i)
    h = np.frombuffer(hashes, dtype=np.int64) if hashes else np.zeros(0, np.int64)
    o = np.frombuffer(owners, dtype=np.int64) if owners else np.zeros(0, np.int64)
    order = np.argsort(h, kind="stable")
    h, o = h[order], o[order]
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]]) if len(h) else np.zeros(0, np.int64)
    ends = np.r_[starts[1:], len(h)] if len(h) else starts
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if 1 < end - start <= MAX_POSTING:
            first = int(o[start])
            for other in o[start + 1 : end].tolist():
                a, b = root(first), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    del hashes, owners, h, o, order
    components: dict[int, list[int]] = {}
    for i in range(len(quotes)):
        components.setdefault(root(i), []).append(i)
    out = []
    for members in components.values():
        name = min((min(runs) for i in members if (runs := _runs(quotes[i][0]))), default="")
        rows = [quotes[i][1] for i in members]
        first = min(members, key=lambda i: _order(passages, quotes[i][1]))
        words = quotes[first][0].split()
        label = "who said “" + " ".join(words[:6]) + ("…" if len(words) > 6 else "") + "”"
        out.append(_claim("q" + _claim_id(name)[1:], label, rows, passages))
    return out

"""The claim map's cells: what each source says of a claim, and how that stands to the
value most sources give (the reference a reader compares against).

The UI renders these; deciding ✓ / ≠ / ≈ is here, beside the rules that say whether two
values can both be true.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping
from operator import le

from ..models import Claim, ClaimCell, ClaimValue
from . import values as V

_MARK = {V.SAME: "agree", V.CONFLICT: "conflict", V.COMPATIBLE: "compatible"}


def statement_marks(claim: Claim) -> tuple[str, ...]:
    """Each statement's mark, in the claim's order: agree / conflict / compatible with
    the value most sources give; ``single`` when one source alone states the claim.

    That value is the first of the group of equal values (``values.key``) that the most
    sources give, ties to the first in lower case: ``build.by_value``'s first. One pass
    over the statements, one key per statement and one comparison per distinct value (a
    claim of a large corpus has thousands of statements and a few dozen values)."""
    statements = claim.statements
    if len({s.source for s in statements}) < 2:
        return ("single",) * len(statements)
    keys: list[tuple | None] = []
    groups: dict[tuple, tuple[ClaimValue, set[str]]] = {}  # key -> first value, sources
    key = V.key
    for s in statements:
        v = s.value
        if v is None:
            keys.append(None)
            continue
        k = key(v)
        keys.append(k)
        group = groups.get(k)
        if group is None:
            groups[k] = (v, {s.source})
        else:
            group[1].add(s.source)
    if not groups:
        return ("agree",) * len(statements)
    reference = min(groups.values(), key=lambda g: (-len(g[1]), g[0].text.lower()))[0]
    of_key = {k: _MARK[V.relation(reference, v)] for k, (v, _) in groups.items()}
    return tuple("agree" if k is None else of_key[k] for k in keys)


def _cell(claim: Claim, marks: tuple[str, ...], n: int) -> ClaimCell:
    s = claim.statements[n]
    text = s.value.text if s.value is not None else s.text
    return ClaimCell(s.source, marks[n], text, s)


def claim_cells(claim: Claim) -> dict[str, ClaimCell]:
    """One cell per source that states ``claim`` (its first statement with a value, else
    its first statement). A source missing from the result does not report it."""
    marks = statement_marks(claim)
    chosen: dict[str, int] = {}
    for n, s in enumerate(claim.statements):
        have = chosen.get(s.source)
        if have is None or (s.value is not None and claim.statements[have].value is None):
            chosen[s.source] = n
    return {source: _cell(claim, marks, n) for source, n in chosen.items()}


_MISSING = object()


class ClaimCells(Mapping[str, ClaimCell]):
    """``claim_cells(claim)`` as a mapping whose cells are made when asked for: the map
    asks for the cells in view, and a claim of a large corpus has thousands of sources.

    A claim lists its statements source by source (as claims are built): a source's are
    found by bisection. Otherwise an index of every source's cell is made once."""

    def __init__(self, claim: Claim, marks: tuple[str, ...], sources: int | None = None) -> None:
        self.claim, self.marks = claim, marks
        self._count = sources
        self._of: list[str] = [s.source for s in claim.statements]
        self._sorted = all(map(le, self._of, self._of[1:]))
        self._chosen: dict[str, int] | None = None  # claims not listed source by source
        self._made: dict[str, ClaimCell | None] = {}

    def _find(self, source: str) -> int | None:
        """The statement of ``source`` that its cell shows."""
        of, statements = self._of, self.claim.statements
        if not self._sorted:
            if self._chosen is None:
                self._chosen = {}
                for n, sid in enumerate(of):
                    have = self._chosen.get(sid)
                    if have is None or (
                        statements[n].value is not None and statements[have].value is None
                    ):
                        self._chosen[sid] = n
            return self._chosen.get(source)
        first = bisect_left(of, source)
        n = first
        while n < len(of) and of[n] == source:
            if statements[n].value is not None:
                return n
            n += 1
        return first if n > first else None

    def __getitem__(self, source: str) -> ClaimCell:
        cell = self._made.get(source, _MISSING)
        if cell is _MISSING:
            n = self._find(source)
            cell = self._made[source] = None if n is None else _cell(self.claim, self.marks, n)
        if cell is None:
            raise KeyError(source)
        return cell  # type: ignore[return-value]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(self._of))

    def __len__(self) -> int:
        if self._count is None:
            self._count = len(set(self._of))
        return self._count

"""The claim map's cells: what each source says of a claim, and how that stands to the
value most sources give (the reference a reader compares against).

The UI renders these; deciding ✓ / ≠ / ≈ is here, beside the rules that say whether two
values can both be true.
"""

from __future__ import annotations

from ..models import Claim, ClaimCell
from . import values as V
from .build import by_value

_MARK = {V.SAME: "agree", V.CONFLICT: "conflict", V.COMPATIBLE: "compatible"}


def statement_marks(claim: Claim) -> tuple[str, ...]:
    """Each statement's mark, in the claim's order: agree / conflict / compatible with
    the value most sources give; ``single`` when one source alone states the claim."""
    if len(claim.sources) < 2:
        return tuple("single" for _ in claim.statements)
    groups = by_value(claim)
    if not groups:
        return tuple("agree" for _ in claim.statements)
    reference = groups[0][1][0].value
    assert reference is not None
    # one comparison per distinct value, not per statement (a claim of a large corpus
    # has thousands of statements and a few dozen values)
    of_key = {V.key(ss[0].value): _MARK[V.relation(reference, ss[0].value)] for _, ss in groups}  # type: ignore[arg-type]
    return tuple("agree" if s.value is None else of_key[V.key(s.value)] for s in claim.statements)


def claim_cells(claim: Claim) -> dict[str, ClaimCell]:
    """One cell per source that states ``claim`` (its first statement with a value, else
    its first statement). A source missing from the result does not report it."""
    out: dict[str, ClaimCell] = {}
    for s, mark in zip(claim.statements, statement_marks(claim), strict=True):
        have = out.get(s.source)
        if have is not None and (have.statement.value is not None or s.value is None):
            continue
        text = s.value.text if s.value is not None else s.text
        out[s.source] = ClaimCell(s.source, mark, text, s)
    return out

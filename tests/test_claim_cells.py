"""The claim map's cells and marks as the map asks for them (one cell at a time, marks
kept by the claim set) against their definitions: ``claim_cells`` and the value of
``by_value``'s first group."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from search.claims.build import by_value
from search.claims.cells import ClaimCells, claim_cells, statement_marks
from search.claims.values import CONFLICT, SAME, relation
from search.models import Claim
from search.workspace import Workspace

PLANT_FIRE = Path(__file__).parent / "data" / "events" / "plant_fire"


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return Workspace.open(PLANT_FIRE, in_memory=True)


def _marks_by_definition(claim: Claim) -> tuple[str, ...]:
    if len(claim.sources) < 2:
        return tuple("single" for _ in claim.statements)
    groups = by_value(claim)
    if not groups:
        return tuple("agree" for _ in claim.statements)
    reference = groups[0][1][0].value
    names = {SAME: "agree", CONFLICT: "conflict"}
    return tuple(
        "agree" if s.value is None else names.get(relation(reference, s.value), "compatible")  # type: ignore[arg-type]
        for s in claim.statements
    )


def test_marks_are_against_the_value_most_sources_give(ws: Workspace) -> None:
    claims = ws.claims()
    assert {m for c in claims for m in ws.claim_marks(c)} >= {"agree", "conflict", "single"}
    for claim in claims:
        assert ws.claim_marks(claim) == _marks_by_definition(claim), claim.label


def test_cells_made_one_at_a_time_are_claim_cells(ws: Workspace) -> None:
    for claim in ws.claims():
        expected = claim_cells(claim)
        cells = ws.claim_cells(claim)
        assert len(cells) == len(expected) == len(claim.sources)
        assert list(cells) == list(expected)  # the same order
        for sid in ws.sources:
            assert cells.get(sid) == expected.get(sid)
            assert (sid in cells) == (sid in expected)


def test_a_claim_not_listed_source_by_source_has_the_same_cells(ws: Workspace) -> None:
    claim = max(ws.claims(), key=lambda c: len(c.statements))
    shuffled = dataclasses.replace(claim, statements=claim.statements[::-1])
    cells = ClaimCells(shuffled, statement_marks(shuffled))
    expected = claim_cells(shuffled)
    assert len(claim.sources) > 1 and dict(cells) == expected and list(cells) == list(expected)


def test_selecting_by_source_and_count_is_filtering_the_claims(ws: Workspace) -> None:
    claims = ws.claims()
    for sid in ws.sources:
        assert ws.claims(source=sid) == [c for c in claims if sid in c.sources]
    assert ws.claims(min_sources=3) == [c for c in claims if len(c.sources) >= 3]
    counts = [len(c.sources) for c in claims]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]

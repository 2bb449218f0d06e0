"""The ``]`` / ``[`` walk through a claim: from one source's statement to the next
source's, in one fixed order (sources by id, starting after the one read now)."""

from __future__ import annotations

from ..models import Claim, Statement


def stops(claim: Claim, passage_id: str) -> list[Statement]:
    """The first statement of each other source that states ``claim``, in walking order
    from the source of ``passage_id``; empty if that passage does not state it."""
    sources = list(claim.sources)
    here = next((s.source for s in claim.statements if s.passage == passage_id), None)
    if here is None or len(sources) < 2:
        return []
    at = sources.index(here)
    order = sources[at + 1 :] + sources[:at]
    first: dict[str, Statement] = {}
    for s in claim.statements:
        first.setdefault(s.source, s)
    return [first[source] for source in order]

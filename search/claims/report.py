"""Claims as the command line and the export show them (plain data, no markup)."""

from __future__ import annotations

from typing import Any

from ..models import Claim
from .build import by_value


def disagreement_row(claim: Claim) -> dict[str, Any]:
    """A claim whose sources differ, in the ``disagreements --json`` shape: its subject,
    whether the values conflict, and each value as written with the sentences stating it."""
    return {
        "id": claim.id,
        "subject": claim.label,
        "verdict": claim.verdict,
        "conflict": claim.verdict == "conflict",
        "values": [
            {
                "value": text,
                "sources": [
                    {
                        "source": s.source,
                        "passage": s.passage,
                        "text": s.text,
                        "start": s.start,
                        "end": s.end,
                        "value_start": s.value.start if s.value else None,
                        "value_end": s.value.end if s.value else None,
                    }
                    for s in members
                ],
            }
            for text, members in by_value(claim)
        ],
    }


def value_sources(claim: Claim) -> list[tuple[str, list[str]]]:
    """Each value as written and the sources that state it, each source once."""
    out = []
    for text, members in by_value(claim):
        seen: list[str] = []
        for s in members:
            if s.source not in seen:
                seen.append(s.source)
        out.append((text, seen))
    return out

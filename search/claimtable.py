"""The claim map of some passages as a Markdown table for the exported note: one row per
claim those passages state, one column per source that states any of them, each cell
that source's value with its mark (✓ agree, ≠ conflict, ≈ compatible, blank: not said).

Cell text is untrusted (article text, file names): it is folded to one line and escaped
like the rest of the note, ``|`` included, so no cell can break the table or add markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .claims.cells import claim_cells
from .export import _inline
from .models import Claim, Source

MARKS = {"agree": "✓", "conflict": "≠", "compatible": "≈", "single": ""}
HEADING = "## Claim map"
LEGEND = (
    "✓ agrees with the value most sources give, ≠ cannot both be true with it, "
    "≈ can both be true; blank: the source does not report the claim."
)


def claims_of(passages: Iterable[str], of_passage) -> list[Claim]:  # type: ignore[no-untyped-def]
    """The claims the passages state, each once, most-reported first (as the map)."""
    found: dict[str, tuple[int, Claim]] = {}
    for pid in passages:
        for claim in of_passage(pid):
            found.setdefault(claim.id, (len(found), claim))
    return [c for _, c in sorted(found.values(), key=lambda t: (-len(t[1].sources), t[0]))]


def claim_table(claims: list[Claim], sources: Mapping[str, Source]) -> str:
    """The Markdown section (heading, legend, table); empty when there are no claims."""
    if not claims:
        return ""
    stating = {s for c in claims for s in c.sources}
    columns = [sid for sid in sources if sid in stating]
    columns += sorted(stating - set(columns))  # a source the mapping does not know
    head = ["Claim", *(_name(sources.get(sid), sid) for sid in columns)]
    lines = [_row(head), "|" + "|".join(" --- " for _ in head) + "|"]
    for claim in claims:
        cells = claim_cells(claim)
        row = [_inline(claim.label)]
        for sid in columns:
            cell = cells.get(sid)
            if cell is None:
                row.append("")
            else:
                mark = MARKS.get(cell.mark, "")
                row.append((f"{mark} " if mark else "") + _inline(cell.text))
        lines.append(_row(row))
    return "\n\n".join([HEADING, LEGEND, "\n".join(lines)]) + "\n"


def _name(source: Source | None, sid: str) -> str:
    if source is None:
        return _inline(sid)
    return _inline(source.outlet or source.title or source.path or sid)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c if c else " " for c in cells) + " |"

"""The timeline flags a date whose claim the sources date differently."""

from __future__ import annotations

from search.workspace import Workspace


def test_conflicting_dates_for_one_claim_are_flagged(make_corpus) -> None:
    folder = make_corpus(
        {
            "a.txt": "# A\n\nThe fire started on March 8, 2026, officials said.\n",
            "b.txt": "# B\n\nThe fire started on March 9, 2026, witnesses said.\n",
            "c.txt": "# C\n\nThe inquiry will report on June 1, 2026.\n",
        }
    )
    ws = Workspace.open(folder, in_memory=True)
    try:
        entries = ws.timeline()
        flagged = {(e.source, e.date) for e in entries if e.conflict}
        assert flagged == {("a", "2026-03-08"), ("b", "2026-03-09")}, entries
        assert all(e.claim for e in entries if e.conflict)
        assert not any(e.conflict for e in entries if e.source == "c")
    finally:
        ws.close()

"""Where the reader has been and what the user chose: plain state, no widgets.

The main screen owns one ``Navigation`` and asks it where a key should go next (back, the
next hit, the next source of a claim). Keeping it free of Textual lets the rules be tested
without running the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

HISTORY = 200  # jumps remembered for b


@dataclass(slots=True)
class Tour:
    """A walk from ``origin`` through the passages of other sources that report its claim."""

    origin: str
    stops: list[str]

    def covers(self, passage_id: str) -> bool:
        return passage_id == self.origin or passage_id in self.stops

    def step(self, here: str, step: int) -> tuple[str | None, int]:
        """The passage ``step`` stops away from ``here`` and its 1-based position; the origin
        is position 0. ``None`` past the last stop."""
        index = self.stops.index(here) if here in self.stops else -1
        target = index + step
        if target < 0:
            return self.origin, 0
        if target >= len(self.stops):
            return None, len(self.stops)
        return self.stops[target], target + 1


@dataclass(slots=True)
class Navigation:
    """The back stack, the current claim tour and the selection (in the order chosen)."""

    history: list[str] = field(default_factory=list)
    tour: Tour | None = None
    selection: list[str] = field(default_factory=list)
    exported: set[str] = field(default_factory=set)  # selected passages written to a note

    # --- back ------------------------------------------------------------------------

    def remember(self, passage_id: str | None) -> None:
        if passage_id is not None and (not self.history or self.history[-1] != passage_id):
            self.history.append(passage_id)
            del self.history[:-HISTORY]

    def back(self) -> str | None:
        return self.history.pop() if self.history else None

    # --- selection -------------------------------------------------------------------

    def toggle(self, passage_id: str) -> bool:
        """Select or unselect; returns whether it is selected now."""
        if passage_id in self.selection:
            self.selection.remove(passage_id)
            return False
        self.selection.append(passage_id)
        return True

    def mark_exported(self, passage_ids: Iterable[str]) -> None:
        self.exported |= set(passage_ids)

    def unexported(self) -> list[str]:
        """Selected passages not yet in any note written this session or before."""
        return [pid for pid in self.selection if pid not in self.exported]

    def keep_only(self, known: Iterable[str]) -> list[str]:
        """Drop passages that no longer exist (a reindex); returns the dropped ones."""
        known = set(known)
        gone = [pid for pid in self.selection if pid not in known]
        self.selection = [pid for pid in self.selection if pid in known]
        self.history = [pid for pid in self.history if pid in known]
        self.tour = None
        return gone


def step_hit(
    hits: Sequence[tuple[str, tuple[int, int]]], here: tuple[int, int] | None, step: int
) -> int | None:
    """The index in ``hits`` (passage id and reading-order key, in reading order) of the
    next (``step`` > 0) or previous hit from ``here``, wrapping around; ``None`` if none."""
    if not hits:
        return None
    if here is None:
        return 0 if step > 0 else len(hits) - 1
    keys = [key for _pid, key in hits]
    if step > 0:
        later = [i for i, k in enumerate(keys) if k > here]
        return later[0] if later else 0
    earlier = [i for i, k in enumerate(keys) if k < here]
    return earlier[-1] if earlier else len(hits) - 1

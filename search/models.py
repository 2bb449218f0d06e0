"""Plain, frozen value types that flow out of the engine.

Everything the UI, the CLI and the export see is one of these: no Whoosh objects, no
Textual objects. They are hashable and safe to hand across threads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Source:
    """One article file of the corpus and what is known about it (never guessed)."""

    id: str
    path: str  # path relative to the corpus folder
    title: str
    date: str | None = None  # ISO YYYY-MM-DD, or None when the article does not say
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    passages: int = 0

    @property
    def label(self) -> str:
        """Short human name: the outlet where known, else the file name."""
        return self.outlet or self.path

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph of an article (broken sentences rejoined), with offsets into the
    cleaned article text."""

    id: str
    source: str
    ordinal: int  # 1-based position in its article
    text: str
    start: int
    end: int
    heading: str | None = None  # nearest section heading above it, if any

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked search result: the passage, its score, and character spans of the
    matched words in ``passage.text``."""

    passage: Passage
    score: float
    highlights: tuple[Span, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = self.passage.to_json()
        data["score"] = round(self.score, 4)
        data["highlights"] = [list(s) for s in self.highlights]
        return data


@dataclass(frozen=True, slots=True)
class Fact:
    """A hard fact stated in a passage. ``start``/``end`` index into the passage text."""

    kind: str  # number | date | person | place | org | quote
    text: str  # as written
    value: Any  # normalised: number, ISO date, canonical name, the quote; None if unresolved
    passage: str
    source: str
    start: int
    end: int
    counts: str | None = None  # numbers: what they count ("body", "child", ...)
    approximate: bool = False  # numbers: "over", "about", ranges, "dozens" ...
    qualifier: str | None = None  # numbers: the qualifier as written ("over", "at least")
    high: float | int | None = None  # numbers: upper bound of a range
    speaker: str | None = None  # quotes: canonical name of who said it, where the text says
    # stated in the source's headline: start/end index Source.title (see titlefacts.py)
    in_title: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Link:
    """A passage in another source that reports the same claim, and why we think so."""

    passage: Passage
    score: float
    why: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = self.passage.to_json()
        data["score"] = round(self.score, 4)
        data["why"] = list(self.why)
        return data


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Facts that count the same subject with different values across sources.

    ``values`` holds one entry per distinct value: the value as a display string and
    the facts stating it."""

    subject: str
    values: tuple[tuple[str, tuple[Fact, ...]], ...] = field(default_factory=tuple)
    # False when every pair of sources' values can both be true ("339" / "several
    # hundred"): the values differ in precision or hedging, not in substance.
    conflict: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "conflict": self.conflict,
            "values": [
                {
                    "value": value,
                    "sources": [
                        {"source": f.source, "passage": f.passage, "text": _written(f)}
                        for f in facts
                    ],
                }
                for value, facts in self.values
            ],
        }


def _written(fact: Fact) -> str:
    """A number as written, its qualifier too ("over 500", not "500")."""
    return f"{fact.qualifier} {fact.text}" if fact.qualifier else fact.text

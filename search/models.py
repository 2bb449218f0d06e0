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
    author: str | None = None  # as the file's metadata gives it (web pages, PDF, DOCX)

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
    page: int | None = None  # the PDF page it starts on (None for other files)

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


# --- comparisons the UI shows (computed in the core, rendered by the UI) ---------------


@dataclass(frozen=True, slots=True)
class WhereElse:
    """Where else a fact is stated: the same value, a value that cannot also be true
    (``conflicting``), and a value worded otherwise that can (``compatible``)."""

    fact: Fact
    same: tuple[Fact, ...] = ()
    conflicting: tuple[Fact, ...] = ()
    compatible: tuple[Fact, ...] = ()

    @property
    def different(self) -> tuple[Fact, ...]:
        return self.conflicting + self.compatible


# --- claims (search/claims): one statement that several sources report -----------------


@dataclass(frozen=True, slots=True)
class ClaimValue:
    """A value a sentence gives a claim. ``start``/``end`` index into the passage text and
    ``text`` is what is written there ("at least 14", "shortly after 9 p.m.")."""

    kind: str  # number | range | time | place | date | person | thing (a cause, a part)
    text: str
    value: Any  # number, "HH:MM", normalised site, ISO date, canonical name
    unit: str | None = None  # what a number counts ("worker", "euro")
    approximate: bool = False
    qualifier: str | None = None  # "at least", "shortly after" ...
    high: float | int | None = None  # ranges: the upper bound
    start: int = 0
    end: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Stated:
    """One passage of another source stating a fact, or another value of it."""

    kind: str  # same | conflict | compatible
    value: str  # the value as that passage words it
    source: str  # source id
    passage: Passage
    span: tuple[int, int]  # where the value stands in the passage text


@dataclass(frozen=True, slots=True)
class Flag:
    """A value in a compared passage that differs from the anchor's."""

    span: Span
    note: str  # "x here, y there"
    compatible: bool  # both can be true (a difference of precision)


@dataclass(frozen=True, slots=True)
class CompareColumn:
    """One passage of the compare view. ``score`` is relative to the best match (1.0);
    ``None`` for the passage being compared."""

    passage: Passage
    shared: tuple[Span, ...] = ()
    why: tuple[str, ...] = ()
    score: float | None = None
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    """A passage beside the best passage of each other source reporting its claim."""

    anchor: CompareColumn
    columns: tuple[CompareColumn, ...]
    reporting: int  # sources reporting the claim (columns holds the first of them)

    @property
    def conflicts(self) -> int:
        return sum(not f.compatible for c in self.columns for f in c.flags)

    @property
    def compatible(self) -> int:
        return sum(f.compatible for c in self.columns for f in c.flags)


# --- the notebook: tags, notes, selection, history (search/store.py) ----------------


@dataclass(frozen=True, slots=True)
class Orphan:
    """A tagged or annotated passage that is gone from the corpus (its file changed):
    kept with the text it had when it was tagged, never silently dropped."""

    passage: str
    text: str  # the passage's text when it was tagged or annotated
    tags: tuple[str, ...] = ()
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag and the passages carrying it, in tagging order; ``orphans`` are passage ids
    gone from the corpus (see ``Orphan``)."""

    name: str
    passages: tuple[str, ...] = ()
    orphans: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "passages": list(self.passages), "orphans": list(self.orphans)}


@dataclass(frozen=True, slots=True)
class Note:
    """A free-text note on a passage (several lines; controls and escapes removed)."""

    passage: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Selection:
    """The selected passages in order, and which of them have been exported."""

    passages: tuple[str, ...] = ()
    exported: frozenset[str] = frozenset()

    @property
    def unexported(self) -> tuple[str, ...]:
        """Selected passages not exported yet (what quitting must warn about)."""
        return tuple(p for p in self.passages if p not in self.exported)


@dataclass(frozen=True, slots=True)
class LastState:
    """Where the user was: the last query and the position (source, passage)."""

    query: str | None = None
    source: str | None = None
    passage: str | None = None


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A dated fact: its date (ISO day, month, year or week), as written, and where."""

    date: str
    text: str
    source: str
    passage: str
    start: int
    end: int
    claim: str | None = None  # the label of the claim this date is the value of, if any
    conflict: bool = False  # that claim's sources give dates that cannot all be true

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical person, place or organisation: the forms it is written in, how often
    each source names it, and the sources that never do."""

    name: str
    kind: str  # person | place | org
    aliases: tuple[str, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()  # (source id, mentions), most first
    missing: tuple[str, ...] = ()  # source ids that never mention it

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def query(self) -> str:
        """A search for every written form of it (what Enter on an entity runs)."""
        forms = dict.fromkeys(f.replace('"', " ").strip() for f in (self.name, *self.aliases))
        return " OR ".join(f'"{f}"' for f in forms if f)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "count": dict(self.counts),
            "total": self.total,
            "missing": list(self.missing),
        }


@dataclass(frozen=True, slots=True)
class Statement:
    """One source sentence that states a claim: ``text`` is the sentence, ``start``/``end``
    its offsets into the passage text."""

    source: str
    passage: str
    text: str
    start: int
    end: int
    value: ClaimValue | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "passage": self.passage,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value.to_json() if self.value is not None else None,
        }


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement several sources may report, each in its own words and values.

    ``verdict``: agree (one value), compatible (values worded otherwise that can all be
    true), conflict (values that cannot all be true) or single (one source)."""

    id: str  # stable across runs: a hash of what is claimed, not of who said it
    label: str
    verdict: str
    statements: tuple[Statement, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({s.source for s in self.statements}))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "verdict": self.verdict,
            "sources": [s.to_json() for s in self.statements],
        }


@dataclass(frozen=True, slots=True)
class FactComparison:
    """Other sources' statements of a fact's claim: the same value, a value that cannot
    also be true, and one worded otherwise that can."""

    claim: Claim | None = None
    same: tuple[Statement, ...] = ()
    conflicting: tuple[Statement, ...] = ()
    compatible: tuple[Statement, ...] = ()


# --- the claim map (search/claims/cells.py): one cell per claim and source ----------------


@dataclass(frozen=True, slots=True)
class ClaimCell:
    """What one source says of one claim, for the claim map: ``text`` is its value as
    written (else its sentence); ``mark`` how it stands to the claim's most-reported
    value: agree, conflict, compatible, or single (no other source to compare with)."""

    source: str
    mark: str
    text: str
    statement: Statement

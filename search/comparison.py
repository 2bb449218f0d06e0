"""What the UI shows when it compares sources, decided here and handed out as values.

The facts pane, the "where stated" list and the compare view all ask the same questions
(which sources state this value, which state one that cannot also be true); answering
them in one place keeps the app from giving two answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from .models import (
    CompareColumn,
    Comparison,
    Fact,
    FactComparison,
    Flag,
    Link,
    Passage,
    Stated,
    WhereElse,
)

if TYPE_CHECKING:
    from .factstore import FactStore


class OpenCorpus(Protocol):
    """What the comparisons read of an open corpus: the workspace, which asks them, has
    all of it (named here so that this module does not import the workspace's)."""

    @property
    def facts(self) -> FactStore: ...

    @property
    def passages(self) -> Mapping[str, Passage]: ...

    def require_passage(self, passage_id: str) -> Passage: ...

    def related_by_source(self, passage_id: str) -> list[Link]: ...

    def shared_spans(
        self, a: str, b: str
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]: ...

    def compare_claims(self, fact: Fact) -> FactComparison: ...


_ORDER = ("same", "conflict", "compatible")
SAME_SOURCES = 100  # sources listed as stating the same name, place, date or quote


def value_label(fact: Fact) -> str:
    """A value as people say it: "over 500", "2–3", "just over an hour"."""
    qualifier = (fact.qualifier or "").strip()
    if qualifier and not fact.text.lower().startswith(qualifier.lower()):
        return f"{qualifier} {fact.text}"
    return fact.text


def compare_fact(ws: OpenCorpus, fact: Fact) -> WhereElse:
    """Other sources' facts with the same value, a conflicting one or a compatible one.

    A value of a claim is compared within that claim (the claim map's answer); anything
    else (a name, a place, a number no claim holds) only with the same value elsewhere."""
    from .claims.bridge import statement_facts

    found = ws.compare_claims(fact)
    if found.same or found.conflicting or found.compatible:
        return WhereElse(
            fact,
            statement_facts(found.same),
            statement_facts(found.conflicting),
            statement_facts(found.compatible),
        )
    return WhereElse(fact, tuple(_same_value(ws, fact)))


def _same_value(ws: OpenCorpus, fact: Fact, sources: int = SAME_SOURCES) -> list[Fact]:
    """Other sources' facts of the same kind and value (numbers: counting the same thing),
    from the first ``sources`` such sources (a place named in thousands of articles)."""
    stating = sorted(ws.facts.sources_stating(fact.kind, fact.value) - {fact.source})
    return [
        f
        for source in stating[:sources]
        for fs in ws.facts.of_source(source).values()
        for f in fs
        if f.kind == fact.kind and f.value == fact.value
        and (f.kind != "number" or f.counts == fact.counts)
    ]  # fmt: skip


def where_stated(ws: OpenCorpus, fact: Fact) -> list[Stated]:
    """The passages of other sources that state ``fact`` (same value first, then those
    that cannot also be true, then those worded otherwise), each passage once per kind."""
    found = compare_fact(ws, fact)
    ranked = (
        [("same", f) for f in found.same]
        + [("conflict", f) for f in found.conflicting]
        + [("compatible", f) for f in found.compatible]
    )
    out: list[Stated] = []
    seen: set[tuple[str, str]] = set()
    for kind, f in ranked:
        passage = ws.passages.get(f.passage)
        if passage is None or (f.passage, kind) in seen:
            continue
        seen.add((f.passage, kind))
        value = value_label(f) if f.kind == "number" else f.text
        out.append(Stated(kind, value, f.source, passage, (f.start, f.end)))
    return out


def compare_passage(ws: OpenCorpus, anchor_id: str, limit: int) -> Comparison:
    """``anchor_id`` beside the best passage of each of the first ``limit`` other sources
    reporting its claim: the words they share and the numbers that differ."""
    anchor = ws.require_passage(anchor_id)
    reporting = ws.related_by_source(anchor_id)
    links = reporting[:limit]
    top = max((link.score for link in links), default=1.0) or 1.0
    anchor_spans: set[tuple[int, int]] = set()
    columns = []
    for link in links:
        mine, theirs = ws.shared_spans(anchor_id, link.passage.id)
        anchor_spans.update(mine)
        columns.append(
            CompareColumn(
                link.passage,
                tuple(theirs),
                tuple(link.why),
                link.score / top,
                tuple(_flags(ws, anchor_id, link.passage.id)),
            )
        )
    head = CompareColumn(anchor, tuple(sorted(anchor_spans)))
    return Comparison(head, tuple(columns), len(reporting))


def _flags(ws: OpenCorpus, anchor: str, other: str) -> list[Flag]:
    """Numbers in ``other`` that count what ``anchor`` counts, with another value."""
    out = []
    for fact in ws.facts.get(other, []):
        if fact.kind != "number":
            continue
        found = compare_fact(ws, fact)
        for theirs, both in [(f, False) for f in found.conflicting] + [
            (f, True) for f in found.compatible
        ]:
            if theirs.passage == anchor:
                note = f"{value_label(fact)} here, {value_label(theirs)} there"
                out.append(Flag((fact.start, fact.end), note, both))
    return out

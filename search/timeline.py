"""Views across sources built from the facts: a timeline of dated facts, and the people,
places and organisations each source names.

Dates and names are the facts' normalised values (ISO dates, canonical names, see
``facts.py`` and ``names.py``); these functions only order and count them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

from .models import Entity, Fact, Source, TimelineEntry

ENTITY_KINDS = ("person", "place", "org")
_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def date_key(value: str) -> tuple[date, int] | None:
    """Where an ISO date, month, year or week starts, and its span's rank (a day sorts
    before the month holding it, the month before its year); None when it is no date."""
    if m := _WEEK.fullmatch(value):
        try:
            return date.fromisocalendar(int(m[1]), int(m[2]), 1), 1
        except ValueError:
            return None
    if m := _DAY.fullmatch(value):
        try:
            start = date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
        except ValueError:
            return None
        return start, 0 if m[3] else 2 if m[2] else 3
    return None


def _ordinal(passage_id: str) -> int:
    tail = passage_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def timeline(facts: Iterable[Fact], sources: Mapping[str, Source]) -> list[TimelineEntry]:
    """Every resolved date fact, in date order (then source order, then place in text)."""
    order = {sid: n for n, sid in enumerate(sources)}
    keyed = []
    for f in facts:
        if f.kind != "date" or f.value is None:
            continue
        value = str(f.value)
        if (key := date_key(value)) is None:
            continue
        keyed.append(((key, order.get(f.source, len(order)), _ordinal(f.passage), f.start), f))
    keyed.sort(key=lambda item: item[0])
    return [
        TimelineEntry(str(f.value), f.text, f.source, f.passage, f.start, f.end) for _, f in keyed
    ]


def entities(
    facts: Iterable[Fact], sources: Mapping[str, Source], kind: str | None = None
) -> list[Entity]:
    """One entity per canonical name (of ``kind``, or every name kind), most mentioned
    first: its other written forms, mentions per source, and the sources never naming it."""
    kinds = ENTITY_KINDS if kind is None else (kind,)
    counts: dict[tuple[str, str], Counter[str]] = {}
    forms: dict[tuple[str, str], Counter[str]] = {}
    for f in facts:
        if f.kind not in kinds or f.value is None:
            continue
        key = (f.kind, str(f.value))
        counts.setdefault(key, Counter())[f.source] += 1
        forms.setdefault(key, Counter())[" ".join(f.text.split())] += 1
    order = {sid: n for n, sid in enumerate(sources)}
    out = []
    for (k, name), per_source in counts.items():
        seen = {name.casefold()}
        aliases = []
        for form, _ in sorted(forms[(k, name)].items(), key=lambda x: (-x[1], x[0])):
            if form.casefold() not in seen:  # "russia" is how "Russia" was cut, not an alias
                seen.add(form.casefold())
                aliases.append(form)
        ranked = tuple(sorted(per_source.items(), key=lambda x: (-x[1], order.get(x[0], 0))))
        missing = tuple(sid for sid in sources if sid not in per_source)
        out.append(Entity(name, k, tuple(aliases), ranked, missing))
    out.sort(key=lambda e: (-e.total, -len(e.counts), e.name.casefold(), e.kind))
    return out

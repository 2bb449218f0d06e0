"""The public extractors: every kind of fact of a passage, or of an article, and the
corpus-wide canonical names."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

from ..models import Fact, Passage
from ..names import canonical_names
from .common import _folded, _masks
from .dates import _find_dates
from .numbers import _find_numbers
from .people import _choose_names, _Mention, _name_candidates, _PersonSlot
from .quotes import _find_quotes, _Speakers
from .rules import _rules


def _anchor(article_date: str | None) -> dt.date | None:
    if not article_date:
        return None
    try:
        return dt.date.fromisoformat(article_date[:10])
    except ValueError:
        return None


@cache
def _known_people_surnames() -> frozenset[str]:
    """The surnames of the known people of the rules."""
    return frozenset(c.split()[-1] for c in _rules().people.get("known") or {})


def _known_surnames(mentions: Iterable[_Mention]) -> set[str]:
    out = {m.value.split()[-1] for m in mentions if m.kind == "person"}
    out |= _known_people_surnames()
    return out


def _extract(
    passage: Passage, article_date: str | None, prior: list[_Mention], tail: str
) -> tuple[list[Fact], list[_Mention]]:
    text = passage.text
    low = _folded(text)
    masks = _masks(text, low)
    anchor = _anchor(article_date)
    dates = _find_dates(text, anchor, masks, passage, low)
    blocked = masks + [(d.start, d.end) for d in dates]
    numbers = _find_numbers(text, blocked, passage, low)
    prep = _name_candidates(text)
    name_blocked = masks + [(d.start, d.end) for d in dates]
    known = _known_surnames(prior)
    names, mentions, found = _choose_names(prep, name_blocked, passage, known)
    # a second pass knows this passage's own full names ("Umerov" after "Rustem Umerov");
    # it can only differ when they add a surname and that turns up a new candidate
    known2 = _known_surnames(prior + mentions)
    new = known2 - known  # only a run holding one of these words can come out otherwise
    if new and any(
        w in new for item in prep.items if isinstance(item, _PersonSlot) for w in item.words
    ):
        again = _choose_names(prep, name_blocked, passage, known2)
        if again[2] != found:
            names, mentions = again[0], again[1]
    quotes = _find_quotes(text, _Speakers(text, mentions, prior, tail), passage)
    spans = dates + numbers + names + quotes
    spans.sort(key=lambda s: (s.start, s.end))
    return [s.fact for s in spans], mentions


def extract_facts(
    passage: Passage, article_date: str | None, *, context: str | None = None
) -> list[Fact]:
    """Facts of one passage; Fact.start/end are character offsets into passage.text and
    passage.text[start:end] == fact.text. Names not yet canonical across the corpus.

    ``context`` is optional text that came before this passage in the article (the previous
    passage or several): it is read, never reported, so that "he noted", "the minister said"
    and a quote following "Medinsky said:" find their speaker. Prefer
    :func:`extract_article_facts` for whole articles."""
    prior: list[_Mention] = []
    if context:
        ctx = Passage(id="", source="", ordinal=0, text=context, start=0, end=len(context))
        _, prior = _extract(ctx, article_date, [], "")
    return _extract(passage, article_date, prior, context or "")[0]


def extract_article_facts(passages: Sequence[Passage], article_date: str | None) -> list[Fact]:
    """Facts of an article's passages in order, carrying names and speakers from one
    passage to the next (the same as extract_facts with each passage's predecessors as
    context, but linear in the article length)."""
    out: list[Fact] = []
    prior: list[_Mention] = []
    tail = ""
    for passage in passages:
        facts, mentions = _extract(passage, article_date, prior, tail)
        out.extend(facts)
        prior = (prior + mentions)[-50:]
        tail = passage.text
    return out


def canonicalize(facts: Iterable[Fact]) -> list[Fact]:
    """Corpus-wide pass: one canonical name per entity (value of person/place/org facts and
    the speaker of quotes): surname-only mentions join the full name ("Umerov" -> "Rustem Umerov"),
    spelling variants join (Erdogan/Erdoğan via unidecode-style folding), slash pairs join
    (Oleshky/Aleshki), aliases from YAML join. Returns new Fact objects (dataclasses.replace)
    where the name changes."""
    facts = list(facts)
    table = name_table(facts)
    return [with_canonical_name(f, table) for f in facts]


def name_table(facts: Iterable[Fact]) -> dict[tuple[str, str], str]:
    """(kind, written name) -> canonical name, over all the names in ``facts``."""

    def entries() -> Iterable[tuple[str, str, str]]:  # streamed: facts may be read once
        for f in facts:
            if f.kind in ("person", "place", "org") and isinstance(f.value, str):
                yield f.kind, f.value, f.text
            elif f.kind == "quote" and f.speaker:
                yield "person", f.speaker, f.speaker

    return canonical_names(entries())


def with_canonical_name(fact: Fact, table: Mapping[tuple[str, str], str]) -> Fact:
    """``fact`` with its name (or its quote's speaker) as ``table`` says."""
    if fact.kind in ("person", "place", "org") and isinstance(fact.value, str):
        value = table.get((fact.kind, fact.value), fact.value)
        if value != fact.value:
            return dataclasses.replace(fact, value=value)
    elif fact.kind == "quote" and fact.speaker:
        speaker = table.get(("person", fact.speaker), fact.speaker)
        if speaker != fact.speaker:
            return dataclasses.replace(fact, speaker=speaker)
    return fact

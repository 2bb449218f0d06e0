"""The claims vocabulary (search/data/claims.yaml) and the lemmas that match it.

Words are matched by lemma: lemminflect ships its English lemma tables in its wheel, so
"killed", "lost their lives" and "were told to leave their homes" find the base forms
the YAML lists without a hand list of inflections. It is imported on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "data"
WORD = re.compile(r"[^\W\d_][\w’'-]*|\d[\d,.]*\d|\d|%")


@dataclass(frozen=True, slots=True)
class Predicate:
    key: str
    label: str
    kind: str  # count | amount | share | duration | time | place | date
    triggers: tuple[tuple[str, ...], ...]
    near: int | None
    counts: frozenset[str]
    only_counts: bool
    units: frozenset[str]
    subject: str | None


@dataclass(frozen=True, slots=True)
class Vocabulary:
    predicates: tuple[Predicate, ...]
    skip: frozenset[str]
    distinct: frozenset[str]
    measures: frozenset[str]
    part_after: tuple[tuple[str, ...], ...]
    part_before: tuple[tuple[str, ...], ...]
    hedges: dict[str, tuple[int, int]]
    sites: frozenset[str]
    compound_units: frozenset[str]
    # first word of a trigger -> (trigger words, predicate index)
    first: dict[str, tuple[tuple[tuple[str, ...], int], ...]]


@cache
def _lemmatizer():  # type: ignore[no-untyped-def]
    from lemminflect import getAllLemmas

    return getAllLemmas


_LEMMAS: dict[str, frozenset[str]] = {}


def lemmas(word: str) -> frozenset[str]:
    """Every base form ``word`` can have ("lives": life, live), and the word itself."""
    low = word.lower().replace("’", "'")
    found = _LEMMAS.get(low)
    if found is None:
        forms = {low}
        if low[:1].isalpha() and "'" not in low:
            for options in _lemmatizer()(low).values():
                forms.update(options)
        found = _LEMMAS[low] = frozenset(forms)
    return found


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in WORD.findall(str(text)))


@cache
def vocabulary() -> Vocabulary:
    raw = yaml.safe_load((DATA / "claims.yaml").read_text(encoding="utf-8"))
    predicates = []
    for p in raw["predicates"]:
        predicates.append(
            Predicate(
                key=str(p["key"]),
                label=str(p["label"]),
                kind=str(p["kind"]),
                triggers=tuple(_phrase(t) for t in p.get("triggers", ())),
                near=int(p["near"]) if p.get("near") is not None else None,
                counts=frozenset(str(c).lower() for c in p.get("counts", ())),
                only_counts=bool(p.get("only_counts", False)),
                units=frozenset(str(u).lower() for u in p.get("units", ())),
                subject=p.get("subject"),
            )
        )
    first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for i, p in enumerate(predicates):
        for words in p.triggers:
            if words:
                first.setdefault(words[0], []).append((words, i))
    hedges = {str(k).lower(): (int(v[0]), int(v[1])) for k, v in raw["time_hedges"].items()}
    return Vocabulary(
        predicates=tuple(predicates),
        skip=frozenset(str(w) for w in raw["skip_words"]),
        distinct=frozenset(str(w).lower() for w in raw["distinct_groups"]),
        measures=frozenset(str(w).lower() for w in raw["measure_units"]),
        part_after=tuple(_phrase(w) for w in raw["part_after"]),
        part_before=tuple(_phrase(w) for w in raw["part_before"]),
        hedges=hedges,
        sites=frozenset(str(w).lower() for w in raw["site_nouns"]),
        compound_units=frozenset(str(w).lower() for w in raw["compound_units"]),
        first={k: tuple(v) for k, v in first.items()},
    )

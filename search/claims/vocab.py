"""The claims vocabulary (search/data/claims.yaml) and every inflection of its words.

The YAML lists base forms; lemminflect (its English tables ship in its wheel) gives each
its inflections once, when the vocabulary is loaded, so "killed", "lost their lives" and
"were told to leave their homes" match "kill", "lose life" and "leave home". A text word
is then a dictionary look-up, not a lemmatisation: only the vocabulary's few hundred
words are ever inflected. It is imported on first use (claims are built in the
background and kept beside the index).
"""

from __future__ import annotations

import contextlib
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
    people: bool = False  # counts people: a count of things does not take it
    noun_alone: bool = True  # a count of a listed noun states it with no trigger
    change: str | None = None  # rise | fall: the claim is itself a change ("pension rise")


@dataclass(frozen=True, slots=True)
class Frames:
    """What names a claim when no predicate does (claims.yaml: changes, rates, verbs,
    measures, landmarks; frames.py reads them)."""

    person_nouns: frozenset[str]
    person_suffixes: tuple[str, ...]
    not_person: frozenset[str]
    function_words: frozenset[str]
    synonyms: dict[str, str]  # a count noun -> the one its claim is named by
    measured: dict[str, str]  # a noun a measure can be of -> the one its claim is named by
    estimators: dict[str, str]  # a word of who estimates -> police | organisers
    changes: dict[tuple[str, ...], str]  # verb phrase -> rise | fall
    rate_words: frozenset[str]
    rate_nouns: frozenset[str]
    periods: frozenset[str]  # rate nouns that say how often, not what a price is of
    light_verbs: frozenset[str]
    measures: dict[
        tuple[str, ...], tuple[str, str, float]
    ]  # unit words -> dimension, label, factor
    measure_before: dict[tuple[str, ...], str]  # "magnitude 6.8": words -> dimension
    measure_before_words: frozenset[str]
    limits: frozenset[str]
    landmarks: frozenset[str]
    settlements: frozenset[str]  # "the town of Vellin": the nouns before "of <Name>"
    words: dict[str, frozenset[str]]  # frame_words: small lists the frames read
    change_after: dict[str, str]  # "4.2 percent lower": a word after a value -> rise | fall


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
    surface: dict[str, frozenset[str]]  # an inflected form -> the base words it can be
    compound_units: frozenset[str]
    # first word of a trigger -> (trigger words, predicate index)
    first: dict[str, tuple[tuple[tuple[str, ...], int], ...]]
    fallback_stop: frozenset[str] = frozenset()  # nouns too general for a count claim
    frames: Frames | None = None

    def counted(self, noun: str) -> Predicate:
        """The claim "how many <noun>" for a count no trigger reaches."""
        return _counted_predicate(noun)


def _inflections(word: str) -> set[str]:
    """``word`` and its inflections ("kill": kills, killed, killing)."""
    from lemminflect import getAllInflections, getAllInflectionsOOV

    found = {word}
    table = getAllInflections(word)
    if not table and word.isalpha():
        table = {**getAllInflectionsOOV(word, "NOUN"), **getAllInflectionsOOV(word, "VERB")}
    for forms in table.values():
        found.update(forms)
    return found


def _release_tables() -> None:
    """Let lemminflect's tables go once the vocabulary is inflected (tens of MB it would
    otherwise keep for the life of the process); it loads them again if asked."""
    with contextlib.suppress(Exception):  # its internals; at worst they stay
        from lemminflect.core.Inflections import Inflections

        table = Inflections()
        for name in ("infl_dict", "overrides_dict", "morph_style_model"):
            if hasattr(table, name):
                delattr(table, name)


def lemmas(word: str) -> frozenset[str]:
    """The vocabulary's base words ``word`` can be an inflection of, and the word itself."""
    low = word.lower().replace("’", "'")
    return vocabulary().surface.get(low, frozenset()) | {low}


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
                people=bool(p.get("people", False)),
                noun_alone=bool(p.get("noun_alone", True)),
                change=p.get("change"),
            )
        )
    first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for i, p in enumerate(predicates):
        for words in p.triggers:
            if words:
                first.setdefault(words[0], []).append((words, i))
    words = {w for p in predicates for t in p.triggers for w in t}
    for p in predicates:
        words |= p.counts | p.units
    for name in ("distinct_groups", "measure_units", "site_nouns", "landmark_nouns"):
        words |= {w for entry in raw[name] for w in _phrase(entry)}
    surface: dict[str, set[str]] = {}
    for word in sorted(words):
        if word[:1].isalpha():
            for form in _inflections(word):
                surface.setdefault(form.lower(), set()).add(word)
    _release_tables()
    hedges = {str(k).lower(): (int(v[0]), int(v[1])) for k, v in raw["time_hedges"].items()}
    return Vocabulary(
        predicates=tuple(predicates),
        skip=frozenset(str(w) for w in raw["skip_words"]),
        distinct=frozenset(str(w).lower() for w in raw["distinct_groups"]),
        measures=frozenset(
            str(w).lower() for w in (*raw["measure_units"], *raw.get("currencies", ()))
        ),
        part_after=tuple(_phrase(w) for w in raw["part_after"]),
        part_before=tuple(_phrase(w) for w in raw["part_before"]),
        hedges=hedges,
        sites=frozenset(str(w).lower() for w in raw["site_nouns"]),
        compound_units=frozenset(str(w).lower() for w in raw["compound_units"]),
        first={k: tuple(v) for k, v in first.items()},
        surface={k: frozenset(v) for k, v in surface.items()},
        fallback_stop=frozenset(str(w).lower() for w in raw.get("fallback_stop_nouns", ())),
        frames=_frames(raw),
    )


def _words(raw: dict, name: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in raw.get(name, ()))


def _frames(raw: dict) -> Frames:
    changes = {
        _phrase(verb): direction
        for direction, verbs in (raw.get("changes") or {}).items()
        for verb in verbs
    }
    measures: dict[tuple[str, ...], tuple[str, str, float, float]] = {}
    before: dict[tuple[str, ...], str] = {}
    for dimension, spec in (raw.get("measures") or {}).items():
        label = str(spec.get("label", dimension))
        for unit, factor in (spec.get("units") or {}).items():
            scale, offset = factor if isinstance(factor, list) else (factor, 0)
            measures[tuple(str(unit).lower().split())] = (
                str(dimension),
                label,
                float(scale),
                float(offset),
            )
        for words in spec.get("before", ()):
            before[tuple(str(words).lower().split())] = str(dimension)
    return Frames(
        person_nouns=_words(raw, "person_nouns") | _words(raw, "distinct_groups"),
        person_suffixes=tuple(str(s) for s in raw.get("person_suffixes", ())),
        not_person=_words(raw, "not_person_nouns"),
        function_words=_words(raw, "function_words") | _words(raw, "skip_words"),
        estimators={
            str(w).lower(): str(head).lower()
            for head, words in (raw.get("estimators") or {}).items()
            for w in words
        },
        measured={
            str(w).lower(): str(head).lower()
            for head, words in (raw.get("measure_subjects") or {}).items()
            for w in (head, *(words or ()))
        },
        synonyms={
            str(w).lower(): str(head).lower()
            for head, words in (raw.get("count_synonyms") or {}).items()
            for w in words
        },
        changes=changes,
        rate_words=_words(raw, "rate_words"),
        rate_nouns=_words(raw, "rate_nouns") | _words(raw, "rate_periods"),
        periods=_words(raw, "rate_periods"),
        light_verbs=_words(raw, "light_verbs"),
        measures=measures,
        measure_before=before,
        measure_before_words=frozenset(w for phrase in before for w in phrase),
        limits=_words(raw, "measure_limits"),
        landmarks=_words(raw, "landmark_nouns"),
        settlements=_words(raw, "settlement_nouns"),
        words={
            str(k): frozenset(str(w).lower() for w in ws)
            for k, ws in (raw.get("frame_words") or {}).items()
        },
        change_after={str(k): str(d) for k, d in (raw.get("change_after") or {}).items()},
    )


@cache
def plural(noun: str) -> str:
    from lemminflect import getInflection

    forms = getInflection(noun, "NNS")
    return forms[0] if forms else noun if noun.endswith("s") else noun + "s"


@cache
def frame_predicate(key: str, label: str, kind: str = "count") -> Predicate:
    """A claim its value's own words name (frames.py), not one of the vocabulary's."""
    return Predicate(key, label, kind, (), None, frozenset(), True, frozenset(), None)


@cache
def _counted_predicate(noun: str) -> Predicate:
    return Predicate(
        key=f"count:{noun}",
        label=f"number of {plural(noun)}",
        kind="count",
        triggers=(),
        near=None,
        counts=frozenset({noun}),
        only_counts=True,
        units=frozenset(),
        subject=None,
    )

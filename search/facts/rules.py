"""The fact rules: the YAML word lists and patterns (``data/facts_*.yaml``), loaded
once and compiled."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..rules import load_rules

# --------------------------------------------------------------------------------------------
# Rules (YAML), loaded once
# --------------------------------------------------------------------------------------------


def _load(name: str) -> dict[str, Any]:
    return load_rules(f"facts_{name}")


def _alt(words: Iterable[str]) -> str:
    """Regex alternation, longest first so 'just over' wins over 'over'."""
    return _alt_of(frozenset(words))


@cache
def _alt_of(words: frozenset[str]) -> str:
    """Built once per word set, and factored by first letter: ``K(?:yiv|harkiv)|...``.
    Python's ``re`` tries every branch of a flat alternation at every position it
    scans; factored, it tests one letter per group and enters only the group that can
    match. Exactly the same matches: words whose first letters differ (even ignoring
    case) can never match at the same position, and within a group the longest-first
    order is kept. A group whose words start with both cases of its letter stays flat
    (``Kyiv|kharkiv``), so case-sensitive patterns keep their meaning; first letters
    outside ASCII (whose case-insensitive equivalents are irregular) keep the flat form."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    if not all(w[:1].isascii() and w[:1].isalpha() for w in ordered):
        return "|".join(re.escape(w) for w in ordered)
    groups: dict[str, list[str]] = {}
    for w in ordered:
        groups.setdefault(w[0].lower(), []).append(w)
    parts = []
    for ws in groups.values():
        if len({w[0] for w in ws}) == 1 and len(ws) > 1:
            parts.append(re.escape(ws[0][0]) + "(?:" + "|".join(re.escape(w[1:]) for w in ws) + ")")
        else:
            parts.append("|".join(re.escape(w) for w in ws))
    return "|".join(parts)


def _grouped_alt(words: Iterable[str]) -> str:
    """The same alternation as :func:`_alt` (longest first), factored by first letter:
    ``K(?:yiv|harkiv)|...``. Under IGNORECASE Python's ``re`` tries every branch of a flat
    alternation at every word start; factored, it tests one letter per group and only
    enters the group that can match (much faster on the gazetteer). Only words
    starting with the same letter can match at one position, and their order within a
    group is kept, so the match found is the one the flat alternation finds."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    if not all(w[:1].isascii() and w[:1].isalpha() for w in ordered):
        return _alt(ordered)  # exotic first letters may be case-equivalent across groups
    groups: dict[str, list[str]] = {}
    for w in ordered:
        groups.setdefault(w[:1].lower(), []).append(w)
    return "|".join(
        re.escape(first) + "(?:" + "|".join(re.escape(w[1:]) for w in ws) + ")"
        for first, ws in groups.items()
    )


@dataclass
class _Rules:
    """Compiled form of the YAML data."""

    num: dict[str, Any]
    nouns: dict[str, Any]
    dates: dict[str, Any]
    speech: dict[str, Any]
    people: dict[str, Any]
    common: dict[str, Any]
    gazetteer: dict[str, tuple[str, str, bool]] = field(
        default_factory=dict
    )  # form -> (kind, canonical, sensitive)
    gaz_lower: dict[str, tuple[str, str, bool]] = field(
        default_factory=dict
    )  # case-insensitive entries
    gaz_re: re.Pattern[str] | None = None
    gaz_low_re: re.Pattern[str] | None = None  # gaz_re, lower-cased, for _folded texts
    places: dict[str, Any] = field(default_factory=dict)
    orgs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.places = _load("places")
        self.orgs = _load("orgs")
        sensitive = set(self.places.get("case_sensitive", [])) | set(
            self.orgs.get("case_sensitive", [])
        )
        entries: list[tuple[str, str, str]] = []
        for key in ("countries", "cities", "regions"):
            entries += [("place", n, n) for n in self.places.get(key, [])]
        for key in ("media", "bodies"):
            entries += [("org", n, n) for n in self.orgs.get(key, [])]
        for canonical, variants in (self.people.get("known") or {}).items():
            entries += [("person", n, canonical) for n in [canonical, *(variants or [])]]
        for kind, form, canonical in entries:
            sens = form.isupper() or form in sensitive or form.startswith("The ") or len(form) <= 3
            self.gazetteer.setdefault(form, (kind, canonical, sens))
            if not sens:
                self.gaz_lower.setdefault(form.lower(), (kind, canonical, sens))
        self.gaz_re = re.compile(
            rf"(?<![\w-])(?:{_grouped_alt(f for _, f, _ in entries)})(?![\w]|-\w)",
            re.IGNORECASE,
        )
        # the same scan, case-sensitive over the lower-cased text (cheaper than IGNORECASE)
        forms = [f for _, f, _ in entries]
        if not any(_NOT_FOLDABLE.search(f) for f in forms):
            self.gaz_low_re = re.compile(
                rf"(?<![\w-])(?:{_grouped_alt(f.lower() for f in forms)})(?![\w]|-\w)"
            )
        self.never = set(self.common["never_names"])
        self.demonyms = set(self.people["demonyms"])
        self.titles = set(self.people["titles"])
        self.title_mods = set(self.people["title_modifiers"])
        self.roles = set(self.people["roles"])
        self.role_refs = set(self.people["role_refs"])
        self.given = set(self.people["given_names"])
        self.months = {k: int(v) for k, v in self.dates["months"].items()}
        self.weekdays = {k: int(v) for k, v in self.dates["weekdays"].items()}
        verbs = self.speech["speech_verbs"]
        self.verb_re = re.compile(rf"\b(?:{_alt(verbs)})\b", re.IGNORECASE)
        self.verbs = {v.lower() for v in verbs}
        self.pronouns = set(self.speech["pronouns"])
        self.not_acronyms = set(self.orgs["not_acronyms"])
        self.org_heads = set(self.orgs["org_heads"])
        self.place_heads = set(self.places["place_heads"])
        self.place_heads_lower = set(self.places["place_heads_lower"])
        self.place_preps = set(self.places["place_preps"])
        self.abbrev = set(self.common["abbreviations"])
        n = self.num["number_words"]
        self.number_words = {w: None for w in n["units"] + n["tens"] + list(n["scales"])}
        self.scales = n["scales"]
        self.irregular = self.nouns["irregular"]
        self.known_nouns = set(self.irregular.values()) | set(self.nouns["singular_ok"])
        self.modifiers = set(self.nouns["modifiers"])
        self.stop = set(self.nouns["stop"])
        self.not_nouns = set(self.nouns["not_nouns"])
        self.qual_re = re.compile(rf"(?<![\w-])({_alt(self.num['qualifiers'])})\s+$", re.IGNORECASE)


@cache
def _rules() -> _Rules:
    return _Rules(
        num=_load("numbers"),
        nouns=_load("nouns"),
        dates=_load("dates"),
        speech=_load("speech"),
        people=_load("people"),
        common=_load("common"),
    )


@cache
def _w2n():
    """word2number, imported on first use; cached to keep the import in one place."""
    from word2number import w2n

    return w2n


# Characters for which ``str.lower`` does not mirror re.IGNORECASE: a longer lower case
# (İ), a lower case that depends on the next letter (Σ), or a case class re joins to
# another letter (ı and i, ſ and s, K and k, µ and μ, Greek and old Cyrillic variants).
# Computed over all of Unicode with re._casefix (Python 3.11); lower-casing keeps \w
# and non-\w characters as they are. In a text without them, ``text.lower()`` has the
# same length, and an IGNORECASE pattern matches ``text`` where its lower-cased form
# matches ``text.lower()``, at the same positions.
_NOT_FOLDABLE = re.compile(
    "[\u00b5\u0130-\u0131\u017f\u0345\u0390\u0392\u0395\u0398-\u039a\u039c"
    "\u03a0-\u03a1\u03a3\u03a6\u03b0\u03b2\u03b5\u03b8-\u03ba\u03bc\u03c0-\u03c3"
    "\u03c6\u03d0-\u03d1\u03d5-\u03d6\u03f0-\u03f1\u03f5\u0412\u0414\u041e"
    "\u0421-\u0422\u042a\u0432\u0434\u043e\u0441-\u0442\u044a\u0462-\u0463"
    "\u1c80-\u1c88\u1e60-\u1e61\u1e9b\u1fbe\u1fd3\u1fe3\u212a\ua64a-\ua64b"
    "\ufb05-\ufb06]"
)

"""Hard facts of a passage: numbers and what they count, dates, people, places,
organisations, and quotes with their speaker.

Rule-based on purpose: it runs offline, in milliseconds per passage, and every decision can be
traced to a rule. Word lists and rules live in ``data/facts_*.yaml``; this module only knows
the shapes of the patterns. Spelled numbers go through word2number; weekday and month
arithmetic through dateutil.relativedelta.

Conventions (documented here because other modules and tests rely on them):

* ``Fact.start/end`` index ``passage.text`` and ``passage.text[start:end] == fact.text``.
* Numbers: ``text`` is the number as written without its qualifier ("500", "2–3",
  "several hundred", "an hour"); ``qualifier`` is the word(s) before it ("over", "at least");
  ranges have ``value`` = low and ``high`` = upper bound and are approximate; vague amounts
  ("several hundred", "dozens", "tens of thousands") have ``value`` = a low bound and
  ``high`` = an upper bound from ``facts_numbers.yaml`` (several hundred = 200..900).
* Dates: ``value`` is ISO: 'YYYY-MM-DD' for a day, 'YYYY-MM' for a month, 'YYYY' for a year,
  'YYYY-Www' (ISO week) for "next week"/"this week". A range ("between June 20 and 30") is one
  fact whose value is the start date; ``high`` stays None. A weekday is the latest such day
  on/before the article date, or the first on/after it when its sentence looks forward
  ("will", "next"...). Without an article date, anything relative (weekdays, "today",
  "next week", a month or day without a year) has value None: never guessed.
* Names are as written (possessive dropped) or the gazetteer's canonical form; run
  :func:`canonicalize` over the whole corpus to join "Umerov" to "Rustem Umerov".
* Quotes: ``text`` includes the quote marks, ``value`` is the inner text without a trailing
  comma; ``speaker`` is the name (not yet canonical) where the text says, else None. Quotes of
  fewer than ``min_quote_words`` words (scare quotes) are skipped.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from search.models import Fact, Passage
from search.names import canonical_names

__all__ = ["canonicalize", "extract_article_facts", "extract_facts"]

_DATA = Path(__file__).parent / "data"
# the C loader reads the word lists ~5x faster than the pure-Python one where it is built
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_WORD = r"[^\W\d_](?:[\w’'.-]*[^\W_])?"
_CAP_TOKEN = re.compile(r"[^\W\d_][\w’'-]*(?:\.(?=[\w]\.)[\w])*\.?")
_QUOTE_CHARS = '"“”«»„'
_QUOTE_MARK = re.compile(f"[{_QUOTE_CHARS}]")
_DASHES = "–—-"
_SPACE_DASH = re.compile(f"\\s[{_DASHES}]")  # where a closing "– said Medinsky." can start


# --------------------------------------------------------------------------------------------
# Rules (YAML), loaded once
# --------------------------------------------------------------------------------------------


def _load(name: str) -> dict[str, Any]:
    with open(_DATA / f"facts_{name}.yaml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER) or {}


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
    enters the group that can match (5x faster on the 664-name gazetteer). Only words
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
        # the same scan, case-sensitive over the lower-cased text: 2.7x faster
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


_CACHE: dict[str, Any] = {}


def _cached(key: str, build: Any) -> Any:
    """A value derived from the rules (an alternation, a compiled pattern, a word set),
    built on first use: the extractor needs the same ones for every passage."""
    try:
        return _CACHE[key]
    except KeyError:
        _CACHE[key] = value = build(_rules())
        return value


@cache
def _compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


@cache
def _w2n():
    """word2number is tiny (<1 ms import); cached to keep the import in one place."""
    from word2number import w2n

    return w2n


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

_URL = re.compile(
    r"<?https?://\S+|www\.\S+|\]\([^)]*\)|\S+@\S+\.\w+|\b[\w-]+\.(?:txt|md|html?|pdf|jpe?g|png|gif|csv|json|docx?|xlsx?)\b",
    re.IGNORECASE,
)


# every match of _URL holds one of these (lower-cased): "://", "www.", "](", "@" or a
# file name's extension
_URL_NEEDLES = re.compile(r"://|www\.|\]\(|@|\.(?:txt|md|htm|pdf|jp|png|gif|csv|json|doc|xls)")


def _masks(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans never read as facts: URLs, markdown link targets, e-mails, file names.
    ``low``: ``_folded(text)``, to skip the scan where nothing can match."""
    if not _may_hold(_folded(text) if low is None else low, _URL_NEEDLES):
        return []
    return [m.span() for m in _URL.finditer(text)]


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


def _folded(text: str) -> str | None:
    """``text.lower()``, for the cheap tests (``_may_hold``) that skip scans which cannot
    match and for the gazetteer scan; None (nothing skipped, the IGNORECASE patterns
    run) when ``text`` holds a character above."""
    if not text.isascii() and _NOT_FOLDABLE.search(text):
        return None
    return text.lower()


def _may_hold(low: str | None, needles: re.Pattern[str]) -> bool:
    """Can a scan whose every match holds one of ``needles`` (ASCII, lower-case) match
    the text whose ``_folded`` form is ``low``?"""
    return low is None or needles.search(low) is not None


def _needles(phrases: Iterable[str], case: bool = False) -> re.Pattern[str]:
    """Finds one of the substrings that every match of an alternation of ``phrases``
    holds: each phrase's longest word (the last of equals: "week" in "this week"),
    lower-cased (or ``case``: capitalised, for names matched as written), minus those
    holding a shorter one. One scan for literals: re skips to their first letters."""
    words = {max(reversed(p.lower().split()), key=len) for p in phrases}
    if not all(w.isascii() for w in words):  # the test on _folded text holds for ASCII only
        return re.compile("")  # matches every text: nothing is skipped
    kept = sorted(w for w in words if not any(v != w and v in w for v in words))
    return re.compile("|".join(re.escape(w.capitalize() if case else w) for w in kept))


def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


@lru_cache(maxsize=64)
def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: split after . ! ? (and closing quotes) before a capital, a quote or
    a dash, not after known abbreviations; newlines always split. Cached: the date,
    number, name and quote finders all ask for the same passage's (never modified)."""
    rules = _rules()
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        if m.group().strip():
            word = _prev_word(text, m.start() + 1)
            if word in rules.abbrev or _INITIALS.fullmatch(word):
                continue
        spans.append((start, m.start() + len(m.group().rstrip())))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _sentence_at(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    i = bisect.bisect_right(sentences, (pos, len(sentences) + 10**12)) - 1
    if i >= 0 and sentences[i][0] <= pos <= sentences[i][1]:
        return sentences[i]
    return (0, 0)


def _prev_word(text: str, pos: int, floor: int = 0) -> str:
    """The whitespace-separated word ending before ``pos`` (a bounded look-back: passages
    can be long)."""
    words = text[max(floor, pos - 60) : pos].split()
    return words[-1] if words else ""


def _lemma(word: str) -> str:
    """Singular of a (lower-case) noun: YAML irregulars, then English plural endings."""
    rules = _rules()
    if word in rules.irregular:
        return rules.irregular[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _is_plural(word: str) -> bool:
    rules = _rules()
    if word in rules.irregular:
        return True
    return (
        word.endswith("s")
        and not word.endswith(("ss", "us", "is", "'s", "’s"))
        and word not in rules.not_nouns
        and word not in rules.stop
        and len(word) > 3
    )


def _is_modifier(word: str) -> bool:
    rules = _rules()
    if word in rules.modifiers or word in rules.demonyms or word.lower() in rules.modifiers:
        return True
    if word[:1].isupper() and word.rstrip("s") in rules.demonyms:
        return True
    if word.lower() in rules.known_nouns or word.lower() in rules.irregular:
        return False
    return (
        word.islower() and word.endswith(tuple(rules.nouns["modifier_suffixes"])) and len(word) > 4
    )


_TOKEN = re.compile(r"[^\W\d_][\w’'-]*|\S")
_DIGIT = re.compile(r"\d")
# Patterns of the per-word, per-number and per-name tests, compiled once: ``re.match``
# with a pattern string looks it up in re's cache on every call (~0.3 µs; half a million
# calls per 10k passages). Where a test read ``text[pos:]`` it now matches at ``pos``
# (the same result for patterns that do not look behind their start: no copy of the rest
# of the passage per number or name).
_SENT_END = re.compile(r"[.!?…]+[\"”’»)\]*]*\s+(?=[\"“«(\[*–—-]?\s*[A-Z0-9ÀÇ-ÝĀ-ſ])|\n+")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_DASH_WORD = re.compile(r"-[a-z]")
_ALPHA_WORD = re.compile(r"[A-Za-z’'-]+")
_CAP_AFTER = re.compile(r"\s+([A-Z]\w*)")
_DIGIT_DASH_DIGIT = re.compile(r"\d-\d")
_DIGIT_DOT_DIGIT = re.compile(r"\d\.\d")
_YEAR = re.compile(r"(?<![\w,.$/-])(?:1[89]|20)\d\d(?![\w,/-]|\.\d)")
_NUMBER = re.compile(r"\d[\d,]*\d(?:\.\d+)?|\d(?:\.\d+)?")
_SUFFIX_SCALE = re.compile(r"(?:k|m|bn|mln)\b")
_NOT_A_NUMBER_END = re.compile(r"[:/]\d|[.,]\d|-\d{2}\b")
_LETTERS_AFTER = re.compile(r"\s*([A-Za-z.]+)")
_LIST_COMMA = re.compile(r",\d{1,2}(?!\d)|,\d{4}")
_OF_AFTER = re.compile(r"\s+of\b")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.I)
_RANGE_GAP = re.compile(r"\s*(?:[–—-]|to)\s*")
_AND_GAP = re.compile(r"\s+and\s+")
_THE_BEFORE = re.compile(r"\bthe\s+$")
_WORD_AFTER = re.compile(r"\s*([\w’']+)")
_TITLE_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_SLASH_PAIR = re.compile(r"(?<![\w/])([A-Z][\w’'-]+)/([A-Z][\w’'-]+)(?![\w/])")
_DOTTED = re.compile(r"(?:\w\.)+")
_POSSESSIVE = re.compile(r"['’]s?$")
_POSSESSIVE_ENDS = ("'", "’", "'s", "’s")  # what _POSSESSIVE can remove from a word
_POSSESSIVE_S = re.compile(r"['’]s$")
_OF_TAIL = re.compile(r"\s+of\s+(?:the\s+)?((?:[A-Z][\w’'-]*\s?)+)")
_MEDIA_CUE = re.compile(r",?\s+(?:said|reported|reports|wrote),?\s+citing\b")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,5}")
_OPEN_PAREN = re.compile(r"\s*\(\s*")
_LOWER_LETTER = re.compile(r"[a-zà-ÿā-ſ]")
_APPOSITIVE = re.compile(r",\s+(?:the\s+|a\s+|an\s+)?(?:former\s+|then\s+|acting\s+)?([^.;]{0,80})")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_VERB_AFTER = re.compile(r"(?:,?\s+(?:who|also|then|later|again|further|had|has|have))?\s+(\w+)")
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|told|added|noted|stated|emphasized|emphasised|stressed|wrote)\s+$",
    re.IGNORECASE,
)
_POSSESSIVE_AFTER = re.compile(r"['’]s?\b")
_ACCORDING_BEFORE = re.compile(r"\baccording to\s+$", re.IGNORECASE)
_SUBJECT_VERB = re.compile(
    r"(?:,\s+who|\s+(?:also|then|later|again|further|had|has|have|was|is|will|would))*\s+([a-z]+)"
)
_LEAD_WORD = re.compile(r"[\w’'-]+")


def _noun_after(text: str, pos: int, allow_of: bool) -> str | None:
    """The noun a number at ``pos`` counts: the first noun after it, skipping modifiers."""
    rules = _rules()
    rest = text[pos : pos + 80]
    if rest.startswith("-") and _DASH_WORD.match(rest):  # "10-year", "2-day"
        rest = " " + rest[1:]
    skipped_of = False
    for i, m in enumerate(_TOKEN.finditer(rest)):
        word = m.group()
        low = word.lower()
        if i > 5:
            return None
        if low == "of" and allow_of and not skipped_of and i == 0:
            skipped_of = True
            continue
        if not word[0].isalpha():
            return None
        if low in rules.irregular:
            return rules.irregular[low]
        if low in rules.known_nouns:
            return low
        if word[:1].isupper() and word.endswith("s") and word[:-1] in rules.demonyms:
            return low[:-1]  # "54,000 Palestinians"
        if _is_modifier(word):
            continue
        if low in rules.stop or low in rules.not_nouns or not word.islower():
            return None
        if _is_plural(low):
            return _lemma(low)
        return None
    return None


def _noun_before(text: str, start: int, sent_start: int) -> str | None:
    """The nearest plural noun before ``start`` in its sentence; for "bodies of fallen
    soldiers" the head ("bodies") wins."""
    rules = _rules()
    words = [(m.group(), m.start()) for m in _ALPHA_WORD.finditer(text, sent_start, start)]
    for i in range(len(words) - 1, -1, -1):
        low = words[i][0].lower()
        if low in rules.not_nouns or low in rules.stop or not words[i][0].islower():
            continue
        if low in rules.irregular or _is_plural(low):
            j = i - 1
            while j >= 0 and _is_modifier(words[j][0]):
                j -= 1
            if j >= 1 and words[j][0] == "of":
                head = words[j - 1][0].lower()
                if head in rules.irregular or _is_plural(head):
                    return _lemma(head)
            return _lemma(low)
    return None


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


@dataclass
class _Span:
    start: int
    end: int
    fact: Fact


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _shift(anchor: dt.date, unit: str, offset: int) -> str:
    from dateutil.relativedelta import relativedelta

    if unit == "day":
        return (anchor + dt.timedelta(days=offset)).isoformat()
    if unit == "week":
        return _iso_week(anchor + dt.timedelta(weeks=offset))
    if unit == "month":
        return (anchor + relativedelta(months=offset)).strftime("%Y-%m")
    return str(anchor.year + offset)


def _weekday(anchor: dt.date, weekday: int, direction: str) -> str:
    """direction: past (on/before), future (on/after), last (before), next (after)."""
    from dateutil.relativedelta import relativedelta, weekdays

    wd = weekdays[weekday]
    if direction == "past":
        return (anchor + relativedelta(weekday=wd(-1))).isoformat()
    if direction == "future":
        return (anchor + relativedelta(weekday=wd(+1))).isoformat()
    if direction == "last":
        return (anchor - dt.timedelta(days=1) + relativedelta(weekday=wd(-1))).isoformat()
    return (anchor + dt.timedelta(days=1) + relativedelta(weekday=wd(+1))).isoformat()


def _ymd(year: int | None, month: int, day: int | None) -> str | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day).isoformat() if day else f"{year:04d}-{month:02d}"
    except ValueError:
        return None


@cache
def _date_patterns(month_alt: str) -> tuple[re.Pattern[str], ...]:
    """ISO, dotted, ranges, month-day, day-month, month-year: compiled once."""
    month = rf"(?P<m>{month_alt})\.?"
    day = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<y>(?:1[89]|20)\d\d)"
    return tuple(
        re.compile(p)
        for p in (
            r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b",
            r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\b",
            # between June 20 and 30 / June 20-30 / from June 20 to 30
            rf"(?:\b(?P<b>between|from)\s+)?\b{month}\s+{day}\s*(?(b)(?:and|to|[–—-])|(?:[–—-]|to))\s*(?:{month_alt}\.?\s+)?"
            rf"[0-3]?\d(?:st|nd|rd|th)?\b(?:,?\s+{year})?",
            rf"\b{month}\s+{day}\b(?:,?\s+{year}\b)?(?!\s*[:.]\d)",
            rf"\b{day}\s+{month}\b(?:,?\s+{year}\b)?",
            rf"\b{month}\s+(?:of\s+)?{year}\b",
            # after a weekday: "Thursday, July 3"
            rf",?\s+{month}\s+{day}\b(?:,?\s+{year}\b)?",
        )
    )


def _find_dates(
    text: str,
    anchor: dt.date | None,
    masks: list[tuple[int, int]],
    passage: Passage,
    low: str | None,
) -> list[_Span]:
    rules = _rules()
    found: list[_Span] = []
    taken: list[tuple[int, int]] = list(masks)
    sentences = _sentences(text)
    month_alt = _cached("month_alt", lambda r: _alt(k.capitalize() for k in r.months))
    *day_patterns, explicit_re = _date_patterns(month_alt)
    ayear = anchor.year if anchor else None

    def add(start: int, end: int, value: str | None) -> None:
        if _overlaps((start, end), taken):
            return
        taken.append((start, end))
        found.append(_Span(start, end, _fact(passage, "date", start, end, value)))

    def month_no(name: str) -> int:
        return rules.months[name.lower().rstrip(".")]

    ymd = lambda m: _ymd(int(m["y"]), int(m["m"]), int(m["d"]))  # noqa: E731
    md = lambda m: _ymd(int(m["y"]) if m["y"] else ayear, month_no(m["m"]), int(m["d"]))  # noqa: E731
    values = (ymd, ymd, md, md, md, lambda m: _ymd(int(m["y"]), month_no(m["m"]), None))
    patterns = zip(day_patterns, values, strict=True)
    # every pattern above needs a digit, and all but the first two a month name: one
    # scan for each tells which can match at all
    has_digit = _DIGIT.search(text) is not None
    # month and weekday names are matched as written (capitalised): a substring test
    months_in = _cached("month_needles", lambda r: _needles(r.months, case=True)).search(text)
    has_month = has_digit and months_in
    # 2025-06-20 needs a digit, a dash, a digit; 20.06.2025 a digit, a dot, a digit
    can_match = (
        has_digit and "-" in text and _DIGIT_DASH_DIGIT.search(text) is not None,
        has_digit and _DIGIT_DOT_DIGIT.search(text) is not None,
    )
    for n, (pattern, value) in enumerate(patterns):
        if not (can_match[n] if n < 2 else has_month):
            continue
        for m in pattern.finditer(text):
            if m.groupdict().get("d") and not 1 <= int(m["d"]) <= 31:
                continue
            add(m.start(), m.end(), value(m))

    # bare months: "in January", "the May talks"
    triggers = _cached("month_triggers", lambda r: set(r.dates["month_triggers"]))
    ambiguous = _cached("ambiguous_months", lambda r: set(r.dates["ambiguous_months"]))
    for m in _compiled(rf"\b(?:{month_alt})\b(?!\.\w)").finditer(text) if months_in else ():
        name = m.group().lower()
        trig = _prev_word(text, m.start()).lower().strip("(,") in triggers
        nxt = _CAP_AFTER.match(text, m.end())
        if name in ambiguous and not trig or (not trig and nxt) or len(name) <= 3 and name != "may":
            continue
        if name not in rules.months:
            continue
        add(m.start(), m.end(), _ymd(ayear, rules.months[name], None))

    # years: "in 2022", "the fall of 2022"
    ytriggers = _cached("year_triggers", lambda r: set(r.dates["year_triggers"]))
    years_in = has_digit and ("20" in text or "19" in text or "18" in text)
    for m in _YEAR.finditer(text) if years_in else ():
        if _prev_word(text, m.start()).lower() in ytriggers:
            add(m.start(), m.end(), m.group())

    # weekdays
    wd_alt = _cached("wd_alt", lambda r: _alt(k.capitalize() for k in r.weekdays))
    cues = _cached(
        "cues", lambda r: re.compile(rf"\b(?:{_alt(r.dates['future_cues'])})\b", re.IGNORECASE)
    )
    weekdays_in = _cached("weekday_needles", lambda r: _needles(r.weekdays, case=True)).search(text)
    for m in (
        _compiled(
            rf"\b(?:(?P<rel>next|last|this|[Nn]ext|[Ll]ast|[Tt]his)\s+)?(?P<wd>{wd_alt})\b"
        ).finditer(text)
        if weekdays_in
        else ()
    ):
        rel = (m["rel"] or "").lower()
        s, e = _sentence_at(sentences, m.start())
        direction = {"next": "next", "last": "last"}.get(rel) or (
            "future" if cues.search(text[s:e]) else "past"
        )
        start = m.start() if rel in ("next", "last") else m.start("wd")
        value = _weekday(anchor, rules.weekdays[m["wd"].lower()], direction) if anchor else None
        explicit = explicit_re.match(text, m.end())
        if explicit:  # "Thursday, July 3": the date says which Thursday
            value = _ymd(
                int(explicit["y"]) if explicit["y"] else ayear,
                month_no(explicit["m"]),
                int(explicit["d"]),
            )
        add(start, m.end(), value)

    # relative expressions: today, next week, a month ago ...
    rel = rules.dates["relative"]
    rel_re = _cached("rel", lambda r: re.compile(rf"\b(?:{_alt(rel)})\b", re.IGNORECASE))
    rel_in = _may_hold(low, _cached("rel_needles", lambda r: _needles(rel)))
    for m in rel_re.finditer(text) if rel_in else ():
        spec = rel[m.group().lower()]
        add(
            m.start(),
            m.end(),
            _shift(anchor, spec["unit"], int(spec["offset"])) if anchor else None,
        )
    return found


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------


@dataclass
class _Num:
    start: int
    end: int
    value: float | int
    high: float | int | None = None
    kind: str = "digit"  # digit | word | vague | article
    counts: str | None = None


def _int(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _number_atoms(text: str, blocked: list[tuple[int, int]], low: str | None) -> list[_Num]:
    rules = _rules()
    atoms: list[_Num] = []
    num = rules.num
    digit_scales = num["digit_scales"]
    not_after = _cached("not_after", lambda r: {w.lower() for w in r.num["not_after"]})

    for m in _NUMBER.finditer(text):
        s, e = m.span()
        before = text[s - 1] if s else " "
        before2 = text[s - 2] if s > 1 else " "
        after = text[e : e + 1]
        if before.isalpha() or before in "#/:._" or (before == "-" and (before2.isalnum())):
            continue
        if after.isalpha() and not _SUFFIX_SCALE.match(text[e : e + 4]):
            continue
        if _NOT_A_NUMBER_END.match(text[e : e + 4]) or after in "_@":
            continue
        word_after = _LETTERS_AFTER.match(text, e)
        if word_after and word_after[1].lower().rstrip(",") in not_after:
            continue
        raw = m.group()
        if "," in raw and _LIST_COMMA.search(raw):  # not a thousands separator: a list "1,2"
            continue
        if len(raw.replace(",", "").split(".")[0]) > 8:
            continue
        value: float = float(raw.replace(",", ""))
        sc = _cached(
            "digit_scales", lambda r: re.compile(rf"\s*({_alt(digit_scales)})\b", re.IGNORECASE)
        ).match(text, e)
        if sc and (sc[1].lower() in digit_scales or sc[1] in digit_scales):
            value *= digit_scales.get(sc[1].lower(), digit_scales.get(sc[1], 1))
            e = sc.end()
        if _overlaps((s, e), blocked):
            continue
        atoms.append(_Num(s, e, _int(value)))

    words = _cached("number_words", lambda r: _alt(r.number_words))
    after_scale = "|".join(f"(?<={w})" for w in rules.scales)
    words_in = _may_hold(low, _cached("number_needles", lambda r: _needles(r.number_words)))
    for m in (
        _compiled(
            rf"\b(?:an?\s+)?(?:{words})(?:(?:(?:{after_scale})\s+and\s+|[\s-]+)(?:{words}))*\b",
            re.IGNORECASE,
        ).finditer(text)
        if words_in
        else ()
    ):
        s, e = m.span()
        phrase = m.group().lower()
        if phrase.startswith(("a ", "an ")):
            if not any(phrase.endswith(x) for x in rules.scales):
                continue
            phrase = "one " + phrase.split(None, 1)[1]
        if text[e : e + 1] == "-" or (s and text[s - 1] == "-") or _overlaps((s, e), blocked):
            continue  # "two-part", "all-for-all"
        try:
            value = _w2n().word_to_num(phrase.replace("-", " "))
        except ValueError:
            continue
        blockers = num["number_words"]["one_blockers_before"]
        if phrase == "one" and _prev_word(text, s).lower() in blockers:
            continue  # "each one", "the one
        atoms.append(_Num(s, e, value, kind="word"))

    vague = num["vague"]
    scale_alt = _cached("scales", lambda r: _alt(r.scales))
    vague_re = _cached(
        "vague",
        lambda r: re.compile(
            rf"\b(?P<p>{_alt(vague['prefixes'])})\s+(?P<s>(?:{scale_alt})s?)\b|\b(?P<ps>(?:{scale_alt})s)(?=\s+of\b)|\b(?P<w>{_alt(vague['words'])})\b",
            re.IGNORECASE,
        ),
    )
    # every vague amount holds a scale word ("several hundred") or a vague word
    vague_in = _may_hold(
        low, _cached("vague_needles", lambda r: _needles([*r.scales, *vague["words"]]))
    )
    for m in vague_re.finditer(text) if vague_in else ():
        s, e = m.span()
        if _overlaps((s, e), blocked):
            continue
        if m["p"]:
            lo, hi = vague["prefixes"][m["p"].lower()]
            mult = rules.scales[m["s"].lower().rstrip("s")]
        elif m["ps"]:
            lo, hi = vague["plural_scale"]
            mult = rules.scales[m["ps"].lower().rstrip("s")]
        else:
            lo, hi = vague["words"][m["w"].lower()]
            mult = 1
            if lo != hi and not _OF_AFTER.match(text, e):
                continue
        atoms.append(
            _Num(s, e, _int(lo * mult), None if lo == hi else _int(hi * mult), kind="vague")
        )

    au = num["article_units"]
    au_re = _cached(
        "article_units",
        lambda r: re.compile(rf"\b(an?)\s+({_alt(au['units'])})\b", re.IGNORECASE),
    )
    for m in au_re.finditer(text):
        qualified = rules.qual_re.search(text[max(0, m.start() - 40) : m.start()])
        bare = _prev_word(text, m.start()).lower() in au["bare_triggers"]
        if (qualified or bare) and not _overlaps(m.span(), blocked):
            atoms.append(_Num(m.start(), m.end(), 1, kind="article", counts=m[2].lower()))

    atoms.sort(key=lambda a: (a.start, -a.end))
    out: list[_Num] = []
    for a in atoms:  # drop atoms inside longer ones ("a hundred" vs "hundred")
        if out and a.start < out[-1].end:
            continue
        out.append(a)
    return out


def _find_numbers(
    text: str, blocked: list[tuple[int, int]], passage: Passage, low: str | None
) -> list[_Span]:
    rules = _rules()
    num = rules.num
    atoms = _number_atoms(text, blocked, low)
    sentences = _sentences(text)
    # merge ranges: "2–3", "18 to 25", "between two and three"
    merged: list[tuple[_Num, bool]] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if (
            i + 1 < len(atoms)
            and a.kind in ("digit", "word")
            and atoms[i + 1].kind in ("digit", "word")
        ):
            b = atoms[i + 1]
            gap = text[a.end : b.start]
            between = _BETWEEN_BEFORE.search(text[max(0, a.start - 20) : a.start])
            if _RANGE_GAP.fullmatch(gap) or (between and _AND_GAP.fullmatch(gap)):
                merged.append((_Num(a.start, b.end, a.value, b.value, a.kind), True))
                i += 2
                continue
        merged.append((a, False))
        i += 1

    ymin, ymax = num["year_range"]
    found = []
    pre_re = _cached(
        "preceding_counts",
        lambda r: re.compile(rf"\b({_alt(num['preceding_counts'])})\s+$", re.IGNORECASE),
    )
    unit_re = _cached(
        "unit_words", lambda r: re.compile(rf"\s*(?:{_alt(num['unit_words'])})\b", re.IGNORECASE)
    )
    sym_re = _cached("symbols", lambda r: re.compile(rf"({_alt(num['symbols'])})\s*$"))
    for a, is_range in merged:
        s, e = a.start, a.end
        sent_start, _ = _sentence_at(sentences, s)
        before = text[max(sent_start, s - 40) : s]
        qualifier = approx = None
        counts = a.counts
        # what it counts: a unit symbol, a phrase before it ("the age of"), a noun after it,
        # or for digits without a noun, the nearest plural before it in the sentence
        pre = pre_re.search(before)
        if text[e : e + 1] == "%" or unit_re.match(text, e):
            counts = "percent"
        sym = sym_re.search(text[max(0, s - 3) : s])
        if sym and counts is None and sym[1] != "%":
            counts = num["symbols"][sym[1]]
        if counts is None and pre:
            counts = num["preceding_counts"][pre[1].lower()]
            before = before[: pre.start()]
            before = _THE_BEFORE.sub("", before)
        if counts is None:
            counts = _noun_after(text, e, allow_of=a.kind == "vague")
        if (
            a.kind == "digit"
            and not is_range
            and "," not in text[s:e]
            and ymin <= a.value <= ymax
            and counts is None
        ):
            continue  # a year
        if counts is None and a.kind == "word":
            continue  # spelled numbers must count something ("one of", "each one")
        if counts is None and a.kind == "digit":
            nxt = _WORD_AFTER.match(text, e)
            if not nxt or nxt[1].lower() in rules.stop or not nxt[1].isalpha():
                counts = _noun_before(text, s, sent_start)
        q = rules.qual_re.search(before)
        if q:
            qualifier = q[1]
            approx = num["qualifiers"][q[1].lower()]
        approximate = bool(approx) or is_range or a.kind == "vague" and a.high is not None
        found.append(
            _Span(
                s,
                e,
                _fact(
                    passage,
                    "number",
                    s,
                    e,
                    a.value,
                    counts=counts,
                    approximate=approximate,
                    qualifier=qualifier,
                    high=a.high,
                ),
            )
        )
    return found


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


@dataclass
class _Mention:
    """A person (or org) named in the text, kept to resolve quotes' speakers."""

    start: int
    end: int
    value: str
    kind: str
    roles: set[str] = field(default_factory=set)
    subject: bool = False


def _title_case(text: str) -> bool:
    if text.rstrip().endswith((".", "!", "?", '"', "”", ":", ";")):
        return False
    words = _TITLE_WORD.findall(text)
    long = [w for w in words if len(w) > 3]
    return len(long) >= 3 and sum(w[0].isupper() for w in long) / len(long) >= 0.6


def _find_names(
    text: str, blocked: list[tuple[int, int]], passage: Passage, known: set[str]
) -> tuple[list[_Span], list[_Mention]]:
    """People, places and organisations. ``known`` holds single-word names already seen
    (surnames of earlier full names) so that "According to Umerov" is a person."""
    return _choose_names(_name_candidates(text), blocked, passage, known)[:2]


@dataclass
class _NameCands:
    """The part of name finding that does not depend on ``known``: every candidate in
    order, with a person slot (the arguments of :func:`_person_in_run`) where a run may
    hold a person. Computed once per passage, chosen from once or twice."""

    text: str
    sentences: list[tuple[int, int]]
    items: list[Any]  # a candidate tuple, or ("person", run, words, sent_start, in_heading)


def _name_candidates(text: str) -> _NameCands:
    rules = _rules()
    cands: list[Any] = []  # (start, end, kind, value, priority) or a person slot
    sentences = _sentences(text)
    heading = {i: _title_case(text[s:e]) for i, (s, e) in enumerate(sentences)}

    def sent_index(pos: int) -> int:
        return max(0, bisect.bisect_right(sentences, (pos, len(text) + 1)) - 1)

    # 1. gazetteer
    assert rules.gaz_re is not None
    low = _folded(text) if rules.gaz_low_re is not None else None
    gaz = rules.gaz_re.finditer(text) if low is None else rules.gaz_low_re.finditer(low)  # type: ignore[union-attr]
    for m in gaz:
        form = text[m.start() : m.end()]
        entry = rules.gazetteer.get(form) or rules.gaz_lower.get(form.lower())
        if entry is None:
            continue
        kind, canonical, _ = entry
        cands.append((m.start(), m.end(), kind, canonical, 5))

    # 2. slash pairs "Oleshky/Aleshki"
    for m in _SLASH_PAIR.finditer(text) if "/" in text else ():
        a, b = m[1], m[2]
        prev = _prev_word(text, m.start())
        known_place = any(rules.gazetteer.get(x, ("",))[0] == "place" for x in (a, b))
        if known_place or prev in rules.place_preps:
            value = rules.gazetteer[a][1] if a in rules.gazetteer else a
            cands.append((m.start(), m.end(), "place", value, 6))

    # 3. capitalised runs
    tokens = []
    for m in _CAP_TOKEN.finditer(text):
        word = m.group()
        if not word[0].isupper():
            continue  # runs are made of capitalised words only
        s, e = m.start(), m.end()
        if (
            word.endswith(".")
            and word not in rules.abbrev
            and word not in rules.titles
            and not _DOTTED.fullmatch(word)
        ):
            word, e = word[:-1], e - 1
        tokens.append((word, s, e))
    runs: list[list[tuple[str, int, int]]] = []
    for tok in tokens:
        word, s, e = tok
        if (
            runs
            and runs[-1][-1][2] + 1 == s
            and text[runs[-1][-1][2]] == " "
            and not runs[-1][-1][0].endswith(_POSSESSIVE_ENDS)
        ):
            runs[-1].append(tok)
        else:
            runs.append([tok])

    def strip_possessive(word: str) -> str:
        return _POSSESSIVE.sub("", word) if word.endswith(_POSSESSIVE_ENDS) else word

    not_place = _cached("not_place", lambda r: r.never | r.demonyms | r.given)
    never_or_demonym = _cached("never_or_demonym", lambda r: r.never | r.demonyms)
    place_head_re = _cached(
        "place_heads_lower",
        lambda r: re.compile(rf"\s+(?:and\s+[A-Z][\w’'-]+\s+)?(?:{_alt(r.place_heads_lower)})\b"),
    )

    for run in runs:
        idx = sent_index(run[0][1])
        sent_start, sent_end = sentences[idx] if sentences else (0, len(text))
        in_heading = heading.get(idx, False)
        words = [
            strip_possessive(w).rstrip(".") if not w.endswith(("Mr.", "Dr.", "Ms.")) else w
            for w, _, _ in run
        ]
        # org: "... Service of Ukraine", "Main Intelligence Directorate"
        tail = _OF_TAIL.match(text, run[-1][2])
        heads = [j for j, w in enumerate(words) if j and w in rules.org_heads]
        first = 1 if words[0] in rules.never else 0
        if heads and heads[-1] - first >= 1 and words[first] not in rules.titles:
            last = heads[-1]
            end = run[last][2] + (tail.end() - run[-1][2] if tail and last == len(run) - 1 else 0)
            value = _POSSESSIVE_S.sub("", text[run[first][1] : end].rstrip())
            cands.append((run[first][1], run[first][1] + len(value), "org", value, 4))
        if len(run) >= 2 and words[-1] in rules.place_heads and words[0] not in rules.never:
            cands.append((run[0][1], run[-1][2], "place", " ".join(words), 4))
        # place: "in Gdynia", "the Kharkiv and Sumy regions"
        prev_word = _prev_word(text, run[0][1], sent_start)
        after = text[run[-1][2] : run[-1][2] + 40]
        if (
            prev_word in rules.place_preps
            and len(run) <= 3
            and not in_heading
            and all(w not in not_place for w in words)
        ):
            cands.append((run[0][1], run[-1][2], "place", " ".join(words), 2))
        if len(run) == 1 and place_head_re.match(after) and words[0] not in never_or_demonym:
            cands.append((run[0][1], run[0][2], "place", words[0], 2))
        # media cue: "Verstka said citing sources"
        if len(run) == 1 and _MEDIA_CUE.match(after):
            cands.append((run[0][1], run[0][2], "org", words[0], 3))
        # acronyms
        for w, s, _e in run:
            core = strip_possessive(w)
            if (
                _ACRONYM.fullmatch(core)
                and core not in rules.not_acronyms
                and core not in rules.gazetteer
                and not _mostly_upper(text[sent_start:sent_end])
            ):
                cands.append((s, s + len(core), "org", core, 3))
        # people
        cands.append(_PersonSlot(run, words, sent_start, in_heading))
    return _NameCands(text, sentences, cands)


@dataclass
class _PersonSlot:
    run: list[tuple[str, int, int]]
    words: list[str]
    sent_start: int
    in_heading: bool


def _choose_names(
    prep: _NameCands, blocked: list[tuple[int, int]], passage: Passage, known: set[str]
) -> tuple[list[_Span], list[_Mention], list[Any]]:
    """Spans and mentions for one ``known``; also the candidate list, so that a second
    call whose candidates came out the same can be skipped."""
    text, sentences = prep.text, prep.sentences
    cands: list[tuple[int, int, str, str, int]] = []  # start, end, kind, value, priority
    roles_of: dict[tuple[int, int], set[str]] = {}
    for item in prep.items:
        if isinstance(item, _PersonSlot):
            person = _person_in_run(
                text, item.run, item.words, item.sent_start, item.in_heading, known
            )
            if person:
                s, e, value, roles, prio = person
                cands.append((s, e, "person", value, prio))
                roles_of[(s, e)] = roles
        else:
            cands.append(item)
    found = list(cands), roles_of

    # choose non-overlapping candidates: longer first, then priority
    cands.sort(key=lambda c: (-(c[1] - c[0]), -c[4], c[0]))
    chosen: list[tuple[int, int, str, str, int]] = []
    used = bytearray(len(text) + 1)
    for s, e in blocked:
        used[s:e] = b"\x01" * (e - s)
    for c in cands:
        if any(used[c[0] : c[1]]):
            continue
        used[c[0] : c[1]] = b"\x01" * (c[1] - c[0])
        chosen.append(c)
    chosen.sort()

    # an acronym in parentheses right after an organisation names it: "Service of Ukraine (SBU)"
    spans, mentions = [], []
    for i, (s, e, kind, value, _) in enumerate(chosen):
        if kind == "org" and i and _ACRONYM.fullmatch(value):
            ps, pe, pkind, pvalue, _ = chosen[i - 1]
            if pkind == "org" and _OPEN_PAREN.fullmatch(text, pe, s) and text[e : e + 1] == ")":
                value = pvalue
        spans.append(_Span(s, e, _fact(passage, kind, s, e, value)))
        if kind in ("person", "org"):
            mentions.append(
                _Mention(
                    s,
                    e,
                    value,
                    kind,
                    roles_of.get((s, e), set()),
                    _is_subject(text, s, e, sentences),
                )
            )
    return spans, mentions, found


def _mostly_upper(sentence: str) -> bool:
    letters = [c for c in sentence if c.isalpha()]
    return len(letters) > 12 and sum(c.isupper() for c in letters) / len(letters) > 0.5


def _person_in_run(
    text: str, run, words: list[str], sent_start: int, in_heading: bool, known: set[str]
):
    """(start, end, value, roles, priority) if this capitalised run holds a person's name."""
    rules = _rules()
    roles: set[str] = set()
    i = 0
    titled = False
    while i < len(words):
        w = words[i]
        if w in rules.titles or w + "." in rules.titles:
            titled = True
            roles.add(w.lower().rstrip("s."))
        elif (
            w in rules.title_mods
            or w in rules.demonyms
            or (w in rules.gazetteer and rules.gazetteer[w][0] != "person")
        ):
            roles.add(w.lower())
        elif _ACRONYM.fullmatch(w) or (w in rules.never and w not in rules.given):
            pass
        else:
            break
        i += 1
    name = words[i:]
    toks = run[i:]
    if not name or len(name) > 4:
        return None
    # the name ends where a non-name word starts ("Rustem Umerov Says" in a headline)
    cut = next(
        (
            j
            for j, w in enumerate(name)
            if w in rules.never or w in rules.titles or w in rules.demonyms or w in rules.org_heads
        ),
        len(name),
    )
    name, toks = name[:cut], toks[:cut]
    if not name or any(not _LOWER_LETTER.search(w) for w in name):
        return None
    if any(w in rules.gazetteer for w in name) and len(name) == 1:
        return None
    start, end = toks[0][1], toks[-1][2]
    stripped = _POSSESSIVE.sub("", text[start:end])
    end = start + len(stripped)
    value = stripped
    before = text[sent_start:start]
    after = text[end : end + 60]
    prev_words = before.rsplit(None, 6)  # the last 6 words (and what precedes them)
    prev = prev_words[-1].lower().strip(",") if prev_words else ""
    for w in prev_words[-6:]:
        if w.lower().strip(",") in rules.role_refs or w.lower().strip(",") in rules.roles:
            roles.add(w.lower().strip(","))
    appositive = _APPOSITIVE.match(after + text[end + 60 : end + 140])
    if appositive:
        words_after = _LATIN_WORD.findall(appositive[1])[:10]
        for w in words_after:
            if w.lower() in rules.role_refs or w in rules.titles:
                roles.add(w.lower())
    verb_after = _VERB_AFTER.match(after)
    speaks_after = bool(verb_after and verb_after[1].lower() in rules.verbs)
    # the verb ends where ``before``'s trailing spaces start: search only there
    speaks_before = bool(_SAID_BEFORE.search(before, max(0, len(before.rstrip()) - 12)))
    if titled or prev in rules.roles:
        return start, end, value, roles, 4
    if len(name) >= 2 and name[0] in rules.given:
        return start, end, value, roles, 4
    if in_heading:
        return (start, end, value, roles, 1) if len(name) == 1 and name[0] in known else None
    appositive_title = bool(
        appositive
        and _cached(
            "role_alt",
            lambda r: re.compile(r"[a-z ]{0,20}\b(?:" + _alt(r.role_refs | r.roles) + r")\b"),
        ).match(appositive[1].lower())
    )
    if len(name) >= 2 and (speaks_after or speaks_before or appositive_title):
        return start, end, value, roles, 3
    if len(name) == 1 and name[0] in known:
        return start, end, value, roles, 1
    plural_noun = name[0].lower().endswith(tuple(rules.people["plural_noun_suffixes"]))
    if (
        len(name) == 1
        and name[0] not in rules.never
        and not plural_noun
        and (speaks_after or speaks_before)
    ):
        return start, end, value, roles, 1
    return None


def _is_subject(text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> bool:
    """Is this mention the grammatical subject (a likely antecedent of a later 'he')?"""
    rules = _rules()
    if _POSSESSIVE_AFTER.match(text[end : end + 2]):
        return False
    s, _ = _sentence_at(sentences, start)
    lead = text[s:start]
    if _ACCORDING_BEFORE.search(lead):
        return True
    nxt = _SUBJECT_VERB.match(text[end : end + 60])
    if nxt and (
        nxt[1] in rules.verbs
        or nxt[1].endswith("ed")
        or nxt[1] in ("is", "was", "has", "had", "will")
    ):
        return True
    lead_words = _LEAD_WORD.findall(lead)
    return (
        all(w[0].isupper() or w in ("of", "the", "and", "former") for w in lead_words)
        and not lead.rstrip().endswith(",")
        or not lead_words
    )


# --------------------------------------------------------------------------------------------
# Quotes
# --------------------------------------------------------------------------------------------


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Pairs of quote marks; straight quotes are opening or closing by their neighbours,
    so mismatched pairs ("magnificent.”) still pair. An unclosed mark is dropped unless it
    opens the passage (a quote running to the end of the paragraph)."""
    marks = []
    for q in _QUOTE_MARK.finditer(text):
        i, ch = q.start(), q.group()
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch in "“«„":
            role = "open" if not (ch == "“" and prev.isalnum() and not nxt.isalnum()) else "close"
        elif ch in "”»":
            role = "close"
        else:
            role = (
                "open"
                if (prev.isspace() or prev in "([{—–-/:" or i == 0) and not nxt.isspace()
                else "close"
            )
        marks.append((i, role))
    spans, pending = [], None
    for i, role in marks:
        if role == "open":
            pending = i
        elif pending is not None:
            spans.append((pending, i + 1))
            pending = None
    if pending == 0 or (pending is not None and not text[:pending].strip()):
        spans.append((pending, len(text)))
    return spans


def _clean_quote(inner: str) -> str:
    return inner.strip().rstrip(",").strip()


def _after_quote_patterns(rules: _Rules) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """'," said Medinsky' and '," he noted' (see ``_Speakers.after``)."""
    verbs = _alt(rules.verbs)
    return (
        re.compile(rf"[\s,.!?…]*(?:[–—-]\s*)?(?P<v>{verbs})\s+([^,.;:!?\"“”]+)", re.IGNORECASE),
        re.compile(
            rf"[\s,.!?…]*(?:[–—-]\s*)?([^,.;:!?\"“”]{{1,60}}?)\s+(?:also\s+|then\s+)?(?:{verbs})\b",
            re.IGNORECASE,
        ),
    )


def _dash_patterns(rules: _Rules) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A paragraph opening with a dash, its closing attribution, and a closing
    '– said Medinsky.' (see ``_dash_quote``)."""
    verbs = _alt(rules.verbs)
    return (
        re.compile(rf"\s*[{_DASHES}]\s+"),
        re.compile(rf"(?:,|\s[{_DASHES}])\s*(?:{verbs})\s+([A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)*)"),
        re.compile(
            rf"\s[{_DASHES}]\s*(?:(?:{verbs})\s+(?P<a>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)*)|(?P<b>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)*)\s+(?:{verbs}))\.?\s*$"
        ),
    )


class _Speakers:
    """Resolves who said a quote from the mentions around it."""

    def __init__(
        self, text: str, mentions: list[_Mention], prior: list[_Mention], tail: str
    ) -> None:
        self.text = text
        self.mentions = mentions
        self.prior = prior
        self.tail = tail
        self.rules = _rules()
        self.sentences = _sentences(text)

    def _persons_before(self, pos: int) -> list[_Mention]:
        return [m for m in self.prior if m.kind == "person"] + [
            m for m in self.mentions if m.kind == "person" and m.end <= pos
        ]

    def pronoun(self, pos: int) -> str | None:
        people = self._persons_before(pos)
        subjects = [m for m in people if m.subject]
        pick = subjects[-1] if subjects else (people[-1] if people else None)
        return pick.value if pick else None

    def role(self, role: str, pos: int) -> str | None:
        for m in reversed(self._persons_before(pos)):
            if role in m.roles:
                return m.value
        return None

    def subject(self, phrase: str, offset: int, nearest: str = "last") -> str | None:
        """Who ``phrase`` (text at ``offset``) names: the mention in it nearest to the verb,
        a pronoun, or 'the <role>'. ``offset`` < 0 means the phrase is not in this passage."""
        cands: list[tuple[int, str | None]] = []
        if offset >= 0:
            for m in self.mentions:
                if offset <= m.start and m.end <= offset + len(phrase):
                    cands.append((m.start - offset, m.value))
        else:
            for m in self.prior + self.mentions:
                for hit in re.finditer(rf"(?<!\w){re.escape(m.value)}(?!\w)", phrase):
                    cands.append((hit.start(), m.value))
            for m in self.prior + self.mentions:
                last = m.value.split()[-1]
                for hit in re.finditer(rf"(?<!\w){re.escape(last)}(?!\w)", phrase):
                    cands.append((hit.start(), m.value))
        pos = offset if offset >= 0 else len(self.text) + 10**6
        pronoun_re = _cached(
            "pronoun_re", lambda r: re.compile(rf"\b(?:{_alt(r.pronouns)})\b", re.IGNORECASE)
        )
        for hit in pronoun_re.finditer(phrase):
            cands.append((hit.start(), self.pronoun(pos if offset < 0 else offset + hit.start())))
        the_role_re = _cached(
            "the_role_re",
            lambda r: re.compile(rf"\bthe\s+(?:[a-z]+\s+)?({_alt(r.role_refs)})\b", re.IGNORECASE),
        )
        for hit in the_role_re.finditer(phrase):
            cands.append(
                (
                    hit.start(),
                    self.role(hit[1].lower(), pos if offset < 0 else offset + hit.start()),
                )
            )
        if not cands:
            return None
        cands.sort(key=lambda c: c[0])
        return cands[0][1] if nearest == "first" else cands[-1][1]

    def before(
        self, start: int, sent_start: int, text: str | None = None, offset: int = 0
    ) -> tuple[bool, str | None]:
        """Attribution before a quote: the last speech verb in the sentence and its subject."""
        text = self.text if text is None else text
        lead = text[sent_start:start]
        verbs = [m for m in self.rules.verb_re.finditer(lead) if not _inside_quote(lead, m.start())]
        acc = list(re.finditer(r"\baccording to\s+([^,]+)", lead, re.IGNORECASE))
        if not verbs and not acc:
            return False, None
        if acc and (not verbs or acc[-1].start() > verbs[-1].start()):
            phrase, at = acc[-1][1], sent_start + acc[-1].start(1)
            return True, self.subject(phrase, at + offset if offset >= 0 else -1, "first")
        v = verbs[-1]
        phrase = lead[: v.start()]
        who = re.search(r"^(.*?)(?:,\s*)?\bwho\s*$", phrase, re.DOTALL)
        if who:
            phrase = who[1]
        return True, self.subject(phrase, sent_start + offset if offset >= 0 else -1)

    def after(self, end: int, sent_end: int) -> tuple[bool, str | None]:
        """Attribution after a quote: '," said Medinsky' or '," he noted'."""
        rest = self.text[end : max(sent_end, end + 1) + 1][:120]
        verb_first, verb_last = _cached("after_quote", _after_quote_patterns)
        m = verb_first.match(rest)
        # '," saying that ...' continues the sentence's own subject: not an attribution
        if (
            m
            and not m["v"].lower().endswith("ing")
            and not re.match(r"(?:that|to|it|in|on|as)\b", m[2])
        ):
            return True, self.subject(m[2], end + m.start(2), "first")
        m = verb_last.match(rest)
        if m and not re.search(r"\b(?:that|and|but|which|to)\b", m[1]):
            return True, self.subject(m[1], end + m.start(1))
        return False, None

    def resolve(self, qs: int, qe: int) -> tuple[bool, str | None]:
        """(attributed, speaker): attributed is False when the text names no one at all."""
        s0, _ = _sentence_at(self.sentences, qs)
        _, e1 = _sentence_at(self.sentences, max(qe - 1, qs))
        found, who = self.after(qe, e1)
        if found:
            return True, who
        found, who = self.before(qs, s0)
        if found:
            return True, who
        if qs <= len(self.text) - len(self.text.lstrip()) and self.tail.rstrip().endswith(":"):
            tail_sents = _sentences(self.tail)
            ts = tail_sents[-1][0] if tail_sents else 0
            return True, self.before(len(self.tail.rstrip()), ts, self.tail, offset=-1)[1]
        return False, None


def _inside_quote(text: str, pos: int) -> bool:
    return any(s < pos < e for s, e in _quote_spans(text))


def _find_quotes(text: str, speakers: _Speakers, passage: Passage) -> list[_Span]:
    rules = _rules()
    min_words = int(rules.speech["min_quote_words"])
    found: list[_Span] = []
    last: str | None = None
    for qs, qe in _quote_spans(text):
        closed = text[qe - 1] in _QUOTE_CHARS
        inner = _clean_quote(text[qs + 1 : qe - 1 if closed else qe])
        if len(inner.split()) < min_words:
            continue
        attributed, who = speakers.resolve(qs, qe)
        if not attributed:
            who = last  # an unattributed quote right after an attributed one continues it
        last = who
        found.append(_Span(qs, qe, _fact(passage, "quote", qs, qe, inner, speaker=who)))
    if not found:
        found += _dash_quote(text, speakers, passage)
    return found


def _dash_quote(text: str, speakers: _Speakers, passage: Passage) -> list[_Span]:
    """Unquoted direct speech: a paragraph opening with a dash ('– We agreed..., emphasized
    Umerov.') or closing with '– said Medinsky.'"""
    rules = _rules()
    lead_re, end_re, tail_re = _cached("dash_quote", _dash_patterns)
    lead = lead_re.match(text)
    if lead:
        end = end_re.search(text[lead.end() :])
        if end:
            qs, qe = lead.end(), lead.end() + end.start()
            who = speakers.subject(end[1], lead.end() + end.start(1), "first")
        else:
            qs, qe, who = lead.end(), len(text.rstrip()), None
        return [
            _Span(qs, qe, _fact(passage, "quote", qs, qe, _clean_quote(text[qs:qe]), speaker=who))
        ]
    tail = tail_re.search(text) if _SPACE_DASH.search(text) else None
    if tail and len(text[: tail.start()].split()) >= rules.speech["min_quote_words"]:
        name = tail["a"] or tail["b"]
        at = tail.start("a") if tail["a"] else tail.start("b")
        qs = len(text) - len(text.lstrip())
        qe = tail.start()
        return [
            _Span(
                qs,
                qe,
                _fact(
                    passage,
                    "quote",
                    qs,
                    qe,
                    _clean_quote(text[qs:qe]),
                    speaker=speakers.subject(name, at, "first"),
                ),
            )
        ]
    return []


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def _fact(passage: Passage, kind: str, start: int, end: int, value: Any, **kw: Any) -> Fact:
    return Fact(
        kind=kind,
        text=passage.text[start:end],
        value=value,
        passage=passage.id,
        source=passage.source,
        start=start,
        end=end,
        **kw,
    )


def _anchor(article_date: str | None) -> dt.date | None:
    if not article_date:
        return None
    try:
        return dt.date.fromisoformat(article_date[:10])
    except ValueError:
        return None


def _known_surnames(mentions: Iterable[_Mention]) -> set[str]:
    out = {m.value.split()[-1] for m in mentions if m.kind == "person"}
    out |= _cached("known_surnames", lambda r: {c.split()[-1] for c in r.people.get("known") or {}})
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

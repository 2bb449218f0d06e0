"""What every extractor shares: masks, sentence and word tests, the patterns of the
per-word tests, and the fact and span types."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..models import Fact, Passage
from .rules import _NOT_FOLDABLE, _rules

_WORD = r"[^\W\d_](?:[\w’'.-]*[^\W_])?"
_CAP_TOKEN = re.compile(r"[^\W\d_][\w’'-]*(?:\.(?=[\w]\.)[\w])*\.?")
_QUOTE_CHARS = '"“”«»„'
_QUOTE_MARK = re.compile(f"[{_QUOTE_CHARS}]")
_DASHES = "–—-"
_SPACE_DASH = re.compile(f"\\s[{_DASHES}]")  # where a closing "– said Medinsky." can start


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
    number, name and quote finders all ask for the same passage's (never modified).

    The rule of ``search.text.sentences``, but the spans keep their surrounding space
    (the finders look back across it) and the look-back for an abbreviation is bounded:
    kept apart so that no fact moves."""
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
# with a pattern string looks it up in re's cache on every call, and the tests run
# for every word of every passage. Where a test read ``text[pos:]`` it now matches at ``pos``
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
    skipped_of = modifier_noun = False
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
        if i <= 1 and not modifier_noun:  # "army personnel", "fire engines": one noun
            modifier_noun = True  # that modifies the next
            continue
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


@dataclass
class _Span:
    start: int
    end: int
    fact: Fact


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

"""Values written in a pattern of their own, which the fact finder does not read as one
number: a match score ("beat them 3-1", "a 3-2 win") and the minute of a match event
("in the 67th minute", "a 68th-minute header", "on 12 minutes").

Each is found in one passage's text alone, as every value is (claims stay order-free).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import ClaimValue

# a score needs a word of a result within a few words of it: "2-3 days" is a range
_RESULT = (
    r"(?:win|wins|won|winning|winners?|beat|beats|beating|defeat|defeated|victory|lose|"
    r"loses|lost|losing|loss|draw|drew|drawn|lead|led|triumph|thrash|thrashed|edge|edged|"
    r"scoreline|final score|ran out|thumped|routed|hammered)"
)
_SCORE = re.compile(r"(?<![\w.,])(\d{1,2})\s?[-–]\s?(\d{1,2})(?![\w.,%–-])")
_CUE_BEFORE = re.compile(rf"\b{_RESULT}\b[^.;,]{{0,40}}$", re.IGNORECASE)
_CUE_AFTER = re.compile(rf"\s*(?:(?:home|away)\s+)?{_RESULT}\b", re.IGNORECASE)

_MINUTE = re.compile(
    r"\b(\d{1,3})(?:st|nd|rd|th)[\s-]minute\b"  # "the 67th minute", "68th-minute header"
    r"|\b(?:after|on|in|inside|within)\s+(\d{1,3})\s+minutes\b",  # "on 12 minutes"
    re.IGNORECASE,
)


def scores(text: str) -> Iterator[ClaimValue]:
    """Match scores, winner's goals first ("lost 1-3" and "won 3-1" are one score)."""
    if "-" not in text and "–" not in text:
        return
    for m in _SCORE.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if not (_CUE_BEFORE.search(before) or _CUE_AFTER.match(text, m.end())):
            continue
        a, b = int(m.group(1)), int(m.group(2))
        value = f"{max(a, b)}-{min(a, b)}"
        yield ClaimValue("score", m.group(0), value, None, False, None, None, m.start(), m.end())


def minutes(text: str) -> Iterator[ClaimValue]:
    """The minute of a match event, as a number of minutes."""
    if "minute" not in text and "Minute" not in text:
        return
    for m in _MINUTE.finditer(text):
        number = int(m.group(1) or m.group(2))
        if number > 130:
            continue
        yield ClaimValue(
            "number", m.group(0), number, "minute", False, None, None, m.start(), m.end()
        )

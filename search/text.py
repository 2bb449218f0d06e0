"""The sentence splitter: where the sentences of a passage start and end.

One splitter for new code (the claims are built sentence by sentence). It splits after
. ! ? … (and closing quotes or brackets) before a capital, a digit, an opening quote or a
dash, never after an abbreviation of facts_common.yaml ("Mr.", "U.S.", "p.m."), and
always at a newline, like the fact extractor's.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from .rules import load_rules

_END = re.compile(r"[.!?…]+[\"”’»)\]*]*\s+(?=[\"“«(\[*–—-]?\s*[A-Z0-9ÀÇ-ÝĀ-ſ])|\n+")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_WORD_BEFORE = re.compile(r"\S+$")

Span = tuple[int, int]


@cache
def _abbreviations() -> frozenset[str]:
    raw = load_rules("facts_common")
    return frozenset(str(w) for w in raw.get("abbreviations", ()))


@lru_cache(maxsize=256)
def sentences(text: str) -> tuple[Span, ...]:
    """(start, end) of each non-blank sentence of ``text``, trailing space excluded."""
    abbrev = _abbreviations()
    spans: list[Span] = []
    start = 0
    for m in _END.finditer(text):
        if m.group().strip():
            word = _WORD_BEFORE.search(text, 0, m.start() + 1)
            token = word.group() if word else ""
            if token in abbrev or _INITIALS.fullmatch(token):
                continue
        spans.append((start, m.start() + len(m.group().rstrip())))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((s + lead, s + len(chunk.rstrip())))
    return tuple(out)


def sentence_at(text: str, pos: int) -> Span:
    """The sentence of ``text`` that holds offset ``pos`` (the whole text if none does)."""
    for s, e in sentences(text):
        if s <= pos < max(e, s + 1):
            return s, e
    return 0, len(text)

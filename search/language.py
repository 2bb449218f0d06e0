"""The language of an article, and whether the English fact rules apply to it.

CLD2 (pycld2: the compiled detector Chrome used, its model built into the extension)
loads in a millisecond and answers in microseconds, so every file read gets a language
for free. It says when it is not sure: short or mixed texts stay ``None``.
"""

from __future__ import annotations

import re

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LETTER = re.compile(r"[^\W\d_]")
_SAMPLE = 20000  # characters looked at: enough for a sure answer, bounded for long files


def detect(text: str) -> str | None:
    """An ISO 639-1 code (``en``, ``uk``, ``ru`` ...) when the detector is sure, else None."""
    import pycld2

    sample = text[:_SAMPLE].encode("utf-8", "replace").decode("utf-8")
    try:
        reliable, _, details = pycld2.detect(sample, bestEffort=False)
    except (pycld2.error, ValueError):
        return None
    code = details[0][1] if details else "un"
    if not reliable or code in ("un", "xx") or len(code) > 3:
        return None
    return code.split("-")[0]


def english_rules_apply(language: str | None, text: str) -> bool:
    """English fact rules run on English text. A text whose language is unknown (too
    short to tell) gets them only when it is written in the Latin alphabet: a Cyrillic
    note never yields English "facts" from stray words."""
    if language is not None:
        return language.lower().split("-")[0] in ("en", "eng", "english")
    letters = _LETTER.findall(text[:_SAMPLE])
    if not letters:
        return True
    return sum(1 for ch in letters if _LATIN.match(ch)) >= 0.8 * len(letters)

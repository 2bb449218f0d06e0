"""Can two values of one claim both be true?

Numbers compare as the agreement module's rules say (qualifier directions, how far "over"
and "about" reach: search/data/agreement.yaml); times of day by the minutes a hedge lets
them reach (claims.yaml); sites, dates and names by their normalised value.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..models import ClaimValue
from .frames import frames
from .vocab import vocabulary

SAME, COMPATIBLE, CONFLICT = "same", "compatible", "conflict"


_agreement: Any = None  # search.agreement, imported on first use (it brings the engine)


def _rules() -> Any:
    """The agreement rules (an import statement per value would cost more than the
    comparison: a claim of a large corpus has thousands of values)."""
    global _agreement
    if _agreement is None:
        from .. import agreement

        _agreement = agreement
    return _agreement.rules()


def _direction(v: ClaimValue) -> str:
    direction = _rules().directions.get((v.qualifier or "").lower().strip())
    return direction or ("~" if v.approximate else "=")


def number_span(v: ClaimValue) -> tuple[float, float] | None:
    """The values a number can mean ("over 500": 500..1000; "about 50": 40..62.5)."""
    if not isinstance(v.value, int | float) or math.isnan(v.value):
        return None
    rules, direction, value = _rules(), _direction(v), _base(v, float(v.value))
    top = max(value, _base(v, float(v.high)) if v.high is not None else value)
    qualifier_reach = _agreement.QUALIFIER_REACH
    if direction in (">", ">="):
        return value, top * qualifier_reach
    if direction in ("<", "<="):
        return value / qualifier_reach, top
    if direction == "~" and v.high is None:
        reach = rules.approximate_reach
        return value / reach, value * reach
    if v.unit and frames().measures.get(tuple(v.unit.split())):
        half = _last_digit(v.text) / 2  # "115.3 °F" is 115.25..115.35 °F: 46.25..46.31 °C
        low, high = sorted((_base(v, float(v.value) - half), _base(v, float(v.value) + half)))
        return low, max(high, top)
    return value, top


_DIGITS = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def _last_digit(text: str) -> float:
    """The place of a written measure's last digit ("46.3": 0.1, "110": 1)."""
    m = _DIGITS.search(text)
    return 10.0 ** -len(m.group(1)) if m and m.group(1) else 1.0


def _minutes(v: ClaimValue) -> tuple[int, int] | None:
    try:
        hours, minutes = str(v.value).split(":")
        at = int(hours) * 60 + int(minutes)
    except ValueError:
        return None
    before, after = vocabulary().hedges.get((v.qualifier or "").lower(), (0, 0))
    return at - before, at + after


HOURS = {"minute": 1 / 60, "hour": 1, "day": 24, "week": 168, "month": 730, "year": 8760}


def _base(v: ClaimValue, x: float) -> float:
    """``x`` in the base unit of ``v``'s dimension ("mph": × 1.609 to km/h; a day: 24
    hours, so "a 72-hour walkout" is "three days"; °F: (x − 32) × 5/9 to °C)."""
    if not v.unit:
        return x
    if v.unit in HOURS:
        return x * HOURS[v.unit]
    found = frames().measures.get(tuple(v.unit.split()))
    if not found:
        return x
    _dimension, _label, factor, offset = found
    return (x + offset) * factor


def key(v: ClaimValue) -> tuple:
    """What two values share when they are the same value as written."""
    if v.kind in ("number", "range"):
        high = None if v.high is None else _base(v, float(v.high))
        return ("n", _direction(v), _base(v, float(v.value)), high)
    if v.kind == "time":
        return ("t", v.value, (v.qualifier or "").lower())
    return (v.kind, v.value)


def relation(a: ClaimValue, b: ClaimValue) -> str:
    """SAME, COMPATIBLE (both can be true) or CONFLICT."""
    if key(a) == key(b):
        return SAME
    if a.kind in ("number", "range") and b.kind in ("number", "range"):
        sa, sb = number_span(a), number_span(b)
    elif a.kind == "time" and b.kind == "time":
        sa, sb = _minutes(a), _minutes(b)
    elif a.kind == "thing" and b.kind == "thing":  # a brake defect: the brake-booster valve?
        shared = set(str(a.value).split()) & set(str(b.value).split())
        return COMPATIBLE if shared else CONFLICT
    else:
        return CONFLICT
    if sa is None or sb is None:
        return CONFLICT
    (_lo, hi), (other_lo, _hi) = sorted((sa, sb))
    return COMPATIBLE if other_lo <= hi else CONFLICT


def verdict(values: list[tuple[str, ClaimValue | None]]) -> str:
    """agree / compatible / conflict / single over (source, value) pairs: only values of
    different sources are compared (a source that updates its own figure is not a
    disagreement with itself)."""
    if len({s for s, _ in values}) < 2:
        return "single"
    worst = SAME
    for i, (sa, a) in enumerate(values):
        for sb, b in values[i + 1 :]:
            if sa == sb or a is None or b is None:
                continue
            r = relation(a, b)
            if r == CONFLICT:
                return "conflict"
            if r == COMPATIBLE:
                worst = COMPATIBLE
    return "agree" if worst == SAME else "compatible"

"""Dates: days, months, years, weekdays and relative dates, against the article date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from ..models import Passage
from .common import (
    _CAP_AFTER,
    _DIGIT,
    _DIGIT_DASH_DIGIT,
    _DIGIT_DOT_DIGIT,
    _YEAR,
    _fact,
    _may_hold,
    _needles,
    _overlaps,
    _prev_word,
    _sentence_at,
    _sentences,
    _Span,
)
from .rules import _alt, _rules


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


def _date_patterns(month_alt: str) -> tuple[re.Pattern[str], ...]:
    """ISO, dotted, ranges, month-day, day-month, month-year."""
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


@dataclass(frozen=True, slots=True)
class _DatePatterns:
    """The date rules as compiled patterns and word sets, built once with the rules."""

    days: tuple[re.Pattern[str], ...]  # see _date_patterns
    explicit: re.Pattern[str]  # after a weekday: "Thursday, July 3"
    month_needles: re.Pattern[str]
    month_triggers: frozenset[str]
    ambiguous_months: frozenset[str]
    bare_month: re.Pattern[str]
    year_triggers: frozenset[str]
    cues: re.Pattern[str]
    weekday_needles: re.Pattern[str]
    weekday: re.Pattern[str]
    rel: re.Pattern[str]
    rel_needles: re.Pattern[str]


@cache
def _patterns() -> _DatePatterns:
    r = _rules()
    month_alt = _alt(k.capitalize() for k in r.months)
    wd_alt = _alt(k.capitalize() for k in r.weekdays)
    *days, explicit = _date_patterns(month_alt)
    rel = r.dates["relative"]
    return _DatePatterns(
        days=tuple(days),
        explicit=explicit,
        month_needles=_needles(r.months, case=True),
        month_triggers=frozenset(r.dates["month_triggers"]),
        ambiguous_months=frozenset(r.dates["ambiguous_months"]),
        bare_month=re.compile(rf"\b(?:{month_alt})\b(?!\.\w)"),
        year_triggers=frozenset(r.dates["year_triggers"]),
        cues=re.compile(rf"\b(?:{_alt(r.dates['future_cues'])})\b", re.IGNORECASE),
        weekday_needles=_needles(r.weekdays, case=True),
        weekday=re.compile(
            rf"\b(?:(?P<rel>next|last|this|[Nn]ext|[Ll]ast|[Tt]his)\s+)?(?P<wd>{wd_alt})\b"
        ),
        rel=re.compile(rf"\b(?:{_alt(rel)})\b", re.IGNORECASE),
        rel_needles=_needles(rel),
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
    pat = _patterns()
    day_patterns, explicit_re = pat.days, pat.explicit
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
    months_in = pat.month_needles.search(text)
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
    triggers, ambiguous = pat.month_triggers, pat.ambiguous_months
    for m in pat.bare_month.finditer(text) if months_in else ():
        name = m.group().lower()
        trig = _prev_word(text, m.start()).lower().strip("(,") in triggers
        nxt = _CAP_AFTER.match(text, m.end())
        if name in ambiguous and not trig or (not trig and nxt) or len(name) <= 3 and name != "may":
            continue
        if name not in rules.months:
            continue
        add(m.start(), m.end(), _ymd(ayear, rules.months[name], None))

    # years: "in 2022", "the fall of 2022"
    ytriggers = pat.year_triggers
    years_in = has_digit and ("20" in text or "19" in text or "18" in text)
    for m in _YEAR.finditer(text) if years_in else ():
        if _prev_word(text, m.start()).lower() in ytriggers:
            add(m.start(), m.end(), m.group())

    # weekdays
    cues = pat.cues
    weekdays_in = pat.weekday_needles.search(text)
    for m in pat.weekday.finditer(text) if weekdays_in else ():
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
    rel_re = pat.rel
    rel_in = _may_hold(low, pat.rel_needles)
    for m in rel_re.finditer(text) if rel_in else ():
        spec = rel[m.group().lower()]
        add(
            m.start(),
            m.end(),
            _shift(anchor, spec["unit"], int(spec["offset"])) if anchor else None,
        )
    return found

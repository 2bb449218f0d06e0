"""Numbers and what they count: digits, spelled numbers, ranges, vague amounts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..models import Passage
from .common import (
    _AND_GAP,
    _BETWEEN_BEFORE,
    _LETTERS_AFTER,
    _LIST_COMMA,
    _NOT_A_NUMBER_END,
    _NUMBER,
    _OF_AFTER,
    _RANGE_GAP,
    _SUFFIX_SCALE,
    _THE_BEFORE,
    _WORD_AFTER,
    _fact,
    _may_hold,
    _needles,
    _noun_after,
    _noun_before,
    _overlaps,
    _prev_word,
    _sentence_at,
    _sentences,
    _Span,
)
from .rules import _alt, _rules, _w2n

# "Dozens were hurt", "scores have died": a vague word as a clause's subject, unlike "the
# scores were level"
_VERB_AFTER = re.compile(
    r"\s+(?:more\s+)?(?:were|are|have|had|remain(?:ed)?|died)\b", re.IGNORECASE
)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|their|his|her|its|these|those|our|your)\s+$", re.I)


# "revised down to six", "rose from eight to eleven": a spelled number as the level a
# figure reached counts what the figure counts
_LEVEL_BEFORE = re.compile(r"\b(?:to|from|reached|hit|totalled|totaled|numbered)\s+$", re.I)


def _level(text: str, s: int, value: float) -> bool:
    return value >= 2 and bool(_LEVEL_BEFORE.search(text, max(0, s - 12), s))


# "half of the voters", "two thirds of", "a quarter of": a share, in percent
_FRACTION_PARTS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5}
_FRACTION_COUNT = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_FRACTION = re.compile(
    r"\b(?:(?P<n>a|one|two|three|four)[\s-]+)?(?P<d>half|thirds?|quarters?|fifths?)(?=\s+of\b)",
    re.IGNORECASE,
)
_OF_A_SCALE = re.compile(r"\s+of\s+an?\s+(hundred|thousand|million|billion)\b", re.I)
_HALF_A = re.compile(r"\bhalf\s+an?\s+(dozen|hundred|thousand|million|billion)\b", re.I)
_FRACTION_NOT_AFTER = re.compile(r"\b(?:the|first|second|third|this|that|its|their)\s+$", re.I)


def _word_value(phrase: str) -> int | float:
    """A spelled number's value; word2number does not know "dozen" ("two dozen": 24)."""
    words = phrase.split()
    if words and words[-1] == "dozen":
        head = " ".join(words[:-1])
        return 12 * (_w2n().word_to_num(head) if head else 1)
    return _w2n().word_to_num(phrase)


def _vague_subject(text: str, s: int, e: int) -> bool:
    return bool(_VERB_AFTER.match(text, e)) and not _DETERMINER_BEFORE.search(
        text, max(0, s - 8), s
    )


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


@dataclass(frozen=True, slots=True)
class _NumberPatterns:
    """The number rules as compiled patterns and word sets, built once with the rules."""

    not_after: frozenset[str]
    digit_scales: re.Pattern[str]
    number_words: re.Pattern[str]
    number_needles: re.Pattern[str]
    vague: re.Pattern[str]
    vague_needles: re.Pattern[str]
    article_units: re.Pattern[str]
    preceding_counts: re.Pattern[str]
    unit_words: re.Pattern[str]
    symbols: re.Pattern[str]


@cache
def _patterns() -> _NumberPatterns:
    r = _rules()
    num, vague = r.num, r.num["vague"]
    words = _alt(r.number_words)
    after_scale = "|".join(f"(?<={w})" for w in r.scales)
    scale_alt = _alt(r.scales)
    return _NumberPatterns(
        not_after=frozenset(w.lower() for w in num["not_after"]),
        digit_scales=re.compile(rf"\s*({_alt(num['digit_scales'])})\b", re.IGNORECASE),
        number_words=re.compile(
            rf"\b(?:an?\s+)?(?:{words})(?:(?:(?:{after_scale})\s+and\s+|[\s-]+)(?:{words}))*\b",
            re.IGNORECASE,
        ),
        number_needles=_needles(r.number_words),
        vague=re.compile(
            rf"\b(?P<p>{_alt(vague['prefixes'])})\s+(?P<s>(?:{scale_alt})s?)\b|\b(?P<ps>(?:{scale_alt})s)(?=\s+of\b)|\b(?P<w>{_alt(vague['words'])})\b",
            re.IGNORECASE,
        ),
        vague_needles=_needles([*r.scales, *vague["words"]]),
        article_units=re.compile(
            rf"\b(an?)\s+({_alt(num['article_units']['units'])})\b", re.IGNORECASE
        ),
        preceding_counts=re.compile(rf"\b({_alt(num['preceding_counts'])})\s+$", re.IGNORECASE),
        unit_words=re.compile(rf"\s*(?:{_alt(num['unit_words'])})\b", re.IGNORECASE),
        symbols=re.compile(rf"({_alt(num['symbols'])})\s*$"),
    )


def _number_atoms(text: str, blocked: list[tuple[int, int]], low: str | None) -> list[_Num]:
    rules = _rules()
    atoms: list[_Num] = []
    num = rules.num
    digit_scales = num["digit_scales"]
    pat = _patterns()
    not_after = pat.not_after

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
        sc = pat.digit_scales.match(text, e)
        if sc and (sc[1].lower() in digit_scales or sc[1] in digit_scales):
            value *= digit_scales.get(sc[1].lower(), digit_scales.get(sc[1], 1))
            e = sc.end()
        if _overlaps((s, e), blocked):
            continue
        atoms.append(_Num(s, e, _int(value)))

    words_in = _may_hold(low, pat.number_needles)
    for m in pat.number_words.finditer(text) if words_in else ():
        s, e = m.span()
        phrase = m.group().lower()
        if phrase.startswith(("a ", "an ")):
            if not any(phrase.endswith(x) for x in rules.scales):
                continue
            phrase = "one " + phrase.split(None, 1)[1]
        if text[e : e + 1] == "-" or (s and text[s - 1] == "-") or _overlaps((s, e), blocked):
            continue  # "two-part", "all-for-all"
        try:
            value = _word_value(phrase.replace("-", " "))
        except ValueError:
            continue
        blockers = num["number_words"]["one_blockers_before"]
        if phrase == "one" and _prev_word(text, s).lower() in blockers:
            continue  # "each one", "the one
        atoms.append(_Num(s, e, value, kind="word"))

    vague = num["vague"]
    vague_re = pat.vague
    # every vague amount holds a scale word ("several hundred") or a vague word
    vague_in = _may_hold(low, pat.vague_needles)
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
            if lo != hi and not _OF_AFTER.match(text, e) and not _vague_subject(text, s, e):
                continue
        atoms.append(
            _Num(s, e, _int(lo * mult), None if lo == hi else _int(hi * mult), kind="vague")
        )

    fractions = low is None or "hal" in low or "thir" in low or "quart" in low or "fifth" in low
    for m in _FRACTION.finditer(text) if fractions else ():
        if not _overlaps(m.span(), blocked) and not _FRACTION_NOT_AFTER.search(
            text, max(0, m.start() - 12), m.start()
        ):
            count = _FRACTION_COUNT.get((m["n"] or "a").lower(), 1)
            part = count / _FRACTION_PARTS[m["d"].lower().rstrip("s")]
            scale = _OF_A_SCALE.match(text, m.end())
            if scale:  # "a quarter of a million": a number, not a share
                value = part * rules.scales[scale[1].lower()]
                atoms.append(_Num(m.start(), scale.end(), _int(round(value))))
                continue
            atoms.append(_Num(m.start(), m.end(), _int(round(100 * part, 1)), kind="fraction",
                              counts="percent"))  # fmt: skip

    for m in _HALF_A.finditer(text) if fractions else ():  # "half a million"
        if not _overlaps(m.span(), blocked):
            atoms.append(_Num(m.start(), m.end(), _int(rules.scales[m[1].lower()] // 2)))

    au = num["article_units"]
    au_re = pat.article_units
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
    pat = _patterns()
    pre_re, unit_re, sym_re = pat.preceding_counts, pat.unit_words, pat.symbols
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
        if (
            counts is None
            and a.kind == "word"
            and not _level(text, s, a.value)
            and not (a.value >= 2 and _VERB_AFTER.match(text, e))  # "eleven are dead"
        ):
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

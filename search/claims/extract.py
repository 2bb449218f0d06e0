"""What each sentence claims: its values and the predicate each value states.

A value is a number fact, a time of day, a site ("in a storage hall") or a date fact. It
states the predicate of the nearest trigger word in its sentence (search/data/claims.yaml)
that no other value of its kind is nearer to; a value no trigger reaches states nothing.
Everything here depends on one passage alone: adding or removing another report cannot
change what a sentence of this one claims.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

import yaml

from ..models import ClaimValue, Fact
from ..text import sentences
from . import frames as F
from . import spans as S
from .vocab import DATA, WORD, Predicate, Vocabulary, frame_predicate, lemmas, vocabulary

NUMBER_KINDS = ("count", "amount", "share", "duration")
NAMED_REACH = 6  # how near a trigger must be to a predicate's own noun to name it
COUNTS_DISTANCE = 3  # a count noun a predicate lists ("48,312 votes") is this near a trigger
_AGE = re.compile(r"[A-Z][\w’'-]+,\s*$")  # "Greta Lund, 71, said": an age, not a count
_AGED = re.compile(r"\baged\s+$", re.IGNORECASE)  # "a victim aged 71"
_YEARS_OLD = re.compile(r"[\s-]years?[\s-]old\b", re.IGNORECASE)  # "a 71-year-old man"
_TIME = re.compile(
    r"(?<![\w:.])(\d{1,2})(?:[:.](\d{2}))?\s*(a\.\s?m\.?|p\.\s?m\.?|am\b|pm\b)|\b(noon|midday|midnight)\b"
    r"|(?<![\w:.,])([01]\d|2[0-3]):([0-5]\d)(?![\w:])"  # 24-hour: "06:12", "21:40"
    r"|(?<![\w:.,])(\d{1,2})[:.]([0-5]\d)\s*(?:hrs|h|GMT|UTC|local time)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Found:
    """One value of a sentence and the claim it states."""

    predicate: Predicate
    subject: str
    start: int  # the sentence, in passage offsets
    end: int
    value: ClaimValue


@dataclass(slots=True)
class _Value:
    group: str  # number | time | place | date
    start: int
    end: int
    value: ClaimValue
    fact: Fact | None = None
    counts: str | None = None  # what a number counts
    first: int = 0  # token span
    last: int = 0
    measure: tuple[str, str] | None = None  # (dimension, label): "70 mph" is a speed
    frame: tuple[Predicate, str] | None = None  # the claim the value's own words name
    bare: bool = False  # a place that is a name alone ("outside Vellin"): only a trigger near
    reach: int = 0  # how near a trigger must be to a bare place
    after: str | None = None  # the noun right after a number, if one is


@cache
def _site_pattern() -> re.Pattern[str]:
    sites = sorted(vocabulary().sites, key=len, reverse=True)
    alt = "|".join(re.escape(s) for s in sites)
    return re.compile(
        r"\b(?:in|at|inside|outside|from|near)\s+(?:the|a|an|its|their|one\s+of\s+the)\s+"
        r"(?:[\w’'-]+['’]s\s+)?((?:[a-z][a-z-]*\s+){0,2}?(?:" + alt + r")s?)\b"
    )


Token = tuple[int, int, frozenset[str], str]  # start, end, lemmas, the word in lower case


def _tokens(text: str, start: int, end: int) -> list[Token]:
    return [
        (m.start(), m.end(), lemmas(m.group()), m.group().lower())
        for m in WORD.finditer(text, start, end)
    ]


def _qualifier_start(text: str, fact: Fact, floor: int) -> int:
    """Where the value starts as written: at its qualifier when that comes right before."""
    q = (fact.qualifier or "").strip()
    if not q or text[fact.start : fact.end].lower().startswith(q.lower()):
        return fact.start
    at = fact.start - len(q) - 1
    if at >= floor and text[at : fact.start].strip().lower() == q.lower():
        return at
    return fact.start


def _number_value(text: str, fact: Fact, floor: int) -> ClaimValue:
    start = _qualifier_start(text, fact, floor)
    high = fact.high if isinstance(fact.high, int | float) else None
    kind = "range" if high is not None else "number"
    return ClaimValue(
        kind, text[start : fact.end], fact.value, fact.counts, fact.approximate,
        fact.qualifier, high, start, fact.end,
    )  # fmt: skip


def _times(text: str, start: int, end: int, vocab: Vocabulary) -> Iterable[_Value]:
    for m in _TIME.finditer(text, start, end):
        if m.group(4):
            minutes = 12 * 60 if m.group(4).lower() in ("noon", "midday") else 0
        elif m.group(5) or m.group(7):
            hour, minute = (
                (int(m.group(5)), int(m.group(6)))
                if m.group(5)
                else (int(m.group(7)), int(m.group(8)))
            )
            if hour > 23:
                continue
            minutes = hour * 60 + minute
        else:
            hour, minute = int(m.group(1)), int(m.group(2) or 0)
            if not (1 <= hour <= 12 and minute < 60):
                continue
            pm = m.group(3).lower().startswith("p")
            minutes = (hour % 12 + (12 if pm else 0)) * 60 + minute
        vstart, qualifier = m.start(), None
        before = text[start : m.start()].lower()
        for hedge in sorted(vocab.hedges, key=len, reverse=True):
            if re.search(r"\b" + re.escape(hedge) + r"\s+(?:at\s+)?$", before):
                qualifier = hedge
                vstart = m.start() - len(before) + before.rfind(hedge)
                break
        value = ClaimValue(
            "time", text[vstart : m.end()].rstrip(), f"{minutes // 60:02d}:{minutes % 60:02d}",
            None, qualifier is not None, qualifier, None, vstart,
            vstart + len(text[vstart : m.end()].rstrip()),
        )  # fmt: skip
        yield _Value("time", m.start(), m.end(), value)


_NAME = r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2}"
_ROUTE = re.compile(rf"\bfrom\s+({_NAME})\s+to\s+({_NAME})\b")


def _routes(text: str) -> Iterable[_Value]:
    """ "a service from Aldermoor to Kestwick": where a journey ran, from one name to
    another (a route claim, when a trigger such as "train" or "flight" reaches it)."""
    for m in _ROUTE.finditer(text):
        name = f"{m.group(1)} to {m.group(2)}"
        value = ClaimValue("place", m.group(0), name.lower(), None, False, None, None,
                           m.start(), m.end())  # fmt: skip
        yield _Value("route", m.start(), m.end(), value)


@cache
def _landmark_pattern() -> re.Pattern[str]:
    """ "near Fenwick Cutting", "on the Brennock viaduct": a name and a landmark noun."""
    nouns = sorted(F.frames().landmarks, key=len, reverse=True)
    alt = "|".join(f"[{n[0].upper()}{n[0]}]{re.escape(n[1:])}" for n in nouns)
    return re.compile(
        r"\b(?:in|at|inside|from|near|on|off|outside|by|under|over|beside)\s+(?:the\s+)?"
        r"((?:[A-Z][\w’'-]+\s+){1,3}(?:" + alt + r")s?)\b"
    )


_BARE_PLACE = re.compile(
    rf"\b(?:in|at|near|outside|inside|off|beside|close to|to|(?:north|south|east|west)\s+of)"
    rf"\s+({_NAME})"
)
_CALENDAR = frozenset(
    [
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december", "today", "tonight"),
    ]
)
BARE_REACH = 4  # how near a place trigger must be to a bare name ("epicentre was just outside")


def _bare_places(text: str) -> Iterable[_Value]:
    for m in _BARE_PLACE.finditer(text):
        name = m.group(1)
        if name.endswith(("'s", "’s")) or name.split()[0].lower() in _CALENDAR:
            continue  # "in Monday's derailment": a date or a possessive, not a place
        value = ClaimValue("place", name, name.lower(), None, False, None, None, m.start(1),
                           m.end(1))  # fmt: skip
        v = _Value("place", m.start(1), m.end(1), value, bare=True)
        v.reach = 1 if m.group(0).startswith("to") else BARE_REACH  # "diverted to Brannock"
        yield v


@cache
def _settlement_pattern() -> re.Pattern[str]:
    """ "near the town of Vellin", "close to the village of Ravno": the named place."""
    alt = "|".join(sorted(map(re.escape, F.frames().settlements), key=len, reverse=True))
    return re.compile(rf"\b(?:the\s+)?(?:{alt})\s+of\s+({_NAME})\b")


def _sites(text: str, start: int, end: int) -> Iterable[_Value]:
    taken: list[tuple[int, int]] = []
    for m in _site_pattern().finditer(text, start, end):
        words = m.group(1).lower().split()
        head = min(lemmas(words[-1]), key=lambda w: (len(w), w))
        name = " ".join([*words[:-1], head])
        value = ClaimValue("place", m.group(1), name, None, False, None, None, m.start(1), m.end(1))
        taken.append((m.start(1), m.end(1)))
        yield _Value("place", m.start(1), m.end(1), value)
    for m in _settlement_pattern().finditer(text, start, end):
        taken.append((m.start(1), m.end(1)))
        name = " ".join(m.group(1).lower().split())
        value = ClaimValue("place", m.group(1), name, None, False, None, None, m.start(1), m.end(1))
        yield _Value("place", m.start(1), m.end(1), value)
    for m in _landmark_pattern().finditer(text, start, end):
        if any(a < m.end(1) and m.start(1) < b for a, b in taken):
            continue
        name = " ".join(m.group(1).lower().split())
        value = ClaimValue("place", m.group(1), name, None, False, None, None, m.start(1), m.end(1))
        yield _Value("place", m.start(1), m.end(1), value)


@cache
def _compound_pattern() -> tuple[re.Pattern[str], dict[str, int]]:
    """ "a seven-year sentence", "a five-year deal": a number the fact finder leaves to
    the noun it modifies ("-old" ages stay out)."""
    raw = yaml.safe_load((DATA / "facts_numbers.yaml").read_text(encoding="utf-8"))
    words = raw["number_words"]
    value = {w: i + 1 for i, w in enumerate(words["units"])}
    value.update({w: 20 + 10 * i for i, w in enumerate(words["tens"])})
    units = sorted(vocabulary().compound_units, key=len, reverse=True)
    alt = "|".join(sorted(value, key=len, reverse=True))
    pattern = re.compile(
        rf"\b(\d{{1,3}}|{alt})-({'|'.join(map(re.escape, units))})s?\b(?!-)", re.IGNORECASE
    )
    return pattern, value


def _compounds(text: str, start: int, end: int) -> Iterable[_Value]:
    pattern, words = _compound_pattern()
    for m in pattern.finditer(text, start, end):
        if re.search(r"['’]s\s+$", text[max(0, m.start() - 4) : m.start()]):
            continue  # "the club's 130-year history": an age, not a term
        number = m.group(1).lower()
        amount = int(number) if number.isdigit() else words[number]
        unit = m.group(2).lower()
        cv = ClaimValue("number", m.group(0), amount, unit, False, None, None, m.start(), m.end())
        yield _Value("number", m.start(), m.end(), cv, None, unit)


_GLUED = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)([a-z][a-z/]*)\b", re.IGNORECASE)


def _glued(text: str) -> Iterable[_Value]:
    """ "180mm", "6km", "70mph": a measure written as one word, which the fact finder
    leaves alone."""
    for m in _GLUED.finditer(text):
        found = F.measure_after(text, m.end(1))
        if found is None or found[4] != m.end():
            continue
        dimension, label, unit, _f, end = found
        number = float(m.group(1).replace(",", ""))
        amount = int(number) if number.is_integer() else number
        cv = ClaimValue("number", m.group(0), amount, unit, False, None, None, m.start(), end)
        v = _Value("number", m.start(), end, cv)
        v.measure = (dimension, label)
        yield v


def _next_noun(text: str, tokens: list[Token], v: _Value) -> str | None:
    """What a number counts when the fact finder did not say: the noun after it, past
    adjectives ("1,200 small investors")."""
    at = v.last + 1
    if at + 1 < len(tokens) and tokens[at][3] == "of" and v.value.text[-1:] == "s":
        at += 1  # "dozens of people", "hundreds of homes"
    for k in range(at, min(at + 5, len(tokens))):
        word = tokens[k][3]
        if not word[:1].isalpha() or text[tokens[k - 1][1] : tokens[k][0]].strip():
            return None  # a number, or punctuation between: "injuring more than 300, officials"
        if text[tokens[k][0]].isupper() or (
            word == "and" and k + 1 < len(tokens) and text[tokens[k + 1][0]].isupper()
        ):
            continue  # names that modify the noun: "250,000 Strata and Veyla models"
        if k + 1 < len(tokens):  # "army personnel", "ballot paper": a compound it names
            pair = f"{word} {F.noun_lemma(tokens[k + 1][3])}"
            if pair in F.compounds():
                return pair
        modifies = F.is_adjective(word) and k + 1 < len(tokens) and F.is_noun(tokens[k + 1][3])
        if F.is_noun(word) and not modifies:
            return min(tokens[k][2], key=lambda w: (len(w), w))
        if not F.is_adjective(word):
            return None
    return None


def _accepts(p: Predicate, counts: str | None, vocab: Vocabulary) -> bool:
    if p.kind not in NUMBER_KINDS:
        return False
    if counts is not None and counts.lower() in p.counts:
        return True
    if p.only_counts:
        return False
    if p.units:
        return counts is not None and counts.lower() in p.units
    return p.kind == "count" and (counts is None or counts.lower() not in vocab.measures)


def _is_part(tokens: list[Token], v: _Value, vocab: Vocabulary) -> bool:
    """ "11 of them", "including about 50": a part of another count, no claim of its own."""
    low = [t[3] for t in tokens]
    for phrase in vocab.part_after:
        n = len(phrase)
        for skip in (1, 2):  # the number, then maybe its noun
            at = v.last + skip
            if tuple(low[at : at + n]) == phrase:
                return True
    for phrase in vocab.part_before:
        n = len(phrase)
        for gap in (0, 1, 2):  # qualifier words may come between
            at = v.first - n - gap
            if at >= 0 and tuple(low[at : at + n]) == phrase:
                return True
    return False


def _triggers(tokens: list[Token], vocab: Vocabulary) -> list[tuple[int, int, int]]:
    """(predicate index, first token, last token) of every trigger in the tokens."""
    out = []
    for i, (_s, _e, forms, _w) in enumerate(tokens):
        for form in forms:
            for words, pi in vocab.first.get(form, ()):
                j, k = i + 1, 1
                while k < len(words) and j < len(tokens):
                    if words[k] in tokens[j][2]:
                        k += 1
                    elif not (tokens[j][2] & vocab.skip):
                        break
                    j += 1
                if k == len(words):
                    out.append((pi, i, j - 1))
    return sorted(set(out))


def statements(text: str, facts: Iterable[Fact], people: Iterable[Fact] = ()) -> list[Found]:
    """The claims the sentences of one passage state, in text order."""
    vocab = vocabulary()
    facts = sorted(facts, key=lambda f: (f.start, f.end))
    persons = sorted((f for f in people if isinstance(f.value, str)), key=lambda f: f.start)
    bounds = sentences(text)
    found: list[list[_Value]] = [[] for _ in bounds]
    starts = [s for s, _e in bounds]

    def add(v: _Value) -> None:
        i = bisect.bisect_right(starts, v.start) - 1
        if i >= 0 and v.start < bounds[i][1]:
            found[i].append(v)

    patterned = [(_Value("score", v.start, v.end, v, frame=(SCORE, ""))) for v in S.scores(text)]
    patterned += [_Value("minute", v.start, v.end, v) for v in S.minutes(text)]
    for v in patterned:
        add(v)
    spans = [(v.start, v.end) for v in patterned]
    for f in facts:
        if any(a < f.end and f.start < b for a, b in spans):
            continue  # a goal of "3-1", the 12 of "on 12 minutes"
        if f.kind == "number" and isinstance(f.value, int | float):
            i = bisect.bisect_right(starts, f.start) - 1
            floor = starts[i] if i >= 0 else 0
            if text[f.end : f.end + 1] in (",", ".") and _AGE.search(
                text, max(floor, f.start - 40), f.start
            ):
                continue
            if _AGED.search(text, max(floor, f.start - 10), f.start) or _YEARS_OLD.match(
                text, f.end
            ):
                continue
            cv = _number_value(text, f, floor)
            add(_Value("number", cv.start, f.end, cv, f, f.counts))
        elif f.kind == "date" and isinstance(f.value, str):
            cv = ClaimValue("date", f.text, f.value, None, False, None, None, f.start, f.end)
            add(_Value("date", f.start, f.end, cv, f))
    taken = [(f.start, f.end) for f in facts if f.kind == "number"]
    if "-" in text:
        for v in _compounds(text, 0, len(text)):
            if not any(a < v.end and v.start < b for a, b in taken):
                add(v)
    for v in _glued(text):
        if not any(a < v.end and v.start < b for a, b in taken):
            add(v)
    for v in _times(text, 0, len(text), vocab):
        add(v)
    for v in _sites(text, 0, len(text)):
        add(v)
    for v in _routes(text):
        add(v)
    for v in F.causes(text):  # its words say the claim: "because of a faulty fuel pump"
        add(_Value("thing", v.start, v.end, v, frame=(CAUSE, "")))
    places = [(v.start, v.end) for row in found for v in row]
    for v in _bare_places(text):
        if not any(a < v.end and v.start < b for a, b in places):
            add(v)
    out: list[Found] = []
    for (s, e), values in zip(bounds, found, strict=True):
        if values:
            out += _sentence(text, s, e, values, vocab, persons)
    return _resolve(out)


ANAPHOR = frame_predicate("anaphor", "", "count")
CAUSE = frame_predicate("cause", "the cause or what failed", "thing")
SCORE = frame_predicate("score", "the score", "score")


def _resolve(found: list[Found]) -> list[Found]:
    """A value of "the figure" / "that number" states the claim of the number before it in
    the passage ("cancelled 2,100 services. By the evening that figure had risen to 2,380")."""
    out: list[Found] = []
    for f in found:
        if f.predicate is ANAPHOR:
            before = [g for g in out if g.value.kind in ("number", "range")]
            if before:
                out.append(Found(before[-1].predicate, before[-1].subject, f.start, f.end, f.value))
            continue
        out.append(f)
    return out


def _sentence(
    text: str, s: int, e: int, values: list[_Value], vocab: Vocabulary, persons: list[Fact]
) -> list[Found]:
    tokens = _tokens(text, s, e)
    if not tokens:
        return []
    ends = [t[1] for t in tokens]
    begins = [t[0] for t in tokens]
    for v in values:
        v.first = min(bisect.bisect_right(ends, v.start), len(tokens) - 1)
        v.last = max(bisect.bisect_left(begins, v.end) - 1, v.first)
    values = [v for v in values if not (v.group == "number" and _is_part(tokens, v, vocab))]
    for v in values:
        if v.group == "number":
            _measure(text, tokens, begins, v)
            if v.counts and not (F.is_noun(v.counts) or v.counts in vocab.measures):
                v.counts = None  # the fact finder's guess: "The carrier operates 34 A321s"
            if v.measure is None:
                v.after = _next_noun(text, tokens, v)
                compound = v.after is not None and " " in v.after  # "army personnel"
                v.counts = v.after if compound else v.counts or v.after
            v.frame = _named_in(tokens, v, vocab) or F.frame_claim(
                text, tokens, v.first, v.last, v.counts, v.measure
            )
    return _assign(text, values, tokens, vocab, s, e, persons)


def _bases(token: Token) -> set[str]:
    """The base forms a word can be ("add-ons": add-on; "euros": euro)."""
    word = token[3]
    return {*token[2], F.noun_lemma(word), word[:-1] if word.endswith("s") else word}


def _named_in(tokens: list[Token], v: _Value, vocab: Vocabulary) -> tuple[Predicate, str] | None:
    """ "10 million euros in add-ons", "2 billion in aid": the noun after "in" says what
    an amount is, ahead of any trigger or frame."""
    if F.value_kind(v.counts) != "amount":
        return None
    at = v.last + 1
    if at < len(tokens) and v.counts in _bases(tokens[at]):
        at += 1  # the currency
    if at + 1 >= len(tokens) or tokens[at][3] != "in":
        return None
    forms = _bases(tokens[at + 1])
    for p in vocab.predicates:
        if p.kind == "amount" and any(len(t) == 1 and t[0] in forms for t in p.triggers):
            return p, ""
    return None


def _measure(text: str, tokens: list[Token], begins: list[int], v: _Value) -> None:
    """A number with a unit of measure after it ("70 mph") or a dimension before it ("a
    magnitude 6.8 quake"): the value's text takes the unit, and compares in it."""
    if v.fact is None:
        return
    after = F.measure_after(text, v.value.end)
    if after is not None:
        dimension, label, unit, _factor, end = after
        v.value = replace(v.value, text=text[v.value.start : end], unit=unit, end=end)
        v.end = end
        v.last = max(bisect.bisect_left(begins, end) - 1, v.first)
        v.measure = (dimension, label)
    elif (dimension := F.measure_before([t[3] for t in tokens], v.first)) is not None:
        v.value = replace(v.value, unit=dimension)
        v.measure = (dimension, dimension)


def _group(p: Predicate) -> str:
    return "number" if p.kind in NUMBER_KINDS else p.kind


def _fits(p: Predicate, v: _Value, vocab: Vocabulary) -> bool:
    if v.group == "number":
        return _accepts(p, v.counts, vocab) and not (p.people and _thing(p, v.after))
    return _group(p) == v.group


def _thing(p: Predicate, noun: str | None) -> bool:
    """Does the noun right after a count name a thing ("five carriages"), not people, nor
    what ``p`` says ("14 fatalities")?"""
    if noun is None or noun in p.counts or (noun,) in p.triggers:
        return False
    return not F.is_person(noun)


# Words that join two clauses: a trigger across one of them ("14 died and 23 were
# missing") is further from a value than its token count says.
_CLAUSE_JOINS = frozenset({"and", "but", "while", "whereas", "as", "after", "with"})
CLAUSE_PENALTY = 2
PUNCT_PENALTY = 1.5  # a comma or a colon between a trigger and a value
# Words that only carry tense: "180 people have been rescued" is as near as "180 rescued".
_AUXILIARIES = frozenset({"have", "has", "had", "been", "be", "being", "was", "were", "is",
                          "are", "will", "would"})  # fmt: skip


def _distance(v: _Value, first: int, last: int, words: list[str] | None = None) -> int:
    if last < v.first:
        gap, between = v.first - last, range(last + 1, v.first)
    elif first > v.last:
        gap, between = first - v.last, range(v.last + 1, first)
    else:
        return 0
    if words is not None:
        if any(words[k] in _CLAUSE_JOINS for k in between):
            gap += CLAUSE_PENALTY
        gap -= sum(words[k] in _AUXILIARIES for k in between)  # "have been rescued"
    return gap


def _reach(
    v: _Value, first: int, last: int, words: list[str], tokens: list[Token], text: str | None
) -> float:
    """How far a trigger is from a value; the value's own noun as the trigger ("48,000
    employees have joined the strike") says what is counted, not what happened to it,
    so it reaches only as far as a listed count noun does."""
    own = (
        v.after is not None
        and first == last
        and v.last < first <= v.last + 3
        and v.after in tokens[first][2]
    )
    if own:
        return COUNTS_DISTANCE + 0.5
    gap = float(_distance(v, first, last, words))
    a, b = (tokens[last][1], tokens[v.first][0]) if last < v.first else (
        tokens[v.last][1], tokens[first][0])  # fmt: skip
    if text is not None and any(c in text[a:b] for c in ",;:("):
        gap += PUNCT_PENALTY  # "Of the patients infected, six are in intensive care"
    return gap


def _assign(
    text: str,
    values: list[_Value],
    tokens: list[Token],
    vocab: Vocabulary,
    s: int,
    e: int,
    persons: list[Fact],
) -> list[Found]:
    found = []
    words = [t[3] for t in tokens]
    occurrences = _triggers(tokens, vocab)
    # value -> (listed noun and trigger, distance, counts miss, predicate)
    best: dict[int, tuple[int, float, int, int, int]] = {}
    for pi, first, last in occurrences:
        p = vocab.predicates[pi]
        fits = [i for i, v in enumerate(values) if v.frame is None and _fits(p, v, vocab)]
        if not fits:
            continue
        dist = {i: _reach(values[i], first, last, words, tokens, text) for i in fits}
        dist = {i: d for i, d in dist.items() if not (values[i].bare and d > values[i].reach)}
        if not dist:
            continue
        fits = list(dist)
        nearest = min(dist.values())
        if p.near is not None and nearest > p.near:
            continue
        for i in fits:
            if dist[i] == nearest:
                v = values[i]
                miss = 0 if (v.counts or "") in p.counts else 1
                # a predicate named by both its noun and a trigger near ("600 jobs would
                # go") beats a nearer trigger of another ("jobs": employed)
                named = 0 if p.only_counts and not miss and nearest <= NAMED_REACH else 1
                key = (named, float(nearest), miss, first - last, pi)  # then the longer
                if i not in best or key < best[i]:
                    best[i] = key
    for i, v in enumerate(values):  # a listed count noun is a trigger of its own
        if not v.counts or v.frame is not None:
            continue
        for pi, p in enumerate(vocab.predicates):
            if p.noun_alone and v.counts.lower() in p.counts and _fits(p, v, vocab):
                key = (1, COUNTS_DISTANCE + 0.5, 0, 0, pi)  # after a trigger as near
                if i not in best or key < best[i]:
                    best[i] = key
    for i, v in enumerate(values):
        if v.frame is not None:
            subject = " ".join(filter(None, (v.frame[1], F.past_event(text, s, v.start))))
            found.append(Found(v.frame[0], subject, s, e, v.value))
            continue
        per = F.period_of(tokens, v.first, v.last, v.counts) if v.group == "number" else ""
        per = " ".join(filter(None, (F.past_event(text, s, v.start), per)))
        if i in best:
            p = vocab.predicates[best[i][-1]]
            subject = _subject(p, v, vocab, s, persons, tokens)
        elif v.group != "number" or _is_year(v):
            continue
        elif (p := _counted(v, vocab)) is not None:  # no trigger reaches it: what it counts
            subject = ""
        elif F.refers_back(text, s, v.start) and F.value_kind(v.counts) in ("count", "amount"):
            p, subject = ANAPHOR, ""  # "that figure had risen to 2,380": statements() names it
        elif (p := F.verb_claim(tokens, v.first, v.counts)) is None:
            continue  # else the verb that governs an amount or a share says what it is
        else:
            subject = ""
        found.append(Found(p, " ".join(filter(None, (subject, per))), s, e, v.value))
    found.sort(key=lambda f: f.value.start)
    return found


def _is_year(v: _Value) -> bool:
    value = v.value.value
    if not isinstance(value, int | float) or not float(value).is_integer():
        return False
    return 1800 <= value <= 2100 and "," not in v.value.text and v.value.unit is None


def _counted(v: _Value, vocab: Vocabulary) -> Predicate | None:
    """The claim of a count no trigger word reaches: how many of its noun there are
    ("1,240 homes", "600 soldiers"), one claim per noun. Not for measures, years, parts
    or nouns too general to say what is counted (data: fallback_stop_nouns)."""
    noun = (v.counts or "").lower()
    if (
        len(noun) < 3
        or not noun.replace(" ", "").isalpha()
        or noun in vocab.measures
        or noun in vocab.fallback_stop
        or not isinstance(v.value.value, int | float)
        or (v.fact is not None and v.fact.kind != "number")
    ):
        return None
    if _is_year(v):
        return None  # a year written as a number ("the 1998 flood")
    return vocab.counted(F.frames().synonyms.get(noun, noun))


def _subject(
    p: Predicate, v: _Value, vocab: Vocabulary, s: int, persons: list[Fact], tokens: list[Token]
) -> str:
    """What else tells this claim from another of the same predicate: the person whose
    votes a count is, or a distinct group a count counts ("firefighters")."""
    if p.subject == "person":
        before = [f for f in persons if s <= f.start < v.start]
        return str(before[-1].value) if before else ""
    if p.subject == "estimator":  # "Police put the turnout at 12,400", "organisers said 50,000"
        return F.estimator(tokens, v.first, v.last)
    if p.kind == "amount" and F.one_person(tokens, v.first):
        return "one person"  # "she had lost 60,000 euros": not the total
    counts = (v.counts or "").lower()
    counts = F.frames().synonyms.get(counts, counts)
    return counts if counts in vocab.distinct and counts not in p.counts else ""

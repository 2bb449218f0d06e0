"""What a value's own words say it is about, when no predicate of the vocabulary says it.

Every rule reads one sentence (claims.yaml: changes, rates, verbs, measures, landmarks):
- a measure: "70 mph", "110 km/h" are a speed, compared after conversion;
- a rate: "24.50 euros per share", "each share at 24 euros" are a value per share;
- a change: "shares jumped 29 percent" and "shares rose 31 percent" are one rise in shares;
- a verb: "save 90 million euros" and "to save 85 million euros" are one saving;
- people: a count of carriages does not take a predicate about people.
Word classes come from lemminflect (its tables ship in its wheel), asked once per word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

from ..models import ClaimValue
from .vocab import Frames, Predicate, frame_predicate, plural, vocabulary

Token = tuple[int, int, frozenset[str], str]


def frames() -> Frames:
    found = vocabulary().frames
    assert found is not None
    return found


def _words(name: str) -> frozenset[str]:
    """A word list of claims.yaml's frame_words ("pronouns", "clause_ends" ...)."""
    return frames().words[name]


@lru_cache(maxsize=65536)
def _lemmas_of(word: str) -> dict[str, tuple[str, ...]]:
    from lemminflect import getAllLemmas

    return dict(getAllLemmas(word))


def is_noun(word: str) -> bool:
    """A word that can be a noun (lemminflect), or one it does not know."""
    if word in frames().function_words:
        return False
    forms = _lemmas_of(word)
    if "ADV" in forms and word in forms["ADV"]:
        return False  # "16 still missing": an adverb as written, not "a still"
    return not forms or "NOUN" in forms or "PROPN" in forms


def verb_lemma(word: str) -> str | None:
    forms = _lemmas_of(word)
    verbs = forms.get("VERB") or forms.get("AUX")
    return verbs[0] if verbs else None


def noun_lemma(word: str) -> str:
    forms = _lemmas_of(word)
    nouns = forms.get("NOUN")
    return nouns[0] if nouns else word


def is_person(noun: str) -> bool:
    """Does ``noun`` (a base form) name people?"""
    f = frames()
    noun = noun.lower()
    if noun in f.person_nouns:
        return True
    noun = noun_lemma(noun)
    if noun in f.person_nouns:
        return True
    if noun in f.not_person:
        return False
    return len(noun) > 4 and noun.endswith(f.person_suffixes)


@cache
def _measure_pattern() -> re.Pattern[str]:
    units = sorted(frames().measures, key=lambda u: (-len(" ".join(u)), u))
    alt = "|".join(r"\s+".join(re.escape(w) for w in unit) for unit in units)
    return re.compile(r"\s*(" + alt + r")(?![\w/])", re.IGNORECASE)


def measure_after(text: str, end: int) -> tuple[str, str, str, float, int] | None:
    """(dimension, label, unit, factor, end of the unit) of the unit right after a number."""
    m = _measure_pattern().match(text, end)
    if m is None:
        return None
    unit = tuple(m.group(1).lower().split())
    dimension, label, factor, _offset = frames().measures[unit]
    return dimension, label, " ".join(unit), factor, m.end()


def measure_before(words: list[str], first: int) -> str | None:
    """The dimension a word before the number names ("a magnitude 6.8 quake")."""
    for phrase, dimension in frames().measure_before.items():
        n = len(phrase)
        if first - n >= 0 and tuple(words[first - n : first]) == phrase:
            return dimension
    return None


def is_limit(words: list[str], first: int, last: int) -> bool:
    near = words[max(0, first - 3) : first] + words[last + 1 : last + 4]
    return any(w in frames().limits or w.rstrip("s") in frames().limits for w in near)


def rate_of(tokens: list[Token], first: int, last: int, counts: str | None) -> str | None:
    """What a value is per: "24.50 euros per share", "each share at 24 euros",
    "85 million euros a year" (the noun, in its base form), else None."""
    f = frames()
    words = [t[3] for t in tokens]
    at = last + 1
    glued = at < len(words) and "-per-" in words[at]  # "24.50 euro-per-share"
    if counts and not glued and at < len(words) and noun_lemma(words[at]) in {counts, counts + "s"}:
        at += 1  # the currency or counted noun: "euros per share"
    if at < len(words) and "-per-" in f"-{words[at]}":  # "per-share", "euro-per-share"
        noun = noun_lemma(words[at].rsplit("-per-", 1)[-1].removeprefix("per-"))
        return noun if noun in f.rate_nouns else None
    if at < len(words) and words[at].startswith("a-"):
        noun = noun_lemma(words[at].split("-", 1)[1])
        return noun if noun in f.rate_nouns else None
    if at < len(words) and words[at] in f.rate_words:
        for k in range(at + 1, min(at + 3, len(words))):  # "per Brightwell share"
            noun = noun_lemma(words[k])
            if noun in f.rate_nouns:
                return noun
            if not tokens[k][3][:1].isalpha() or words[k] in f.rate_words:
                break
    for k in range(max(0, first - 5), first):  # "each Brightwell share at 24 euros"
        if words[k] in ("each", "every", "per"):
            for j in range(k + 1, first):
                noun = noun_lemma(words[j])
                if noun in f.rate_nouns and j + 1 < first and words[j + 1] in ("at", "for"):
                    return noun
    return None


def _phrase_at(words: list[str], tokens: list[Token], at: int, phrase: tuple[str, ...]) -> bool:
    return all(
        at + i < len(words) and (w == words[at + i] or w in tokens[at + i][2] or
                                 verb_lemma(words[at + i]) == w)
        for i, w in enumerate(phrase)
    )  # fmt: skip


def change_of(tokens: list[Token], first: int) -> tuple[str, int] | None:
    """(rise | fall, the verb's token) when a change verb comes right before the value
    ("rose 31 percent", "jumped by 29 percent", "was up 4 percent")."""
    f = frames()
    words = [t[3] for t in tokens]
    for back in (1, 2, 3):
        end = first - back
        if end < 0:
            break
        if back > 1 and words[end + 1] not in (
            "by",
            "as",
            "much",
            "nearly",
            "almost",
            "about",
            "some",
            "around",
            "roughly",
            "over",
            "more",
            "than",
            "a",
            "further",
            "another",
        ):
            break
        for phrase, direction in f.changes.items():
            start = end - len(phrase) + 1
            if start >= 0 and _phrase_at(words, tokens, start, phrase):
                return direction, start
    return None


def _change_after(tokens: list[Token], first: int, last: int) -> tuple[str, int] | None:
    """ "closed 4.2 percent lower", "ended 2% higher": the change word after the value (the
    verb's place, for its subject, is the value's)."""
    at = last + 1
    if at < len(tokens) and tokens[at][3] in ("percent", "%", "cent", "per"):
        at += 1 + (tokens[at][3] == "per")
    if at < len(tokens) and tokens[at][3] in frames().change_after:
        if at + 1 < len(tokens) and tokens[at + 1][3] in ("from", "than", "to"):
            return None  # "54 percent, up from 47 percent": a level and the one before
        return frames().change_after[tokens[at][3]], first
    return None


def subject_before(text: str, tokens: list[Token], at: int, floor: int = 0) -> str:
    """The common noun a verb at token ``at`` is about ("Brightwell shares jumped",
    "Shares in Brightwell rose"): the nearest before it, past names ("Brightwell")."""
    for k in range(at - 1, max(floor, at - 6) - 1, -1):
        word = tokens[k][3]
        if not word[:1].isalpha() or word in frames().light_verbs:
            continue
        if k > floor and text[tokens[k][0]].isupper():
            continue  # a name inside the sentence
        if word in _words("pronouns"):
            return ""
        nouns = _lemmas_of(word).get("NOUN")
        if nouns:
            return _head(tokens, k, floor) or nouns[0]
    return ""


def _head(tokens: list[Token], k: int, floor: int) -> str:
    """ "shares in the owner", "the price of oil": the noun before "in"/"of" heads it."""
    j = k - 1
    while (
        j > max(floor, k - 4)
        and tokens[j][3] not in ("in", "of")
        and (
            tokens[j][3] in _words("determiners")
            or is_noun(tokens[j][3])
            or is_adjective(tokens[j][3])
        )
    ):
        j -= 1  # "shares in its parent company"
    if j - 1 >= floor and tokens[j][3] in ("in", "of"):
        nouns = _lemmas_of(tokens[j - 1][3]).get("NOUN")
        if nouns:
            return nouns[0]
    return ""


def verb_before(tokens: list[Token], first: int, floor: int = 0) -> str | None:
    """The verb (base form) that governs a value: the nearest before it in its clause
    that says more than "be" or "say" ("expects to save 85 million": save)."""
    for k in range(first - 1, max(floor, first - 6) - 1, -1):
        word = tokens[k][3]
        if word in _words("clause_ends"):
            break
        if not word[:1].isalpha():
            continue
        lemma = verb_lemma(word)
        if (
            lemma is not None
            and lemma not in frames().light_verbs
            and not is_adjective(word)
            and word not in _lemmas_of(word).get("ADV", ())  # "down from 3.6 percent"
            and noun_lemma(word) not in vocabulary().measures  # "18 billion crowns, 2 percent"
            and not _noun_here(tokens, k)
        ):
            return lemma
    return None


def _noun_here(tokens: list[Token], k: int) -> bool:
    """Is a word that can be a noun or a verb a noun here ("greenhouse gas emissions")? It
    is a verb as written when inflected ("cut" is, "gassed" is) or after "to", a modal or
    an auxiliary ("to cut", "will cut")."""
    word = tokens[k][3]
    forms = _lemmas_of(word)
    if "NOUN" not in forms or word not in forms["NOUN"]:
        return False  # not a noun as written
    verbs = forms.get("VERB", ())
    if word not in verbs:
        return True  # "emissions": the verb reading is another word
    return k == 0 or tokens[k - 1][3] not in _words("verb_before")


def is_adjective(word: str) -> bool:
    """ "low", "high", "small": a word that is an adjective as written."""
    return word in _lemmas_of(word).get("ADJ", ())


def one_person(tokens: list[Token], first: int) -> bool:
    """Is a value one person's ("she had lost 60,000 euros"), by a singular personal
    pronoun in the few words before it?"""
    return any(tokens[k][3] in _words("one_person") for k in range(max(0, first - 4), first))


def past_participle(verb: str) -> str:
    from lemminflect import getInflection

    forms = getInflection(verb, "VBN")
    return forms[0] if forms else verb


@cache
def compounds() -> frozenset[str]:
    """Two-word count nouns the vocabulary names ("ballot paper", "army personnel")."""
    listed = {c for p in vocabulary().predicates for c in p.counts} | set(frames().synonyms)
    return frozenset(c for c in listed if " " in c)


@cache
def _kinds() -> dict[str, str]:
    """A count noun -> the kind of value it makes: share (percent), amount (a currency),
    duration (a period), as the vocabulary's predicates list them in units."""
    out: dict[str, str] = {}
    for p in vocabulary().predicates:
        if p.kind in ("share", "amount", "duration"):
            for unit in p.units:
                out.setdefault(unit, p.kind)
    return out


def value_kind(counts: str | None) -> str:
    return _kinds().get((counts or "").lower(), "count")


def _noun_of(words: list[str], first: int) -> str:
    """ "a depth of about 10 km": the noun a measure is "of"."""
    k = first - 1
    while k >= 0 and words[k] in _words("hedges"):
        k -= 1
    if k >= 1 and words[k] == "of" and is_noun(words[k - 1]) and words[k - 1].isalpha():
        return noun_lemma(words[k - 1])
    return ""


def _measure_subject(
    words: list[str], first: int, last: int, dimension: str, text: str = "", tokens=()
) -> str:
    """What a measure is of: a limit ("a limit of 80 km/h"), a depth ("10 km below the
    surface"), the noun it is "of" ("a depth of 10 km", "an aftershock of magnitude 4.2");
    nothing when that is the dimension itself ("a magnitude of 6.3")."""
    if is_limit(words, first, last):
        return "limit"
    if last + 1 < len(words) and words[last + 1] in _words("below"):
        return "depth"
    at = first
    for phrase in frames().measure_before:  # "of magnitude 4.2": past the dimension word
        if at - len(phrase) >= 0 and tuple(words[at - len(phrase) : at]) == phrase:
            at -= len(phrase)
            break
    noun = _noun_of(words, at)
    if noun and noun not in (dimension, *frames().measure_before_words):
        return frames().measured.get(noun, noun)
    measured = frames().measured
    for k in range(first - 1, max(-1, first - 7), -1):  # "Waves reached five metres"
        if words[k] in _words("clause_ends") or (
            tokens and text[tokens[k][1] : tokens[k + 1][0]].strip()
        ):
            break  # a clause ends, or punctuation: "Airport, 240 kilometres north"
        for base in (noun_lemma(words[k]), verb_lemma(words[k])):  # "cruising at 35,000 feet"
            if base in measured and (base == noun_lemma(words[k]) or dimension == "distance"):
                return "" if measured[base] == dimension else measured[base]  # a verb: heights
    return ""


def frame_claim(
    text: str,
    tokens: list[Token],
    first: int,
    last: int,
    counts: str | None,
    measure: tuple[str, str] | None,
) -> tuple[Predicate, str] | None:
    """The claim a value's own words name, ahead of any trigger: a measure ("70 mph": a
    speed), a price per a thing ("24.50 euros per share"), a change of a share or an
    amount ("shares jumped 29 percent"). None when its words name none of these."""
    words = [t[3] for t in tokens]
    if measure is not None:
        dimension, label = measure
        return frame_predicate(f"measure:{dimension}", label, "measure"), _measure_subject(
            words, first, last, dimension, text, tokens
        )
    per = rate_of(tokens, first, last, counts)
    if per is not None and per not in frames().periods:
        return frame_predicate(f"rate:{per}", f"value per {per}", value_kind(counts)), ""
    kind = value_kind(counts)
    if kind in ("share", "amount") and (
        (change := change_of(tokens, first)) is not None
        or (change := _change_after(tokens, first, last)) is not None
    ):
        direction, at = change
        subject = subject_before(text, tokens, at)
        named = _change_predicate(tokens, at, direction, kind)
        if named is not None:  # "State pensions will go up by 4.5 percent": a pension rise
            return named, ""
        label = {"rise": "rise", "fall": "fall"}[direction]
        label += (
            f" in {plural(subject)}"
            if subject
            else f" ({'percent' if kind == 'share' else 'amount'})"
        )
        return frame_predicate(f"change:{direction}:{kind}:{subject}", label, kind), ""
    return None


def _change_predicate(tokens: list[Token], at: int, direction: str, kind: str) -> Predicate | None:
    """The vocabulary's predicate that is this change, when one of its triggers is among
    the few words before the change verb."""
    near = set().union(*(tokens[k][2] for k in range(max(0, at - 4), at))) if at else set()
    for p in vocabulary().predicates:
        if (
            p.change == direction
            and p.kind == kind
            and any(len(t) == 1 and t[0] in near for t in p.triggers)
        ):
            return p
    return None


def period_of(tokens: list[Token], first: int, last: int, counts: str | None) -> str:
    """ "85 million euros a year": "per year" (kept apart from the same claim without it);
    a count per period ("2,000 trains a day") is the same claim as the day's count."""
    if value_kind(counts) not in ("amount", "share"):
        return ""
    per = rate_of(tokens, first, last, counts)
    return f"per {per}" if per is not None and per in frames().periods else ""


_KIND_NOUN = {"share": "percent", "amount": "money", "duration": "time", "count": "number"}


def verb_claim(tokens: list[Token], first: int, counts: str | None) -> Predicate | None:
    """The claim of an amount or a share no trigger reaches, by the noun it is "of" ("a
    premium of 32 percent") or else the verb that governs it: "save 90 million euros" and
    "expects to save 85 million" are one."""
    kind = value_kind(counts)
    if kind not in ("amount", "share"):
        return None  # a count or a period a verb governs says too little ("in 24 hours")
    noun = _noun_of([t[3] for t in tokens], first)
    if noun and noun not in vocabulary().fallback_stop:  # "a premium of 32 percent"
        return frame_predicate(f"of:{kind}:{noun}", noun, kind)
    lemma = verb_before(tokens, first)
    if lemma is None:
        return None
    label = f"{_KIND_NOUN[kind]} {past_participle(lemma)}"
    return frame_predicate(f"verb:{kind}:{lemma}", label, kind)


_YEAR = r"(1[89]\d\d|20\d\d)"
_PAST = (
    re.compile(rf"\b(?:in|since|of)\s+{_YEAR},\s+(?:when|which|that)\b[^,;]*$"),
    re.compile(rf",\s+(?:in|back in)\s+{_YEAR},\s+[^,;]*$"),
    re.compile(rf"\b(?:the|its|their)\s+{_YEAR}\s+[a-z]+[^,;]*$"),  # not "a 2027 budget"
    re.compile(rf"\b{_YEAR}['’]s\s+[a-z]+[^,;]*$"),
)


# "who bought him for 9 million euros three years ago": a value of an earlier event
_AGO = re.compile(r"[^,;.]{0,40}?\b(?:\w+|a)\s+(?:years?|months?|decades?|seasons?)\s+ago\b")


def past_event(text: str, start: int, at: int) -> str:
    """ "The last flood, in 1998, killed nine", "since 2011, when a collision killed 11",
    "the 1987 quake killed 19": a value told of another event, in the year that names it
    ("in 1998"), else ""."""
    before = text[start:at]
    for pattern in _PAST:
        m = pattern.search(before)
        if m:
            return f"in {m.group(1)}"
    ago = _AGO.match(text, at)
    return "earlier" if ago else ""


_BACK = re.compile(
    r"\b(?:the|that|this|the latest|the official|the revised)\s+(?:figure|number|total|tally|"
    r"count|estimate|toll)\b(?![^.;]*\b(?:of|for)\s)",
    re.IGNORECASE,
)


def refers_back(text: str, start: int, at: int) -> bool:
    """Does the clause before a value name "the figure" it revises, with no "of" saying
    of what ("the figure had risen to 2,380", "put the figure at about 31,000")?"""
    return _BACK.search(text, start, at) is not None


_CUE = (
    r"(?:faulty|defective|a\s+defect\s+in|a\s+fault\s+in|a\s+flaw\s+in|a\s+problem\s+with"
    r"|(?:problem|fault|defect|issue|cause)\s+(?:lies|lay|is|was)\s+(?:in|with)\s+(?=(?:a|an|the)\s)"
    r"|(?:the\s+)?(?:cause|culprit|reason)\s+(?:was|is|lay)\s+(?=(?:a|an|the)\s)"
    r"|(?:blamed|blame|blames|attributed\s+it\s+to)\s+(?=(?:a|an|the)\s)"
    r"|(?:because\s+of|caused\s+by|blamed\s+on|due\s+to|triggered\s+by|sparked\s+by)"
    r"\s+(?=(?:a|an|the)\s))"
)
_THING = re.compile(
    rf"\b{_CUE}\s*((?:(?:a|an|the)\s+)?[a-z][a-z-]*(?:\s+(?!(?:in|on|of)\b)[a-z][a-z-]*){{0,2}}"
    r"(?:\s+(?:in|on|of)\s+the\s+[a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)?)",
    re.IGNORECASE,
)
_THING_CUES = ("faulty", "defect", "fault", "flaw", "problem", "because of", "caused by",
               "blame", "due to", "triggered by", "sparked by", "issue", "cause",
               "culprit", "reason", "attributed")  # fmt: skip
_BLAMED = re.compile(  # "Investigators believe a bird strike was to blame"
    r"\b((?:a|an|the)\s+[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})\s+(?:was|were|is|are)\s+"
    r"(?:to\s+blame|blamed|the\s+cause|responsible)\b",
    re.IGNORECASE,
)


def thing_words(phrase: str) -> frozenset[str]:
    """The content words of a thing ("a faulty valve in the brake booster": valve, brake,
    booster), each in its base form: what two wordings of a cause share."""
    f = frames()
    words = re.findall(r"[a-z]+", phrase.lower())
    return frozenset(noun_lemma(w) for w in words
                     if w not in f.function_words and w not in _words("not_thing"))  # fmt: skip


def causes(text: str) -> Iterator[ClaimValue]:
    """ "because of a faulty fuel pump", "a defective brake-booster valve", "blamed on a
    brake defect": what failed or what caused it, a claim of its own (values.py compares
    two by the words they share)."""
    low = text.lower()
    found = []
    if any(cue in low for cue in _THING_CUES):  # most passages name no cause: skip the regex
        found += [(m.start(1), m.group(1)) for m in _THING.finditer(text)]
    if "blame" in low or "the cause" in low or "responsible" in low:
        found += [(m.start(1), m.group(1)) for m in _BLAMED.finditer(text)]
    for start, phrase in sorted(found):
        cut = re.search(r"\s+(?:that|which|who|when|after|before|and|but|could|can|may|"
                        r"might|will|would|was|were|is|are|has|had)\b", phrase)  # fmt: skip
        if cut:
            phrase = phrase[: cut.start()]
        words = thing_words(phrase)
        if not words:
            continue
        yield ClaimValue("thing", phrase, " ".join(sorted(words)), None, False, None, None,
                         start, start + len(phrase))  # fmt: skip


def estimator(tokens: list[Token], first: int, last: int) -> str:
    """Who a crowd estimate is by, from the words of its clause ("Police put the turnout at
    12,400": police; "organisers said 50,000": organisers), else ""."""
    who = frames().estimators
    for k in range(first - 1, max(-1, first - 9), -1):
        if tokens[k][3] in _words("clause_ends") - {"that"}:
            break
        if (found := who.get(tokens[k][3]) or who.get(noun_lemma(tokens[k][3]))) is not None:
            return found
    for k in range(last + 1, min(len(tokens), last + 14)):  # "..., according to organisers"
        if (found := who.get(tokens[k][3]) or who.get(noun_lemma(tokens[k][3]))) is not None:
            return found
    return ""

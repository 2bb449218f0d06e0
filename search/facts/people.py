"""Names: people, places and organisations (the gazetteer, then capitalised runs)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..models import Passage
from .common import (
    _ACCORDING_BEFORE,
    _ACRONYM,
    _APPOSITIVE,
    _CAP_TOKEN,
    _DOTTED,
    _LATIN_WORD,
    _LEAD_WORD,
    _LOWER_LETTER,
    _MEDIA_CUE,
    _OF_TAIL,
    _OPEN_PAREN,
    _POSSESSIVE,
    _POSSESSIVE_AFTER,
    _POSSESSIVE_ENDS,
    _POSSESSIVE_S,
    _SAID_BEFORE,
    _SLASH_PAIR,
    _SUBJECT_VERB,
    _TITLE_WORD,
    _VERB_AFTER,
    _fact,
    _folded,
    _prev_word,
    _sentence_at,
    _sentences,
    _Span,
)
from .rules import _alt, _rules


@dataclass(frozen=True, slots=True)
class _NamePatterns:
    """The name rules as compiled patterns and word sets, built once with the rules."""

    not_place: frozenset[str]
    never_or_demonym: frozenset[str]
    place_heads_lower: re.Pattern[str]
    role: re.Pattern[str]


@cache
def _patterns() -> _NamePatterns:
    r = _rules()
    return _NamePatterns(
        not_place=frozenset(r.never | r.demonyms | r.given),
        never_or_demonym=frozenset(r.never | r.demonyms),
        place_heads_lower=re.compile(
            rf"\s+(?:and\s+[A-Z][\w’'-]+\s+)?(?:{_alt(r.place_heads_lower)})\b"
        ),
        role=re.compile(r"[a-z ]{0,20}\b(?:" + _alt(r.role_refs | r.roles) + r")\b"),
    )


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

    pat = _patterns()
    not_place, never_or_demonym = pat.not_place, pat.never_or_demonym
    place_head_re = pat.place_heads_lower

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
    appositive_title = bool(appositive and _patterns().role.match(appositive[1].lower()))
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

"""Quotes and their speakers: quote marks, the speech verbs after them, dash quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..models import Passage
from .common import (
    _DASHES,
    _QUOTE_CHARS,
    _QUOTE_MARK,
    _SPACE_DASH,
    _fact,
    _sentence_at,
    _sentences,
    _Span,
)
from .people import _Mention
from .rules import _alt, _Rules, _rules


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Pairs of quote marks; straight quotes are opening or closing by their neighbours,
    so mismatched pairs ("magnificent.”) still pair. An unclosed mark is dropped unless it
    opens the passage (a quote running to the end of the paragraph)."""
    marks = []
    for q in _QUOTE_MARK.finditer(text):
        i, ch = q.start(), q.group()
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch in "“«„":
            role = "open" if not (ch == "“" and prev.isalnum() and not nxt.isalnum()) else "close"
        elif ch in "”»":
            role = "close"
        else:
            role = (
                "open"
                if (prev.isspace() or prev in "([{—–-/:" or i == 0) and not nxt.isspace()
                else "close"
            )
        marks.append((i, role))
    spans, pending = [], None
    for i, role in marks:
        if role == "open":
            pending = i
        elif pending is not None:
            spans.append((pending, i + 1))
            pending = None
    if pending == 0 or (pending is not None and not text[:pending].strip()):
        spans.append((pending, len(text)))
    return spans


def _clean_quote(inner: str) -> str:
    return inner.strip().rstrip(",").strip()


def _after_quote_patterns(rules: _Rules) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """'," said Medinsky' and '," he noted' (see ``_Speakers.after``)."""
    verbs = _alt(rules.verbs)
    return (
        re.compile(rf"[\s,.!?…]*(?:[–—-]\s*)?(?P<v>{verbs})\s+([^,.;:!?\"“”]+)", re.IGNORECASE),
        re.compile(
            rf"[\s,.!?…]*(?:[–—-]\s*)?([^,.;:!?\"“”]{{1,60}}?)\s+(?:also\s+|then\s+)?(?:{verbs})\b",
            re.IGNORECASE,
        ),
    )


def _dash_patterns(rules: _Rules) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A paragraph opening with a dash, its closing attribution, and a closing
    '– said Medinsky.' (see ``_dash_quote``)."""
    verbs = _alt(rules.verbs)
    return (
        re.compile(rf"\s*[{_DASHES}]\s+"),
        re.compile(rf"(?:,|\s[{_DASHES}])\s*(?:{verbs})\s+([A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)*)"),
        re.compile(
            rf"\s[{_DASHES}]\s*(?:(?:{verbs})\s+(?P<a>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)*)|(?P<b>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)*)\s+(?:{verbs}))\.?\s*$"
        ),
    )


@dataclass(frozen=True, slots=True)
class _QuotePatterns:
    """The speech rules as compiled patterns, built once with the rules."""

    pronoun: re.Pattern[str]
    the_role: re.Pattern[str]
    after_quote: tuple[re.Pattern[str], re.Pattern[str]]
    dash_quote: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]


@cache
def _patterns() -> _QuotePatterns:
    r = _rules()
    return _QuotePatterns(
        pronoun=re.compile(rf"\b(?:{_alt(r.pronouns)})\b", re.IGNORECASE),
        the_role=re.compile(rf"\bthe\s+(?:[a-z]+\s+)?({_alt(r.role_refs)})\b", re.IGNORECASE),
        after_quote=_after_quote_patterns(r),
        dash_quote=_dash_patterns(r),
    )


class _Speakers:
    """Resolves who said a quote from the mentions around it."""

    def __init__(
        self, text: str, mentions: list[_Mention], prior: list[_Mention], tail: str
    ) -> None:
        self.text = text
        self.mentions = mentions
        self.prior = prior
        self.tail = tail
        self.rules = _rules()
        self.sentences = _sentences(text)

    def _persons_before(self, pos: int) -> list[_Mention]:
        return [m for m in self.prior if m.kind == "person"] + [
            m for m in self.mentions if m.kind == "person" and m.end <= pos
        ]

    def pronoun(self, pos: int) -> str | None:
        people = self._persons_before(pos)
        subjects = [m for m in people if m.subject]
        pick = subjects[-1] if subjects else (people[-1] if people else None)
        return pick.value if pick else None

    def role(self, role: str, pos: int) -> str | None:
        for m in reversed(self._persons_before(pos)):
            if role in m.roles:
                return m.value
        return None

    def subject(self, phrase: str, offset: int, nearest: str = "last") -> str | None:
        """Who ``phrase`` (text at ``offset``) names: the mention in it nearest to the verb,
        a pronoun, or 'the <role>'. ``offset`` < 0 means the phrase is not in this passage."""
        cands: list[tuple[int, str | None]] = []
        if offset >= 0:
            for m in self.mentions:
                if offset <= m.start and m.end <= offset + len(phrase):
                    cands.append((m.start - offset, m.value))
        else:
            for m in self.prior + self.mentions:
                for hit in re.finditer(rf"(?<!\w){re.escape(m.value)}(?!\w)", phrase):
                    cands.append((hit.start(), m.value))
            for m in self.prior + self.mentions:
                last = m.value.split()[-1]
                for hit in re.finditer(rf"(?<!\w){re.escape(last)}(?!\w)", phrase):
                    cands.append((hit.start(), m.value))
        pos = offset if offset >= 0 else len(self.text) + 10**6
        pronoun_re = _patterns().pronoun
        for hit in pronoun_re.finditer(phrase):
            cands.append((hit.start(), self.pronoun(pos if offset < 0 else offset + hit.start())))
        the_role_re = _patterns().the_role
        for hit in the_role_re.finditer(phrase):
            cands.append(
                (
                    hit.start(),
                    self.role(hit[1].lower(), pos if offset < 0 else offset + hit.start()),
                )
            )
        if not cands:
            return None
        cands.sort(key=lambda c: c[0])
        return cands[0][1] if nearest == "first" else cands[-1][1]

    def before(
        self, start: int, sent_start: int, text: str | None = None, offset: int = 0
    ) -> tuple[bool, str | None]:
        """Attribution before a quote: the last speech verb in the sentence and its subject."""
        text = self.text if text is None else text
        lead = text[sent_start:start]
        verbs = [m for m in self.rules.verb_re.finditer(lead) if not _inside_quote(lead, m.start())]
        acc = list(re.finditer(r"\baccording to\s+([^,]+)", lead, re.IGNORECASE))
        if not verbs and not acc:
            return False, None
        if acc and (not verbs or acc[-1].start() > verbs[-1].start()):
            phrase, at = acc[-1][1], sent_start + acc[-1].start(1)
            return True, self.subject(phrase, at + offset if offset >= 0 else -1, "first")
        v = verbs[-1]
        phrase = lead[: v.start()]
        who = re.search(r"^(.*?)(?:,\s*)?\bwho\s*$", phrase, re.DOTALL)
        if who:
            phrase = who[1]
        return True, self.subject(phrase, sent_start + offset if offset >= 0 else -1)

    def after(self, end: int, sent_end: int) -> tuple[bool, str | None]:
        """Attribution after a quote: '," said Medinsky' or '," he noted'."""
        rest = self.text[end : max(sent_end, end + 1) + 1][:120]
        verb_first, verb_last = _patterns().after_quote
        m = verb_first.match(rest)
        # '," saying that ...' continues the sentence's own subject: not an attribution
        if (
            m
            and not m["v"].lower().endswith("ing")
            and not re.match(r"(?:that|to|it|in|on|as)\b", m[2])
        ):
            return True, self.subject(m[2], end + m.start(2), "first")
        m = verb_last.match(rest)
        if m and not re.search(r"\b(?:that|and|but|which|to)\b", m[1]):
            return True, self.subject(m[1], end + m.start(1))
        return False, None

    def resolve(self, qs: int, qe: int) -> tuple[bool, str | None]:
        """(attributed, speaker): attributed is False when the text names no one at all."""
        s0, _ = _sentence_at(self.sentences, qs)
        _, e1 = _sentence_at(self.sentences, max(qe - 1, qs))
        found, who = self.after(qe, e1)
        if found:
            return True, who
        found, who = self.before(qs, s0)
        if found:
            return True, who
        if qs <= len(self.text) - len(self.text.lstrip()) and self.tail.rstrip().endswith(":"):
            tail_sents = _sentences(self.tail)
            ts = tail_sents[-1][0] if tail_sents else 0
            return True, self.before(len(self.tail.rstrip()), ts, self.tail, offset=-1)[1]
        return False, None


def _inside_quote(text: str, pos: int) -> bool:
    return any(s < pos < e for s, e in _quote_spans(text))


def _find_quotes(text: str, speakers: _Speakers, passage: Passage) -> list[_Span]:
    rules = _rules()
    min_words = int(rules.speech["min_quote_words"])
    found: list[_Span] = []
    last: str | None = None
    for qs, qe in _quote_spans(text):
        closed = text[qe - 1] in _QUOTE_CHARS
        inner = _clean_quote(text[qs + 1 : qe - 1 if closed else qe])
        if len(inner.split()) < min_words:
            continue
        attributed, who = speakers.resolve(qs, qe)
        if not attributed:
            who = last  # an unattributed quote right after an attributed one continues it
        last = who
        found.append(_Span(qs, qe, _fact(passage, "quote", qs, qe, inner, speaker=who)))
    if not found:
        found += _dash_quote(text, speakers, passage)
    return found


def _dash_quote(text: str, speakers: _Speakers, passage: Passage) -> list[_Span]:
    """Unquoted direct speech: a paragraph opening with a dash ('– We agreed..., emphasized
    Umerov.') or closing with '– said Medinsky.'"""
    rules = _rules()
    lead_re, end_re, tail_re = _patterns().dash_quote
    lead = lead_re.match(text)
    if lead:
        end = end_re.search(text[lead.end() :])
        if end:
            qs, qe = lead.end(), lead.end() + end.start()
            who = speakers.subject(end[1], lead.end() + end.start(1), "first")
        else:
            qs, qe, who = lead.end(), len(text.rstrip()), None
        return [
            _Span(qs, qe, _fact(passage, "quote", qs, qe, _clean_quote(text[qs:qe]), speaker=who))
        ]
    tail = tail_re.search(text) if _SPACE_DASH.search(text) else None
    if tail and len(text[: tail.start()].split()) >= rules.speech["min_quote_words"]:
        name = tail["a"] or tail["b"]
        at = tail.start("a") if tail["a"] else tail.start("b")
        qs = len(text) - len(text.lstrip())
        qe = tail.start()
        return [
            _Span(
                qs,
                qe,
                _fact(
                    passage,
                    "quote",
                    qs,
                    qe,
                    _clean_quote(text[qs:qe]),
                    speaker=speakers.subject(name, at, "first"),
                ),
            )
        ]
    return []

"""Passages in other sources that report the same claim.

Each passage becomes a sparse vector of what is specific about it: its index terms and
adjacent-term pairs weighted by how rare they are in the corpus (TF-IDF), plus its facts
(numbers with what they count, dates, people, places, organisations), which weigh more
because two outlets reporting one claim share them even when their wording differs.
Words every article shares weigh little, and so do the names (and titles) of who said
it. Candidates are ranked by the dot product of the query's unit vector with their own
unnormalised vector, blended with the best-matching pair of sentences.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import yaml

from .engine import terms
from .ingest import DATA
from .models import Fact, Link, Passage

FACT_WEIGHT = 1.5  # a shared fact counts this many times a shared word
PAIR_WEIGHT = 1.0  # adjacent-term pairs: wording overlap beyond single words
MIN_SCORE = 0.0  # below this, a passage does not report the same claim
RERANK = 300  # candidates reranked by sentence match
# Rarity matters less than plain TF-IDF says: the words of a claim ("memorandum",
# "bodies") are the event's topic words, common across the corpus, while the rarest
# words shared by two passages are often incidental ("certain areas").
IDF_POWER = 0.5
# Candidate length: 0 is cosine (short passages that share one name win), 1 is the dot
# product with the candidate's unnormalised vector (a passage stating more of the
# query's specifics wins). The query is always normalised, so scores stay comparable.
PIVOT = 1.0
PASSAGE_SHARE = 0.85  # weight of whole-passage similarity against the best sentence pair
FACT_KINDS = ("number", "date")  # names are already terms; counting them twice misleads
SECOND_ORDER = 1.5  # weight of agreement through third sources (see _ranked)
BRIDGES = 5  # best first-order neighbours used as bridges
BRIDGE_DEPTH = 30  # how far down each bridge's own ranking to look
COMMON_SHARE = 0.05  # features in more than this share of passages don't find candidates
COMMON_MIN = 200  # ... unless the corpus is small
CACHE_SIZE = 2048  # first-order rankings kept (navigation revisits passages)
NAME_WEIGHT = 0.3  # words of a person's name and title: who said it matters less than what
TITLES = True  # a capitalised title just before a name ("Defense Minister") is part of it


@cache
def stopwords() -> frozenset[str]:
    """Stemmed words too common in news to tell claims apart (data/stopwords.yaml)."""
    raw = yaml.safe_load((DATA / "stopwords.yaml").read_text(encoding="utf-8"))
    return frozenset(str(w) for w in raw["words"])


@cache
def synonyms() -> dict[str, str]:
    """Index term -> the term its synonym group counts as (data/synonyms.yaml)."""
    raw = yaml.safe_load((DATA / "synonyms.yaml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for group in raw["groups"]:
        stems = [t for word in group for t, _s, _a, _b in terms(str(word))]
        for stem in stems:
            out.setdefault(stem, stems[0])
    return out


@dataclass(frozen=True, slots=True)
class _Doc:
    source: str
    vector: dict[str, float]  # feature -> weight, L2-normalised
    sentences: tuple[dict[str, float], ...]  # the same, per sentence
    norm: float  # length of the weighted vector before normalising


def features(
    passage: Passage, facts: Iterable[Fact], article_date: str | None = None
) -> tuple[Counter[str], list[Counter[str]], dict[str, str]]:
    """Features of a passage, of each of its sentences, and a readable label for each."""
    counts: Counter[str] = Counter()  # float weights, despite the name
    bounds = sentence_bounds(passage.text)
    per_sentence: list[Counter[str]] = [Counter() for _ in bounds]
    labels: dict[str, str] = {}
    stop = stopwords()
    prev: str | None = None
    prev_sentence = -1
    prev_weight = 1.0
    facts = list(facts)
    names = [(_title_start(passage.text, f.start), f.end) for f in facts if f.kind == "person"]
    same = synonyms()

    def add(key: str, pos: int, weight: float = 1.0) -> None:
        counts[key] += weight
        per_sentence[_which(bounds, pos)][key] += weight

    for term, surface, start, _end in terms(passage.text):
        sentence = _which(bounds, start)
        if term in stop or len(term) < 2:
            prev = None
            continue
        weight = NAME_WEIGHT if any(a <= start < b for a, b in names) else 1.0
        term = same.get(term, term)
        add(f"t:{term}", start, weight)
        labels.setdefault(f"t:{term}", surface.lower())
        if prev is not None and sentence == prev_sentence:
            add(f"p:{prev} {term}", start, min(weight, prev_weight))
        prev, prev_sentence, prev_weight = term, sentence, weight
    for fact in facts:
        if fact.kind == "date" and fact.value == article_date:
            continue
        for key in fact_keys(fact):
            add(key, fact.start)
            label = fact_label(fact) if key.count(":") == 2 or key[0] != "n" else fact.text
            labels.setdefault(key, fact.counts or "" if key[0] == "c" else label)
    return counts, per_sentence, labels


_TITLE = re.compile(r"(?:\b[A-Z][\w’'-]*\s+(?:(?:of|for|the)\s+)*)+$")


def _title_start(text: str, start: int) -> int:
    """Where a person's name starts with the capitalised title before it
    ("Defense Minister Rustem Umerov"): who is speaking, not what is said."""
    if not TITLES:
        return start
    m = _TITLE.search(text, max(0, start - 80), start)
    return m.start() if m else start


_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*\s+(?=[\"“‘(–—-]?\s?[A-Z0-9])")


def sentence_bounds(text: str) -> list[int]:
    """Start offsets of the sentences of ``text``."""
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


def _which(bounds: list[int], pos: int) -> int:
    return max(bisect.bisect_right(bounds, pos) - 1, 0)


def fact_key(fact: Fact) -> str | None:
    """What makes two facts the same fact, across wording and outlets."""
    keys = fact_keys(fact)
    return keys[-1] if keys else None


def fact_keys(fact: Fact) -> list[str]:
    """Features of a fact: for a number its value, what it counts, and both together
    (two outlets may give the same count different nouns, or different counts of the
    same noun, and still report one claim)."""
    if fact.kind not in FACT_KINDS or fact.value is None:
        return []
    if fact.kind == "number":
        value = _num(fact.value)
        if not fact.counts:
            return [f"n:{value}"]
        noun = _noun(fact.counts)
        return [f"n:{value}", f"c:{noun}", f"n:{value}:{noun}"]
    return [f"{fact.kind[0]}:{str(fact.value).lower()}"]


@cache
def _noun(word: str) -> str:
    stems = [t for t, _s, _a, _b in terms(word)]
    stem = stems[-1] if stems else word.lower()
    return synonyms().get(stem, stem)


def fact_label(fact: Fact) -> str:
    if fact.kind == "number":
        return fact.text if not fact.counts else f"{_num(fact.value)} {fact.counts}"
    return str(fact.value)


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


class RelatedIndex:
    """TF-IDF vectors of all passages, built once per workspace."""

    def __init__(
        self,
        passages: Sequence[Passage],
        facts: Mapping[str, Sequence[Fact]] | None = None,
        dates: Mapping[str, str | None] | None = None,
    ) -> None:
        """``dates``: each source's own date; facts naming that day say nothing specific."""
        facts = facts or {}
        dates = dates or {}
        raw: dict[str, Counter[str]] = {}
        raw_sentences: dict[str, list[Counter[str]]] = {}
        self._labels: dict[str, str] = {}
        df: Counter[str] = Counter()
        for p in passages:
            counts, sentences, labels = features(p, facts.get(p.id, ()), dates.get(p.source))
            raw[p.id] = counts
            raw_sentences[p.id] = sentences
            self._labels.update(labels)
            df.update(counts.keys())
        n = len(passages) or 1
        self._idf = {f: math.log((n + 1) / (d + 0.5)) for f, d in df.items()}
        self._docs: dict[str, _Doc] = {}
        self._postings: dict[str, list[str]] = defaultdict(list)
        self._passages = {p.id: p for p in passages}
        norms = []
        for p in passages:
            vec, norm = self._vector(raw[p.id])
            sentences = tuple(self._vector(c)[0] for c in raw_sentences[p.id] if c)
            self._docs[p.id] = _Doc(p.source, vec, sentences, norm)
            norms.append(norm)
            for f in vec:
                self._postings[f].append(p.id)
        self._mean_norm = (sum(norms) / len(norms)) if norms else 1.0
        self._common = max(COMMON_MIN, int(COMMON_SHARE * len(passages)))
        self._cache: dict[tuple[str, int], list[tuple[float, str]]] = {}  # first-order

    def _vector(self, counts: Counter[str]) -> tuple[dict[str, float], float]:
        vec = {f: self._weight(f, c) for f, c in counts.items()}
        vec = {f: w for f, w in vec.items() if w > 0}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {f: w / norm for f, w in vec.items()}, norm

    def _weight(self, feature: str, count: float) -> float:
        kind = feature[0]
        scale = FACT_WEIGHT if kind not in "tp" else PAIR_WEIGHT if kind == "p" else 1.0
        tf = (1 + math.log(max(count, 1.0))) * min(count, 1.0)
        return tf * self._idf[feature] ** IDF_POWER * scale

    def _scores(self, doc: _Doc) -> dict[str, float]:
        scores: dict[str, float] = defaultdict(float)
        for f, w in doc.vector.items():
            postings = self._postings[f]
            if len(postings) > self._common:
                continue  # in a large share of all passages: costs much, tells little
            for other in postings:
                if self._docs[other].source != doc.source:
                    scores[other] += w * self._docs[other].vector[f]
        if PIVOT:
            for other in scores:
                scores[other] *= (self._docs[other].norm / self._mean_norm) ** PIVOT
        return scores

    def related(self, passage_id: str, limit: int | None = 10) -> list[Link]:
        """Passages from the *other* sources, best first, with why they match."""
        doc = self._docs.get(passage_id)
        if doc is None:
            return []
        ranked = self._ranked(passage_id)
        if limit is not None:
            ranked = ranked[:limit]
        return [Link(self._passages[pid], score, self._why(doc, pid)) for score, pid in ranked]

    def _ranked(self, passage_id: str) -> list[tuple[float, str]]:
        """First-order scores plus agreement through third sources: Q in source S gains
        when passages of other sources that resemble P also resemble Q. Bridges the
        wording gap ("its document" ↔ "the memorandum") that words alone cannot."""
        first = self._first_order(passage_id)
        if SECOND_ORDER <= 0:
            return first
        source = self._docs[passage_id].source
        second: dict[str, float] = defaultdict(float)
        for s_r, r in first[:BRIDGES]:
            bridge_source = self._docs[r].source
            for s_q, q in self._first_order(r, BRIDGE_DEPTH):
                if self._docs[q].source not in (source, bridge_source):
                    second[q] += s_r * s_q
        combined = {pid: s for s, pid in first}
        for q, s in second.items():
            combined[q] = combined.get(q, 0.0) + SECOND_ORDER * s
        return sorted(((s, pid) for pid, s in combined.items()), key=lambda x: (-x[0], x[1]))

    def _first_order(self, passage_id: str, depth: int = RERANK) -> list[tuple[float, str]]:
        """Candidates by whole-passage score, the best ``depth`` reranked by sentences."""
        key = (passage_id, depth)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        doc = self._docs[passage_id]
        scores = self._scores(doc)
        # Rerank the best candidates by their best-matching pair of sentences (a claim
        # is usually one sentence, and long passages hold several).
        shortlist = heapq.nlargest(depth, scores.items(), key=lambda x: x[1])
        blended = {pid: self._blend(doc, pid, s) for pid, s in shortlist}
        ranked = sorted(
            ((s, pid) for pid, s in blended.items() if s >= MIN_SCORE), key=lambda x: (-x[0], x[1])
        )
        if len(self._cache) >= CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = ranked
        return ranked

    def _blend(self, doc: _Doc, other: str, passage_score: float) -> float:
        sentence_score = self._sentence_match(doc, other)
        return PASSAGE_SHARE * passage_score + (1 - PASSAGE_SHARE) * sentence_score

    def _sentence_match(self, doc: _Doc, other: str) -> float:
        theirs = self._docs[other].sentences
        return max((_dot(a, b) for a in doc.sentences for b in theirs), default=0.0)

    def best_per_source(self, passage_id: str) -> list[Link]:
        """The best related passage of each other source that reports the claim."""
        doc = self._docs.get(passage_id)
        if doc is None:
            return []
        seen: set[str] = set()
        out = []
        for score, pid in self._ranked(passage_id):
            if self._docs[pid].source not in seen:
                seen.add(self._docs[pid].source)
                out.append(Link(self._passages[pid], score, self._why(doc, pid)))
        return out

    def _why(self, doc: _Doc, other: str, most: int = 6) -> tuple[str, ...]:
        theirs = self._docs[other].vector
        shared = sorted(
            ((w * theirs[f], f) for f, w in doc.vector.items() if f in theirs and f[0] != "p"),
            reverse=True,
        )
        labels: list[str] = []
        for _, f in shared:
            label = self._labels.get(f, f[2:])
            if label not in labels:
                labels.append(label)
            if len(labels) == most:
                break
        return tuple(labels)

    def shared_features(self, a: str, b: str) -> set[str]:
        """Labels of the features two passages share (for the compare view)."""
        va, vb = self._docs[a].vector, self._docs[b].vector
        return {self._labels.get(f, f[2:]) for f in va.keys() & vb.keys() if f[0] != "p"}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())

"""Where sources agree and disagree: number facts that count the same thing.

Two number facts are about the same thing when they count the same (or a synonymous)
noun and the sentences around them say the same kind of thing (TF-IDF cosine of the
sentence words, rare words weighing most). Such facts are grouped; a group whose values
differ across sources is a disagreement ("339 children" / "over 500 children").
Values compare by number *and* direction: "an hour" and "just over an hour" differ,
"just over" and "slightly more than" agree.

The further apart two values are, the more the sentences must share to make them one
claim. Reports of one quantity differ by rounding, hedging or an updated estimate,
mostly within a small factor; counts far apart are more often different sets of the
same noun (a part of a total, a batch promised by a deadline, another period), which
a single shared rare word cannot tell apart. So a pair's similarity is divided by
``1 + ln(ratio)`` of the nearest values the two can mean ("over 500" vs 339: 1.5x;
"dozens" vs "over 40": overlap, no penalty; see value_span). Values far apart in
strongly similar sentences ("police said 10,000 protesters marched" / "organisers said
100,000 ...") still group.
"""

from __future__ import annotations

import heapq
import marshal
import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from .engine import terms
from .models import Disagreement, Fact, Passage
from .related import stopwords
from .rules import load_rules

SAME_THING = 0.15  # context similarity above which two counts are about one thing
SAME_VALUE_BONUS = 0.25  # the same value of the same noun is itself evidence
QUALIFIER_REACH = 2.0  # "over N" / "under N" mean values within this factor of N
WINDOW = 8  # words either side of the number that describe what it counts
_SENTENCE = re.compile(r"[^.!?…]*(?:[.!?…]+[\"”’)]*|$)")


@dataclass(frozen=True, slots=True)
class _Rules:
    synonyms: dict[str, str]  # count noun -> representative
    directions: dict[str, str]  # qualifier -> "=", "~", ">", "<", ">=", "<="
    approximate_reach: float  # "about N" can mean N / reach .. N * reach


@cache
def rules() -> _Rules:
    raw = load_rules("agreement")
    synonyms = {}
    for group in raw["count_synonyms"]:
        for word in group:
            synonyms[str(word)] = str(group[0])
    directions = {}
    for direction, words in raw["qualifier_directions"].items():
        for word in words:
            directions[str(word).lower()] = str(direction)
    return _Rules(synonyms, directions, float(raw.get("approximate_reach", 1.0)))


def subject_of(fact: Fact) -> str | None:
    if fact.kind != "number" or not fact.counts:
        return None
    return rules().synonyms.get(fact.counts, fact.counts)


def value_key(fact: Fact) -> tuple[str, float, float | None]:
    """What two facts must share to state the same value."""
    qualifier = (fact.qualifier or "").lower().strip()
    direction = rules().directions.get(qualifier)
    if direction is None:
        direction = "~" if fact.approximate else "="
    value = float(fact.value) if isinstance(fact.value, int | float) else math.nan
    high = float(fact.high) if isinstance(fact.high, int | float) else None
    return direction, value, high


def value_span(fact: Fact) -> tuple[float, float] | None:
    """The values a number fact can mean: "over 500" is 500..1000, "under 25" 12.5..25,
    "several hundred" 200..900; None when the value is not a number.

    A qualifier bends a value by less than QUALIFIER_REACH: a writer who means far more
    than 500 says "over 1,000", not "over 500"."""
    if not isinstance(fact.value, int | float) or math.isnan(fact.value):
        return None
    direction, value, high = value_key(fact)
    top = max(value, high or value)
    if direction in (">", ">="):
        return value, top * QUALIFIER_REACH
    if direction in ("<", "<="):
        return value / QUALIFIER_REACH, top
    return value, top


def compatible(a: Fact, b: Fact) -> bool:
    """Can both values be true of one quantity? "339" and "several hundred" can, and so
    can "about an hour" and "just over an hour"; "339" and "over 500" cannot. Values
    that are not numbers are never compatible (nothing says they are)."""
    sa, sb = value_span(a), value_span(b)
    if sa is None or sb is None:
        return False
    (lo, hi), (other_lo, _other_hi) = sorted((_widened(a, sa), _widened(b, sb)))
    return other_lo <= hi


def _widened(fact: Fact, span: tuple[float, float]) -> tuple[float, float]:
    """An approximate single value ("about 50", "some 6,000") spans a little either way."""
    direction, _value, high = value_key(fact)
    if direction == "~" and high is None:
        reach = rules().approximate_reach
        return span[0] / reach, span[1] * reach
    return span


def value_gap(a: Fact, b: Fact) -> float:
    """How far apart two values are: ln of the ratio of the nearest values the two can
    mean; 0 when they can mean the same value, or the ratio has no meaning."""
    return _span_gap(value_span(a), value_span(b))


def _span_gap(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float:
    if a is None or b is None:
        return 0.0
    (_lo, hi), (other_lo, _other_hi) = sorted((a, b))
    if other_lo <= hi or hi <= 0:
        return 0.0
    return math.log(other_lo / hi)


def value_label(fact: Fact) -> str:
    """A value as people say it: "over 500", "2–3", "just over an hour"."""
    qualifier = (fact.qualifier or "").strip()
    if qualifier and not fact.text.lower().startswith(qualifier.lower()):
        return f"{qualifier} {fact.text}"
    return fact.text


@dataclass(frozen=True, slots=True)
class FactGroup:
    """Number facts from one or more sources that count the same thing."""

    subject: str
    facts: tuple[Fact, ...]

    @property
    def sources(self) -> set[str]:
        return {f.source for f in self.facts}

    def by_value(self) -> list[tuple[str, tuple[Fact, ...]]]:
        groups: dict[tuple[str, float, float | None], list[Fact]] = {}
        for f in self.facts:
            groups.setdefault(value_key(f), []).append(f)
        ordered = sorted(groups.values(), key=lambda fs: (-len({f.source for f in fs}), fs[0].text))
        return [(value_label(fs[0]), tuple(fs)) for fs in ordered]

    @property
    def disagrees(self) -> bool:
        return len(self.sources) > 1 and len(self.by_value()) > 1

    @property
    def conflict(self) -> bool:
        """Do two sources state values that cannot both be true (not only more or less
        precise, or hedged, wordings of one value)?"""
        facts = self.facts
        return any(
            a.source != b.source and not compatible(a, b)
            for i, a in enumerate(facts)
            for b in facts[i + 1 :]
        )

    def to_disagreement(self) -> Disagreement:
        return Disagreement(self.subject, tuple(self.by_value()), self.conflict)


def sentence_of(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``start:end``.

    Its own rule (any . ! ? ends a sentence, even before a lower-case word): the
    agreement groups were tuned on it, so it is not ``search.text.sentences``."""
    for m in _SENTENCE.finditer(text):
        if m.start() <= start < max(m.end(), m.start() + 1) or m.end() >= end > m.start():
            return m.group(0)
    return text


Resolver = Callable[[str, int, int], Fact | None]  # (passage, start, end) -> the number fact


class Agreement:
    """Groups of same-subject number facts across a corpus.

    A group is kept as where its facts are stated (passage, start, end), not as the facts:
    held as objects, they were copies of what the workspace's fact store already keeps
    compactly. Facts are fetched through a resolver
    when a group is asked for."""

    def __init__(
        self,
        facts: Iterable[Fact],
        passages: Mapping[str, Passage],
        doc_frequencies: Callable[[Iterable[str]], Mapping[str, int]] | None = None,
        resolve: Resolver | None = None,
    ) -> None:
        """``doc_frequencies``: the index's passage count per term, if there is one
        (tokenising every passage again was most of the build's cost on large corpora).
        ``resolve``: where the kept groups find their facts again (the workspace's fact
        store); by default the facts given here are held."""
        # One pass over the facts, keeping only the counts (a caller's generator lets
        # the others go).
        numbers: list[Fact] = []
        bounds: dict[str, list[tuple[int, int]]] = {}
        for f in facts:
            if f.kind == "number":
                bounds.setdefault(f.passage, []).append((f.start, f.end))
            if subject_of(f) and f.passage in passages:
                numbers.append(f)
        contexts: list[Counter[str] | None] = [
            self._context(f, passages[f.passage].text, bounds.get(f.passage, [])) for f in numbers
        ]
        del bounds
        # Rarity over all passages (not just these contexts, too few to tell).
        wanted = {t for ctx in contexts if ctx for t in ctx}
        if doc_frequencies is not None:
            df: Mapping[str, int] = doc_frequencies(wanted)
        else:
            counted: Counter[str] = Counter()
            for p in passages.values():
                counted.update({t for t, _s, _a, _b in terms(p.text)} & wanted)
            df = counted
        del wanted
        n = len(passages) + 1
        idf = {t: math.log((n + 1) / (df.get(t, 0) + 0.5)) for ctx in contexts if ctx for t in ctx}
        del df
        vectors = []
        for i, ctx in enumerate(contexts):  # each context let go once it is a vector
            assert ctx is not None
            vectors.append(_unit({t: c * idf[t] for t, c in ctx.items()}))
            contexts[i] = None
        del contexts, idf
        self._keep(
            [(g.subject, [_where(f) for f in g.facts]) for g in self._cluster(numbers, vectors)],
            resolve or _resolver(numbers),
        )

    @staticmethod
    def _context(fact: Fact, text: str, numbers: Sequence[tuple[int, int]] = ()) -> Counter[str]:
        """Words near the number, within its sentence and not past another number:
        what is being counted, and how."""
        sentence = sentence_of(text, fact.start, fact.end)
        offset = text.find(sentence) if sentence else 0
        lo = max([b for a, b in numbers if b <= fact.start and a != fact.start] + [offset])
        hi = min(
            [a for a, b in numbers if a >= fact.end and b != fact.end] + [offset + len(sentence)]
        )
        stop = stopwords()
        words = [
            (t, a + offset, b + offset)
            for t, _s, a, b in terms(sentence)
            if t not in stop and not t[:1].isdigit()
        ]
        before = [t for t, a, b in words if lo <= a and b <= fact.start][-WINDOW:]
        after = [t for t, a, b in words if a >= fact.end and b <= hi][:WINDOW]
        return Counter(before + after)

    @staticmethod
    def _cluster(facts: Sequence[Fact], vectors: Sequence[dict[str, float]]) -> list[FactGroup]:
        """Average-link clustering within each subject (no chaining of unrelated claims),
        over the sparse graph of pairs that share a context word or a value."""
        by_subject: dict[str, list[int]] = {}
        for i, f in enumerate(facts):
            by_subject.setdefault(subject_of(f) or "", []).append(i)
        keys = [value_key(f) for f in facts]
        out: list[FactGroup] = []
        for subject, idx in by_subject.items():
            for members in _average_link(idx, facts, keys, vectors):
                group = tuple(
                    sorted((facts[i] for i in members), key=lambda f: (f.source, f.passage))
                )
                if len({f.source for f in group}) > 1:
                    out.append(FactGroup(subject, group))
        return out

    def _keep(
        self, groups: Sequence[tuple[str, Sequence[tuple[str, int, int]]]], resolve: Resolver
    ) -> None:
        """Keep each group as its subject and a flat tuple of (passage, start, end) …, and
        each passage's places as a flat tuple of (start, end, group) …."""
        self._resolve = resolve
        self._subjects = [str(subject) for subject, _ in groups]
        self._members: list[tuple[str | int, ...]] = []
        places: dict[str, list[int]] = {}
        for gid, (_, where) in enumerate(groups):
            flat: list[str | int] = []
            for passage, start, end in where:
                passage = sys.intern(str(passage))
                flat += (passage, int(start), int(end))
                places.setdefault(passage, []).extend((int(start), int(end), gid))
            self._members.append(tuple(flat))
        self._group_of = {passage: tuple(flat) for passage, flat in places.items()}

    def _where(self, gid: int) -> list[tuple[str, int, int]]:
        flat = self._members[gid]
        return [(str(flat[k]), int(flat[k + 1]), int(flat[k + 2])) for k in range(0, len(flat), 3)]

    def _group(
        self, gid: int, found: Mapping[tuple[str, int, int], Fact] | None = None
    ) -> FactGroup:
        facts = []
        for place in self._where(gid):
            fact = found.get(place) if found is not None else self._resolve(*place)
            if fact is not None:  # a fact no longer stated there is left out
                facts.append(fact)
        return FactGroup(self._subjects[gid], tuple(facts))

    @property
    def groups(self) -> list[FactGroup]:
        """Every group with its facts, fetched passage by passage in id order (a
        source's facts are decoded once, not once per group)."""
        places = sorted({place for gid in range(len(self._members)) for place in self._where(gid)})
        found = {place: fact for place in places if (fact := self._resolve(*place)) is not None}
        groups = (self._group(gid, found) for gid in range(len(self._members)))
        return [g for g in groups if len({f.source for f in g.facts}) > 1]

    def dumps(self) -> bytes:
        """The groups as marshalled rows (``loads`` reads them back)."""
        return marshal.dumps(
            [(subject, self._where(gid)) for gid, subject in enumerate(self._subjects)]
        )

    @classmethod
    def loads(cls, blob: bytes, resolve: Resolver) -> Agreement:
        """Groups that ``dumps`` wrote; their facts are fetched through ``resolve``."""
        groups = marshal.loads(blob)
        self = cls.__new__(cls)
        self._keep([(subject, [tuple(w) for w in where]) for subject, where in groups], resolve)
        return self

    def disagreements(self) -> list[Disagreement]:
        found = [g for g in self.groups if g.disagrees]
        found.sort(key=lambda g: (-len(g.sources), g.subject))
        return [g.to_disagreement() for g in found]

    def group_of(self, fact: Fact) -> FactGroup | None:
        flat = self._group_of.get(fact.passage, ())
        for k in range(0, len(flat), 3):
            if flat[k] == fact.start and flat[k + 1] == fact.end:
                group = self._group(flat[k + 2])
                return group if fact in group.facts else None
        return None

    def compare(self, fact: Fact) -> tuple[list[Fact], list[Fact]]:
        """Facts of other sources stating the same value, and those stating another."""
        group = self.group_of(fact)
        if group is None:
            return [], []
        key = value_key(fact)
        others = [f for f in group.facts if f.source != fact.source]
        same = [f for f in others if _same_value(value_key(f), key)]
        different = [f for f in others if not _same_value(value_key(f), key)]
        return same, different


def _where(fact: Fact) -> tuple[str, int, int]:
    """Where a fact is stated: equal copies of a fact (from a cache) share it."""
    return fact.passage, fact.start, fact.end


def _resolver(facts: Iterable[Fact]) -> Resolver:
    """A resolver over facts held here (small corpora, tests)."""
    at = {_where(f): f for f in facts}
    return lambda passage, start, end: at.get((passage, start, end))


def _same_value(a: tuple[str, float, float | None], b: tuple[str, float, float | None]) -> bool:
    if math.isnan(a[1]) or math.isnan(b[1]):
        return a[0] == b[0] and math.isnan(a[1]) and math.isnan(b[1]) and a[2] == b[2]
    return a == b


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
    return {t: w / norm for t, w in vec.items()}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


# A context word shared by more counts of one subject than this proposes no pairs: it
# says little, and its pairs grow with the square (see BENCHMARKS.md for the choice).
MAX_POSTING = 50


def _average_link(
    idx: Sequence[int],
    facts: Sequence[Fact],
    keys: Sequence[tuple[str, float, float | None]],
    vectors: Sequence[dict[str, float]],
) -> list[list[int]]:
    """Average-link clustering with a heap; unlisted pairs count as similarity 0.

    Cost grows with the number of candidate pairs, not the cube of the facts."""
    postings: dict[object, list[int]] = {}
    for i in idx:
        for t in vectors[i]:
            postings.setdefault(("t", t), []).append(i)
        postings.setdefault(("v", keys[i]), []).append(i)
    candidates: set[tuple[int, int]] = set()
    for members in postings.values():
        if 1 < len(members) <= MAX_POSTING:
            candidates.update((a, b) for n, a in enumerate(members) for b in members[n + 1 :])
    # cluster id -> members; (a, b) -> summed pair similarity between clusters a and b
    clusters: dict[int, list[int]] = {i: [i] for i in idx}
    passages: dict[int, dict[str, tuple[str, float, float | None]]] = {
        i: {facts[i].passage: keys[i]} for i in idx
    }
    total: dict[int, dict[int, float]] = {i: {} for i in idx}
    heap: list[tuple[float, int, int]] = []
    spans = {i: value_span(facts[i]) for i in idx}
    for a, b in candidates:
        sim = _dot(vectors[a], vectors[b]) + (SAME_VALUE_BONUS if keys[a] == keys[b] else 0.0)
        sim /= 1.0 + _span_gap(spans[a], spans[b])  # far apart values need more evidence
        if sim <= 0:
            continue
        total[a][b] = total[b][a] = sim
        heapq.heappush(heap, (-sim, min(a, b), max(a, b)))
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in clusters or b not in clusters:
            continue
        average = total[a].get(b, 0.0) / (len(clusters[a]) * len(clusters[b]))
        if abs(average + negative) > 1e-12:
            continue  # stale entry; a fresher one is in the heap
        if average < SAME_THING:
            break
        # two different numbers in one passage count different things
        if any(passages[b].get(p, key) != key for p, key in passages[a].items()):
            continue
        clusters[a] += clusters.pop(b)
        passages[a].update(passages.pop(b))
        links_b = total.pop(b)
        for c, sim in links_b.items():
            if c == a:
                continue
            total[c].pop(b, None)
            total[a][c] = total[c][a] = total[a].get(c, 0.0) + sim
        total[a].pop(b, None)
        for c, sim in total[a].items():
            average = sim / (len(clusters[a]) * len(clusters[c]))
            if average >= SAME_THING:
                heapq.heappush(heap, (-average, min(a, c), max(a, c)))
    return list(clusters.values())

"""Passages in other sources that report the same claim.

Each passage becomes a sparse vector of what is specific about it: its index terms and
adjacent-term pairs weighted by how rare they are in the corpus (TF-IDF), plus its facts
(numbers with what they count, dates, people, places, organisations), which weigh more
because two outlets reporting one claim share them even when their wording differs.
Words every article shares weigh little, and so do the names (and titles) of who said
it, place names (less), and what a passage's own article repeats in many of its
passages (its topic, not this passage's claim). A plural counts as its singular when the
corpus has both words (see plural_stems). Candidates are ranked by the dot
product of the query's unit vector with their own unnormalised vector, blended with the
best-matching pair of sentences.
"""

from __future__ import annotations

import bisect
import json
import re
import shutil
import sys
import tempfile
import threading
from array import array
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from .engine import terms
from .models import Fact, Link, Passage
from .rules import load_rules

FACT_WEIGHT = 1.5  # a shared fact counts this many times a shared word
PAIR_WEIGHT = 0.75  # adjacent-term pairs: wording overlap beyond single words (outlets
# reporting one claim in their own words share few exact phrases)
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
SECOND_ORDER = 2.0  # weight of agreement through third sources (see _ranked)
BRIDGES = 5  # best first-order neighbours used as bridges
BRIDGE_DEPTH = 30  # how far down each bridge's own ranking to look
# Each bridge's scores are rescaled so that its best BRIDGES sum to the passage's own best
# BRIDGES: a bridge votes with its preferences, not with how strongly it resembles
# everything (a long passage of many claims otherwise outvotes the other bridges).
BRIDGE_SCALE = True
COMMON_SHARE = 0.05  # features in more than this share of passages don't find candidates
COMMON_MIN = 200  # ... unless the corpus is small
# Features repeated in many passages of the passage's own article weigh less: by
# (1 + ARTICLE_FLOOR - share of the article's other passages that have it) ** ARTICLE_DAMP.
ARTICLE_DAMP = 2.0
ARTICLE_FLOOR = 0.2
TIE_DIGITS = 6  # scores equal to this many digits are ties (weights are float32)
EXPLAINED = 50  # links of best_per_source that say why
CACHE_SIZE = 2048  # first-order rankings kept (navigation revisits passages)
NAME_WEIGHT = 0.3  # words of a person's name and title: who said it matters less than what
RANGES = True  # a range's value is both its ends, not its lower one
DURATIONS = True  # durations share a feature across units (see duration_keys)
# Words of a place name: where it happened matters less than what happened (the event's
# places, "Russia", "Ukraine", "Istanbul", are in most passages of every report).
PLACE_WEIGHT = 0.6
# Words of a date that is the source's own date ("on Monday, June 2" in a report of
# June 2): like its fact (left out), they say when it was reported, not what was claimed,
# and "June" would otherwise match every other date of that month.
OWN_DATE_WEIGHT = 0.3
# Agreement through third sources only reinforces candidates that share something with
# the passage itself (a candidate reached only through bridges reports the bridges' claim).
SECOND_NEEDS_FIRST = True
TITLES = True  # a capitalised title just before a name ("Defense Minister") is part of it
# Up to this many lower-case words just before a name (or its capitalised title) are part
# of it too: news writes a role as a "false title" without article or comma ("presidential
# aide Vladimir Medinsky", "chief negotiator Umerov"). It says who, not what was claimed.
# Not after a stop word ("said Medinsky"), after a verb marker ("to bring Putin", "will
# meet Zelensky": data/stopwords.yaml), nor words with a verb's ending ("accused
# Zelensky", "citing Umerov", "urges Trump").
FALSE_TITLE = 2
_VERB_ENDINGS = ("ed", "ing", "s")
# A plural counts as its singular when the corpus has both words ("buses" and "bus"): the
# Porter stemmer gives some pairs different stems ("buse" / "bu", "viruses" / "viru").
PLURALS = True
_WORD = re.compile(r"\w+")


def plural_stems(passages: Sequence[Passage]) -> dict[str, str]:
    """Stem of a plural -> stem of its singular, for the plurals whose singular (the word
    without "es" or "s", three letters or more) is also a word of the corpus and stems
    otherwise. Both words must be there: from a word alone, "buses" (bus + es) and
    "cases" (case + s) cannot be told apart. One quick pass over the words of the corpus,
    so chunks of the build fold plurals alike."""
    if not PLURALS:
        return {}
    chunks: set[str] = set()  # split on white space first: C-fast, and far fewer distinct
    for p in passages:
        chunks.update(p.text.split())
    words: set[str] = set()
    for chunk in chunks:
        words.update(_WORD.findall(chunk.lower()))
    out: dict[str, str] = {}
    for word in sorted(words):
        for suffix in ("es", "s"):
            base = word[: -len(suffix)]
            if word.endswith(suffix) and len(base) >= 3 and base in words:
                plural, single = _stem(word), _stem(base)
                if plural and single and plural != single:
                    out.setdefault(plural, single)
                break
    return out


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str | None:
    """The index term of one word (None if the analyser keeps none)."""
    found = terms(word)
    return found[0][0] if len(found) == 1 else None


@cache
def stopwords() -> frozenset[str]:
    """Stemmed words too common in news to tell claims apart (data/stopwords.yaml)."""
    raw = load_rules("stopwords")
    return frozenset(str(w) for w in raw["words"])


@cache
def synonyms() -> dict[str, str]:
    """Index term -> the term its synonym group counts as (data/synonyms.yaml)."""
    raw = load_rules("synonyms")
    out: dict[str, str] = {}
    for group in raw["groups"]:
        stems = [t for word in group for t, _s, _a, _b in terms(str(word))]
        for stem in stems:
            out.setdefault(stem, stems[0])
    return out


_TITLE = re.compile(r"(?:\b[A-Z][\w’'-]*\s+(?:(?:of|for|the)\s+)*)+$")


_LOWER_WORD = re.compile(r"\b[a-z][\w’'-]*\s+$")
_BEFORE = re.compile(r"([\w’'-]+)\s+$")


@cache
def verb_markers() -> frozenset[str]:
    """Words after which the next word is a verb (data/stopwords.yaml): "to bring Putin"
    and "will meet Zelensky" are not roles."""
    raw = load_rules("stopwords")
    return frozenset(str(w) for w in raw.get("verb_markers", ()))


def _title_start(text: str, start: int) -> int:
    """Where a person's name starts with the capitalised title before it
    ("Defense Minister Rustem Umerov") and the lower-case words that describe the person
    right before that (see FALSE_TITLE): who is speaking, not what is said."""
    if not TITLES:
        return start
    m = _TITLE.search(text, max(0, start - 80), start)
    at = m.start() if m else start
    for _ in range(FALSE_TITLE):
        w = _LOWER_WORD.search(text, max(0, at - 40), at)
        if w is None:
            break
        word = w.group().rstrip()
        stem = _stem(word)
        if stem is None or stem in stopwords() or word.endswith(_VERB_ENDINGS):
            break
        before = _BEFORE.search(text, max(0, w.start() - 20), w.start())
        if before and before.group(1).lower().replace("’", "'") in verb_markers():
            break
        at = w.start()
    return at


_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*\s+(?=[\"“‘(–—-]?\s?[A-Z0-9])")


def sentence_bounds(text: str) -> list[int]:
    """Start offsets of the sentences of ``text``.

    A coarser rule than ``search.text.sentences`` (no abbreviations): the related
    index's scores and its evaluation were tuned on it, so it stays."""
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
        value = _value(fact)
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


def _value(fact: Fact) -> str:
    """A number's value; a range's both ends ("two to three days" is not "two sides")."""
    if RANGES and fact.high is not None and fact.high != fact.value:
        return f"{_num(fact.value)}-{_num(fact.high)}"
    return _num(fact.value)


def fact_label(fact: Fact) -> str:
    if fact.kind == "number":
        return fact.text if not fact.counts else f"{_value(fact)} {fact.counts}"
    return str(fact.value)


# Units of time in minutes: "70 minutes", "an hour" and "just over sixty minutes" are
# one duration, and so are "a week" and "seven days". Years are left out (mostly ages:
# "men aged 18 to 25").
DURATION_UNITS = {"minute": 1, "hour": 60, "day": 1440, "week": 10080, "month": 43200}
DURATION_STEP = 0.5  # bucket width in log2(minutes); two grids half a bucket apart


@cache
def _units() -> dict[str, int]:
    return {_noun(word): minutes for word, minutes in DURATION_UNITS.items()}


def duration_keys(fact: Fact) -> list[str]:
    """Buckets of a duration's length in minutes (a range: its geometric middle). Two
    durations within a factor of 2 ** (DURATION_STEP / 2) share at least one: each
    grid of buckets is offset by half a bucket from the other."""
    if not DURATIONS or fact.kind != "number" or not fact.counts:
        return []
    if not isinstance(fact.value, int | float) or fact.value <= 0:
        return []
    unit = _units().get(_noun(fact.counts))
    if unit is None:
        return []
    value = float(fact.value)
    if isinstance(fact.high, int | float) and fact.high > value:
        value = (value * fact.high) ** 0.5
    x = np.log2(value * unit) / DURATION_STEP
    return [f"m:{int(np.floor(x))}", f"m:{int(np.floor(x + 0.5))}+"]


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


# Feature keys: a term's id, an adjacent pair of term ids, or a fact's id (int64).
TERM_BITS = 28
PAIR_BASE = 1 << 56
FACT_BASE = 2 << 56


@dataclass(slots=True)
class _Vocab:
    """Feature ids and labels, shared by every chunk of the build: ids are given in
    order of first appearance over the whole corpus, however it is cut into chunks."""

    terms: dict[str, int] = field(default_factory=dict)
    facts: dict[str, int] = field(default_factory=dict)
    term_labels: list[str] = field(default_factory=list)  # term id -> the word as written
    fact_labels: list[str] = field(default_factory=list)  # fact feature id -> readable label
    names: dict[int, str] = field(default_factory=dict)  # feature key -> its name
    # ("t:term", "n:6000:body"), not pairs
    plurals: dict[str, str] = field(default_factory=dict)  # see plural_stems


@dataclass(slots=True)
class _Collected:
    """One chunk's features before weighting, one entry per occurrence."""

    keys: array  # feature key (see PAIR_BASE, FACT_BASE)
    rows: array  # the sentence it occurs in (rows numbered from the chunk's first)
    weights: array  # 1, or NAME_WEIGHT inside a person's name
    sentence_start: array  # passage -> its first sentence row (one more at the end)


def _collect(
    passages: Sequence[Passage],
    facts: Mapping[str, Sequence[Fact]],
    dates: Mapping[str, str | None],
    vocab: _Vocab,
) -> _Collected:
    """Tokenise every passage of a chunk once into flat arrays (no per-passage dicts: at
    100k passages those cost more memory than everything else the workspace holds)."""
    stop, same, plurals = stopwords(), synonyms(), vocab.plurals
    terms_ids, fact_vocab = vocab.terms, vocab.facts
    out = _Collected(array("q"), array("i"), array("f"), array("i", [0]))
    keys, rows, weights = out.keys, out.rows, out.weights
    term_labels, fact_labels = vocab.term_labels, vocab.fact_labels
    row = 0
    for p in passages:
        text = p.text
        bounds = sentence_bounds(text)
        pfacts = facts.get(p.id, ())
        names = [(_title_start(text, f.start), f.end) for f in pfacts if f.kind == "person"]
        places = [(f.start, f.end) for f in pfacts if f.kind == "place"]
        own = dates.get(p.source)
        today = [(f.start, f.end) for f in pfacts if own and f.kind == "date" and f.value == own]
        # A feature's label is its first wording in the last passage that has it.
        local: dict[int, str] = {}
        prev, prev_sentence, prev_weight = -1, -1, 1.0
        sentence, n_bounds = 0, len(bounds)
        next_bound = bounds[1] if n_bounds > 1 else sys.maxsize
        for term, surface, start, _end in terms(text):
            while start >= next_bound:
                sentence += 1
                next_bound = bounds[sentence + 1] if sentence + 1 < n_bounds else sys.maxsize
            if term in stop or len(term) < 2:
                prev = -1
                continue
            weight = NAME_WEIGHT if names and any(a <= start < b for a, b in names) else 1.0
            if places and any(a <= start < b for a, b in places):
                weight = min(weight, PLACE_WEIGHT)
            if today and any(a <= start < b for a, b in today):
                weight = min(weight, OWN_DATE_WEIGHT)
            term = plurals.get(term, term)
            term = same.get(term, term)
            tid = terms_ids.get(term)
            if tid is None:
                tid = terms_ids[term] = len(term_labels)
                term_labels.append("")
                vocab.names[tid] = f"t:{term}"
            if tid not in local:
                local[tid] = surface.lower()
            keys.append(tid)
            rows.append(row + sentence)
            weights.append(weight)
            if prev >= 0 and sentence == prev_sentence:
                keys.append(PAIR_BASE | (prev << TERM_BITS) | tid)
                rows.append(row + sentence)
                weights.append(min(weight, prev_weight))
            prev, prev_sentence, prev_weight = tid, sentence, weight
        for tid, label in local.items():
            term_labels[tid] = label
        local.clear()
        date = dates.get(p.source)
        for fact in pfacts:
            if fact.kind == "date" and fact.value == date:
                continue
            for key in fact_keys(fact) + duration_keys(fact):
                fid = fact_vocab.get(key)
                if fid is None:
                    fid = fact_vocab[key] = len(fact_labels)
                    fact_labels.append("")
                    vocab.names[FACT_BASE | fid] = key
                if fid not in local:
                    if key[0] == "c":
                        local[fid] = fact.counts or ""
                    elif key[0] == "m":
                        local[fid] = fact.text
                    elif key.count(":") == 2 or key[0] != "n":
                        local[fid] = fact_label(fact)
                    else:
                        local[fid] = fact.text
                keys.append(FACT_BASE | fid)
                rows.append(row + _which(bounds, fact.start))
                weights.append(1.0)
        for fid, label in local.items():
            fact_labels[fid] = label
        row += n_bounds
        out.sentence_start.append(row)
    return out


def _sum_by(rows: np.ndarray, fids: np.ndarray, weights: np.ndarray, n_features: int):  # type: ignore[no-untyped-def]
    """Sum ``weights`` per (row, feature); returns rows, features, sums sorted by both."""
    combined = rows.astype(np.int64)  # in place from here: these arrays are the big ones
    combined *= n_features
    combined += fids
    order = np.argsort(combined, kind="stable")
    combined = combined[order]
    if not len(combined):
        return rows[:0], fids[:0], weights[:0].astype(np.float64)
    starts = np.flatnonzero(np.r_[True, combined[1:] != combined[:-1]])
    sums = np.add.reduceat(weights[order], starts, dtype=np.float64)
    del order
    unique = combined[starts]
    del combined
    return (unique // n_features).astype(np.int32), (unique % n_features).astype(np.int32), sums


def _tf(counts: np.ndarray) -> np.ndarray:
    """1 + log(count), scaled down for counts below 1 (words of a name)."""
    return (1 + np.log(np.maximum(counts, 1.0))) * np.minimum(counts, 1.0)


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``range(start, start + length)`` for each pair."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total)


def _csr(rows: np.ndarray, n_rows: int) -> np.ndarray:
    """Row pointers of entries sorted by row."""
    out = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=out[1:])
    return out


CHUNK = 4096  # passages (whole sources) per chunk of the build: see RelatedIndex.__init__


def _chunks(passages: Sequence[Passage]) -> list[tuple[int, int]]:
    """Runs of whole sources of at least CHUNK passages (the last may be shorter): a
    passage's weights depend on its own article's other passages. One run when a
    source's passages are not consecutive."""
    bounds, seen, previous = [0], set(), None
    for i, p in enumerate(passages):
        if p.source == previous:
            continue
        if p.source in seen:
            return [(0, len(passages))]
        seen.add(p.source)
        previous = p.source
        if i - bounds[-1] >= CHUNK:
            bounds.append(i)
    if passages:
        bounds.append(len(passages))
    return list(zip(bounds[:-1], bounds[1:], strict=True))


@dataclass(slots=True)
class _Chunk:
    """A chunk after the first pass: its features summed per sentence, kept compact
    until the second pass weights them (feature ids are local until all chunks are in)."""

    first: int  # its first passage
    sentence_start: np.ndarray  # passage -> its first sentence row (one more at the end)
    s_ptr: np.ndarray  # sentence row -> its first entry (entries sorted by row, feature)
    s_fid: np.ndarray  # an entry's feature: its position in ``keys``, then its global id
    s_code: np.ndarray  # an entry's summed weight: its position in ``counts``
    counts: np.ndarray  # the distinct summed weights (few: sums of a few NAME_WEIGHTs)
    keys: np.ndarray | None  # the chunk's features, sorted (so in global id order too)
    df: np.ndarray | None  # passages of the chunk that have each of ``keys``


def _first_pass(
    passages: Sequence[Passage],
    first: int,
    facts: Mapping[str, Sequence[Fact]],
    dates: Mapping[str, str | None],
    vocab: _Vocab,
) -> _Chunk:
    """Collect a chunk and sum its weights per (sentence, feature), as one build of the
    whole corpus would (same order, same sums); its passage entries only counted."""
    c = _collect(passages, facts, dates, vocab)
    keys, inverse = np.unique(np.frombuffer(c.keys, dtype=np.int64), return_inverse=True)
    fids = inverse.reshape(-1).astype(np.int32)
    del inverse
    sentence_start = np.frombuffer(c.sentence_start, dtype=np.int32).astype(np.int64)
    rows, weights = np.frombuffer(c.rows, dtype=np.int32), np.frombuffer(c.weights, np.float32)
    s_row, s_fid, s_count = _sum_by(rows, fids, weights, len(keys))
    del c, rows, fids, weights
    row_passage = np.repeat(np.arange(len(passages), dtype=np.int32), np.diff(sentence_start))
    _, p_fid, _ = _sum_by(row_passage[s_row], s_fid, s_count, len(keys))
    df = np.bincount(p_fid, minlength=len(keys)).astype(np.int32)
    del row_passage, p_fid
    counts, code = np.unique(s_count, return_inverse=True)
    code = code.reshape(-1).astype(np.uint16 if len(counts) <= 1 << 16 else np.int32)
    s_ptr = _csr(s_row, int(sentence_start[-1])).astype(np.int32)
    return _Chunk(first, sentence_start, s_ptr, s_fid, code, counts, keys, df)


def _post(
    fids: np.ndarray,
    rows: np.ndarray,
    weights: np.ndarray,
    fill: np.ndarray,
    c_row: np.ndarray,
    c_w: np.ndarray,
) -> None:
    """Append a chunk's passage entries to the postings: each feature's go at ``fill``,
    in the order given (a stable sort of every chunk's entries by feature, in parts)."""
    if not len(fids):
        return
    order = np.argsort(fids, kind="stable")
    sorted_fids = fids[order]
    heads = np.flatnonzero(np.r_[True, sorted_fids[1:] != sorted_fids[:-1]])
    lengths = np.diff(np.r_[heads, len(sorted_fids)])
    at = fill[sorted_fids] + (np.arange(len(sorted_fids)) - np.repeat(heads, lengths))
    c_row[at], c_w[at] = rows[order], weights[order]
    fill[sorted_fids[heads]] += lengths


class _Filler:
    """A 1-D array filled front to back, a chunk at a time: kept in memory, or written
    straight to ``folder/name.npy`` (as ``np.save`` writes it) and never held."""

    def __init__(self, size: int, dtype: type, folder: Path | None, name: str) -> None:
        self.dtype = np.dtype(dtype)
        self.at = 0
        self.file = None if folder is None else (folder / f"{name}.npy").open("wb")
        self.array = np.empty(size if self.file is None else 0, dtype=self.dtype)
        if self.file is not None:
            header = {"descr": self.dtype.str, "fortran_order": False, "shape": (size,)}
            np.lib.format.write_array_header_1_0(self.file, header)

    def add(self, values: np.ndarray) -> None:
        if self.file is None:
            self.array[self.at : self.at + len(values)] = values
        else:
            self.file.write(values.astype(self.dtype, copy=False).tobytes())
        self.at += len(values)

    def done(self) -> np.ndarray | None:
        """The array, or None when it is in its file."""
        if self.file is None:
            return self.array
        self.file.close()
        return None


def _counts_to_ptr(counts: np.ndarray) -> np.ndarray:
    """Row pointers from entries per row (as ``_csr``)."""
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def _own_article(  # type: ignore[no-untyped-def]
    src, size, row_passage, p_row, p_fid, s_row, s_fid, n_features, repeated
):
    """Weight factors, per passage entry and per sentence entry, for how often a
    feature recurs in the other passages of the same article: what an article
    repeats is its topic ("children" in a report about deported children), not
    the claim of one passage, and long passages that hold much of it would
    otherwise match everything. Only features of two passages or more (``repeated``)
    are counted (the others, mostly word pairs, recur nowhere). ``src``: each of the
    chunk's passages' source, ``size``: passages per source."""
    if not ARTICLE_DAMP or not len(p_row):
        return 1.0, 1.0
    lone = (1 + ARTICLE_FLOOR - 0.0) ** ARTICLE_DAMP  # in no other passage of its article

    def source_keys(entry_src: np.ndarray, entry_fid: np.ndarray) -> np.ndarray:
        key = entry_src.astype(np.int64)
        key *= n_features
        key += entry_fid
        return key

    m = repeated[p_fid]
    keys, count = np.unique(source_keys(src[p_row[m]], p_fid[m]), return_counts=True)

    def factor(entry_src: np.ndarray, entry_fid: np.ndarray) -> np.ndarray:
        out = np.full(len(entry_fid), lone)
        m = repeated[entry_fid]
        chosen = entry_src[m]
        others = count[np.searchsorted(keys, source_keys(chosen, entry_fid[m]))] - 1
        share = others / np.maximum(size[chosen] - 1, 1)
        out[m] = (1 + ARTICLE_FLOOR - share) ** ARTICLE_DAMP
        return out

    return factor(src[p_row], p_fid), factor(src[row_passage[s_row]], s_fid)


_ARRAYS = (
    "sentence_start",
    "norm",
    "keys",
    "rare",
    "p_ptr",
    "p_fid",
    "p_w",
    "c_ptr",
    "c_row",
    "c_w",
    "s_row",
    "s_ptr",
    "s_fid",
    "s_w",
)


class RelatedIndex:
    """TF-IDF vectors of all passages, built once per workspace.

    Stored as compressed sparse arrays (NumPy): passage -> features, feature -> passages
    (postings) and sentence -> features, 4-byte ids and weights. Features that only one
    passage has are dropped after weighting (they count in its length, but can match
    nothing), which removes most word pairs."""

    def __init__(
        self,
        passages: Sequence[Passage],
        facts: Mapping[str, Sequence[Fact]] | None = None,
        dates: Mapping[str, str | None] | None = None,
    ) -> None:
        """``dates``: each source's own date; facts naming that day say nothing specific.

        Built in two passes over chunks of whole sources (see CHUNK): the first sums
        each chunk's features per sentence and counts, corpus-wide, the passages that
        have each feature; the second weights each chunk and writes its entries into the
        final arrays. Only what a feature's weight needs (its passage count) is made
        over the whole corpus at once, so the build's peak is about the final arrays,
        not several sorts over every occurrence."""
        self._build(passages, facts, dates, None)

    @classmethod
    def build_and_save(
        cls,
        directory: Path,
        stamp: str,
        passages: Sequence[Passage],
        facts: Mapping[str, Sequence[Fact]] | None = None,
        dates: Mapping[str, str | None] | None = None,
    ) -> None:
        """Build the index and save it as ``save`` would, writing the arrays filled in
        passage order straight to their files as each chunk is done: the process that
        builds a large corpus's analysis never holds them (40 MB at 100k passages)."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
        try:
            self = cls.__new__(cls)
            self._build(passages, facts, dates, tmp)
            self._finish(tmp, directory, stamp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _build(
        self,
        passages: Sequence[Passage],
        facts: Mapping[str, Sequence[Fact]] | None,
        dates: Mapping[str, str | None] | None,
        into: Path | None,
    ) -> None:
        """See ``__init__``; ``into``: a folder for the arrays filled in passage order
        (then left unset here), or None to keep them."""
        passages = list(passages)
        self._attach(passages)
        n = len(passages)
        vocab = _Vocab(plurals=plural_stems(passages))
        chunks = [
            _first_pass(passages[a:b], a, facts or {}, dates or {}, vocab)
            for a, b in _chunks(passages)
        ]
        self._term_labels, self._fact_labels = vocab.term_labels, vocab.fact_labels
        self._names = vocab.names  # ties in ``why`` are ordered by name
        del vocab
        row0 = np.cumsum([0] + [int(ch.sentence_start[-1]) for ch in chunks])
        n_rows = int(row0[-1])
        self._sentence_start = np.concatenate(
            [ch.sentence_start[:-1] + r for ch, r in zip(chunks, row0.tolist(), strict=False)]
            + [np.array([n_rows], dtype=np.int64)]
        )
        # Every feature, in key order: ids given here follow it in each chunk too.
        uniq = np.unique(np.concatenate([np.zeros(0, np.int64)] + [ch.keys for ch in chunks]))
        n_features = len(uniq)
        df = np.zeros(n_features, dtype=np.int64)  # passages that have each feature
        for ch in chunks:
            global_id = np.searchsorted(uniq, ch.keys).astype(np.int32)
            df[global_id] += ch.df
            ch.s_fid = global_id[ch.s_fid]
            ch.keys = ch.df = None
        # idf ** IDF_POWER, times the kind's scale; in place: one array per feature, and
        # most features are word pairs
        factor = np.log((max(n, 1) + 1) / (df + 0.5))
        factor **= IDF_POWER
        is_fact = uniq >= FACT_BASE
        factor[(uniq >= PAIR_BASE) & ~is_fact] *= PAIR_WEIGHT
        factor[is_fact] *= FACT_WEIGHT
        del is_fact
        # Keep what two passages or more share, renumbered (ids stay in key order).
        shared = df >= 2
        new_id = (np.cumsum(shared) - 1).astype(np.int32)
        self._keys = uniq[shared]
        del uniq
        common = max(COMMON_MIN, int(COMMON_SHARE * n))
        self._rare = df[shared] <= common  # the others cost much and tell little
        # The final arrays, filled chunk by chunk: passage -> features, and the postings
        # (feature -> passages, in passage order: chunks come in passage order).
        kept = int(df[shared].sum())
        p_fid_out = _Filler(kept, np.int32, into, "p_fid")
        p_w_out = _Filler(kept, np.float32, into, "p_w")
        self._c_row = np.empty(kept, dtype=np.int32)
        self._c_w = np.empty(kept, dtype=np.float32)
        self._c_ptr = np.zeros(len(self._keys) + 1, dtype=np.int64)
        np.cumsum(df[shared], out=self._c_ptr[1:])
        fill = self._c_ptr[:-1].copy()  # where each feature's next posting goes
        kept = sum(int(np.count_nonzero(shared[ch.s_fid])) for ch in chunks)
        s_row_out = _Filler(kept, np.int32, into, "s_row")
        s_fid_out = _Filler(kept, np.int32, into, "s_fid")
        s_w_out = _Filler(kept, np.float32, into, "s_w")
        per_passage = np.zeros(n, dtype=np.int64)
        per_row = np.zeros(n_rows, dtype=np.int64)
        norm = np.ones(n)
        size = np.bincount(self._src).astype(np.float64)  # passages per source
        chunks.reverse()  # popped in passage order, each let go once written
        for r0 in row0[:-1].tolist():
            ch = chunks.pop()
            p0 = ch.first
            n_chunk, rows_chunk = len(ch.sentence_start) - 1, int(ch.sentence_start[-1])
            s_row = np.repeat(np.arange(rows_chunk, dtype=np.int32), np.diff(ch.s_ptr))
            s_fid, s_count = ch.s_fid, ch.counts[ch.s_code]
            row_passage = np.repeat(np.arange(n_chunk, dtype=np.int32), np.diff(ch.sentence_start))
            del ch
            p_row, p_fid, p_count = _sum_by(row_passage[s_row], s_fid, s_count, n_features)
            own = _own_article(
                self._src[p0 : p0 + n_chunk],
                size,
                row_passage,
                p_row,
                p_fid,
                s_row,
                s_fid,
                n_features,
                shared,
            )
            del row_passage
            p_w = _tf(p_count) * factor[p_fid] * own[0]
            del p_count
            chunk_norm = np.sqrt(np.bincount(p_row, p_w * p_w, minlength=n_chunk))
            chunk_norm[chunk_norm == 0] = 1.0
            p_w /= chunk_norm[p_row]
            norm[p0 : p0 + n_chunk] = chunk_norm
            s_w = _tf(s_count) * factor[s_fid] * own[1]
            del s_count, own
            s_norm = np.sqrt(np.bincount(s_row, s_w * s_w, minlength=rows_chunk))
            s_norm[s_norm == 0] = 1.0
            s_w /= s_norm[s_row]
            del s_norm
            keep = shared[p_fid]
            p_row, p_fid, p_w = p_row[keep], new_id[p_fid[keep]], p_w[keep].astype(np.float32)
            p_fid_out.add(p_fid)
            p_w_out.add(p_w)
            per_passage[p0 : p0 + n_chunk] = np.bincount(p_row, minlength=n_chunk)
            _post(p_fid, p_row + p0, p_w, fill, self._c_row, self._c_w)
            del keep, p_row, p_fid, p_w
            keep = shared[s_fid]
            s_row = s_row[keep]
            s_row_out.add(s_row + r0)
            s_fid_out.add(new_id[s_fid[keep]])
            s_w_out.add(s_w[keep])
            per_row[r0 : r0 + rows_chunk] = np.bincount(s_row, minlength=rows_chunk)
            del keep, s_row, s_fid, s_w
        for name, out in (
            ("p_fid", p_fid_out),
            ("p_w", p_w_out),
            ("s_row", s_row_out),
            ("s_fid", s_fid_out),
            ("s_w", s_w_out),
        ):
            setattr(self, f"_{name}", out.done())
        self._norm = norm.astype(np.float32)
        self._mean_norm = float(norm.mean()) if n else 1.0
        self._p_ptr = _counts_to_ptr(per_passage)
        self._s_ptr = _counts_to_ptr(per_row)

    def _attach(self, passages: list[Passage]) -> None:
        """What comes from the passages themselves, not from the arrays."""
        self._passages = passages
        # Where each source's passages start: a passage id is "<source>:<ordinal>" and a
        # source's passages are consecutive, so a position is computed and checked (a
        # dict of every passage id cost 6.6 MB at 100k passages).
        self._first: dict[str, int] = {}
        self._pos: dict[str, int] | None = None
        for i, p in enumerate(passages):
            first = self._first.setdefault(p.source, i - p.ordinal + 1)
            if first + p.ordinal - 1 != i or p.id != f"{p.source}:{p.ordinal}":
                self._pos = {p.id: i for i, p in enumerate(passages)}  # another layout
                break
        n = len(passages)
        source_ids = {s: k for k, s in enumerate(sorted({p.source for p in passages}))}
        self._src = np.array([source_ids[p.source] for p in passages], dtype=np.int32)
        self._rank = np.zeros(n, dtype=np.int32)  # ties are broken by passage id
        self._rank[sorted(range(n), key=lambda i: passages[i].id)] = np.arange(n)
        self._cache: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}  # first-order
        self._cache_lock = threading.Lock()

    # --- kept on disk ----------------------------------------------------------------

    def save(self, directory: Path, stamp: str) -> None:
        """Write the index to ``directory`` (replaced whole), for ``load`` to map."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
        try:
            self._finish(tmp, directory, stamp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _finish(self, tmp: Path, directory: Path, stamp: str) -> None:
        """Write into ``tmp`` what is not there yet, then make it ``directory``."""
        for name in _ARRAYS:
            array = getattr(self, f"_{name}")
            if array is not None:
                np.save(tmp / f"{name}.npy", array)
        meta = {
            "stamp": stamp,
            "passages": len(self._passages),
            "mean_norm": self._mean_norm,
            "term_labels": self._term_labels,
            "fact_labels": self._fact_labels,
            "names": list(self._names.items()),
        }
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(directory, ignore_errors=True)
        tmp.rename(directory)

    @classmethod
    def load(cls, directory: Path, stamp: str, passages: Sequence[Passage]) -> RelatedIndex | None:
        """The index ``save`` wrote for the same passages (same ``stamp``), its arrays
        mapped from disk (pages are read as they are used); None if there is none or it
        cannot be read."""
        try:
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
            if meta.get("stamp") != stamp or meta.get("passages") != len(passages):
                return None
            self = cls.__new__(cls)
            for name in _ARRAYS:
                mapped = np.load(directory / f"{name}.npy", mmap_mode="r")
                setattr(self, f"_{name}", np.asarray(mapped))  # a plain view: no per-use cost
            self._mean_norm = float(meta["mean_norm"])
            self._term_labels = list(meta["term_labels"])
            self._fact_labels = list(meta["fact_labels"])
            self._names = {int(k): str(v) for k, v in meta["names"]}
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self._attach(list(passages))
        n, sizes = len(passages), {name: len(getattr(self, f"_{name}")) for name in _ARRAYS}
        if sizes["norm"] != n or sizes["p_ptr"] != n + 1 or sizes["sentence_start"] != n + 1:
            return None
        return self

    def _index_of(self, passage_id: str) -> int | None:
        """The position of a passage in the index, None if it is not there."""
        if self._pos is not None:
            return self._pos.get(passage_id)
        source, _, ordinal = passage_id.rpartition(":")
        first = self._first.get(source)
        if first is None or not ordinal.isdecimal():  # isdigit() lets "²" through to int()
            return None
        i = first + int(ordinal) - 1
        if 0 <= i < len(self._passages) and self._passages[i].id == passage_id:
            return i
        return None

    def related(self, passage_id: str, limit: int | None = 10) -> list[Link]:
        """Passages from the *other* sources, best first, with why they match."""
        i = self._index_of(passage_id)
        if i is None:
            return []
        ranked = self._ranked(i)
        if limit is not None:
            ranked = ranked[:limit]
        return [Link(self._passages[j], score, self._why(i, j)) for score, j in ranked]

    def best_per_source(self, passage_id: str, explained: int = EXPLAINED) -> list[Link]:
        """The best related passage of each other source that reports the claim; the
        first ``explained`` say why (with thousands of sources, explaining every one
        cost more than ranking them)."""
        i = self._index_of(passage_id)
        if i is None:
            return []
        seen: set[int] = set()
        out = []
        for score, j in self._ranked(i):
            source = int(self._src[j])
            if source not in seen:
                seen.add(source)
                why = self._why(i, j) if len(out) < explained else ()
                out.append(Link(self._passages[j], score, why))
        return out

    def _ranked(self, i: int) -> list[tuple[float, int]]:
        """First-order scores plus agreement through third sources: Q in source S gains
        when passages of other sources that resemble P also resemble Q. Bridges the
        wording gap ("its document" ↔ "the memorandum") that words alone cannot. Each
        bridge's scores are put on the passage's own scale (see BRIDGE_SCALE)."""
        cand, scores = self._first_order(i)
        combined = dict(zip(cand.tolist(), scores.tolist(), strict=True))
        if SECOND_ORDER > 0:
            src = self._src
            second: dict[int, float] = defaultdict(float)
            own = float(scores[:BRIDGES].sum())
            for r, s_r in zip(cand[:BRIDGES].tolist(), scores[:BRIDGES].tolist(), strict=True):
                skip = (src[i], src[r])
                qs, q_scores = self._first_order(r, BRIDGE_DEPTH)
                theirs = float(q_scores[:BRIDGES].sum())
                if BRIDGE_SCALE and theirs > 0:
                    q_scores = q_scores * (own / theirs)
                for q, s_q in zip(qs.tolist(), q_scores.tolist(), strict=True):
                    if src[q] not in skip:
                        second[q] += s_r * s_q
            for q, s in second.items():
                if SECOND_NEEDS_FIRST and q not in combined:
                    continue
                combined[q] = combined.get(q, 0.0) + SECOND_ORDER * s
        rank = self._rank
        ranked = ((s, j) for j, s in combined.items())
        return sorted(ranked, key=lambda x: (-round(x[0], TIE_DIGITS), rank[x[1]]))

    def _first_order(self, i: int, depth: int = RERANK) -> tuple[np.ndarray, np.ndarray]:
        """Candidates by whole-passage score, the best ``depth`` reranked by sentences:
        passage indices and scores, best first."""
        key = (i, depth)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        a, b = self._p_ptr[i], self._p_ptr[i + 1]
        fids, weights = self._p_fid[a:b], self._p_w[a:b]
        rare = self._rare[fids]
        fids, weights = fids[rare], weights[rare].astype(np.float64)
        starts = self._c_ptr[fids]
        lengths = self._c_ptr[fids + 1] - starts
        postings = _ranges(starts, lengths)
        rows = self._c_row[postings]
        other = self._src[rows] != self._src[i]
        rows = rows[other]
        values = (self._c_w[postings] * np.repeat(weights, lengths))[other]
        scores = np.bincount(rows, values, minlength=len(self._passages))
        cand = np.flatnonzero(scores)
        scores = scores[cand] * (self._norm[cand] / self._mean_norm) ** PIVOT
        if len(cand) > depth:  # ties at the cut are broken by passage id
            top = np.lexsort((self._rank[cand], -scores.round(TIE_DIGITS)))[:depth]
            cand, scores = cand[top], scores[top]
        # Rerank by the best-matching pair of sentences (a claim is usually one
        # sentence, and long passages hold several).
        blended = PASSAGE_SHARE * scores + (1 - PASSAGE_SHARE) * self._sentence_match(i, cand)
        keep = blended >= MIN_SCORE
        cand, blended = cand[keep], blended[keep]
        order = np.lexsort((self._rank[cand], -blended.round(TIE_DIGITS)))
        result = (cand[order], blended[order])
        with self._cache_lock:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = result
        return result

    def _sentence_match(self, i: int, cand: np.ndarray) -> np.ndarray:
        """For each candidate, the best dot product of one of its sentences with one of
        passage ``i``'s."""
        out = np.zeros(len(cand))
        first, last = self._sentence_start[i], self._sentence_start[i + 1]
        e0, e1 = self._s_ptr[first], self._s_ptr[last]
        if e0 == e1 or not len(cand):
            return out
        q_fids = self._s_fid[e0:e1]
        features, col = np.unique(q_fids, return_inverse=True)
        query = np.zeros((len(features), last - first))  # feature x query sentence
        query[col.reshape(-1), self._s_row[e0:e1] - first] = self._s_w[e0:e1]
        starts = self._s_ptr[self._sentence_start[cand]]
        entries = _ranges(starts, self._s_ptr[self._sentence_start[cand + 1]] - starts)
        e_fids = self._s_fid[entries]
        at = np.minimum(np.searchsorted(features, e_fids), len(features) - 1)
        hit = features[at] == e_fids
        entries, at = entries[hit], at[hit]
        if not len(entries):
            return out
        contrib = self._s_w[entries][:, None] * query[at]  # entry x query sentence
        e_rows = self._s_row[entries]  # each sentence's entries are contiguous
        heads = np.flatnonzero(np.r_[True, e_rows[1:] != e_rows[:-1]])
        best = np.add.reduceat(contrib, heads, axis=0).max(axis=1)
        owner = np.searchsorted(self._sentence_start, e_rows[heads], side="right") - 1
        by_id = np.argsort(cand)
        np.maximum.at(out, by_id[np.searchsorted(cand[by_id], owner)], best)
        return out

    def _shared(self, i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Features (not word pairs) two passages share, and the product of weights."""
        a0, a1, b0, b1 = self._p_ptr[i], self._p_ptr[i + 1], self._p_ptr[j], self._p_ptr[j + 1]
        fids, ia, ib = np.intersect1d(
            self._p_fid[a0:a1], self._p_fid[b0:b1], assume_unique=True, return_indices=True
        )
        keys = self._keys[fids]
        single = (keys < PAIR_BASE) | (keys >= FACT_BASE)
        products = self._p_w[a0:a1][ia].astype(np.float64) * self._p_w[b0:b1][ib]
        return keys[single], products[single]

    def _label(self, key: int) -> str:
        if key >= FACT_BASE:
            return self._fact_labels[key - FACT_BASE]
        return self._term_labels[key]

    def _why(self, i: int, j: int, most: int = 6) -> tuple[str, ...]:
        keys, products = self._shared(i, j)
        names = self._names
        order = sorted(
            zip(products.tolist(), keys.tolist(), strict=True),
            key=lambda x: (x[0], names[x[1]]),
            reverse=True,
        )
        labels: list[str] = []
        for _, key in order:
            label = self._label(key)
            if label not in labels:
                labels.append(label)
            if len(labels) == most:
                break
        return tuple(labels)

    def shared_features(self, a: str, b: str) -> set[str]:
        """Labels of the features two passages share (for the compare view)."""
        i, j = self._index_of(a), self._index_of(b)
        if i is None or j is None:
            raise KeyError(a if i is None else b)
        keys, _ = self._shared(i, j)
        return {self._label(int(k)) for k in keys.tolist()}

"""What the related index is built from: the features of each passage (terms, pairs,
facts, with their weights and the rules that shape them) and the chunked build of its
sparse arrays. ``related`` holds the index and answers from it."""

from __future__ import annotations

import bisect
import re
import sys
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from .engine import terms
from .models import Fact, Passage
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
# Words of a place name: where it happened matters less than what happened (the event's
# places, "Russia", "Ukraine", "Istanbul", are in most passages of every report).
PLACE_WEIGHT = 0.6
# Words of a date that is the source's own date ("on Monday, June 2" in a report of
# June 2): like its fact (left out), they say when it was reported, not what was claimed,
# and "June" would otherwise match every other date of that month.
OWN_DATE_WEIGHT = 0.3
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
    if fact.high is not None and fact.high != fact.value:
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
    if fact.kind != "number" or not fact.counts:
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
    """Tokenise every passage of a chunk once into flat arrays (no per-passage dicts: on
    a large corpus those cost more memory than everything else the workspace holds)."""
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

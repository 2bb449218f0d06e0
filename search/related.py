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

import json
import shutil
import tempfile
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from .models import Fact, Link, Passage
from .related_build import (  # noqa: F401 - what importers of search.related use
    _ARRAYS,
    BRIDGE_DEPTH,
    BRIDGE_SCALE,
    BRIDGES,
    CACHE_SIZE,
    CHUNK,
    COMMON_MIN,
    COMMON_SHARE,
    EXPLAINED,
    FACT_BASE,
    FACT_WEIGHT,
    FALSE_TITLE,
    IDF_POWER,
    MIN_SCORE,
    PAIR_BASE,
    PAIR_WEIGHT,
    PASSAGE_SHARE,
    PIVOT,
    PLURALS,
    RERANK,
    SECOND_ORDER,
    TIE_DIGITS,
    _chunks,
    _collect,
    _counts_to_ptr,
    _Filler,
    _first_pass,
    _own_article,
    _post,
    _ranges,
    _sum_by,
    _tf,
    _title_start,
    _Vocab,
    duration_keys,
    fact_keys,
    fact_label,
    plural_stems,
    sentence_bounds,
    stopwords,
    synonyms,
    verb_markers,
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
        builds a large corpus's analysis never holds them."""
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
        # source's passages are consecutive, so a position is computed and checked
        # (not a dict of every passage id).
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
                if q not in combined:  # through bridges only: the bridges' claim
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

"""Fuzzy terms (``Medinksy~``) that count a swapped pair of letters as one edit.

Part of the Whoosh boundary (only the query code imports it). Whoosh 2.7's ``FuzzyTerm``
expands a term with a Levenshtein automaton over the lexicon, where a transposition
costs two edits: the commonest misspelling of a name (``Zelenksy``) was out of reach of
``~``, and the stemmer's change on top made ``~2`` miss too. ``DamerauFuzzy`` adds,
for every adjacent pair of the word as typed, the swapped word (folded and stemmed as
the index is) expanded with one edit fewer: the terms within the optimal-string-alignment
distance. The swaps cost one automaton run each (or one lexicon lookup at ``~1``), not
a scan of the lexicon. Classic 2.7 API only (``ExpandingTerm._btexts``,
``IndexReader.terms_within``).
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh import query as wq

# A swap plus this many more edits at most: ``~9`` still works as Whoosh's (plain edit
# distance), without running an automaton of distance 8 per letter pair.
MAX_SWAP_EXTRA = 1


class DamerauFuzzy(wq.FuzzyTerm):
    """``FuzzyTerm`` whose expansion also forgives one swapped pair of letters.

    ``swaps`` holds the index forms of the typed word with one adjacent pair swapped."""

    def __init__(  # type: ignore[no-untyped-def]
        self,
        fieldname,
        text,
        boost=1.0,
        maxdist=1,
        prefixlength=0,
        constantscore=True,
        swaps=(),
    ):
        super().__init__(fieldname, text, boost, maxdist, prefixlength, constantscore)
        self.swaps = tuple(swaps)

    @classmethod
    def of(cls, node: wq.FuzzyTerm, fold: Callable[[str], str]) -> DamerauFuzzy:
        """``node`` (as the parser made it, its text as typed) with the index's folding
        and stemming applied to the word and to each of its swaps."""
        raw = str(node.text)
        word = fold(raw)
        swaps = {fold(raw[:i] + raw[i + 1] + raw[i] + raw[i + 2 :]) for i in range(len(raw) - 1)}
        swaps.discard(word)
        return cls(
            node.fieldname,
            word,
            node.boost,
            node.maxdist,
            node.prefixlength,
            node.constantscore,
            sorted(swaps),
        )

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.swaps == getattr(other, "swaps", None)

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(self.swaps)

    def _btexts(self, ixreader):  # type: ignore[no-untyped-def]
        # Whoosh asks again for each of size estimate, matcher and highlighting: the
        # automaton runs once per reader (the query object lives for one search)
        cache = self.__dict__.setdefault("_expanded", {})
        kept = cache.get(id(ixreader))
        if kept is None or kept[0] is not ixreader:
            kept = cache[id(ixreader)] = (ixreader, self._expand(ixreader))
        return kept[1]

    def _expand(self, ixreader):  # type: ignore[no-untyped-def]
        found = set(super()._btexts(ixreader))
        extra = min(self.maxdist - 1, MAX_SWAP_EXTRA)
        field = self.fieldname
        for swap in self.swaps:
            if extra <= 0:
                if (field, swap) in ixreader:
                    found.add(swap)
            else:
                found.update(ixreader.terms_within(field, swap, extra, prefix=self.prefixlength))
        return sorted(found)

"""Exact phrases ("wounded soldiers") matched by comparing word positions directly.

Part of the Whoosh boundary (only ``engine`` imports it). Whoosh 2.7 runs a phrase as a
``SpanNear2`` over the intersection of its words: for every document holding them all it
builds a ``Span`` object per position of each word and joins them pairwise, which made
phrase queries the slowest searches of the benchmark. ``Phrase`` here keeps Whoosh's
semantics for the parser's phrases (slop 1: the words at consecutive positions, stop
words already removed by the analyser) and the same matches, scores and order, but tests
positions as integers: a set per word after the first and one membership test per
position of the first. Other slops ("..."~3) still go to Whoosh's implementation.
Classic 2.7 API only (``Query.matcher``, ``WrappingMatcher``, ``IntersectionMatcher``,
``value_as``).
"""

from __future__ import annotations

from whoosh import matching
from whoosh import query as wq
from whoosh.matching import binary, wrappers
from whoosh.util import make_binary_tree


class Phrase(wq.Phrase):
    """``whoosh.query.Phrase`` with a faster matcher for exact (slop 1) phrases."""

    @classmethod
    def of(cls, node: wq.Phrase) -> Phrase:
        return cls(
            node.fieldname,
            node.words,
            slop=node.slop,
            boost=node.boost,
            char_ranges=node.char_ranges,
        )

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        if self.slop != 1 or len(self.words) < 2:
            return super().matcher(searcher, context)
        # As whoosh.query.Phrase.matcher, up to the matcher it builds.
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            return super().matcher(searcher, context)  # Whoosh's error
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (fieldname, word) not in reader:
                return matching.NullMatcher()  # a word missing: nothing can match
            terms.append(wq.Term(fieldname, word))
        m = PhraseMatcher([t.matcher(searcher, context) for t in terms])
        if self.boost != 1.0:
            m = wrappers.WrappingMatcher(m, boost=self.boost)
        return m


class PhraseMatcher(wrappers.WrappingMatcher):
    """The intersection of the words' matchers, stopped only on documents where the
    words stand at consecutive positions. Scores are the intersection's (as Whoosh's
    span matcher gives)."""

    def __init__(self, ms: list) -> None:  # type: ignore[type-arg]
        self.ms = ms
        super().__init__(make_binary_tree(binary.IntersectionMatcher, ms))
        self._find_next()

    def copy(self):  # type: ignore[no-untyped-def]
        return self.__class__([m.copy() for m in self.ms])

    def replace(self, minquality=0):  # type: ignore[no-untyped-def]
        # never replaced by the child's replacement: that would drop the position test
        return self if self.is_active() else matching.NullMatcher()

    def supports_block_quality(self) -> bool:
        return False  # quality skipping would not test positions

    def _here(self) -> bool:
        """Do the words follow one another somewhere in the current document?"""
        first, *rest = self.ms
        later = [set(m.value_as("positions")) for m in rest]
        if len(later) == 1:
            second = later[0]
            return any(p + 1 in second for p in first.value_as("positions"))
        for p in first.value_as("positions"):
            for k, positions in enumerate(later, 1):
                if p + k not in positions:
                    break
            else:
                return True
        return False

    def _find_next(self) -> bool:
        child = self.child
        moved = False
        while child.is_active() and not self._here():
            moved = child.next() or moved
        return moved

    def next(self) -> bool:  # type: ignore[override]
        moved = self.child.next()
        return self._find_next() or bool(moved)

    def skip_to(self, id: int) -> bool:  # type: ignore[override]  # noqa: A002
        moved = self.child.skip_to(id)
        return self._find_next() or bool(moved)

    def all_ids(self):  # type: ignore[no-untyped-def]
        while self.is_active():
            yield self.id()
            self.next()

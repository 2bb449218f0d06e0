"""What a query marks in a passage: its words wherever they stand, its phrases only where
the whole phrase stands.

Part of the Whoosh boundary (only ``engine`` imports it). A query's positive leaves on
the text field become a ``HitTerms``: the single terms (prefixes and fuzzies expanded)
and the phrases as sequences of terms. Spans are found on the text analysed as the index
analyses it (stop words removed and positions renumbered, as Whoosh does), so
``"prisoners of war"`` marks "prisoners of war" and never a lone "prisoners".
"""

from __future__ import annotations

from whoosh import query as wq

CHARLIMIT = 2**15  # whoosh.highlight.DEFAULT_CHARLIMIT (WholeFragmenter): highlights stop there
TEXT = "text"


class HitTerms(frozenset):  # type: ignore[type-arg]
    """Every term a query marks (the set), with which of them are marked wherever they
    stand (``words``) and which only inside a phrase (``phrases``: term sequences, with
    their slop). A plain frozenset of terms works too: its terms are all words."""

    words: frozenset[str]
    phrases: tuple[tuple[tuple[str, ...], int], ...]

    def __new__(cls, words=frozenset(), phrases=()):  # type: ignore[no-untyped-def]
        self = super().__new__(cls, set(words).union(*(p for p, _ in phrases)))
        self.words = frozenset(words)
        self.phrases = tuple(phrases)
        return self

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (HitTerms, (self.words, self.phrases))


def positive_terms(q: wq.Query, reader) -> HitTerms:  # type: ignore[no-untyped-def]
    """Text-field terms to mark: expanded prefixes/fuzzies, phrases whole, never NOT-ed."""
    words: set[str] = set()
    phrases: list[tuple[tuple[str, ...], int]] = []

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):  # "a -b": only the positive side
            walk(node.a)
            return
        if isinstance(node, wq.Phrase):
            if node.fieldname == TEXT and node.words:
                seq = (tuple(str(w) for w in node.words), max(1, node.slop))
                if seq not in phrases:
                    phrases.append(seq)
            return
        if node.is_leaf():
            if node.field() == TEXT:
                for _f, t in node.expanded_terms(reader):
                    words.add(t.decode("utf-8") if isinstance(t, bytes) else t)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return HitTerms(words, phrases)


def spans_for(text: str, terms: frozenset[str], ana) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Spans of ``text`` that ``terms`` mark, in order, up to Whoosh's highlighter's
    character limit: each word token whose term is a word of ``terms``, and each run of
    tokens that is one of its phrases (one span from its first to its last word)."""
    if not terms:
        return []
    words = terms.words if isinstance(terms, HitTerms) else terms
    phrases = terms.phrases if isinstance(terms, HitTerms) else ()
    out: list[tuple[int, int]] = []
    if words:
        # analysed as a query, stop words kept: a word query ("over") marks every "over"
        for t in ana(text, chars=True, mode="query", removestops=False):
            if t.endchar > CHARLIMIT:
                break
            if t.text in words:
                out.append((t.startchar, t.endchar))
    if phrases:
        tokens = [
            (t.pos, t.text, t.startchar, t.endchar)
            for t in ana(text, chars=True, positions=True, mode="index")
            if t.endchar <= CHARLIMIT
        ]
        out.extend(_phrase_spans(tokens, phrases))
    return _merged(out)


def _phrase_spans(tokens, phrases):  # type: ignore[no-untyped-def]
    at: dict[str, list[int]] = {}
    for i, (_pos, term, _s, _e) in enumerate(tokens):
        at.setdefault(term, []).append(i)
    for seq, slop in phrases:
        for i in at.get(seq[0], ()):
            last = i
            for word in seq[1:]:
                # the next word within ``slop`` positions after the previous one
                nxt = next(
                    (j for j in at.get(word, ()) if 0 < tokens[j][0] - tokens[last][0] <= slop),
                    None,
                )
                if nxt is None:
                    break
                last = nxt
            else:
                yield (tokens[i][2], tokens[last][3])


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, with overlapping spans joined (a word inside a marked phrase)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out

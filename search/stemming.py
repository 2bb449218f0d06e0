"""The stem of one indexed or queried word, by the alphabet it is written in.

One analyzer serves every source, so a query finds its words in all languages: Latin
words get the English (Porter) stem as before, Cyrillic ones the Russian Snowball stem
that Whoosh ships (it has no Ukrainian one; the Russian rules fold many Ukrainian noun
and verb endings too). Deciding by word rather than by source keeps the index one field,
and stems a query's words the way the text's were. Part of the Whoosh boundary.
"""

from __future__ import annotations

from functools import cache

from whoosh.lang.porter import stem as _english


def stem(word: str) -> str:
    if any("\u0400" <= ch <= "\u04ff" for ch in word):
        return _russian()(word)
    return _english(word)


@cache
def _russian():  # type: ignore[no-untyped-def]
    from whoosh.lang.snowball.russian import RussianStemmer

    return RussianStemmer().stem

"""Facts a headline states ("Strike kills 12"), as facts of its source.

The headline is no passage: it stands above the first one (the reader shows it there).
Its facts are found by the passage rules run on the title text, and given to the
source's first passage with ``in_title`` set: their ``start``/``end`` index
``Source.title``, not the passage text, so code that slices a passage by a fact's offsets
never sees them (they are not in the per-passage fact store). A title that the article's
first passage already holds (a title taken from its first sentence) adds nothing: its
facts are that passage's.
"""

from __future__ import annotations

from dataclasses import replace

from .models import Fact, Passage, Source


def title_facts(source: Source, first: Passage | None) -> list[Fact]:
    """The facts of ``source``'s headline, attached to ``first`` (its first passage)."""
    title = source.title or ""
    if first is None or not title.strip() or title in first.text:
        return []
    from .facts import extract_facts

    head = Passage(first.id, source.id, 0, title, 0, len(title))
    return [replace(f, in_title=True) for f in extract_facts(head, source.date)]

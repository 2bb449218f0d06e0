"""``pipeline.run.parse_job`` for a saved web page, a PDF or a Word file.

The same contract: plain tuples (the cache rows of the source, its passages and facts,
the content hash and a note), or the reason the file is skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..corpus import FileEntry, content_hash, read_bytes
from ..errors import SkipFile
from ..models import Passage, Source


def parse_document(
    job: tuple[str, FileEntry, str, dict[str, Any]],
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]], str, str | None] | str:
    folder, entry, sid, overrides = job
    try:
        data = read_bytes(Path(folder), entry)
        from . import read_document
        from .layout import lay_out

        doc = read_document(entry.path, data)
        laid = lay_out(doc)
        if not laid.passages:
            raise SkipFile("no paragraphs of text")
    except SkipFile as err:
        return str(err)
    from ..facts import extract_article_facts
    from ..language import detect, english_rules_apply
    from .layout import metadata

    passages = [
        Passage(f"{sid}:{n}", sid, n, t, start, end, heading, page)
        for n, (t, start, end, heading, page) in enumerate(laid.passages, 1)
    ]
    values = metadata(doc, laid)  # the file's own metadata, overridden by sources.yaml
    if "language" not in overrides:
        values["language"] = detect(laid.text)
    values.update(overrides)
    if not values.get("title"):
        values["title"] = Path(entry.path).stem
    source = Source(id=sid, path=entry.path, passages=len(passages), **values)
    facts = []
    if english_rules_apply(source.language, laid.text):
        facts = extract_article_facts(passages, source.date)
    return (
        _row(source),
        [_row(p) for p in passages],
        [_row(f) for f in facts],
        content_hash(data),
        "; ".join(doc.notes) or None,
    )


def _row(obj: Any) -> tuple[Any, ...]:
    return tuple(getattr(obj, name) for name in obj.__slots__)

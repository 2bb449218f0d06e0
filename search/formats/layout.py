"""Turn a document's blocks into the cleaned article text and its passages.

The same steps as for text files, on blocks a format reader already separated: untrusted
text neutralised, furniture lines dropped, a sentence broken over two blocks (or two PDF
pages) rejoined, over-long blocks cut, offsets recorded. A passage keeps the page it
starts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ingest import _MAX_PASSAGE, _continues, _pieces, first_sentence, rules
from ..textsafe import neutralize, one_line
from .document import Block, Document
from .document import rules as format_rules

PassageRow = tuple[str, int, int, str | None, int | None]  # text, start, end, heading, page


@dataclass(slots=True)
class Laid:
    title: str | None = None
    text: str = ""
    passages: list[PassageRow] = field(default_factory=list)


def lay_out(doc: Document) -> Laid:
    blocks = _clean(doc.blocks)
    out = Laid(title=_meta(doc.title))
    # the title repeated as the first heading (a Word title, a PDF's first line) is not text
    if blocks and out.title and blocks[0].text.casefold() == out.title.casefold():
        blocks.pop(0)
    blocks = _rejoin(blocks)
    if out.title is None:
        if blocks and blocks[0].heading:
            out.title = blocks.pop(0).text
        else:
            out.title = next((first_sentence(b.text) for b in blocks if not b.heading), None)
    pieces: list[str] = []
    pos = 0
    heading: str | None = None
    for b in blocks:
        if pieces:
            pieces.append("\n\n")
            pos += 2
        if b.heading:
            heading = b.text
        else:
            out.passages.append((b.text, pos, pos + len(b.text), heading, b.page))
        pieces.append(b.text)
        pos += len(b.text)
    out.text = "".join(pieces)
    return out


def _meta(value: str | None, limit: int = 500) -> str | None:
    """A metadata value as one safe line, or None."""
    if value is None:
        return None
    return one_line(neutralize(value), limit) or None


def _clean(blocks: list[Block]) -> list[Block]:
    furniture = [re.compile(p, re.IGNORECASE) for p in format_rules()["furniture"]]
    boilerplate = rules().boilerplate
    out: list[Block] = []
    for b in blocks:
        text = " ".join(neutralize(b.text).split())
        if not text or any(p.fullmatch(text) for p in furniture):
            continue
        if not b.heading and any(p.search(text) for p in boilerplate):
            continue
        if len(text) > _MAX_PASSAGE:
            out.extend(Block(t, page=b.page) for t in _pieces(text))
        else:
            out.append(Block(text, b.heading, b.page))
    return out


def _rejoin(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.heading
            and not b.heading
            and len(prev.text) + len(b.text) < _MAX_PASSAGE
            and _continues(prev.text, b.text)
        ):
            out[-1] = Block(prev.text + " " + b.text, page=prev.page)
        else:
            out.append(b)
    return out


def metadata(doc: Document, laid: Laid) -> dict[str, str | None]:
    """The Source fields a file says about itself; the outlet from the URL's host when
    the page names no site. Nothing else is guessed."""
    from ..ingest import outlet_for_url

    url = _meta(doc.url, 2000)
    if url and not url.startswith(("http://", "https://")):
        url = None
    outlet = _meta(doc.outlet, 200) or (outlet_for_url(url) if url else None)
    return {
        "title": laid.title,
        "date": doc.date,
        "outlet": outlet,
        "url": url,
        "language": None,
        "author": _meta(doc.author, 200),
    }

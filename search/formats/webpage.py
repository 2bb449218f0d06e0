"""A saved news page: the article's paragraphs and metadata, not the page around it.

trafilatura (with htmldate for the date) finds the main text and reads the title, site
name, author, date and canonical URL from ``<meta>``, Open Graph and JSON-LD. Scripts,
navigation, comments and related links never reach its output; ``html_prune`` in
``data/formats.yaml`` removes the ad slots some pages put inside the article body.
"""

from __future__ import annotations

import logging
import re

from ..errors import SkipFile
from .document import Block, Document, rules

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_BLOCKS = ("head", "p", "item", "quote", "row")  # trafilatura's block elements


def _text(el) -> str:  # type: ignore[no-untyped-def]
    return " ".join("".join(el.itertext()).split())


def read(data: bytes) -> Document:
    for name in ("trafilatura", "htmldate", "courlan"):  # their notes would reach the terminal
        logging.getLogger(name).setLevel(logging.CRITICAL)
    import trafilatura
    from lxml import etree

    try:
        found = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_precision=True,
            prune_xpath=rules()["html_prune"],
            # the page's own dates only: no guessing from the text or the URL
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, etree.LxmlError, RecursionError) as err:
        raise SkipFile(f"cannot read the HTML page: {err}") from err
    if found is None or found.body is None:
        raise SkipFile("no article text found in the page (an index or a login page?)")
    blocks = []
    for el in found.body.iter(*_BLOCKS):
        if any(inner is not el for inner in el.iter(*_BLOCKS)):
            continue  # a list item or quote made of paragraphs: its paragraphs count
        if el.tag == "row":  # a table row: its cells on one line
            text = " · ".join(_text(cell) for cell in el.iter("cell") if _text(cell))
        else:
            text = _text(el)
        if text:
            blocks.append(Block(text, heading=el.tag == "head"))
    if not any(not b.heading for b in blocks):
        raise SkipFile("no article text found in the page (an index or a login page?)")
    date = found.date if found.date and _ISO.fullmatch(found.date) else None
    return Document(
        blocks=blocks,
        title=found.title or None,
        date=date,
        url=found.url or None,
        outlet=found.sitename or None,
        author=found.author or None,
    )

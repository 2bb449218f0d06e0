"""Paragraphs of a plain-text article (a ``.txt`` file), read without a Markdown parser.

A ``.txt`` file's characters are kept as written: "the ratio was 3*4*5" stays "3*4*5",
``**bold**`` and ``<b>`` stay, backslashes stay. Saved web pages written out as text do
follow a few conventions that PRODUCT.md lists, and these are read, each on its own
terms and never inside a sentence's characters:

* a line ``# Heading`` (one to six ``#`` then a space) is a heading;
* a link ``[text](target)`` whose target is a web address, a path or ``#`` is its text,
  and an autolink ``<https://…>`` its address (the ``Original url:`` footer uses them);
* a line wholly wrapped in emphasis (``*Reuters contributed reporting.*``,
  ``**Related article:** …`` as its first words) loses that wrapper, so the furniture
  rules see the words;
* a bold ``**Name / AGENCY**`` at the very end of a paragraph is a photo credit: cut off.

Everything else, ``*`` and ``_`` and ``<`` inside text included, is text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\((#[^\s()]*|https?://[^\s()]+|/[^\s()]*)\)")
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+)>")
_WRAPPED = re.compile(r"^(\*{1,2}|_{1,2})(?=\S)(.+?)(?<=\S)\1$")
_LEAD_LABEL = re.compile(r"^\*\*([^*\n]{1,40}:)\*\*(?=\s)")
_CREDIT = re.compile(r"\s*\*\*([^*\n]{2,90})\*\*\s*$")


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    level: int = 0  # a ``#`` heading's level, 0 for a paragraph


def plain_paragraphs(text: str, credit: re.Pattern[str]) -> Iterator[Paragraph]:
    """Paragraphs (blank-line separated) and heading lines; ``credit`` tells a trailing
    bold photo credit (``ingest.yaml``'s ``trailing_credit``)."""
    lines: list[str] = []
    for line in text.split("\n"):
        m = _HEADING.match(line)
        if m or not line.strip():
            if lines:
                yield _paragraph(lines, credit)
                lines = []
            if m:
                yield Paragraph(_links(m.group(2)), level=len(m.group(1)))
            continue
        lines.append(line)
    if lines:
        yield _paragraph(lines, credit)


def _paragraph(lines: list[str], credit: re.Pattern[str]) -> Paragraph:
    text = "\n".join(_line(ln) for ln in lines)
    m = _CREDIT.search(text)
    if m and m.start() > 0 and credit.fullmatch(" " + m.group(1)):
        text = text[: m.start()]
    return Paragraph(text)


def _line(line: str) -> str:
    line = _links(line.strip())
    m = _WRAPPED.match(line)
    if m and "*" not in m.group(2) and "_" not in m.group(2)[:1] + m.group(2)[-1:]:
        return m.group(2)
    return _LEAD_LABEL.sub(r"\1", line)


def _links(text: str) -> str:
    return _AUTOLINK.sub(r"\1", _LINK.sub(r"\1", text))

"""Turn one article's raw text into metadata and clean passages.

Real files are saved web pages: a ``date YYYY-MM-DD`` prefix glued to the title, Markdown
headings, bold captions, ``[text](url)`` links, an ``Original url:`` footer, sentences broken
over two paragraphs, paragraphs separated by single line breaks. In a ``.md`` file
markdown-it-py parses the Markdown (links, emphasis, escapes, autolinks). A ``.txt`` file is
plain text: its characters stay as written ("3*4*5", ``**bold**``, ``<b>``), and only the
whole-line and link conventions of saved pages are read (see ``plaintext``). The rules here
decide what is a title, a heading, furniture or a passage. Nothing is invented: an unknown
date stays ``None``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .plaintext import plain_paragraphs
from .rules import load_rules
from .textsafe import neutralize

_TERMINAL = tuple('.!?…"”’»)]')
_JOINERS = tuple(",;:–—-")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’»)]*\s+(?=[\"“«(]?[A-Z0-9])")
_WRAP_WIDTH = 100  # lines no longer than this, all of them, look hard-wrapped
# A paragraph longer than this (a page saved without line breaks, a 200k-character line) is
# cut into passages of about _PIECE characters at sentence ends, else at spaces: one
# screen-sized passage is what the reader, the facts and the related links work on.
_MAX_PASSAGE = 4000
_PIECE = 1500


@dataclass(frozen=True, slots=True)
class Block:
    """A heading or a paragraph of cleaned text."""

    text: str
    heading: bool = False
    level: int = 0  # Markdown heading level, 0 for a heading-like plain line
    item: str = ""  # "list" for a list item, "quote" for a block quote (Markdown)


@dataclass(slots=True)
class Article:
    """What one file says about itself, and its passages as (text, start, end, heading)."""

    title: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None
    text: str = ""
    passages: list[tuple[str, int, int, str | None]] = field(default_factory=list)
    glued: str = ""  # what followed a date prefix on the first line (a title, often)


@dataclass(frozen=True, slots=True)
class Rules:
    date_prefix: re.Pattern[str]
    url_footer: re.Pattern[str]
    boilerplate: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]
    trailing_credit: re.Pattern[str]
    bare_date: tuple[re.Pattern[str], ...]
    outlets: dict[str, str]


@cache
def rules() -> Rules:
    """The ingestion rules from ``data/ingest.yaml`` (data, not code)."""
    raw = load_rules("ingest")

    def many(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in raw[key])

    return Rules(
        date_prefix=re.compile(raw["date_prefix"], re.IGNORECASE),
        url_footer=re.compile(raw["url_footer"], re.IGNORECASE),
        boilerplate=many("boilerplate"),
        caption=many("caption"),
        trailing_credit=re.compile(raw["trailing_credit"]),
        bare_date=many("bare_date"),
        outlets={k.lower(): v for k, v in raw["outlets"].items()},
    )


@cache
def _markdown() -> MarkdownIt:
    # Indented code blocks would swallow indented plain-text paragraphs: turn them off.
    return MarkdownIt("commonmark").disable("code")


def parse_article(raw: str, *, markdown: bool = True) -> Article:
    """Parse one article's text (already decoded) into metadata and passages: as Markdown,
    or with ``markdown=False`` as plain text (a ``.txt`` file: see ``plaintext``)."""
    r = rules()
    text = neutralize(raw)
    art = Article()
    lines = text.split("\n")
    lines = _take_date_prefix(lines, art, r)
    lines = _take_url_footer(lines, art, r)
    body = "\n".join(lines)
    blocks = _blocks(body) if markdown else _plain_blocks(body)
    blocks = _drop_furniture(blocks, art, r)
    blocks = _rejoin(blocks)
    blocks = _split_long(blocks)
    blocks = _mark_headings(blocks)
    _take_title(blocks, art)
    if art.url:
        art.outlet = outlet_for_url(art.url)
    _lay_out(blocks, art)
    return art


def outlet_for_url(url: str) -> str | None:
    """The outlet a URL belongs to: a known name, else the bare host name."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    known = rules().outlets
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = known.get(".".join(parts[i:]))
        if name:
            return name
    return host


def first_sentence(text: str, limit: int = 100) -> str:
    """The first sentence of ``text``, cut at a word boundary to ``limit`` characters.

    A headline's rule, not ``search.text.sentences``: it stops at the first sentence
    end before a capital, with no abbreviation list (titles made from it stay as they
    were)."""
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–—- ") + "…"


# --- steps -----------------------------------------------------------------------------


def _take_date_prefix(lines: list[str], art: Article, r: Rules) -> list[str]:
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        m = r.date_prefix.match(line)
        if m and (iso := _iso_date(m.group(1))):
            art.date = iso
            lines = lines.copy()
            lines[i] = line[m.end() :]
            art.glued = " ".join(lines[i].split())
        return lines
    return lines


def _take_url_footer(lines: list[str], art: Article, r: Rules) -> list[str]:
    for i in range(len(lines) - 1, -1, -1):
        m = r.url_footer.match(_strip_md_emphasis(lines[i]))
        if not m:
            continue
        url, drop = m.group(1), [i]
        if not url:
            for j in range(i + 1, len(lines)):
                if lines[j].strip():
                    url, drop = lines[j].strip(), [i, j]
                    break
        url = url.strip("<>()[] ")
        if url.startswith(("http://", "https://")):
            art.url = url
            return [line for k, line in enumerate(lines) if k not in drop]
    return lines


def _strip_md_emphasis(line: str) -> str:
    return line.replace("**", "").replace("__", "").strip().strip("*_").strip()


def _blocks(text: str) -> list[Block]:
    """Headings and paragraphs with Markdown syntax removed (link text kept)."""
    out: list[Block] = []
    tokens = _markdown().parse(text)
    inside: list[str] = []  # the list items and block quotes the token is in
    for i, tok in enumerate(tokens):
        if tok.type in ("list_item_open", "blockquote_open"):
            inside.append("list" if tok.type == "list_item_open" else "quote")
        elif tok.type in ("list_item_close", "blockquote_close") and inside:
            inside.pop()
        elif tok.type == "inline":
            parent = tokens[i - 1]
            plain = _inline_text(tok.children or [])
            if parent.type == "heading_open":
                out.append(Block(" ".join(plain.split()), heading=True, level=int(parent.tag[1])))
            else:
                item = "list" if "list" in inside else inside[-1] if inside else ""
                out.extend(Block(p, item=item) for p in _split_lines(plain))
        elif tok.type in ("fence", "code_block"):
            out.extend(Block(p) for p in _split_lines(tok.content))
        elif tok.type == "html_block":
            stripped = re.sub(r"<[^>]*>", " ", tok.content)
            out.extend(Block(p) for p in _split_lines(stripped))
    return [b for b in out if b.text.strip()]


def _plain_blocks(text: str) -> list[Block]:
    """Headings and paragraphs of a plain-text file (see ``plaintext``)."""
    out: list[Block] = []
    for para in plain_paragraphs(text, rules().trailing_credit):
        if para.level:
            out.append(Block(" ".join(para.text.split()), heading=True, level=para.level))
        else:
            out.extend(Block(p) for p in _split_lines(para.text))
    return [b for b in out if b.text.strip()]


def is_markdown(path: str) -> bool:
    """Only ``.md`` / ``.markdown`` files are parsed as Markdown."""
    return path.lower().endswith((".md", ".markdown"))


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "strong_open" and _is_trailing_credit(children, child):
            break
    return "".join(parts)


def _is_trailing_credit(children: list[Token], opener: Token) -> bool:
    """A bold ``Name / AGENCY`` at the very end of a paragraph is a photo credit."""
    idx = children.index(opener)
    rest = [c for c in children[idx + 1 :] if c.type != "text" or c.content.strip()]
    if len(rest) != 2 or rest[0].type != "text" or rest[1].type != "strong_close":
        return False
    return bool(rules().trailing_credit.fullmatch(" " + rest[0].content)) and idx > 0


def _split_lines(text: str) -> list[str]:
    """Decide whether single line breaks are soft wraps or paragraph breaks.

    Hard-wrapped prose has every line short and the inner lines of similar length; saved
    web pages put one paragraph per line."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) <= 1:
        return [" ".join(lines[0].split())] if lines else []
    wrapped = all(len(ln) <= _WRAP_WIDTH for ln in lines) and all(
        len(ln) >= 40 and not _looks_like_heading(ln) for ln in lines[:-1]
    )
    if wrapped:
        return [" ".join(" ".join(lines).split())]
    return [" ".join(ln.split()) for ln in lines]


def _drop_furniture(blocks: list[Block], art: Article, r: Rules) -> list[Block]:
    kept: list[Block] = []
    for b in blocks:
        t = b.text.strip()
        if not b.heading and any(p.search(t) for p in r.boilerplate):
            continue
        if any(p.fullmatch(t) for p in r.bare_date):
            if art.date is None:
                art.date = _parse_loose_date(t)
            continue
        if not b.heading and len(t) <= 160 and any(p.search(t) for p in r.caption):
            continue
        kept.append(Block(t, b.heading, b.level, b.item))
    return kept


def _rejoin(blocks: list[Block]) -> list[Block]:
    """Rejoin a sentence that a page broke over two paragraphs."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        # a list item is a claim of its own: never joined to what is around it; a block
        # quote only to a lead-in ending with a colon (Medinsky said: > "…")
        joinable = prev and not prev.heading and not b.heading
        if joinable and (prev.item == "list" or b.item == "list"):
            joinable = False
        if joinable and (prev.item == "quote" or b.item == "quote"):
            joinable = prev.item != "quote" and prev.text.endswith(_JOINERS)
        if joinable and _continues(prev.text, b.text):
            out[-1] = Block(prev.text + " " + b.text, item=b.item)
        else:
            out.append(b)
    return out


def _split_long(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for b in blocks:
        if len(b.text) <= _MAX_PASSAGE:
            out.append(b)
        else:  # (a "heading" this long is not one either)
            out.extend(Block(t, item=b.item) for t in _pieces(b.text))
    return out


def _pieces(text: str) -> list[str]:
    """Cut ``text`` into pieces of about ``_PIECE`` characters (at most ``_MAX_PASSAGE``):
    after a sentence end where there is one, else at a space, else anywhere."""
    pieces: list[str] = []
    rest = text
    while len(rest) > _MAX_PASSAGE:
        window = rest[:_MAX_PASSAGE]
        cut = 0
        for m in _SENTENCE_END.finditer(window, _PIECE // 2):
            cut = m.start()
            if cut >= _PIECE:
                break
        if not cut:
            cut = window.rfind(" ", _PIECE // 2, _PIECE * 2)
        if cut <= 0:
            cut = _PIECE
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].lstrip()
    if rest.strip():
        pieces.append(rest.strip())
    return [p for p in pieces if p]


def _continues(prev: str, nxt: str) -> bool:
    if prev.endswith(_TERMINAL):
        return False
    first = nxt.lstrip()[:1]
    if prev.endswith(_JOINERS):
        return True
    return first.islower()


def _looks_like_heading(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 12
        and len(text) <= 90
        and not text.endswith(_TERMINAL + _JOINERS)
        and not text[:1].islower()
    )


def _mark_headings(blocks: list[Block]) -> list[Block]:
    """A short line without closing punctuation, followed by more text, is a heading."""
    out = []
    for i, b in enumerate(blocks):
        is_last = i == len(blocks) - 1
        if not b.heading and not b.item and not is_last and _looks_like_heading(b.text):
            out.append(Block(b.text, heading=True, level=0))
        else:
            out.append(b)
    return out


def _take_title(blocks: list[Block], art: Article) -> None:
    """Title: what a date prefix was glued to, when it reads as a heading; else a level-1
    heading, else a heading-like first block, else the first sentence."""
    if blocks and art.glued and blocks[0].heading and blocks[0].text == art.glued:
        art.title = blocks.pop(0).text
        return
    for i, b in enumerate(blocks):
        if b.heading and b.level == 1:
            art.title = b.text
            del blocks[i]
            return
    if blocks and blocks[0].heading:
        art.title = blocks.pop(0).text
        return
    for b in blocks:
        if not b.heading:
            # stored whole (the UI cuts it where it draws it); a passage's size at most
            art.title = first_sentence(b.text, limit=_MAX_PASSAGE)
            return


def _lay_out(blocks: list[Block], art: Article) -> None:
    """Join blocks into the cleaned article text and record passage offsets."""
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
            art.passages.append((b.text, pos, pos + len(b.text), heading))
        pieces.append(b.text)
        pos += len(b.text)
    art.text = "".join(pieces)


def _iso_date(text: str) -> str | None:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _parse_loose_date(text: str) -> str | None:
    from dateutil import parser as dateparser

    try:
        return dateparser.parse(text, fuzzy=True).date().isoformat()
    except (ValueError, OverflowError):
        return None

"""Untrusted text → Textual ``Content``, styled by character spans, never by markup.

Article text may contain ``[bold]`` or ``[/]``: it is data. We build ``Content(text)`` and
``stylize`` spans that come from the engine, with theme variables so themes apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content

HIT_STYLE = "bold $accent"
Span = tuple[int, int]


def highlighted(text: str, spans: Iterable[Span] = (), style: str = HIT_STYLE) -> Content:
    """``text`` as literal content with ``spans`` styled."""
    content = Content(text)
    for start, end in spans:
        content = content.stylize(style, start, end)
    return content


def snippet(text: str, spans: Sequence[Span], width: int = 180) -> tuple[str, list[Span]]:
    """A window of ``text`` around its first span, with spans shifted into it."""
    if len(text) <= width:
        return text, list(spans)
    first = min((s for s, _ in spans), default=0)
    start = max(0, min(first - width // 4, len(text) - width))
    if start:
        # start at a word boundary
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    kept = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return prefix + text[start:end] + suffix, kept


def plain_label(text: str, limit: int = 60) -> str:
    """One line, cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def count(n: int, word: str, plural: str | None = None) -> str:
    """ "1 hit", "2 hits": a number with its noun in the right number."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"

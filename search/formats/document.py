"""What a format reader returns (a file's text blocks and its own metadata) and the
format rules; the readers and the package's dispatch both import it from here."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..rules import load_rules


@dataclass(frozen=True, slots=True)
class Block:
    """A heading or a paragraph, with the PDF page it starts on."""

    text: str
    heading: bool = False
    page: int | None = None


@dataclass(slots=True)
class Document:
    """What a file says about itself (None where it does not say) and its text blocks."""

    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    notes: list[str] = field(default_factory=list)  # caveats shown to the user


@cache
def rules() -> dict[str, Any]:
    """The format rules from ``data/formats.yaml`` (data, not code)."""
    return load_rules("formats")

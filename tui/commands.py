"""Command palette provider for opening sources.

Source names and titles come from article files, so they never reach the palette as
markup (Textual's SystemCommand titles and all help texts are parsed as markup). The
provider only posts ``OpenSource``; the app decides what opening means."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.message import Message

from search.models import Source
from search.textsafe import visible

HELP = "Open this source in the reader"


class OpenSource(Message):
    """The palette chose a source to read."""

    def __init__(self, source_id: str) -> None:
        super().__init__()
        self.source_id = source_id


class _HasSources(Protocol):
    def palette_sources(self) -> Mapping[str, Source]: ...


class SourceCommands(Provider):
    """``Open: <outlet or title>`` for every source of the corpus."""

    def _entries(self) -> list[tuple[str, str]]:
        app: _HasSources = self.app  # type: ignore[assignment]
        from .widgets.sources import source_name

        return [
            (sid, "Open: " + visible(source_name(src))[:120])
            for sid, src in app.palette_sources().items()
        ]

    def _open(self, source_id: str) -> None:
        self.app.post_message(OpenSource(source_id))

    async def discover(self) -> Hits:
        for sid, title in self._entries():
            yield DiscoveryHit(Content(title), partial(self._open, sid), text=title, help=HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for sid, title in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, Content(title), partial(self._open, sid), text=title, help=HELP)

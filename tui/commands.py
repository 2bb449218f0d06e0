"""Command palette provider for opening sources.

Source names and titles come from article files, so they never reach the palette as
markup (Textual's SystemCommand titles and all help texts are parsed as markup)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from search.textsafe import visible

if TYPE_CHECKING:
    from .app import TalksApp

HELP = "Open this source in the reader"


class SourceCommands(Provider):
    """``Open: <outlet or title>`` for every source of the corpus."""

    def _entries(self) -> list[tuple[str, str]]:
        app: TalksApp = self.app  # type: ignore[assignment]
        if app.ws is None:
            return []
        from .widgets.sources import source_name

        return [
            (sid, "Open: " + visible(source_name(src))[:120]) for sid, src in app.ws.sources.items()
        ]

    def _open(self, source_id: str) -> None:
        app: TalksApp = self.app  # type: ignore[assignment]
        app.open_source(source_id)

    async def discover(self) -> Hits:
        for sid, title in self._entries():
            yield DiscoveryHit(Content(title), partial(self._open, sid), text=title, help=HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for sid, title in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, Content(title), partial(self._open, sid), text=title, help=HELP)

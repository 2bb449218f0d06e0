"""Palette commands of the notebook: the timeline, the entities, each saved search
(``Search: NAME``) and each tag (``Filter sources by tag: NAME``).

Names come from the user's store and may hold anything: they reach the palette as
``Content``, never as markup."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from search.errors import TalksError
from search.textsafe import visible


class NotebookCommands(Provider):
    def _entries(self) -> list[tuple[str, str, Callable[[], object]]]:
        main = getattr(self.app, "_main", None)
        ws = main.ws if main is not None else None
        if ws is None:
            return []
        out: list[tuple[str, str, Callable[[], object]]] = [
            ("Timeline", "Every dated fact across sources, in date order", main.action_timeline),
            (
                "People, places and organisations",
                "Each name with its mentions per source and the sources that never name it",
                main.action_entities,
            ),
        ]
        try:
            saved = ws.saved_searches()
            tags = ws.tag_names()
        except TalksError:
            return out
        for s in saved:
            out.append(
                (
                    "Search: " + visible(s.name)[:80],
                    "Run this saved search",
                    partial(main.run_saved, s.name),
                )
            )
        for name in tags:
            if not any(c.isspace() or c in '()"' for c in name):
                query = f"tag:{name}"
            elif '"' not in name:
                query = f'tag:"{name}"'
            else:  # the query language cannot name it: the CLI and export still can
                continue
            out.append(
                (
                    "Filter sources by tag: " + visible(name)[:80],
                    "Search the passages tagged so: hits per source in Sources",
                    partial(main.run_query, query),
                )
            )
        return out

    async def discover(self) -> Hits:
        for title, help_text, run in self._entries():
            yield DiscoveryHit(Content(title), run, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, Content(title), run, text=title, help=help_text)

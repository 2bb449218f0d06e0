"""The key footer: Textual's, without holding on to what it and closed screens drew.

Two leaks of the pinned Textual, both open upstream (textual#6665, #6666), kept every
widget's rendered lines alive after the widget was gone. The footer recomposes on every
change of the active bindings (a focus move, a screen opened or closed), which is when it
lets go; the reach-ins themselves are in ``tui/reach.py``.
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter

from ..reach import drop_stale_watchers, release_style_caches


class Footer(TextualFooter):
    """Textual's ``Footer``, letting go of the keys it replaces (textual#6666)."""

    async def recompose(self) -> None:
        await super().recompose()
        self.drop_stale_watchers()
        release_style_caches()

    def drop_stale_watchers(self) -> None:
        """Forget the watchers of widgets that have been removed."""
        drop_stale_watchers(self)

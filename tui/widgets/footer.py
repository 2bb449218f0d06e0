"""The key footer: Textual's, without holding on to what it and closed screens drew.

Two leaks of the pinned Textual (8.2.8), both open upstream, kept every widget's
rendered lines alive after the widget was gone: +2.7 MB per compare view opened and
closed, without limit, on the bundled corpus. The footer recomposes on every change of
the active bindings (a focus move, a screen opened or closed), which is when it lets go.
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter

try:  # a private module of Textual: a later release may move it (then nothing is cleared)
    from textual._styles_cache import StylesCache
except ImportError:  # pragma: no cover - not in the pinned version
    StylesCache = None  # type: ignore[assignment,misc]


def release_style_caches() -> None:
    """Forget the cached inner/outer colours of every widget (textual#6665).

    ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its 1,024 entries
    pin the ``StylesCache`` of removed widgets, and with it all their rendered lines.
    The colours are recomputed on the next paint (a few colour blends)."""
    method = getattr(StylesCache, "get_inner_outer", None)
    clear = getattr(method, "cache_clear", None)
    if clear is not None:  # a later Textual may not cache it this way
        clear()


class Footer(TextualFooter):
    """Textual's ``Footer``, letting go of the keys it replaces (textual#6666).

    Every bindings change makes the footer compose new ``FooterKey`` widgets, bound to its
    ``compact`` reactive with ``data_bind``; the binding's watcher stays on the footer
    after the key is removed, so every key ever shown stayed alive (383 keys for 9 shown
    after a dozen focus moves and compare views)."""

    async def recompose(self) -> None:
        await super().recompose()
        self.drop_stale_watchers()
        release_style_caches()

    def drop_stale_watchers(self) -> None:
        """Forget the watchers of widgets that have been removed."""
        watchers = getattr(self, "__watchers", None)  # where textual.reactive keeps them
        if not isinstance(watchers, dict):
            return
        for entries in watchers.values():
            entries[:] = [
                (node, callback)
                for node, callback in entries
                if not getattr(node, "_closing", False) and not getattr(node, "_closed", False)
            ]

"""The key footer: Textual's, without the leak of one set of keys per bindings change."""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Textual's ``Footer``, letting go of the keys it replaces.

    Every change of the active bindings (each focus move, each screen) makes the footer
    compose new ``FooterKey`` widgets, bound to its ``compact`` reactive with
    ``data_bind``. The binding's watcher stays on the footer after the key is removed
    (textual#6666, open in the pinned 8.2.8), so every key ever shown stayed alive with
    its rendered lines: +30 MB after ten compare views at 100k passages. Watchers of
    removed keys are dropped after each recompose."""

    async def recompose(self) -> None:
        await super().recompose()
        self.drop_stale_watchers()

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

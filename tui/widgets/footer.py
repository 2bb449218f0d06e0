"""The key footer: Textual's, fitted to the width, without holding on to what it drew.

The footer shows the keys that fit, in their order, ``?`` first: below ``ROOMY`` columns
the keys are drawn compact and the palette's key gives way, and if they still do not fit
the keys in ``GIVE_WAY`` leave the footer one by one (they still work; help lists them).
Which keys apply at all (``n`` with a search, ``f`` while the facts pane is hidden) is the
screen's ``check_action`` (:func:`footer_offers`); a resize across a breakpoint asks again.

Two leaks of the pinned Textual, both open upstream (textual#6665, #6666), kept every
widget's rendered lines alive after the widget was gone. The footer recomposes on every
change of the active bindings (a focus move, a screen opened or closed), which is when it
lets go; the reach-ins themselves are in ``tui/reach.py``.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter

from ..reach import drop_stale_watchers, footer_bindings_ready, release_style_caches

ROOMY = 110  # columns from which keys get their padding and the palette key shows
# The keys that leave a footer too narrow for all, first to last.
GIVE_WAY = (
    "annotate",
    "tag",
    "claim_map",
    "next_related",
    "previous_hit",
    "compare",
    "toggle_facts",
    "export",
    "toggle_select",
)


class Footer(TextualFooter):
    """Textual's ``Footer``, fitted to the width, letting go of the keys it replaces."""

    _roomy: bool | None = None
    _drawn: tuple[object, ...] | None = None  # what the keys on screen were drawn from

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = [w for w in widgets if _action(w) and not w.has_class("-command-palette")]
        width = self.size.width or self.app.size.width
        dropped: set[str] = set()
        for action in (None, *GIVE_WAY):
            if action is not None:
                dropped.add(action)
            if _width([k for k in keys if _action(k) not in dropped], self.compact) <= width:
                break
        yield from (w for w in widgets if _action(w) not in dropped)

    async def recompose(self) -> None:
        drawn = self._keys_to_draw()
        if drawn is not None and drawn == self._drawn and self.children:
            # the same keys again (one focus move changes the bindings several times):
            # remounting them would draw the same footer
            release_style_caches()
            return
        await super().recompose()
        self._drawn = drawn
        self.drop_stale_watchers()
        release_style_caches()

    def _keys_to_draw(self) -> tuple[object, ...] | None:
        """All that ``compose`` draws from: the bindings shown, the style and the width."""
        if not footer_bindings_ready(self) or not self.is_attached:
            return None
        active = self.screen.active_bindings
        keys = tuple(
            (binding, self.app.get_key_display(binding), enabled, tooltip)
            for _node, binding, enabled, tooltip in active.values()
        )
        width = self.size.width or self.app.size.width
        return keys, self.compact, self.show_command_palette, width

    def on_resize(self, event: events.Resize) -> None:
        roomy = event.size.width >= ROOMY
        if roomy != self._roomy:
            self._roomy = roomy
            self.compact = not roomy
            self.show_command_palette = roomy
            self.screen.refresh_bindings()  # which keys apply depends on the size
        else:
            self.call_after_refresh(self.recompose)  # which keys fit

    def drop_stale_watchers(self) -> None:
        """Forget the watchers of widgets that have been removed."""
        drop_stale_watchers(self)


def _action(widget: Widget) -> str | None:
    action = getattr(widget, "action", None)
    return action if isinstance(action, str) else None


def _width(keys: list[Widget], compact: bool) -> int:
    """Cells the keys take: "key description" one apart (compact), else padded and the
    palette key at the right."""
    pad = 2 if compact else 3
    cells = sum(
        len(str(getattr(k, "key_display", ""))) + len(str(getattr(k, "description", ""))) + pad
        for k in keys
    )
    return cells - 1 if compact else cells + 14


def footer_offers(screen: Widget, action: str) -> bool:
    """Whether a main screen ``action`` applies now (False hides its key and binding): the
    hit keys once there is a search, ``f`` while the facts pane is hidden (below the wide
    breakpoint)."""
    if action in ("next_hit", "previous_hit"):
        return getattr(screen, "result", None) is not None
    if action == "toggle_facts":
        return not screen.has_class("-wide")
    return True

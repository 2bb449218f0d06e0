"""Every reach into Textual's private parts, in one place and guarded by its version.

Each helper does the fast or leak-free thing on the Textual version it was written
against (``PINNED``) and the plain public thing on any other, so an upgrade can only
cost speed or memory, never correctness.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

PINNED = "8.2.8"


def _textual_version() -> str | None:
    try:
        return version("textual")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return None


PRIVATE_OK = _textual_version() == PINNED


def apply_theme_before_css(app: Any, theme_reactive: Any, name: str) -> None:
    """What ``App._watch_theme`` does, minus reparsing and reapplying every stylesheet.

    Only before the first CSS parse (on load). Setting ``app.theme`` there queues
    ``refresh_css``: a second parse of all the CSS and a restyle of every widget, which
    the first parse, with these variables, makes unnecessary. On another Textual version
    it sets ``app.theme`` (correct, one extra restyle)."""
    if not PRIVATE_OK:
        app.theme = name
        return
    app.set_reactive(theme_reactive, name)
    dark = app.current_theme.dark
    app.update_classes(
        {
            **{c: False for c in app.classes if c.startswith("-theme-")},
            f"-theme-{name}": True,
            "-dark-mode": dark,
            "-light-mode": not dark,
        },
        update=False,
    )
    app._refresh_truecolor_filter(app.ansi_theme)
    app.stylesheet.set_variables(app.get_css_variables())


def release_style_caches() -> None:
    """Forget the cached inner/outer colours of every widget (textual#6665).

    ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its entries pin
    the ``StylesCache`` of removed widgets, and with it all their rendered lines. The
    colours are recomputed on the next paint."""
    if not PRIVATE_OK:
        return
    try:
        from textual._styles_cache import StylesCache
    except ImportError:  # pragma: no cover
        return
    clear = getattr(getattr(StylesCache, "get_inner_outer", None), "cache_clear", None)
    if clear is not None:
        clear()


def drop_stale_watchers(node: Any) -> None:
    """Forget the reactive watchers ``node`` keeps for widgets that have been removed
    (textual#6666: every footer key ever shown stayed alive through them)."""
    if not PRIVATE_OK:
        return
    watchers = getattr(node, "__watchers", None)  # where textual.reactive keeps them
    if not isinstance(watchers, dict):
        return
    for entries in watchers.values():
        entries[:] = [
            (widget, callback)
            for widget, callback in entries
            if not getattr(widget, "_closing", False) and not getattr(widget, "_closed", False)
        ]


def footer_bindings_ready(footer: Any) -> bool:
    """Has Textual's ``Footer`` got its bindings (its private ``_bindings_ready``)? On
    another version: False, so the footer recomposes every time, as Textual's own does."""
    return PRIVATE_OK and bool(getattr(footer, "_bindings_ready", False))

"""WCAG contrast of the text and background pairs the app draws, from a theme's colours.

The pairs name what the user reads (body text, search hits, hits on the cursor passage,
the selection mark, pane titles with and without focus, the footer), each as the theme
variables the widgets' CSS uses, so a theme is checked as it will be painted. A theme
whose pair falls below :data:`MINIMUM` gets a warning naming the pair (tui/themes.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.color import Color
from textual.theme import Theme

MINIMUM = 4.5  # WCAG AA for body text
# The hit and selection styles the widgets use (tui/render.py, tui/widgets/reader.py).
HIT = "accent"
CURSOR_HIT = "accent"  # hits keep the accent on the cursor: the cursor band must allow it
SELECTED = "success"


@dataclass(frozen=True)
class Pair:
    """One thing drawn: ``text`` over ``background`` (theme variable names)."""

    label: str
    text: str
    background: str


# A background "a/b" is a drawn over b (over the screen's background); a leading "~" adds
# the focused lists' tint ($foreground 5%, OptionList:focus) over the whole stack.
PAIRS: tuple[Pair, ...] = (
    Pair("body text", "foreground", "surface"),
    Pair("body text (focused pane)", "foreground", "~surface"),
    Pair("muted text (dates, ¶ numbers)", "text-muted", "surface"),
    Pair("muted text on the cursor", "text-muted", "~block-cursor-background/surface"),
    Pair("search hits", HIT, "surface"),
    Pair("search hits (focused pane)", HIT, "~surface"),
    Pair("cursor passage", "block-cursor-foreground", "~block-cursor-background/surface"),
    Pair("hits on the cursor", CURSOR_HIT, "~block-cursor-background/surface"),
    Pair(
        "cursor passage (pane without focus)",
        "foreground",
        "block-cursor-blurred-background/surface",
    ),
    Pair(
        "hits on the cursor (pane without focus)",
        HIT,
        "block-cursor-blurred-background/surface",
    ),
    Pair("selected passages' mark", SELECTED, "surface"),
    Pair("selected mark on the cursor", SELECTED, "~block-cursor-background/surface"),
    Pair("pane titles without focus", "secondary", "surface"),
    Pair("pane titles without focus (on the screen)", "secondary", "background"),
    Pair("pane titles with focus", "accent", "surface"),
    Pair("pane titles with focus (on the screen)", "accent", "background"),
    Pair("the compared passage's title (compare view)", "primary", "surface"),
    Pair("footer keys", "footer-key-foreground", "footer-background/background"),
    Pair("footer descriptions", "footer-description-foreground", "footer-background/background"),
)


def luminance(colour: Color) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _parse(value: str, under: Color) -> Color:
    """A generated variable's value (``#rgb``, ``#rrggbbaa``, ``auto 87%``, ``x 30%``) as
    the opaque colour it paints over ``under``."""
    text = value.strip()
    alpha = 1.0
    if text.endswith("%") and " " in text:
        text, percent = text.rsplit(" ", 1)
        alpha = float(percent[:-1]) / 100
    if text == "auto":
        colour = under.get_contrast_text(alpha)
    elif text in ("transparent", "ansi_default"):
        return under
    else:
        colour = Color.parse(text).multiply_alpha(alpha)
    return under + colour


def _background(spec: str, colours: Mapping[str, str]) -> Color:
    """A background spec of :class:`Pair` (layers ``a/b``, ``~`` for the focus tint)."""
    base = Color.parse(colours["background"])
    for layer in reversed(spec.lstrip("~").split("/")):
        base = _parse(colours[layer], base)
    if spec.startswith("~"):
        base = base.tint(_parse(colours["foreground"], base).with_alpha(0.05))
    return base


def measure(colours: Mapping[str, str]) -> list[tuple[Pair, float]]:
    """Each pair's contrast, from a theme's generated variables."""
    found = []
    for pair in PAIRS:
        background = _background(pair.background, colours)
        text = _parse(colours[pair.text], background)
        found.append((pair, ratio(text, background)))
    return found


def failing(theme: Theme | Mapping[str, str], minimum: float = MINIMUM) -> list[str]:
    """One line per pair below ``minimum``, naming it and its ratio; ``theme`` is a Theme
    or the variables it generates."""
    colours = theme.to_color_system().generate() if isinstance(theme, Theme) else theme
    return [
        f"{pair.label} ({pair.text} on {pair.background.replace('~', '')}) "
        f"is {value:.1f}:1, below {minimum}:1"
        for pair, value in measure(colours)
        if value < minimum
    ]

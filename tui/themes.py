"""Themes as YAML files: the bundled ones, then the user's (which win on a name clash).

Theme files are untrusted: each colour is checked with ``Color.parse`` at load time so a
typo is reported once, naming the file, instead of failing later when the theme is
applied. A bad file is skipped; the other themes still load.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import platformdirs
import yaml
from textual.color import Color, ColorParseError
from textual.css.stylesheet import Stylesheet
from textual.theme import Theme

from search.textsafe import one_line
from tui.contrast import failing
from tui.paths import bundled

APP_NAME = "talks-tui"
MAX_THEME_BYTES = 256_000
COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
    "boost",
)
NUMBER_KEYS = ("luminosity_spread", "text_alpha")  # optional fine-tuning, 0..1
KNOWN_KEYS = frozenset(("name", "dark", "variables", *COLOUR_KEYS, *NUMBER_KEYS))
# Names appear in the command palette and the config file: keep them plain.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_VARIABLE = re.compile(r"[a-z][a-z0-9-]{0,63}")


class ThemeFileError(ValueError):
    """One problem with one theme file; the message says what."""


def theme_dirs() -> list[Path]:
    """Bundled themes first, then ``<user config dir>/talks-tui/themes`` (later wins)."""
    return [bundled("themes"), platformdirs.user_config_path(APP_NAME) / "themes"]


def load_themes(dirs: Sequence[Path] | None = None) -> tuple[list[Theme], list[str]]:
    """Every valid theme in ``dirs`` (default: :func:`theme_dirs`), plus one warning per bad file.

    A later file with the same theme name replaces an earlier one, so user themes override
    bundled ones. The list keeps first-seen order, so bundled themes stay first.
    """
    themes: dict[str, Theme] = {}
    origin: dict[str, tuple[int, Path]] = {}
    warnings: list[str] = []
    for index, folder in enumerate(theme_dirs() if dirs is None else dirs):
        for path in _theme_files(folder, warnings):
            try:
                theme, notes = _load_theme_file(path)
            except ThemeFileError as exc:
                warnings.append(f"theme file {_label(path)} skipped: {exc}")
                continue
            warnings.extend(f"theme file {_label(path)}: {note}" for note in notes)
            previous = origin.get(theme.name)
            if previous is not None and previous[0] == index:
                warnings.append(
                    f"theme file {_label(path)}: theme '{theme.name}' is also defined in "
                    f"{_label(previous[1])}; using {path.name}"
                )
            themes[theme.name] = theme
            origin[theme.name] = (index, path)
    return list(themes.values()), warnings


def _label(path: Path) -> str:
    """A file name safe for messages."""
    return one_line(str(path), limit=300)


def _theme_files(folder: Path, warnings: list[str]) -> list[Path]:
    """The ``*.yaml`` / ``*.yml`` files in ``folder``, sorted; a missing folder is fine."""
    try:
        if not folder.is_dir():
            return []
        return sorted(
            p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file()
        )
    except OSError as exc:
        warnings.append(f"themes folder {_label(folder)}: cannot list ({one_line(str(exc))})")
        return []


def _load_theme_file(path: Path) -> tuple[Theme, list[str]]:
    """Parse and validate one file; raises ThemeFileError with a one-line reason."""
    try:
        if path.stat().st_size > MAX_THEME_BYTES:
            raise ThemeFileError("file is too large for a theme")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ThemeFileError("not UTF-8 text") from exc
    except OSError as exc:
        raise ThemeFileError(f"cannot read ({one_line(exc.strerror or str(exc))})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        what = one_line(str(getattr(exc, "problem", None) or "syntax error"))
        raise ThemeFileError(f"{where}invalid YAML ({what})") from exc
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. a date like 2025-13-45
        raise ThemeFileError(f"invalid value ({one_line(str(exc), 120)})") from exc
    return theme_from_mapping(data)


def theme_from_mapping(data: Any) -> tuple[Theme, list[str]]:
    """Build a Theme from parsed YAML; returns the theme and non-fatal notes."""
    if not isinstance(data, dict):
        raise ThemeFileError(f"expected a mapping of theme settings, got {type(data).__name__}")
    notes: list[str] = []
    unknown = sorted(one_line(repr(k), 40) for k in data if k not in KNOWN_KEYS)
    if unknown:
        notes.append(f"unknown keys ignored: {', '.join(unknown)}")

    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError("missing 'name'")
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise ThemeFileError(
            f"bad name {one_line(repr(name), 40)}: use letters, digits, '.', '_' or '-'"
        )

    kwargs: dict[str, Any] = {"name": name}
    if data.get("primary") is None:
        raise ThemeFileError("missing 'primary' colour (quote colours: primary: \"#1f6feb\")")
    for key in COLOUR_KEYS:
        if key in data:
            kwargs[key] = _colour(key, data[key])

    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeFileError(f"'dark' must be true or false, not {one_line(repr(dark), 40)}")
    kwargs["dark"] = dark

    for key in NUMBER_KEYS:
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ThemeFileError(f"'{key}' must be a number between 0 and 1")
            if not 0 <= value <= 1:
                raise ThemeFileError(f"'{key}' must be between 0 and 1, not {value}")
            kwargs[key] = float(value)

    kwargs["variables"] = _variables(data.get("variables"))
    theme = Theme(**kwargs)
    try:  # the same work Textual does when the theme is applied, so failures show now
        generated = theme.to_color_system().generate()
    except Exception as exc:  # any failure here means the theme is unusable
        raise ThemeFileError(f"Textual cannot use it ({one_line(str(exc), 120)})") from exc
    _check_variables(theme.variables, generated)
    hard = failing(generated)
    if hard:  # one note per theme: it still loads, the user decides
        notes.append("hard to read (WCAG contrast): " + "; ".join(hard))
    return theme, notes


def _check_variables(variables: dict[str, str], generated: dict[str, str]) -> None:
    """:func:`_check_variable` for each variable; the first bad one raises.

    Each check tokenizes every generated variable (~200): the common case, all valid and
    none referring to another (``$``), is checked in one stylesheet. Otherwise, or if that
    fails, one at a time as before, so the same variable is named."""
    if not variables:
        return
    if not any("$" in value for value in variables.values()):
        sheet = Stylesheet(variables={**generated, **variables})
        for name in variables:
            prop = "text-style" if name.endswith("-style") else "color"
            sheet.add_source(f"Widget {{ {prop}: ${name}; }}", read_from=("theme", name))
        try:
            sheet.parse()
        except Exception:  # noqa: BLE001 - find and name the bad one below
            pass
        else:
            return
    for key, value in variables.items():
        _check_variable(key, value, generated)


def _check_variable(name: str, value: str, generated: dict[str, str]) -> None:
    """Parse ``value`` as Textual CSS would, so a bad variable cannot crash the app later.

    Variables ending in ``-style`` are text styles (``bold``, ``b reverse``); all others are
    colours (``#81a1c1 35%``, ``auto 87%``, ``transparent``).
    """
    prop = "text-style" if name.endswith("-style") else "color"
    sheet = Stylesheet(variables={**generated, name: value})
    sheet.add_source(f"Widget {{ {prop}: ${name}; }}", read_from=("theme", name))
    try:
        sheet.parse()
    except Exception as exc:  # tokenizer and parser raise several types
        kind = "text style" if prop == "text-style" else "colour"
        raise ThemeFileError(
            f"variable '{name}' is not a valid {kind}: {one_line(repr(value), 40)}"
        ) from exc


def _colour(key: str, value: Any) -> str | None:
    """A colour string Textual accepts, or ThemeFileError naming the key."""
    if value is None:
        # `primary: #fff` unquoted is a YAML comment, i.e. null: say so.
        raise ThemeFileError(f"'{key}' has no value (quote colours: {key}: \"#rrggbb\")")
    if not isinstance(value, str):
        raise ThemeFileError(f"'{key}' must be a colour in quotes, not {type(value).__name__}")
    try:
        Color.parse(value.strip())
    except ColorParseError as exc:
        raise ThemeFileError(f"'{key}' is not a colour: {one_line(repr(value), 40)}") from exc
    return value.strip()


def _variables(value: Any) -> dict[str, str]:
    """``variables``: a mapping of CSS variable name → value (numbers become text)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ThemeFileError("'variables' must be a mapping of name: value")
    result: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not _VARIABLE.fullmatch(key):
            raise ThemeFileError(f"bad variable name {one_line(repr(key), 40)}")
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise ThemeFileError(f"variable '{key}' must be text or a number")
        text = str(item).strip()
        if not text or one_line(text) != text:
            raise ThemeFileError(f"variable '{key}' must be a non-empty single line")
        result[key] = text
    return result

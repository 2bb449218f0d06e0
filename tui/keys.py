"""Key bindings for people: what the help screen lists, and checking the user's keymap.

The keymap comes from the config file (untrusted), so every id and key is checked before
it reaches ``App.set_keymap``: Textual accepts any string as a key and would silently bind
nothing, leaving the user wondering why their key does not work.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.keys import (
    KEY_NAME_REPLACEMENTS,
    KEY_TO_UNICODE_NAME,
    REPLACED_KEYS,
    Keys,
    format_key,
)

from search.textsafe import one_line

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Named keys Textual can deliver: the Keys enum (without modifiers), symbol names, F-keys.
NAMED_KEYS = frozenset(
    {k.value.rpartition("+")[2] for k in Keys if not k.value.startswith("<")}
    | set(KEY_TO_UNICODE_NAME)
    | set(REPLACED_KEYS)
    | set(KEY_NAME_REPLACEMENTS)
    | {f"f{n}" for n in range(1, 25)}
) - {""}
_PUNCTUATION = frozenset({"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk"})
# Where Textual's own display (⏎, ⌫) is less clear in a help table than the word.
_DISPLAY = {"enter": "enter", "return": "enter", "backspace": "backspace", "escape": "esc"}


@dataclass(frozen=True)
class BindingRow:
    """One line of the help screen: where a binding applies, its keys and what it does."""

    scope: str
    id: str
    keys: str  # display form, e.g. "] / l"
    description: str
    action: str


def display_key(key: str) -> str:
    """One Textual key name as people write it: ``right_square_bracket`` → ``]``."""
    key = key.strip()
    if len(key) == 1:
        return "space" if key == " " else key
    *modifiers, name = key.split("+")
    if len(name) != 1:
        name = _DISPLAY.get(name) or format_key(name)
    return "+".join([*modifiers, name])


def display_keys(keys: str) -> str:
    """A comma-separated key list for display: ``right_square_bracket,l`` → ``] / l``."""
    shown: list[str] = []
    for key in keys.split(","):
        if key.strip() and (text := display_key(key)) not in shown:
            shown.append(text)
    return " / ".join(shown)


def _normalise(bindings: Iterable[BindingType]) -> list[Binding]:
    """BINDINGS may hold ``Binding`` objects or 2/3-tuples; make them all Bindings."""
    result: list[Binding] = []
    for item in bindings:
        result.append(item if isinstance(item, Binding) else Binding(*item))
    return result


def class_bindings(cls: type) -> list[Binding]:
    """``cls``'s bindings including those of its project base classes, keys not expanded.

    Textual's own base classes (App, Screen, Input…) are left out: their bindings are
    framework defaults, not the app's documented keys. A subclass binding replaces a base
    one with the same id (or, without ids, the same action), as Textual's merge would.
    """
    merged: dict[str, Binding] = {}
    for base in reversed(cls.__mro__):
        if base is not cls and base.__module__.split(".")[0] == "textual":
            continue
        if base.__dict__.get("_inherit_bindings", True) is False:
            merged.clear()
        for binding in _normalise(base.__dict__.get("BINDINGS", ())):
            merged[binding.id or f"action:{binding.action}"] = binding
    return list(merged.values())


def binding_rows(scopes: Sequence[tuple[str, type]], keymap: Mapping[str, str]) -> list[BindingRow]:
    """The described bindings of each scope, in order, with keymap overrides applied."""
    rows: list[BindingRow] = []
    listed: set[tuple[str, str]] = set()  # a key bound in two classes of one scope, once
    for scope, cls in scopes:
        for binding in class_bindings(cls):
            if not binding.description or (binding.id and (scope, binding.id) in listed):
                continue
            if binding.id:
                listed.add((scope, binding.id))
            override = keymap.get(binding.id) if binding.id else None
            if override:
                keys = display_keys(override)  # Textual ignores key_display when rebound
            else:
                keys = binding.key_display or display_keys(binding.key)
            rows.append(
                BindingRow(
                    scope=scope,
                    id=binding.id or "",
                    keys=keys,
                    description=binding.description,
                    action=binding.action,
                )
            )
    return rows


def known_binding_ids(scopes: Sequence[tuple[str, type]]) -> set[str]:
    """Every binding id in ``scopes`` (described or not): what a keymap may rebind."""
    return {b.id for _, cls in scopes for b in class_bindings(cls) if b.id}


def is_valid_key(key: str) -> bool:
    """Whether Textual can deliver ``key``: optional modifiers, then one named key or char."""
    key = key.strip()
    if len(key) == 1:
        return key.isprintable()
    *modifiers, name = key.split("+")
    if any(m not in MODIFIERS for m in modifiers) or len(set(modifiers)) != len(modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    if name in NAMED_KEYS:
        return True
    try:  # Textual names punctuation keys by their Unicode name: full_stop, tilde, ...
        char = unicodedata.lookup(name.replace("_", " ").upper())
    except KeyError:
        return False
    # ... but not emoji or letters: "banana" is U+1F34C, not a key anyone means.
    return unicodedata.category(char) in _PUNCTUATION


def validate_keymap(
    keymap: Mapping[str, object], known_ids: Collection[str]
) -> tuple[dict[str, str], list[str]]:
    """Keep the entries Textual can use; one warning for each one dropped."""
    valid: dict[str, str] = {}
    warnings: list[str] = []
    for binding_id, value in keymap.items():
        shown_id = one_line(repr(binding_id), 60)
        if not isinstance(binding_id, str) or binding_id not in known_ids:
            warnings.append(f"keymap: unknown binding id {shown_id}, ignored")
            continue
        if not isinstance(value, str) or not value.strip():
            warnings.append(f'keymap: {shown_id} needs keys as text (e.g. "ctrl+k,k"), ignored')
            continue
        keys = [k.strip() for k in value.split(",")]
        bad = [k for k in keys if not k or not is_valid_key(k)]
        if bad:
            shown = ", ".join(one_line(repr(k), 30) for k in bad)
            warnings.append(f"keymap: {shown_id} has keys Textual cannot use ({shown}), ignored")
            continue
        valid[binding_id] = ",".join(keys)
    return valid, warnings


# Keys every list has from Textual itself (not rebindable here): the help screen lists
# them too, so that enter and the arrows are found where the other keys are.
LIST_KEYS = (
    BindingRow("Every list", "", "↑ ↓", "move", "cursor_down"),
    BindingRow("Every list", "", "pgup pgdn / home end", "a page / the first or last", "page_down"),
    BindingRow(
        "Every list",
        "",
        "enter",
        "sources and results: open it · a fact: where it is stated · compare: open the column",
        "select",
    ),
)

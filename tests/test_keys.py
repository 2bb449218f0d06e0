"""Binding rows for the help screen, and validation of the user's keymap."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App
from textual.binding import Binding, BindingType
from textual.widget import Widget

from tui.keys import (
    BindingRow,
    binding_rows,
    display_keys,
    is_valid_key,
    known_binding_ids,
    validate_keymap,
)


class FakeApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="app.search"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("x", "secret", id="app.secret"),  # no description: not listed
        ("tab", "focus_next", "Next pane"),  # tuple form, no id
    ]


class BaseReader(Widget):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "down", "Down", id="reader.down"),
        Binding("n", "next_hit", "Next hit", id="reader.hit_next"),
    ]


class FakeReader(BaseReader):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket,l", "related_next", "Next related", id="related.next"),
        Binding("N", "prev_hit", "Previous hit", id="reader.hit_prev"),
        Binding("space", "toggle", "Select passage", id="reader.select"),
        Binding("shift+tab", "back", "Previous pane", id="reader.back", key_display="⇧tab"),
        Binding("m", "next_hit", "Next hit (moved)", id="reader.hit_next"),  # overrides base
    ]


SCOPES = [("Global", FakeApp), ("Reader", FakeReader)]


def _by_id(rows: list[BindingRow]) -> dict[str, BindingRow]:
    return {row.id: row for row in rows if row.id}


def test_rows_in_scope_order_with_descriptions_only() -> None:
    rows = binding_rows(SCOPES, {})
    assert [r.scope for r in rows] == ["Global"] * 5 + ["Reader"] * 6
    assert "app.secret" not in _by_id(rows)
    # framework bindings of textual.App (ctrl+q, ctrl+c) are not the app's keys
    assert not any(r.action in ("help_quit",) or r.keys == "ctrl+q" for r in rows)


def test_keys_are_shown_for_people() -> None:
    rows = _by_id(binding_rows(SCOPES, {}))
    assert rows["app.search"].keys == "/"
    assert rows["app.help"].keys == "?"
    assert rows["app.palette"].keys == "ctrl+p"
    assert rows["related.next"].keys == "] / l"
    assert rows["reader.hit_prev"].keys == "N"
    assert rows["reader.select"].keys == "space"
    assert rows["reader.down"].keys == "j / ↓"
    assert rows["reader.back"].keys == "⇧tab"  # key_display wins when not rebound
    assert rows["related.next"] == BindingRow(
        "Reader", "related.next", "] / l", "Next related", "related_next"
    )


def test_tuple_bindings_are_normalised() -> None:
    (row,) = [r for r in binding_rows(SCOPES, {}) if r.action == "focus_next"]
    assert (row.keys, row.description, row.id) == ("tab", "Next pane", "")


def test_subclass_binding_with_same_id_replaces_base() -> None:
    rows = [r for r in binding_rows(SCOPES, {}) if r.id == "reader.hit_next"]
    assert [(r.keys, r.description) for r in rows] == [("m", "Next hit (moved)")]


def test_keymap_overrides_by_id() -> None:
    keymap = {"related.next": "ctrl+right,full_stop", "reader.back": "shift+tab,b"}
    rows = _by_id(binding_rows(SCOPES, keymap))
    assert rows["related.next"].keys == "ctrl+→ / ."
    assert rows["reader.back"].keys == "shift+tab / b"  # key_display dropped, as Textual does
    assert rows["app.search"].keys == "/"


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ("question_mark", "?"),
        ("shift+tab", "shift+tab"),
        ("enter", "enter"),
        ("escape", "esc"),
        ("left_square_bracket,right_square_bracket", "[ / ]"),
        ("?,question_mark", "?"),
    ],
)
def test_display_keys(keys: str, shown: str) -> None:
    assert display_keys(keys) == shown


def test_known_binding_ids_include_undescribed() -> None:
    ids = known_binding_ids(SCOPES)
    assert {"app.secret", "related.next", "reader.down"} <= ids


@pytest.mark.parametrize(
    "key",
    [
        "a",
        "N",
        "]",
        "ctrl+p",
        "shift+tab",
        "f5",
        "right_square_bracket",
        "full_stop",
        "ctrl+shift+left",
        "space",
        "escape",
        "pagedown",
        "+",
        "question_mark",
    ],
)
def test_valid_keys(key: str) -> None:
    assert is_valid_key(key)


@pytest.mark.parametrize(
    "key",
    ["", "ctrl+", "ctl+p", "ctrl+ctrl+p", "banana", "Escape", "f99", "ctrl+\x1b", "\x07"],
)
def test_invalid_keys(key: str) -> None:
    assert not is_valid_key(key)


def test_validate_keymap_drops_bad_entries_with_one_warning_each() -> None:
    keymap: dict[str, object] = {
        "related.next": " right_square_bracket , l ",
        "app.help": "f1",
        "no.such.binding": "x",
        "reader.down": 5,
        "reader.select": "",
        "app.quit": "ctrl+q,banana",
    }
    valid, warnings = validate_keymap(keymap, known_binding_ids(SCOPES))
    assert valid == {"related.next": "right_square_bracket,l", "app.help": "f1"}
    assert len(warnings) == 4
    joined = "\n".join(warnings)
    for text in ("no.such.binding", "reader.down", "reader.select", "banana"):
        assert text in joined


class HelpCounter(FakeApp):
    helped = 0

    def action_help(self) -> None:
        self.helped += 1


async def test_validated_keymap_works_in_textual() -> None:
    """What validate_keymap keeps, Textual binds: the old key stops, the new ones work."""
    valid, _ = validate_keymap({"app.help": "f1,h"}, known_binding_ids(SCOPES))
    app = HelpCounter()
    async with app.run_test(size=(40, 10)) as pilot:
        app.set_keymap(valid)
        await pilot.press("question_mark")
        assert app.helped == 0
        await pilot.press("f1", "h")
        assert app.helped == 2

"""sources.yaml, the config file, themes and the keymap: bad content gives a clear notice
naming the file and what to do, and the good data stays usable."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.errors import CorpusError
from search.workspace import Workspace
from tui.config import Config, load_config
from tui.keys import validate_keymap
from tui.themes import load_themes

from .conftest import copy_seeds

SEED = "000_72228fac512abe4a.txt"


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    copy_seeds(folder)
    return folder


def open_with(folder: Path, tmp_path: Path, yaml_text: str) -> Workspace:
    (folder / "sources.yaml").write_text(yaml_text, encoding="utf-8")
    return Workspace.open(folder, tmp_path / "ix")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (f"{SEED}:\n  outlet: [unclosed\n", "line 3"),
        (f"{SEED}:\n\toutlet: tab\n", "line 2"),
        (f'{SEED}:\n  outlet: "a\x1bb"\n', "line 2"),
        ("a: b: c\n", "line 1"),
    ],
    ids=["unclosed", "tab", "escape", "nested"],
)
def test_bad_yaml_names_file_and_line(seeded: Path, tmp_path: Path, text: str, where: str) -> None:
    with pytest.raises(CorpusError) as err:
        open_with(seeded, tmp_path, text)
    message = str(err.value)
    assert "sources.yaml" in message and where in message and "invalid YAML" in message
    assert "\x1b" not in message and "\n" not in message


def test_sources_yaml_not_utf8(seeded: Path, tmp_path: Path) -> None:
    (seeded / "sources.yaml").write_bytes(b"caf\xe9: {}\n")
    with pytest.raises(CorpusError, match=r"sources\.yaml: not UTF-8"):
        Workspace.open(seeded, tmp_path / "ix")


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("- a list\n- not a mapping\n", "expected a mapping of file name to fields"),
        ("just a string\n", "expected a mapping"),
        (f"{SEED}: 5\n", "expected a mapping of fields"),
        (f"{SEED}:\n  title: [1, 2]\n", "title must be text"),
        (f"{SEED}:\n  date: yesterday\n", "not YYYY-MM-DD"),
        (f"{SEED}:\n  date: 2025-13-45\n", "not YYYY-MM-DD"),
        (f"{SEED}:\n  colour: red\n", "unknown field 'colour'"),
        ("nope.txt:\n  outlet: X\n", "no article file named 'nope.txt'"),
        (f"{SEED}:\n  date: 2025-06-02T10:00:00\n", "not YYYY-MM-DD"),
    ],
    ids=[
        "list",
        "string",
        "entry-int",
        "title-list",
        "date-word",
        "date-bad",
        "field",
        "file",
        "dt",
    ],
)
def test_wrong_types_are_warnings_and_the_articles_stay(
    seeded: Path, tmp_path: Path, text: str, warning: str
) -> None:
    ws = open_with(seeded, tmp_path, text)
    assert len(ws.sources) == 5
    assert any(warning in w for w in ws.warnings), ws.warnings
    assert ws.search("Medinsky").hits


def test_good_fields_kept_beside_bad_ones(seeded: Path, tmp_path: Path) -> None:
    ws = open_with(
        seeded, tmp_path, f"{SEED}:\n  outlet: Good Outlet\n  date: never\n  title: {{a: 1}}\n"
    )
    src = ws.sources[SEED.removesuffix(".txt")]
    assert src.outlet == "Good Outlet" and src.date == "2025-06-02"  # the article's own
    assert len(ws.warnings) == 2


# --- the config file ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"theme: [unclosed\n",
        b"\xff\xfe\x00garbage",
        b"- just\n- a list\n",
        b"theme: 5\nkeymap: nope\nexport_dir: [1]\n",
        b"theme: talks-dark\n\x1b]0;t\x07: 1\n",
        b"theme: 2025-13-45\n",
    ],
    ids=["yaml", "binary", "list", "types", "escape-key", "bad-date"],
)
def test_bad_config_falls_back_with_a_notice(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(content)
    config, warnings = load_config(path)
    assert isinstance(config, Config) and config.theme
    assert warnings and all("config.yaml" in w for w in warnings)
    assert all("\x1b" not in w and "\x07" not in w for w in warnings)


def test_config_that_is_a_folder_or_huge(tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()
    _, warnings = load_config(tmp_path / "dir.yaml")
    assert warnings and "cannot read" in warnings[0]
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * 2_000_000)
    _, warnings = load_config(big)
    assert "too large" in warnings[0]


# --- themes and keys ---------------------------------------------------------------------


def test_bad_theme_files_are_skipped_good_ones_load(tmp_path: Path) -> None:
    folder = tmp_path / "themes"
    folder.mkdir()
    (folder / "good.yaml").write_text('name: mine\nprimary: "#336699"\n', encoding="utf-8")
    (folder / "colour.yaml").write_text('name: bad1\nprimary: "not-a-colour"\n', encoding="utf-8")
    (folder / "unquoted.yaml").write_text("name: bad2\nprimary: #fff\n", encoding="utf-8")
    (folder / "var.yaml").write_text(
        'name: bad3\nprimary: "#fff"\nvariables:\n  accent-x: "[/] \\e[31m"\n', encoding="utf-8"
    )
    (folder / "yaml.yaml").write_text("name: [\n", encoding="utf-8")
    (folder / "bin.yaml").write_bytes(b"\x00\xff")
    (folder / "date.yaml").write_text("name: 2025-13-45\n", encoding="utf-8")
    (folder / "[markup]\x1b.yaml").write_text("- 1\n", encoding="utf-8")
    themes, warnings = load_themes([folder])
    assert [t.name for t in themes] == ["mine"]
    warnings = [w for w in warnings if "hard to read" not in w]  # mine's low contrast
    assert len(warnings) == 7
    assert all("skipped" in w for w in warnings)
    assert all("\x1b" not in w for w in warnings)


def test_keymap_with_unknown_ids_keys_and_types() -> None:
    known = {"search.focus", "related.next"}
    keymap = {
        "search.focus": "ctrl+k,k",
        "related.next": "banana,\x1b[A",
        "nope.action": "x",
        "\x1b]0;t\x07": "y",
        "search.other": 5,
    }
    valid, warnings = validate_keymap(keymap, known)  # type: ignore[arg-type]
    assert valid == {"search.focus": "ctrl+k,k"}
    assert len(warnings) == 4
    assert all("\x1b" not in w for w in warnings)


async def test_app_with_unknown_theme_bad_keymap_and_bad_colours(tmp_path: Path) -> None:
    from tui.app import make_app

    user_themes = tmp_path / "config" / "talks-tui" / "themes"
    user_themes.mkdir(parents=True)
    (user_themes / "bad.yaml").write_text('name: bad\nprimary: "#zzzzzz"\n', encoding="utf-8")
    import os

    os.environ["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # restored by the autouse fixture
    config = Config(theme="no-such-theme", keymap={"nope": "x", "search.focus": "\x1b"})
    corpus = tmp_path / "corpus"
    copy_seeds(corpus)
    app = make_app(corpus, tmp_path / "ix", config)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("unknown theme 'no-such-theme'" in m for m in messages)
        assert any("bad.yaml" in m and "skipped" in m for m in messages)
        assert sum("keymap" in m for m in messages) == 2
        assert app.theme == "talks-dark" and app.main.ws is not None
        await pilot.press("slash")
        assert app.focused is not None and app.focused.id == "query"

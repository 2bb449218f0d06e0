"""Config file: defaults, warnings for bad content, atomic save that keeps unknown keys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from tui.config import Config, config_path, load_config, save_config


def test_config_path_honours_xdg_config_home() -> None:
    assert config_path() == Path(os.environ["XDG_CONFIG_HOME"]) / "talks-tui" / "config.yaml"


def test_missing_file_gives_defaults_and_no_warning(tmp_path: Path) -> None:
    config, warnings = load_config(tmp_path / "nope.yaml")
    assert warnings == []
    assert config == Config(path=tmp_path / "nope.yaml")
    assert config.theme == "talks-dark"


def test_default_location_is_used_without_a_path() -> None:
    config, warnings = load_config()
    assert (config.path, warnings) == (config_path(), [])


def test_reads_every_setting(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "theme: talks-light\n"
        "keymap:\n  related.next: 'right_square_bracket,l'\n"
        "default_corpus: ~/news\n"
        "export_dir: /tmp/notes\n",
        encoding="utf-8",
    )
    config, warnings = load_config(path)
    assert warnings == []
    assert config.theme == "talks-light"
    assert config.keymap == {"related.next": "right_square_bracket,l"}
    assert config.default_corpus == "~/news"
    assert config.export_dir == "/tmp/notes"


def test_invalid_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("theme: talks-light\nkeymap:\n  a: [unclosed\n  b: c\n", encoding="utf-8")
    config, warnings = load_config(path)
    assert config.theme == "talks-dark"  # defaults, not half the file
    assert len(warnings) == 1
    assert str(path) in warnings[0]
    assert "line 4" in warnings[0]


def test_tab_indentation_error_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("theme: x\n\tkeymap: {}\n", encoding="utf-8")
    _, warnings = load_config(path)
    assert len(warnings) == 1 and "line 2" in warnings[0]


def test_not_a_mapping_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    config, warnings = load_config(path)
    assert config.theme == "talks-dark"
    assert len(warnings) == 1 and "mapping" in warnings[0]


def test_empty_file_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert load_config(path)[1] == []


def test_not_utf8_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"theme: \xff\xfe\n")
    config, warnings = load_config(path)
    assert config.theme == "talks-dark" and len(warnings) == 1


def test_unknown_keys_warn_once_each_and_rest_loads(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("theme: talks-light\ncolour: red\nfuture_thing: 3\n", encoding="utf-8")
    config, warnings = load_config(path)
    assert config.theme == "talks-light"
    assert len(warnings) == 2
    assert any("colour" in w for w in warnings) and any("future_thing" in w for w in warnings)


def test_wrong_types_are_ignored_with_a_warning_each(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "theme: 42\nkeymap: [a, b]\ndefault_corpus: {x: 1}\nexport_dir: ''\n",
        encoding="utf-8",
    )
    config, warnings = load_config(path)
    assert config == Config(path=path)
    assert len(warnings) == 4
    for key in ("theme", "keymap", "default_corpus", "export_dir"):
        assert any(f"'{key}'" in w for w in warnings), key


def test_bad_keymap_entries_are_dropped_good_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "keymap:\n  help.show: f1\n  reader.down: 3\n  reader.up: ''\n  7: x\n",
        encoding="utf-8",
    )
    config, warnings = load_config(path)
    assert config.keymap == {"help.show": "f1"}
    assert len(warnings) == 3


def test_warnings_carry_no_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text('"\\e[31mevil\\a": 1\n', encoding="utf-8")
    _, warnings = load_config(path)
    assert len(warnings) == 1
    assert "\x1b" not in warnings[0] and "\x07" not in warnings[0]


def test_save_and_reload_round_trip_keeps_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "config.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("theme: talks-dark\nfrom_the_future: {a: 1}\n", encoding="utf-8")
    config, _ = load_config(path)
    config.theme = "talks-contrast"
    config.keymap = {"related.next": "l,right_square_bracket"}
    config.export_dir = "/tmp/out"
    save_config(config)

    again, warnings = load_config(path)
    assert again == config
    assert [w for w in warnings if "from_the_future" not in w] == []
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw["from_the_future"] == {"a": 1}
    assert [p.name for p in path.parent.iterdir()] == ["config.yaml"]  # no temp file left


def test_save_creates_the_folder_and_sets_path() -> None:
    config = Config(theme="talks-light")
    save_config(config)
    assert config.path == config_path() and config_path().is_file()
    assert load_config()[0].theme == "talks-light"


def test_save_refuses_to_clobber_an_unparseable_file(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("theme: [oops\n", encoding="utf-8")
    with pytest.raises(OSError, match="line"):
        save_config(Config(path=path))
    assert path.read_text(encoding="utf-8") == "theme: [oops\n"


def test_save_failure_is_an_oserror(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OSError):
        save_config(Config(path=blocker / "config.yaml"))

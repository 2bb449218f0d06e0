"""The user's config file: theme, keymap, default corpus and export folder.

The file is hand-edited YAML, so it is untrusted: loading never raises for bad content, it
falls back to defaults and returns warnings the app can show. Saving rewrites the file
atomically and keeps keys this version does not know (a newer version may have written
them), but never clobbers a file it cannot parse.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import yaml

from search.textsafe import one_line

APP_NAME = "talks-tui"
DEFAULT_THEME = "talks-dark"
MAX_CONFIG_BYTES = 1_000_000  # a config file is a few lines; refuse to parse a huge one
KNOWN_KEYS = ("theme", "keymap", "default_corpus", "export_dir")


@dataclass
class Config:
    """What the app remembers between runs; ``path`` is where it was read / will be saved."""

    theme: str = DEFAULT_THEME
    keymap: dict[str, str] = field(default_factory=dict)
    default_corpus: str | None = None
    export_dir: str | None = None  # None: the user's documents folder
    path: Path | None = None


class ConfigWriteError(OSError):
    """Saving was refused (e.g. the existing file is not valid YAML and would be lost)."""


def config_path() -> Path:
    """``<user config dir>/talks-tui/config.yaml`` (honours ``XDG_CONFIG_HOME``)."""
    return platformdirs.user_config_path(APP_NAME) / "config.yaml"


def _label(path: Path) -> str:
    """A file name safe to put in a message (no control characters)."""
    return one_line(str(path), limit=300)


def _read_yaml(path: Path) -> tuple[Any, str | None]:
    """Parse ``path``; return ``(data, None)`` or ``(None, problem)``. Missing file → ``{}``."""
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            return None, f"{_label(path)}: file is too large for a config file"
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except UnicodeDecodeError:
        return None, f"{_label(path)}: not UTF-8 text"
    except OSError as exc:
        return None, f"{_label(path)}: cannot read ({one_line(exc.strerror or str(exc))})"
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return None, f"{_label(path)}: {_yaml_problem(exc)}"
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. a date like 2025-13-45
        return None, f"{_label(path)}: invalid value ({one_line(str(exc), 120)})"
    return ({} if data is None else data), None


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """``line N: what`` from a PyYAML error, 1-based like editors count."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = getattr(exc, "problem", None) or getattr(exc, "context", None) or "invalid YAML"
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return f"{where}invalid YAML ({one_line(str(what))})"


def _optional_str(data: dict[str, Any], key: str, where: str, warnings: list[str]) -> str | None:
    """A string-or-null setting; anything else is ignored with a warning."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    warnings.append(f"{where}: '{key}' must be text, ignored ({_describe(value)})")
    return None


def _describe(value: object) -> str:
    """What a wrong value is, without echoing a possibly huge or hostile value."""
    if isinstance(value, str):
        return "empty text" if not value.strip() else one_line(repr(value), limit=40)
    return f"got {type(value).__name__}"


def load_config(path: Path | None = None) -> tuple[Config, list[str]]:
    """Read the config; bad content gives defaults plus warnings, never an exception."""
    path = path or config_path()
    where = _label(path)
    config = Config(path=path)
    warnings: list[str] = []
    data, problem = _read_yaml(path)
    if problem:
        return config, [f"{problem}; using the default settings"]
    if not isinstance(data, dict):
        what = type(data).__name__
        return config, [f"{where}: expected a mapping of settings, got {what}; using defaults"]

    for key in data:
        if key not in KNOWN_KEYS:
            warnings.append(f"{where}: unknown setting {one_line(repr(key), 60)}, ignored")

    theme = data.get("theme")
    if isinstance(theme, str) and theme.strip():
        config.theme = theme.strip()
    elif theme is not None:
        warnings.append(f"{where}: 'theme' must be a theme name, ignored ({_describe(theme)})")

    keymap = data.get("keymap")
    if isinstance(keymap, dict):
        for binding_id, keys in keymap.items():
            if not isinstance(binding_id, str) or not isinstance(keys, str) or not keys.strip():
                warnings.append(
                    f"{where}: keymap entry {one_line(repr(binding_id), 60)} must map a "
                    f"binding id to keys, ignored ({_describe(keys)})"
                )
                continue
            config.keymap[binding_id] = keys.strip()
    elif keymap is not None:
        warnings.append(f"{where}: 'keymap' must be a mapping, ignored ({_describe(keymap)})")

    config.default_corpus = _optional_str(data, "default_corpus", where, warnings)
    config.export_dir = _optional_str(data, "export_dir", where, warnings)
    return config, warnings


def save_config(config: Config) -> None:
    """Write ``config`` atomically to ``config.path`` (default location if unset).

    Keys of the existing file that we do not know are kept; comments are not. Raises
    ``OSError`` only, including when the existing file is not valid YAML (we would lose it).
    """
    path = config.path or config_path()
    existing, problem = _read_yaml(path)
    if problem:
        raise ConfigWriteError(f"{problem}; fix or remove it before saving settings")
    data: dict[Any, Any] = dict(existing) if isinstance(existing, dict) else {}
    data["theme"] = config.theme
    data["keymap"] = dict(config.keymap)
    data["default_corpus"] = config.default_corpus
    data["export_dir"] = config.export_dir
    try:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
    except yaml.YAMLError as exc:  # unrepresentable values in a programmatic Config
        raise ConfigWriteError(f"cannot write settings: {one_line(str(exc))}") from exc

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".config-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # keep the user's permissions on the file
            os.chmod(tmp_name, path.stat().st_mode & 0o777)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    config.path = path

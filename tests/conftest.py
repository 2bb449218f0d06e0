"""Shared fixtures: every test gets its own cache and config dirs, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest
import textual._wait

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# Pilot waits after each key until the process is idle, judged over sleeps of 1/50 s: at
# least two such sleeps a key even when the key took a millisecond. A finer sleep is the
# same test (CPU under 5% of the window, the ratio kept) ended as soon as the app is idle.
# Textual is pinned (pyproject), so the private names hold.
textual._wait.SLEEP_GRANULARITY = 1 / 200
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    base = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    # Searches start as soon as a key is typed: tests wait on the search, not on a timer.
    monkeypatch.setattr("tui.widgets.search.DEBOUNCE", 0.0)


@pytest.fixture
def make_corpus(tmp_path: Path):
    """Write {name: text or bytes} into a fresh corpus folder and return it."""

    def make(files: dict[str, str | bytes], name: str = "corpus") -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return make

"""Guards on the shape of the code: the engine never imports the UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_search_package_imports_no_ui() -> None:
    for path in (ROOT / "search").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"textual", "rich", "tui"}, f"{path}: {name}"


def test_headless_cli_does_not_load_textual() -> None:
    code = "import sys, tui.cli, search.workspace; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


# engine.py and the modules only it uses: the phrase matcher, the query language, the
# highlighter, the fuzzy term
BOUNDARY = {"engine.py", "phrase.py", "querylang.py", "highlight.py", "fuzzy.py"}


def test_only_whoosh_boundary_imports_whoosh() -> None:
    for path in (ROOT / "search").rglob("*.py"):
        text = path.read_text()
        if path.name not in ("engine.py", "querylang.py"):
            assert "from .phrase" not in text and "search.phrase" not in text, path
        if path.name in BOUNDARY:
            continue
        assert "import whoosh" not in text and "from whoosh" not in text, path
    for path in [*(ROOT / "tui").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]:
        assert "search.phrase" not in path.read_text(), path


def test_seeds_are_the_shared_ones_unchanged() -> None:
    shared = ROOT.parent / "shared" / "seeds"
    ours = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert len(ours) == 5
    if shared.is_dir():  # beside a checkout, as in CI
        for name in ours:
            assert (ROOT / "seeds" / name).read_bytes() == (shared / name).read_bytes()


def test_the_app_starts_without_numpy() -> None:
    """NumPy (the related-passage index) loads after the first screen: imported with the
    app, it cost the bundled-corpus start ~0.3x the minimal app's time."""
    code = "import sys, tui.app; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr

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
# highlighter, the fuzzy term, the analyzer's stem function (Whoosh's stemmers)
BOUNDARY = {"engine.py", "phrase.py", "querylang.py", "highlight.py", "fuzzy.py", "stemming.py"}
BOUNDARY.add("whoosh_private.py")  # the write path's reach-ins, for Whoosh 2.7.4 only


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


# What the UI may take from the engine: the facade, the value types, the errors it
# shows and the helpers that make untrusted text safe to show. Nothing that decides.
UI_MAY_IMPORT = {"search.workspace", "search.models", "search.errors", "search.textsafe"}


PENDING_UI = {"export.py": {"search.export"}}  # the export dialog, until the note moves


def _search_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("search")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("search"):
            found.add(node.module)
    return found


def test_the_ui_imports_only_the_facade_and_the_models() -> None:
    for path in (ROOT / "tui").rglob("*.py"):
        if path.name == "cli.py":  # the command line is a second front end on the facade
            continue
        extra = _search_imports(path) - UI_MAY_IMPORT - PENDING_UI.get(path.name, set())
        assert not extra, f"{path.relative_to(ROOT)} imports {sorted(extra)}"


def test_no_module_is_over_700_lines_and_the_app_is_thin() -> None:
    for path in [*(ROOT / "search").rglob("*.py"), *(ROOT / "tui").rglob("*.py")]:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        name = str(path.relative_to(ROOT))
        assert lines <= 700, f"{name}: {lines} lines"
    assert len((ROOT / "tui" / "app.py").read_text().splitlines()) <= 400


def test_no_import_circles_in_the_ui() -> None:
    """tui/app.py and tui/commands.py imported each other: the palette now posts a message."""
    text = (ROOT / "tui" / "commands.py").read_text(encoding="utf-8")
    assert "from .app" not in text and "tui.app" not in text


FORMAT_LIBRARIES = ("trafilatura", "htmldate", "lxml", "pypdf", "docx", "pycld2")


def test_a_text_corpus_never_loads_the_format_libraries(tmp_path: Path) -> None:
    """The saved-page, PDF and Word readers load their libraries when a file of their kind
    is read; the language detector only when a file is parsed (a warm start reads the
    parsed cache). The bundled corpus, cold or warm, pays for none of them."""
    code = (
        "import sys, tui.app\n"
        "from pathlib import Path\n"
        "from search.workspace import Workspace\n"
        f"Workspace.open(Path({str(ROOT / 'seeds')!r}), Path({str(tmp_path / 'ix')!r}))\n"
        f"print(sorted(m for m in {FORMAT_LIBRARIES!r} if m in sys.modules))\n"
    )
    run = [sys.executable, "-c", code]
    cold = subprocess.run(run, capture_output=True, text=True, cwd=ROOT)
    assert cold.stdout.strip() == "['pycld2']", cold.stderr
    warm = subprocess.run(run, capture_output=True, text=True, cwd=ROOT)
    assert warm.stdout.strip() == "[]", warm.stderr


def test_the_ui_reaches_no_matching_logic() -> None:
    """The claims and the agreement rules answer through the facade (claims, claim_cells,
    compare): no UI module imports them or reaches into the workspace's structures, so
    the facts pane, ] and the claim map cannot give two answers."""
    for path in (ROOT / "tui").rglob("*.py"):
        if path.name == "cli.py":  # the command line is a second front end (see above)
            continue
        where = path.relative_to(ROOT)
        text = path.read_text(encoding="utf-8")
        assert "search.agreement" not in text and "search.claims" not in text, where
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("search"):
                assert {a.name for a in node.names}.isdisjoint({"agreement", "claims"}), where
            if isinstance(node, ast.Attribute):  # ws.agreement, ws.claim_set: the internals
                assert node.attr not in {"agreement", "claim_set"}, f"{where}: {node.attr}"


def _module_imports() -> dict[str, set[str]]:
    """Every module of search/ and tui/ -> the modules of theirs it imports: at the top,
    under ``if TYPE_CHECKING:`` and inside functions alike, relative imports resolved
    (``from . import x`` is the module ``x`` where there is one, else the package)."""
    modules: dict[str, tuple[Path, bool]] = {}
    for package in ("search", "tui"):
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            modules[".".join(parts[:-1] if is_package else parts)] = (path, is_package)

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        here = name if is_package else name.rpartition(".")[0]
        found: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {known(a.name) for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                for a in node.names:
                    sub = f"{base}.{a.name}"
                    found.add(sub if sub in modules else known(base))
        graph[name] = {m for m in found if m is not None and m != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_circles_in_search_or_tui() -> None:
    """No module of search/ or tui/ reaches itself through imports, counting the type-only
    ones and those inside functions: a type both sides need lives in the lower module."""
    graph = _module_imports()
    assert {"search.workspace", "search.formats.pdf", "tui.screens.main"} <= set(graph)
    assert "search.comparison" in graph["search.workspace"]  # resolved relative imports
    cycles = _cycles(graph)
    listing = "\n".join(
        "; ".join(f"{m} imports {', '.join(sorted(graph[m] & set(group)))}" for m in group)
        for group in cycles
    )
    assert not cycles, f"import circles:\n{listing}"

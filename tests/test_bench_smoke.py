"""A fast smoke run of the benchmark suite: every measurement runs once on ~50 passages.

No timed assertions: only that each figure is produced and the table has every row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import measure
from bench.corpus import generate
from bench.run import run

FIGURES = [
    "full ingest (Workspace.open, cold)",
    "full ingest vs SQLite FTS5",
    "re-open after editing 1 article",
    "search p50",
    "search p95",
    "search p95 vs FTS5",
    "keystroke to results painted p50",
    "keystroke to results painted p95",
    "typed letter to results painted p95, debounce included",
    "keystroke to results painted p95 vs minimal app",
    "related_by_source + facts p95",
    "prepare() one-off",
    "warm start to usable screen",
    "peak RSS: open + use, analysis kept",
    "peak RSS: open + use, analysis built",
    "claim map open p50",
    "claim map open p95",
    "claims build from facts",
    "search p95 (seeds, 5 articles)",
    "keystroke to results painted p95 (seeds, 5 articles)",
]


def test_generator_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert generate(a, 50) == generate(b, 50)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    texts = [(a / f).read_text() for f in files]
    assert any(f.suffix == ".md" for f in files) or any(t.startswith(" date ") for t in texts)


@pytest.mark.slow  # every measurement of the harness in subprocesses: run with -m slow
def test_every_measurement_gives_its_rows(tmp_path: Path) -> None:
    assert measure.fts5_available()
    rows = run("tiny", 1, tmp_path, log=lambda _msg: None)
    names = [r.figure for r in rows]
    for figure in FIGURES:
        assert figure in names, figure
    for r in rows:
        assert r.value >= 0
        assert r.ref_value is not None or r.figure == "prepare() one-off"
    reopen = next(r for r in rows if r.figure.startswith("re-open"))
    assert "re-parsed only that file: True" in reopen.note
    table = measure.table(rows)
    assert all(f"| {figure} |" in table for figure in FIGURES)


def test_fts5_query_translation() -> None:
    assert measure.fts5_query('drones OR "wounded soldiers" pris*') == (
        '"drones" OR "wounded soldiers" "pris"*'
    )

"""The headless command line on the bundled corpus and on hand-made folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

from .conftest import SEEDS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_sources_json_on_seeds(capsys, tmp_path: Path) -> None:
    rows = run_json(capsys, "sources", "--corpus", str(SEEDS), "--index-dir", str(tmp_path))
    assert len(rows) == 5
    for row in rows:
        assert {"id", "path", "title", "date", "outlet", "url", "passages"} <= row.keys()
        assert row["title"] and row["passages"] > 0
    by_url = [r for r in rows if r["url"]]
    assert len(by_url) == 1 and "themoscowtimes.com" in by_url[0]["url"]
    assert by_url[0]["outlet"] == "The Moscow Times"
    assert sum(r["date"] is None for r in rows) == 1
    assert all(r["date"] in (None, "2025-06-02") for r in rows)


def test_passages_json_are_clean(capsys, tmp_path: Path) -> None:
    rows = run_json(capsys, "passages", "--corpus", str(SEEDS), "--index-dir", str(tmp_path))
    assert len(rows) > 50
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    for r in rows:
        text = r["text"]
        assert text.strip() == text and text
        assert "](" not in text and "**" not in text
        assert not text.lower().startswith("date ")
        assert not (len(text.split()) <= 4 and any(ch.isdigit() for ch in text)), text
        # no half sentence: a passage ends like a sentence ends
        assert text[-1] in '.!?"”’)…', text
        assert r["end"] - r["start"] == len(text)
    one = run_json(
        capsys,
        "passages",
        "--source",
        rows[0]["source"],
        "--corpus",
        str(SEEDS),
        "--index-dir",
        str(tmp_path),
    )
    assert {r["source"] for r in one} == {rows[0]["source"]}


def test_search_bodies_spans_four_sources(capsys, tmp_path: Path) -> None:
    rows = run_json(
        capsys, "search", "bodies", "--corpus", str(SEEDS), "--index-dir", str(tmp_path)
    )
    assert len({r["source"] for r in rows}) >= 4
    assert any("6,000" in r["text"] for r in rows)
    for r in rows:
        assert {
            "id",
            "source",
            "ordinal",
            "text",
            "start",
            "end",
            "score",
            "highlights",
        } <= r.keys()
        assert r["highlights"]
        for start, end in r["highlights"]:
            assert r["text"][start:end].lower().startswith("bod")


def test_search_limit_and_source(capsys, tmp_path: Path) -> None:
    args = ("--corpus", str(SEEDS), "--index-dir", str(tmp_path))
    assert len(run_json(capsys, "search", "Medinsky", "--limit", "2", *args)) == 2
    src = run_json(capsys, "sources", *args)[1]["id"]
    rows = run_json(capsys, "search", "Medinsky", "--source", src, *args)
    assert rows and {r["source"] for r in rows} == {src}


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["sources", "--corpus", "/no/such/folder"], "not found"),
        (["search", "(bodies"], "unclosed"),
        (["search", "bodies", "--source", "nope"], "no source"),
        (["passages", "--source", "nope"], "no source"),
    ],
)
def test_errors_are_one_line_exit_2(capsys, tmp_path: Path, argv, needle) -> None:
    code, out, err = run(capsys, *argv, "--index-dir", str(tmp_path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err


def test_empty_folder_error(capsys, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "sources", "--corpus", str(tmp_path / "empty"))
    assert code == 2 and "no .txt or .md" in err


def test_human_output(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "search", "bodies", "--index-dir", str(tmp_path))
    assert code == 0 and "passages match" in out and "6,000" in out
    code, out, _ = run(capsys, "sources", "--index-dir", str(tmp_path))
    assert "The Moscow Times" in out


def test_console_script_subprocess_no_traceback(tmp_path: Path) -> None:
    """The installed entry point, as a user runs it: JSON only on stdout, clean errors."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "tui.cli"]
    ok = subprocess.run([*cmd, "sources", "--json"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and len(json.loads(ok.stdout)) == 5
    bad = subprocess.run([*cmd, "search", "date:nope"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and bad.stdout == "" and "Traceback" not in bad.stderr
    assert "not a date" in bad.stderr

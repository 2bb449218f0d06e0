"""Every subcommand on the hostile corpus: completes, lists what was skipped and why on
stderr, finds the seeds' passages, prints valid JSON with no raw escapes, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

from ..conftest import SEEDS
from .conftest import EVIL_NAME, build_hostile

# Anything a terminal acts on: ESC, C1 controls, BEL, bidi overrides, zero-width chars.
RAW = ["\x1b", "\x9b", "\x9d", "\x07", "\u202e", "\u200b", "\u2060"]
SEED = "000_72228fac512abe4a"


def assert_inert(text: str) -> None:
    for ch in RAW:
        assert ch not in text, f"raw {ch!r} in output"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("hostile-cli")
    bad = build_hostile(base / "corpus")
    return base / "corpus", base / "ix", bad


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


COMMANDS = [
    ["sources"],
    ["passages"],
    ["search", "Medinsky"],
    ["facts"],
    ["related", f"{SEED}:2"],
    ["disagreements"],
]


@pytest.mark.parametrize("json_flag", [True, False], ids=["json", "text"])
@pytest.mark.parametrize("argv", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_subcommand_on_the_hostile_corpus(capsys, corpus, argv, json_flag) -> None:  # type: ignore[no-untyped-def]
    folder, ix, bad = corpus
    extra = ["--json"] if json_flag else []
    code, out, err = run(capsys, *argv, "--corpus", str(folder), "--index-dir", str(ix), *extra)
    assert code == 0, err
    assert "Traceback" not in err and "internal error" not in err
    assert_inert(out)
    assert_inert(err)
    if json_flag:
        rows = json.loads(out)
        assert isinstance(rows, list) and rows
        text = json.dumps(rows)
        if argv[0] in ("sources", "passages", "search"):
            assert any(seed.stem in text for seed in SEEDS.glob("*.txt"))
        if argv[0] == "sources":
            paths = {r["path"] for r in rows}
            assert EVIL_NAME in paths  # the real name, escaped in JSON, intact when decoded
            assert "hostile.md" in paths and "-rf.txt" in paths
        if argv[0] == "passages":
            hostile = [r["text"] for r in rows if r["source"] == "hostile"]
            assert any("[@click=app.quit]click me[/]" in t for t in hostile)  # literal
            assert any("red" in t and "[31m" not in t for t in hostile)
    else:
        assert out.strip()


def test_skipped_files_are_listed_with_reasons(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "c"
    bad = build_hostile(folder)
    code, out, err = run(
        capsys, "sources", "--corpus", str(folder), "--index-dir", str(tmp_path / "ix")
    )
    assert code == 0
    lines = err.splitlines()
    for name, reason in bad.items():
        assert any(f"skipped: {name}: " in ln and reason in ln for ln in lines), (name, err)
    assert any("caf\\xe9 latin name.txt" in ln and "UTF-8" in ln for ln in lines)
    assert any("note: cp1252.txt: not UTF-8" in ln for ln in lines)
    assert_inert(err)


def test_export_on_the_hostile_corpus(capsys, corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, ix, _ = corpus
    common = ["--corpus", str(folder), "--index-dir", str(ix)]
    code, out, err = run(
        capsys, "export", "--query", "hostile OR Medinsky OR Minsk", *common, "--facts"
    )
    assert code == 0, err
    assert_inert(out)
    assert "[@click" not in out.replace("\\[@click", "")  # markup is escaped Markdown
    assert "Medinsky" in out and "hostile" in out.lower()
    note = tmp_path / "-rf.md"
    os.chdir(tmp_path)
    code, _, err = run(
        capsys, "export", "--passages", "hostile:1,hostile:2", "--out", "-rf.md", *common
    )
    assert code == 0, err
    assert note.is_file() and "hostile:2" in note.read_text(encoding="utf-8")


def test_dash_paths_are_values_not_options(capsys, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "-rf"
    corpus.mkdir()
    (corpus / "-rf.txt").write_text("Dash\n\nThe dash report from Brekkenvik.\n", encoding="utf-8")
    code, out, err = run(capsys, "sources", "--corpus", "-rf", "--index-dir", "--ix", "--json")
    assert code == 0, err
    assert json.loads(out)[0]["path"] == "-rf.txt"
    assert (tmp_path / "--ix").is_dir()
    code, out, err = run(capsys, "search", "--corpus", "-rf", "--index-dir", "--ix", "--", "-rf")
    assert code in (0, 2) and "Traceback" not in err
    code, out, err = run(capsys, "sources", "--corpus", "--json")  # a value is missing
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--corpus" in err


def test_usage_errors_are_one_line(capsys) -> None:  # type: ignore[no-untyped-def]
    for argv in (
        ["nope"],
        ["search"],
        ["facts", "--kind", "bogus"],
        ["search", "x", "--limit", "0"],
    ):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith("talks-tui: error:")


def test_unknown_ids_are_clear(capsys, corpus) -> None:  # type: ignore[no-untyped-def]
    folder, ix, _ = corpus
    common = ["--corpus", str(folder), "--index-dir", str(ix)]
    for argv in (
        ["related", "\x1b[2Jnope:1"],
        ["passages", "--source", "[/]\x1b]0;x\x07"],
        ["export", "--passages", "\u202enope:1"],
    ):
        code, out, err = run(capsys, *argv, *common)
        assert code == 2 and out == ""
        last = err.strip().splitlines()[-1]
        assert last.startswith("talks-tui: error: no ") and "see: talks-tui" in last
        assert_inert(err)


def test_subprocess_has_no_traceback_and_no_raw_escape(corpus) -> None:  # type: ignore[no-untyped-def]
    folder, ix, _ = corpus
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for argv in (["sources"], ["search", "Minsk OR Medinsky", "--json"]):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "tui.cli",
                *argv,
                "--corpus",
                str(folder),
                "--index-dir",
                str(ix),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        assert_inert(proc.stdout)
        assert_inert(proc.stderr)

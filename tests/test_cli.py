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


def test_export_query_to_file_and_overwrite_rules(capsys, tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    note = tmp_path / "note.md"
    args = ("--index-dir", str(tmp_path / "ix"))
    code, out, err = run(capsys, "export", "--query", "bodies", "--out", str(note), *args)
    assert code == 0 and out == "" and "wrote" in err
    text = note.read_text(encoding="utf-8")
    quotes = [t for t in MarkdownIt("commonmark").parse(text) if t.type == "blockquote_open"]
    hits = run_json(capsys, "search", "bodies", "--limit", "50", *args)
    assert len(quotes) == len(hits)
    assert "**bodies**" in text and "The Moscow Times" in text
    # never overwrite silently
    note.write_text("keep", encoding="utf-8")
    code, _, err = run(capsys, "export", "--query", "bodies", "--out", str(note), *args)
    assert code == 2 and "exists" in err and "--force" in err and note.read_text() == "keep"
    code, _, _ = run(capsys, "export", "--query", "bodies", "--out", str(note), "--force", *args)
    assert code == 0 and note.read_text().startswith("#")
    # a missing folder is a clear error
    code, _, err = run(
        capsys, "export", "--query", "bodies", "--out", str(tmp_path / "no" / "n.md"), *args
    )
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1


def test_export_refuses_json(capsys, tmp_path: Path) -> None:
    """Export writes Markdown; a --json it would ignore is a usage error, not Markdown."""
    code, out, err = run(capsys, "export", "--query", "bodies", "--json")
    assert code == 2 and out == "" and "--json" in err and err.count("\n") == 1


def test_the_app_without_a_terminal_or_folder_is_one_line(tmp_path: Path) -> None:
    """Launched with no terminal the app spun at 85% CPU; on a missing folder it opened an
    empty screen and exited 0."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "tui.cli"]
    got = subprocess.run(
        [*cmd, "--index-dir", str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert got.returncode == 2 and got.stdout == "" and "needs a terminal" in got.stderr
    assert got.stderr.count("\n") == 1


def test_the_app_on_a_missing_folder_stops_before_the_screen(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.app

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(tui.app.TalksApp, "run", lambda self: pytest.fail("app started"))
    code, out, err = run(capsys, "--corpus", str(tmp_path / "nope"))
    assert code == 2 and out == "" and "corpus folder not found" in err


def test_export_passages_to_stdout(capsys, tmp_path: Path) -> None:
    args = ("--index-dir", str(tmp_path / "ix"))
    rows = run_json(capsys, "passages", *args)
    ids = [rows[0]["id"], rows[-1]["id"]]
    code, out, _ = run(capsys, "export", "--passages", ",".join(ids), "--facts", *args)
    assert code == 0 and out.startswith("# ") and all(i in out for i in ids)
    code, _, err = run(capsys, "export", "--passages", "nope:1", *args)
    assert code == 2 and "no passage" in err


def test_facts_related_disagreements_json(capsys, tmp_path: Path) -> None:
    args = ("--index-dir", str(tmp_path / "ix"))
    facts = run_json(capsys, "facts", "--kind", "number", *args)
    assert facts and all(f["kind"] == "number" for f in facts)
    for f in facts:
        assert {"text", "value", "passage", "source", "start", "end", "counts"} <= f.keys()
    bodies = [f for f in facts if f["value"] == 6000 and f["counts"] == "body"]
    assert len({f["source"] for f in bodies}) >= 4
    quotes = run_json(capsys, "facts", "--kind", "quote", *args)
    assert any(q["speaker"] == "Vladimir Medinsky" for q in quotes)
    related = run_json(capsys, "related", bodies[0]["passage"], *args)
    assert related and all(r["source"] != bodies[0]["source"] for r in related)
    assert all({"score", "why", "text"} <= r.keys() for r in related)
    groups = run_json(capsys, "disagreements", *args)
    values = [{v["value"] for v in g["values"]} for g in groups]
    assert any({"339", "over 500", "several hundred"} <= v for v in values)
    assert any(any("hour" in x for x in v) and len(v) >= 2 for v in values)


def test_other_news_corpus_gives_sensible_output(capsys, make_corpus, tmp_path: Path) -> None:
    """A folder about something else entirely: no crash, no facts from ids or headers."""
    folder = make_corpus(
        {
            "2024-03-11_quake-report-123456.md": (
                "# Earthquake Kills 41 In Coastal Town\n\n"
                "March 11, 2024\n\n"
                "A magnitude 6.1 earthquake killed at least 41 people on Monday, officials "
                "said, and left about 2,000 residents homeless.\n\n"
                '"We are still searching the rubble," said Mayor Ana Petrova.\n\n'
                "Original url: https://news.example.com/2024/03/11/quake-987654\n"
            ),
            "quake-followup.txt": (
                " date 2024-03-12 Death Toll Rises\n\n"
                "The death toll rose to 47 people, rescuers said on Tuesday. "
                "More than 1,500 residents remain in shelters.\n"
            ),
        }
    )
    args = ("--corpus", str(folder), "--index-dir", str(tmp_path / "ix"))
    sources = run_json(capsys, "sources", *args)
    assert {s["date"] for s in sources} == {"2024-03-11", "2024-03-12"}
    facts = run_json(capsys, "facts", *args)
    numbers = {f["value"] for f in facts if f["kind"] == "number"}
    assert {41, 47} <= numbers
    assert not numbers & {123456, 987654, 2024, 11, 12}
    assert run_json(capsys, "disagreements", *args) is not None


def test_corpus_and_index_dir_before_the_command_are_used(
    capsys, make_corpus, tmp_path: Path
) -> None:
    """``talks-tui --corpus DIR sources`` reads DIR (argparse let the subcommand's unset
    option reset it to the bundled corpus)."""
    corpus = make_corpus({"a.txt": "Officials met in Vienna.\n\nThey talked for an hour."})
    index = tmp_path / "ix"
    before = run_json(capsys, "--corpus", str(corpus), "--index-dir", str(index), "sources")
    after = run_json(capsys, "sources", "--corpus", str(corpus), "--index-dir", str(index))
    assert [r["path"] for r in before] == [r["path"] for r in after] == ["a.txt"]
    assert index.is_dir()

"""The notebook on the command line: tag, tags, note, export --tag, search --saved/--save,
timeline and entities."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from search import store
from tui.cli import main

from .test_notebook import A, B


@pytest.fixture
def where(make_corpus, tmp_path: Path) -> list[str]:
    corpus = make_corpus({"a.txt": A, "b.txt": B})
    return ["--corpus", str(corpus), "--index-dir", str(tmp_path / "idx")]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str) -> list:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def error_line(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1, (code, out, err)
    assert "Traceback" not in err
    return err


def test_tag_tags_and_remove(capsys, where: list[str]) -> None:
    assert run(capsys, "tag", "a:2", "to check", *where)[0] == 0
    assert run(capsys, "tag", "b:1", "to check", *where)[0] == 0
    code, _, err = run(capsys, "tag", "b:1", "\x1b[31m[b]x[/b]", *where)
    assert code == 0 and "\x1b" not in err
    rows = run_json(capsys, "tags", *where)
    assert rows == [
        {"name": "[b]x[/b]", "passages": ["b:1"], "orphans": []},
        {"name": "to check", "passages": ["a:2", "b:1"], "orphans": []},
    ]
    code, out, _ = run(capsys, "tags", *where)
    assert code == 0 and "to check  (2 passages)" in out and "a:2" in out
    assert run(capsys, "tag", "b:1", "to check", "--remove", *where)[0] == 0
    assert run_json(capsys, "tags", *where)[1]["passages"] == ["a:2"]
    assert "has no tag" in error_line(capsys, "tag", "b:1", "to check", "--remove", *where)


def test_tag_errors_are_one_line(capsys, where: list[str]) -> None:
    assert "no passage with id" in error_line(capsys, "tag", "a:99", "x", *where)
    assert "visible character" in error_line(capsys, "tag", "a:1", "   ", *where)
    code, _, _ = run(capsys, "tag", "a:1", "y" * 10_000, *where)
    assert code == 0
    assert run_json(capsys, "tags", *where)[0]["name"] == "y" * store.TAG_MAX


def test_orphans_are_marked(capsys, where: list[str]) -> None:
    run(capsys, "tag", "a:1", "delegation", *where)
    corpus = Path(where[1])
    (corpus / "a.txt").write_text(A.replace("Rustem Umerov led", "Someone else led"))
    rows = run_json(capsys, "tags", *where)
    assert rows[0]["passages"] == [] and rows[0]["orphans"][0]["passage"] == "a:1"
    assert rows[0]["orphans"][0]["text"].startswith("Rustem Umerov led")
    code, out, err = run(capsys, "tags", *where)
    assert "orphan: gone from the corpus" in out and "1 tagged or annotated" in err


def test_note_and_export_by_tag(capsys, where: list[str], tmp_path: Path) -> None:
    run(capsys, "tag", "a:2", "exchange", *where)
    run(capsys, "tag", "a:2", "dates", *where)
    run(capsys, "tag", "b:1", "exchange", *where)
    code, _, err = run(capsys, "note", "a:2", "check this\n# with \x1b]52;c;x\x07B", *where)
    assert code == 0 and "noted a:2" in err
    code, out, _ = run(capsys, "export", "--tag", "exchange", *where)
    assert code == 0 and out.startswith("# Tag: exchange")
    quote = out.index("> Umerov said")
    attribution = out.index("passage `a:2` · tags: exchange, dates", quote)
    assert out.index("*Note:* check this\\\n\\# with B", attribution) > attribution
    assert "\x1b" not in out and "`b:1` · tags: exchange" in out
    out_file = tmp_path / "note.md"
    assert run(capsys, "export", "--tag", "exchange", "--out", str(out_file), *where)[0] == 0
    assert out_file.read_text().startswith("# Tag: exchange")
    assert "already exists" in error_line(
        capsys, "export", "--tag", "exchange", "--out", str(out_file), *where
    )
    assert "no tag named" in error_line(capsys, "export", "--tag", "nope", *where)
    code, _, err = run(capsys, "note", "a:2", "", *where)
    assert code == 0 and "removed the note" in err


def test_search_save_and_saved(capsys, where: list[str]) -> None:
    code, out, err = run(capsys, "search", "prisoner", "--save", "swap", *where)
    assert code == 0 and "saved the search as 'swap'" in err and "a:2" in out
    rows = run_json(capsys, "search", "--saved", "swap", *where)
    assert [r["id"] for r in rows] == ["a:2"]
    run(capsys, "tag", "b:1", "start", *where)
    assert [r["id"] for r in run_json(capsys, "search", "talks tag:start", *where)] == ["b:1"]
    assert "no saved search" in error_line(capsys, "search", "--saved", "other", *where)
    assert "not both" in error_line(capsys, "search", "x", "--saved", "swap", *where)
    assert "needs a QUERY" in error_line(capsys, "search", *where)
    assert "no tag named" in error_line(capsys, "search", "tag:nope", *where)


def test_timeline_and_entities(capsys, where: list[str]) -> None:
    rows = run_json(capsys, "timeline", *where)
    assert [(r["date"], r["source"], r["passage"]) for r in rows] == [
        ("2025-06-01", "b", "b:1"),
        ("2025-06-02", "a", "a:1"),
        ("2025-06-10", "a", "a:2"),
    ]
    assert {"date", "text", "source", "passage"} <= rows[0].keys()
    code, out, _ = run(capsys, "timeline", *where)
    assert code == 0 and out.splitlines()[0].startswith("2025-06-01")
    people = run_json(capsys, "entities", "--kind", "person", *where)
    umerov = next(e for e in people if e["name"] == "Rustem Umerov")
    assert umerov["kind"] == "person" and umerov["aliases"] == ["Umerov"]
    assert umerov["count"] == {"a": 2} and umerov["missing"] == ["b"]
    assert {e["kind"] for e in run_json(capsys, "entities", *where)} == {"person", "place"}
    code, out, _ = run(capsys, "entities", *where)
    assert "Rustem Umerov · person · 2 mentions  (also: Umerov)" in out
    assert "never named by" in out
    assert "invalid choice" in error_line(capsys, "entities", "--kind", "thing", *where)


def test_a_store_from_a_newer_version_is_an_error(capsys, where: list[str]) -> None:
    path = store.default_store_path(Path(where[1]).resolve())
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    assert "newer talks-tui" in error_line(capsys, "tag", "a:1", "x", *where)
    assert "newer talks-tui" in error_line(capsys, "tags", *where)

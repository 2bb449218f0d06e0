"""Issue 14 on the command line: --version, totals, query errors and hints, whole ranges,
whole titles, facts listed once in an export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

from .conftest import SEEDS

DOCS = {
    "a.txt": " date 2025-06-02 Ceasefire Talks Stall\n\n"
    + "".join(f"The ceasefire was discussed in round {n}.\n\n" for n in range(1, 8))
    + "Between 18 to 25 people, several hundred in all, came from Russia and Russia.\n",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def corpus(make_corpus, tmp_path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    return ["--corpus", str(make_corpus(DOCS)), "--index-dir", str(tmp_path / "ix")]


def test_version(capsys) -> None:  # type: ignore[no-untyped-def]
    from importlib.metadata import version

    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"talks-tui {version('talks-tui')}"


def test_search_says_how_many_match_and_how_many_are_shown(capsys, corpus) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "search", "ceasefire", "--limit", "3", *corpus)
    assert code == 0
    assert "7 passages match in 1 source, showing 3" in out
    code, out, err = run(capsys, "search", "ceasefire", "--limit", "3", "--json", *corpus)
    assert len(json.loads(out)) == 3 and "total: 7" in err
    code, out, err = run(capsys, "search", "ceasefire", "--count", *corpus)
    assert code == 0 and out == "7\n"


def test_query_hints_go_to_stderr(capsys, corpus) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "search", "ceasefire or round", "--json", *corpus)
    assert code == 0 and "use OR / NOT" in err and "OR / NOT" not in out
    json.loads(out)


@pytest.mark.parametrize(
    "argv",
    [
        ("search", "source:nope"),
        ("search", "ceasefire", "--source", "nope"),
        ("search", "date:2025-13"),
        ("search", "date:2025-02-30"),
        ("export", "--query", "source:nope"),
    ],
)
def test_bad_filters_exit_2_with_one_line(capsys, corpus, argv) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, *argv, *corpus)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "error" in err


def test_facts_show_whole_ranges(capsys, corpus) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "facts", "--kind", "number", *corpus)
    assert code == 0
    assert "→ 18–25" in out
    assert "→ 200–900" in out


def test_export_lists_each_fact_once(capsys, corpus) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "export", "--query", "people", "--facts", *corpus)
    assert code == 0
    facts = [line for line in out.splitlines() if line.startswith("- place:")]
    assert facts == ["- place: Russia"]


def test_titles_are_stored_whole(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, "sources", "--json", "--corpus", str(SEEDS), "--index-dir", str(tmp_path)
    )
    title = next(r["title"] for r in json.loads(out) if r["id"].startswith("003_"))
    assert "…" not in title and title.endswith("ceasefire and peace agreement.")


def test_disagreements_json_text_is_as_written(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, "disagreements", "--json", "--corpus", str(SEEDS), "--index-dir", str(tmp_path)
    )
    # each value as written; each source's text is the sentence that states it
    values = {v["value"] for d in json.loads(out) for v in d["values"]}
    assert "over 500" in values and "500" not in values
    sentences = [s["text"] for d in json.loads(out) for v in d["values"] for s in v["sources"]]
    assert any("over 500 children" in t for t in sentences)


def test_headline_numbers_are_facts_of_the_source(capsys, make_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make_corpus({"k.txt": "Strike Kills 12 In Kharkiv\n\nThe strike hit a market.\n"})
    argv = ["--corpus", str(folder), "--index-dir", str(tmp_path / "ix")]
    code, out, _ = run(capsys, "facts", "--kind", "number", "--json", *argv)
    rows = json.loads(out)
    assert [(r["value"], r["passage"], r["in_title"]) for r in rows] == [(12, "k:1", True)]
    title = "Strike Kills 12 In Kharkiv"
    assert title[rows[0]["start"] : rows[0]["end"]] == "12"
    code, out, _ = run(capsys, "facts", "--kind", "number", *argv)
    assert "in the headline" in out


def test_the_default_export_folder_is_the_documents_folder(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import platformdirs

    from tui.paths import export_folder

    monkeypatch.chdir(tmp_path)
    assert export_folder(None) == platformdirs.user_documents_path() != Path.cwd()
    assert export_folder("~/notes") == Path("~/notes").expanduser()

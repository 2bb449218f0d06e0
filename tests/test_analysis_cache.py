"""The related-passage index and the agreement groups are kept with the index: a re-open
maps them from disk instead of building them, and any change or damage rebuilds them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import search.agreement
import search.related
from search.workspace import Workspace

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _answers(ws: Workspace) -> tuple:
    related = {
        pid: [(link.passage.id, round(link.score, 6), link.why) for link in ws.related(pid)]
        for pid in ws.passages
    }
    return related, [d.to_json() for d in ws.disagreements()]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


def _no_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("built again instead of loaded")

    monkeypatch.setattr(search.related, "_collect", refuse)
    monkeypatch.setattr(search.agreement.Agreement, "_cluster", refuse)


def test_reopen_loads_the_same_answers_without_building(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Workspace.open(corpus, tmp_path / "ix")
    expected = _answers(first)
    first.close()
    assert (tmp_path / "ix" / "analysis" / "related" / "meta.json").exists()
    with monkeypatch.context() as m:
        _no_builds(m)
        again = Workspace.open(corpus, tmp_path / "ix")
        assert _answers(again) == expected
        again.close()
    assert _answers(Workspace.open(corpus, None, in_memory=True)) == expected


def test_an_edited_article_rebuilds_the_analysis(corpus: Path, tmp_path: Path) -> None:
    Workspace.open(corpus, tmp_path / "ix").prepare()
    article = sorted(corpus.glob("*.txt"))[0]
    article.write_text(
        article.read_text(encoding="utf-8") + "\n\nA new paragraph about 77 tanks.\n",
        encoding="utf-8",
    )
    ws = Workspace.open(corpus, tmp_path / "ix")
    assert _answers(ws) == _answers(Workspace.open(corpus, None, in_memory=True))


@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete"])
def test_damaged_analysis_files_are_rebuilt(corpus: Path, tmp_path: Path, damage: str) -> None:
    expected = _answers(Workspace.open(corpus, None, in_memory=True))
    Workspace.open(corpus, tmp_path / "ix").prepare()
    analysis = tmp_path / "ix" / "analysis"
    files = [p for p in analysis.rglob("*") if p.is_file()]
    assert len(files) > 3
    for path in files:
        if damage == "delete":
            path.unlink()
        elif damage == "truncate":
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        else:
            path.write_bytes(b"\x93NUMPY garbage" * 10)
    assert _answers(Workspace.open(corpus, tmp_path / "ix")) == expected
    assert _answers(Workspace.open(corpus, tmp_path / "ix")) == expected  # and written again


def test_a_large_corpus_builds_its_analysis_in_another_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    import search.workspace as workspace

    expected = _answers(Workspace.open(corpus, None, in_memory=True))
    monkeypatch.setattr(workspace, "PREPARE_APART_MIN", 1)
    ws = Workspace.open(corpus, tmp_path / "ix")
    ws.prepare()
    assert isinstance(ws.related_index._p_w.base, np.memmap)  # mapped: built elsewhere
    assert _answers(ws) == expected


def test_when_the_analysis_process_fails_it_is_built_here(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.workspace as workspace
    from search.pipeline import analysis

    expected = _answers(Workspace.open(corpus, None, in_memory=True))
    monkeypatch.setattr(workspace, "PREPARE_APART_MIN", 1)
    monkeypatch.setattr(analysis, "ANALYSIS_CHILD", "search.no_such_module")  # it fails
    ws = Workspace.open(corpus, tmp_path / "ix")
    ws.prepare()
    assert _answers(ws) == expected


def test_the_name_table_is_kept_and_loaded(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.facts

    def facts_of(ws: Workspace) -> list:
        return [f for pid in sorted(ws.passages) for f in ws.facts[pid]]

    first = Workspace.open(corpus, tmp_path / "ix")
    first.prepare_facts()
    expected = facts_of(first)
    assert (tmp_path / "ix" / "analysis" / "names.marshal").exists()
    with monkeypatch.context() as m:
        m.setattr(search.facts, "name_table", None)  # calling it would fail
        again = Workspace.open(corpus, tmp_path / "ix")
        again.prepare_facts()
        assert facts_of(again) == expected
        place = next(f for f in expected if f.kind == "place")
        assert again.facts.sources_stating("place", place.value) == first.facts.sources_stating(
            "place", place.value
        )
    (tmp_path / "ix" / "analysis" / "names.marshal").write_bytes(b"damaged")
    damaged = Workspace.open(corpus, tmp_path / "ix")
    damaged.prepare_facts()
    assert facts_of(damaged) == expected


def test_the_analysis_process_fails_with_an_exit_code_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It shares the app's terminal: a traceback would land on the app's screen."""
    import sys

    import search.workspace as workspace

    monkeypatch.setattr(sys, "stderr", sys.stderr)  # it silences stderr; restored after
    with pytest.raises(SystemExit) as stopped:
        workspace.build_analysis(str(tmp_path / "no such corpus"), str(tmp_path / "ix"))
    assert stopped.value.code == 1
    assert capsys.readouterr().err == ""


def test_the_analysis_process_runs_from_the_command_line(corpus: Path, tmp_path: Path) -> None:
    """What Workspace.prepare starts: python -m search.analysis_child CORPUS INDEX_DIR."""
    import subprocess
    import sys

    Workspace.open(corpus, tmp_path / "ix").close()
    done = subprocess.run(
        [sys.executable, "-m", "search.analysis_child", str(corpus), str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""
    ws = Workspace.open(corpus, tmp_path / "ix")
    assert ws._analysis_kept()

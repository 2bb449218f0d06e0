"""``talks-tui claims`` and ``disagreements`` (PRODUCT.md §4) on a small invented event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

from .test_claims import FIRE


@pytest.fixture
def args(make_corpus, tmp_path: Path) -> tuple[str, ...]:
    return ("--corpus", str(make_corpus(FIRE)), "--index-dir", str(tmp_path / "ix"))


def _run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys, *argv: str) -> list[dict]:  # type: ignore[no-untyped-def]
    code, out, err = _run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_claims_json_shape(capsys, args) -> None:  # type: ignore[no-untyped-def]
    rows = _json(capsys, "claims", *args)
    assert rows and len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert {"id", "label", "verdict", "sources"} <= row.keys()
        assert row["verdict"] in ("agree", "compatible", "conflict", "single")
        for s in row["sources"]:
            assert {"source", "passage", "text", "start", "end", "value"} <= s.keys()
    killed = next(r for r in rows if r["label"] == "people killed")
    assert {s["value"]["text"] for s in killed["sources"]} == {
        "12",
        "15",
        "At least 14",
        "at least 10",
    }


def test_claims_filters(capsys, args) -> None:  # type: ignore[no-untyped-def]
    conflicts = _json(capsys, "claims", "--conflicts", *args)
    assert conflicts and all(r["verdict"] == "conflict" for r in conflicts)
    wide = _json(capsys, "claims", "--min-sources", "4", *args)
    assert {r["label"] for r in wide} == {"people killed", "people injured"}
    only_d = _json(capsys, "claims", "--source", "d", *args)
    assert only_d and all(any(s["source"] == "d" for s in r["sources"]) for r in only_d)
    code, out, err = _run(capsys, "claims", "--source", "nope", *args)
    assert code == 2 and not out and len(err.strip().splitlines()) == 1


def test_disagreements_json_are_the_differing_claims(capsys, args) -> None:  # type: ignore[no-untyped-def]
    groups = _json(capsys, "disagreements", *args)
    by_subject = {g["subject"]: g for g in groups}
    killed = by_subject["people killed"]
    assert killed["conflict"] is True
    assert {v["value"] for v in killed["values"]} == {"12", "15", "At least 14", "at least 10"}
    for value in killed["values"]:
        for s in value["sources"]:
            assert {"source", "passage", "text", "start", "end"} <= s.keys()
    assert by_subject["people employed"]["conflict"] is False
    assert "where it started" in by_subject


def test_disagreements_human_output_names_each_source_once_per_value(capsys, args) -> None:  # type: ignore[no-untyped-def]
    code, out, _err = _run(capsys, "disagreements", *args)
    assert code == 0
    block = out.split("where it started (conflict):\n")[1].split("\n\n")[0].splitlines()
    storage = next(line for line in block if "storage hall" in line)
    assert storage.split("storage hall")[1].split() == ["a.txt,", "c.txt"]

"""The fast paths give the same answers as the plain ones: parallel parsing, the parsed
cache with facts built on first use, and the highlight spans computed without Whoosh's
fragment machinery."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from whoosh.highlight import Formatter, WholeFragmenter, highlight

from bench.corpus import generate
from search import engine
from search.workspace import CACHE_FILE, Workspace


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench-corpus")
    generate(folder, 300)
    return folder


def snapshot(ws: Workspace) -> tuple:  # type: ignore[type-arg]
    return (
        list(ws.sources.values()),
        {sid: list(ps) for sid, ps in ws.by_source.items()},
        ws.all_facts(),
        [(h.passage, h.highlights) for h in ws.search("prisoners OR bodies", limit=None).hits],
        ws.search("prisoners OR bodies").per_source,
    )


def test_parallel_parse_gives_the_serial_result(corpus: Path, tmp_path: Path) -> None:
    serial = Workspace.open(corpus, tmp_path / "serial", workers=1)
    parallel = Workspace.open(corpus, tmp_path / "parallel", workers=2)
    assert serial.stats.parsed == parallel.stats.parsed
    assert snapshot(serial) == snapshot(parallel)
    assert len(serial.passages) > 250


def test_cached_reopen_gives_the_fresh_result(corpus: Path, tmp_path: Path) -> None:
    fresh = Workspace.open(corpus, tmp_path / "ix", workers=1)
    expected = snapshot(fresh)
    fresh.close()
    again = Workspace.open(corpus, tmp_path / "ix")
    assert again.stats.parsed == [] and again.stats.indexed_passages == 0
    assert snapshot(again) == expected
    memory = Workspace.open(corpus, in_memory=True, workers=1)
    assert snapshot(memory) == expected


def test_damaged_cache_file_is_rebuilt(corpus: Path, tmp_path: Path) -> None:
    expected = snapshot(Workspace.open(corpus, tmp_path / "ix", workers=1))
    (tmp_path / "ix" / CACHE_FILE).write_bytes(b"not a database" * 100)
    ws = Workspace.open(corpus, tmp_path / "ix", workers=1)
    assert not ws.stats.rebuilt and ws.stats.indexed_passages == 0  # index kept
    assert snapshot(ws) == expected
    with sqlite3.connect(tmp_path / "ix" / CACHE_FILE) as db:
        (count,) = db.execute("SELECT count(*) FROM parsed").fetchone()
    assert count == len(ws.sources)


def test_removed_sources_leave_the_cache(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"a.txt": "A\n\nThe talks ended.\n", "b.txt": "B\n\nKyiv said so.\n"})
    Workspace.open(folder, tmp_path / "ix").close()
    (folder / "b.txt").unlink()
    ws = Workspace.open(folder, tmp_path / "ix")
    assert ws.stats.removed == ["b"]
    with sqlite3.connect(tmp_path / "ix" / CACHE_FILE) as db:
        assert [sid for (sid,) in db.execute("SELECT sid FROM parsed")] == ["a"]


class _Spans(Formatter):
    def format(self, fragments, replace=False):  # type: ignore[no-untyped-def]  # noqa: ARG002
        return [(t.startchar, t.endchar) for f in fragments for t in f.matches]


@pytest.mark.parametrize(
    "text",
    [
        "The bodies of 6,000 soldiers were returned; Erdoğan said the bodies count.",
        "No match here at all.",
        "Body body BODIES bodies’ embodied " * 3,
        ("prisoner " * 5000) + "bodies",  # past Whoosh's 32k-character highlight limit
    ],
)
def test_spans_match_whoosh_highlight(text: str) -> None:
    ana = engine.analyzer()
    terms = frozenset({"bodi", "6000", "erdogan", "prison"})
    reference = highlight(text, terms, ana, WholeFragmenter(), _Spans(), top=1)
    assert engine.spans_for(text, terms, ana) == reference

"""The fast paths give the same answers as the plain ones: parallel parsing, the parsed
cache with facts built on first use, and the highlight spans computed without Whoosh's
fragment machinery."""

from __future__ import annotations

import sqlite3
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from whoosh.highlight import Formatter, WholeFragmenter, highlight

from bench.corpus import generate
from search import engine, workspace
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


class _DyingPool:
    """A process pool whose workers die after a few files."""

    def __init__(self, *_args: object, **_kwargs: object) -> None:
        self.submitted = 0

    def submit(self, fn, arg):  # type: ignore[no-untyped-def]
        self.submitted += 1
        if self.submitted > 5:
            raise BrokenProcessPool("a worker died")
        future: Future[object] = Future()
        future.set_result(fn(arg))
        return future

    def shutdown(self, **_kwargs: object) -> None:
        pass


def test_a_dying_pool_falls_back_to_serial(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = snapshot(Workspace.open(corpus, tmp_path / "serial", workers=1))
    monkeypatch.setattr(workspace, "ProcessPoolExecutor", _DyingPool)
    assert snapshot(Workspace.open(corpus, tmp_path / "dying", workers=2)) == expected


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
        (count,) = db.execute(f"SELECT count(*) FROM {workspace._TABLE}").fetchone()
    assert count == len(ws.sources)


def test_removed_sources_leave_the_cache(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"a.txt": "A\n\nThe talks ended.\n", "b.txt": "B\n\nKyiv said so.\n"})
    Workspace.open(folder, tmp_path / "ix").close()
    (folder / "b.txt").unlink()
    ws = Workspace.open(folder, tmp_path / "ix")
    assert ws.stats.removed == ["b"]
    with sqlite3.connect(tmp_path / "ix" / CACHE_FILE) as db:
        assert [sid for (sid,) in db.execute(f"SELECT sid FROM {workspace._TABLE}")] == ["a"]


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


@pytest.mark.parametrize(
    "query", ["prisoners", "drones OR missiles", "prisoners NOT bodies", '"Red Cross"', "pris*"]
)
def test_top_hits_and_counts_agree_with_all_hits(corpus: Path, tmp_path: Path, query: str) -> None:
    ws = Workspace.open(corpus, tmp_path / "ix", workers=1)
    everything = ws.search(query, limit=None)
    top = ws.search(query, limit=5)
    assert [h.passage.id for h in top.hits] == [h.passage.id for h in everything.hits[:5]]
    tally: dict[str, int] = {}
    for h in everything.hits:
        tally[h.passage.source] = tally.get(h.passage.source, 0) + 1
    assert top.per_source == everything.per_source == tally
    some = next(iter(tally), None)
    if some is not None:
        only = ws.search(query, limit=3, source=some)
        assert only.per_source == {some: tally[some]}
        assert all(h.passage.source == some for h in only.hits)


def test_counts_forget_removed_and_changed_passages(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus(
        {"a.txt": "A\n\nThe talks ended.\n\nThe talks resumed.\n", "b.txt": "B\n\nTalks, again.\n"}
    )
    Workspace.open(folder, tmp_path / "ix").close()
    (folder / "a.txt").write_text("A\n\nThe talks ended.\n", encoding="utf-8")
    (folder / "b.txt").unlink()
    ws = Workspace.open(folder, tmp_path / "ix")
    result = ws.search("talks")
    assert result.per_source == {"a": 1} and [h.passage.id for h in result.hits] == ["a:1"]


def test_parallel_parse_from_a_thread(corpus: Path, tmp_path: Path) -> None:
    """The app opens the corpus from a worker thread: the pool must not fork it."""
    import threading

    expected = snapshot(Workspace.open(corpus, tmp_path / "serial", workers=1))
    got: list[Workspace] = []
    thread = threading.Thread(
        target=lambda: got.append(Workspace.open(corpus, tmp_path / "thread", workers=2))
    )
    thread.start()
    thread.join(timeout=300)
    assert got and snapshot(got[0]) == expected

"""The fast paths give the same answers as the plain ones: parallel parsing, the parsed
cache with facts built on first use, and the highlight spans computed without Whoosh's
fragment machinery."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.highlight import Formatter, WholeFragmenter, highlight

from bench.corpus import generate
from search import engine, whoosh_private
from search.pipeline import run
from search.pipeline.cache import CACHE_FILE, TABLE
from search.workspace import Workspace


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


def unordered(ws: Workspace) -> tuple:  # type: ignore[type-arg]
    got = snapshot(ws)
    return (*got[:3], sorted(got[3], key=lambda hit: hit[0].id), got[4])


def test_parallel_parse_gives_the_serial_result(corpus: Path, tmp_path: Path) -> None:
    serial = Workspace.open(corpus, tmp_path / "serial", workers=1)
    parallel = Workspace.open(corpus, tmp_path / "parallel", workers=2)
    assert serial.stats.parsed == parallel.stats.parsed
    assert snapshot(serial) == snapshot(parallel)
    assert len(serial.passages) > 250


_PARSE = run.parse_job


def _dies_in_a_worker(job):  # type: ignore[no-untyped-def]
    """``parse_job``, except that a worker process dies at its third file."""
    if multiprocessing.parent_process() is not None:
        _dies_in_a_worker.seen += 1  # type: ignore[attr-defined]
        if _dies_in_a_worker.seen > 2:  # type: ignore[attr-defined]
            os._exit(3)
    return _PARSE(job)


_dies_in_a_worker.seen = 0  # type: ignore[attr-defined]


def _raises_in_a_worker(job):  # type: ignore[no-untyped-def]
    if multiprocessing.parent_process() is not None:
        raise RuntimeError("a bug that shows in workers only")
    return _PARSE(job)


def index_files(directory: Path) -> tuple[set[str], set[str], list[Path]]:
    """(segment ids the index lists, segment ids with files, builders' folders left)."""
    from whoosh.index import TOC

    storage = FileStorage(str(directory))
    listed = {s.segid for s in TOC.read(storage, engine.INDEX_NAME).segments}
    on_disk = {
        f.name[len(engine.INDEX_NAME) + 1 :].split(".")[0]
        for f in directory.iterdir()
        if f.name.startswith(engine.INDEX_NAME + "_") and f.is_file() and "WRITELOCK" not in f.name
    }
    return listed, on_disk, list(directory.glob(f"*{engine.PART_TMP}*"))


def test_parallel_ingest_writes_one_segment_per_worker(corpus: Path, tmp_path: Path) -> None:
    ws = Workspace.open(corpus, tmp_path / "ix", workers=2)
    listed, on_disk, folders = index_files(tmp_path / "ix")
    assert len(listed) == 2 and listed == on_disk and not folders
    assert ws.index.doc_count() == len(ws.passages)


@pytest.mark.parametrize("parse", [_dies_in_a_worker, _raises_in_a_worker])
def test_a_failing_worker_falls_back_to_serial(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parse
) -> None:
    expected = snapshot(Workspace.open(corpus, tmp_path / "serial", workers=1))
    monkeypatch.setattr(run, "parse_job", parse)
    ws = Workspace.open(corpus, tmp_path / "failing", workers=2)
    assert snapshot(ws) == expected
    listed, on_disk, folders = index_files(tmp_path / "failing")
    assert listed == on_disk and not folders  # no files of the failed workers' segments


@pytest.mark.parametrize("parse", [_dies_in_a_worker, _raises_in_a_worker])
def test_a_failing_worker_without_an_index_folder_falls_back_to_serial(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parse
) -> None:
    """The workers only parse for an in-memory index (they write no segments there)."""
    expected = snapshot(Workspace.open(corpus, tmp_path / "serial", workers=1))
    assert snapshot(Workspace.open(corpus, in_memory=True, workers=2)) == expected
    _dies_in_a_worker.seen = 0  # type: ignore[attr-defined]
    monkeypatch.setattr(run, "parse_job", parse)
    assert snapshot(Workspace.open(corpus, in_memory=True, workers=2)) == expected


def copy(corpus: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(corpus, tmp_path / "corpus"))


def articles(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md"))


class _Stop(Exception):
    pass


def test_a_cancelled_parallel_ingest_leaves_the_old_index(corpus: Path, tmp_path: Path) -> None:
    folder = copy(corpus, tmp_path)
    before = snapshot(Workspace.open(folder, tmp_path / "ix", workers=2))
    for p in articles(folder):  # every file changes: all are read again, in workers
        p.write_text(p.read_text(encoding="utf-8") + "\n\nThe prisoners were freed.\n", "utf-8")

    def stop(phase: str, done: int, _total: int) -> None:
        if phase == "reading" and done == 5:
            raise _Stop

    with pytest.raises(_Stop):
        Workspace.open(folder, tmp_path / "ix", workers=2, progress=stop)
    listed, on_disk, folders = index_files(tmp_path / "ix")
    assert listed == on_disk and not folders
    index, fresh = engine.open_or_rebuild(tmp_path / "ix")  # probes it: still readable
    assert not fresh and index.doc_count() == sum(map(len, before[1].values()))
    index.close()
    after = Workspace.open(folder, tmp_path / "ix", workers=2)
    assert sorted(after.stats.parsed) == sorted(s.id for s in before[0])
    # the same matches; their order differs: Whoosh scores count deleted documents
    assert unordered(after) == unordered(Workspace.open(folder, tmp_path / "serial", workers=1))


def test_editing_one_file_after_a_parallel_ingest(corpus: Path, tmp_path: Path) -> None:
    folder = copy(corpus, tmp_path)
    Workspace.open(folder, tmp_path / "ix", workers=2).close()
    target = articles(folder)[3]
    target.write_text(target.read_text(encoding="utf-8") + "\n\nBodies came back.\n", "utf-8")
    ws = Workspace.open(folder, tmp_path / "ix", workers=2)
    assert len(ws.stats.parsed) == 1 and not ws.stats.rebuilt
    # the same matches; ties (headline-only matches) may order differently: Whoosh
    # scores count the edited file's deleted documents
    assert unordered(ws) == unordered(Workspace.open(folder, tmp_path / "serial", workers=1))


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
        (count,) = db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
    assert count == len(ws.sources)


def test_removed_sources_leave_the_cache(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"a.txt": "A\n\nThe talks ended.\n", "b.txt": "B\n\nKyiv said so.\n"})
    Workspace.open(folder, tmp_path / "ix").close()
    (folder / "b.txt").unlink()
    ws = Workspace.open(folder, tmp_path / "ix")
    assert ws.stats.removed == ["b"]
    with sqlite3.connect(tmp_path / "ix" / CACHE_FILE) as db:
        assert [sid for (sid,) in db.execute(f"SELECT sid FROM {TABLE}")] == ["a"]


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


def test_postings_sorted_in_runs_on_disk_give_the_same_index(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer whose postings outgrow its memory sorts them in runs on disk (written by
    ``whoosh_private._MarshalRunPool``): the index must be the one kept in memory gives."""
    queries = ["prisoners", '"Red Cross"', "drones OR missiles", "pris*", "Medinsky~"]

    def answers(ws: Workspace) -> list[object]:
        return [snapshot(ws)] + [
            [(h.passage.id, h.score) for h in ws.search(q, limit=None).hits] for q in queries
        ]

    expected = answers(Workspace.open(corpus, tmp_path / "memory", workers=1))
    runs: list[int] = []
    write_run = whoosh_private._MarshalRunPool._write_run

    def counted(self, f, items):  # type: ignore[no-untyped-def]
        runs.append(1)
        return write_run(self, f, items)

    monkeypatch.setattr(whoosh_private._MarshalRunPool, "_write_run", counted)
    monkeypatch.setattr(engine, "WRITER_MB", 1)
    monkeypatch.setattr(whoosh_private, "RUN_CHUNK", 100)
    assert answers(Workspace.open(corpus, tmp_path / "runs", workers=1)) == expected
    assert len(runs) >= 2  # the memory limit was reached: postings went through runs
    assert not list((tmp_path / "runs").rglob("*.run"))  # the runs are removed


def test_marshal_runs_come_back_sorted(tmp_path: Path) -> None:
    from whoosh.filedb.filestore import FileStorage as Storage

    store = Storage(str(tmp_path)).create()
    pool = whoosh_private._MarshalRunPool(store, None, limitmb=1)
    items = [
        ("text", f"w{i % 997}".encode(), i, 1.0, b"\x00" * (i % 3) or None) for i in range(30000)
    ]
    for item in reversed(items):
        pool.add(item)
    assert len(pool.runs) > 1
    assert list(pool.items()) == sorted(items)
    assert not list(tmp_path.glob("*.run"))


def test_another_whoosh_version_indexes_through_the_public_api(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On any Whoosh but 2.7.4 the workers only parse and one public writer indexes."""
    expected = snapshot(Workspace.open(corpus, tmp_path / "serial", workers=1))
    monkeypatch.setattr(whoosh_private, "available", lambda: False)
    ws = Workspace.open(corpus, tmp_path / "public", workers=2)
    assert snapshot(ws) == expected
    listed, on_disk, folders = index_files(tmp_path / "public")
    assert len(listed) == 1 and listed == on_disk and not folders  # no builders' segments
    hits = ws.search("prisoners", limit=5)
    assert hits.total > 0 and hits.hits[0].passage.id in ws.passages


def test_a_failed_private_commit_is_redone_through_the_public_api(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = snapshot(Workspace.open(corpus, tmp_path / "serial", workers=1))
    commit = whoosh_private.commit_segments

    def failing(w, segments, after):  # type: ignore[no-untyped-def]
        w._commit_toc = None  # the private call fails midway
        commit(w, segments, after)

    monkeypatch.setattr(whoosh_private, "commit_segments", failing)
    ws = Workspace.open(corpus, tmp_path / "failed", workers=2)
    assert snapshot(ws) == expected
    monkeypatch.undo()
    reopened = Workspace.open(corpus, tmp_path / "failed", workers=2)
    assert snapshot(reopened) == expected and not reopened.stats.parsed
    listed, on_disk, folders = index_files(tmp_path / "failed")
    assert listed == on_disk and not folders  # the builders' segments are gone

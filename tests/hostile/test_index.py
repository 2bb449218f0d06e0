"""The index is a cache: damaged, locked, shared, unwritable or killed mid-write, the next
run works and returns what a clean build returns."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from search.workspace import Workspace

from .conftest import copy_seeds

QUERIES = ["Medinsky", "bodies OR prisoners", '"prisoner exchange"', "ceasefire NOT Erdogan"]


def results(ws: Workspace) -> dict[str, list[str]]:
    return {q: sorted(h.passage.id for h in ws.search(q, limit=None).hits) for q in QUERIES}


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    copy_seeds(folder)
    return folder


@pytest.fixture
def clean(seeded: Path) -> dict[str, list[str]]:
    return results(Workspace.open(seeded, None, in_memory=True))


def build(seeded: Path, ix: Path) -> None:
    Workspace.open(seeded, ix).close()


def segment_files(ix: Path) -> list[Path]:
    """Every file of every segment (compound ``.seg`` or one file per part)."""
    files = [p for p in ix.iterdir() if p.is_file() and p.name.startswith("passages_")]
    files = [p for p in files if p.suffix != ".toc" and "LOCK" not in p.name]
    assert files, "no segment files to damage"
    return files


@pytest.mark.parametrize("damage", ["truncate", "delete", "garbage"])
def test_damaged_segment_files(seeded: Path, tmp_path: Path, clean, damage: str) -> None:  # type: ignore[no-untyped-def]
    ix = tmp_path / "ix"
    build(seeded, ix)
    for seg in segment_files(ix):
        if damage == "truncate":
            seg.write_bytes(seg.read_bytes()[: seg.stat().st_size // 3])
        elif damage == "delete":
            seg.unlink()
        else:
            seg.write_bytes(os.urandom(seg.stat().st_size))
    ws = Workspace.open(seeded, ix)
    assert results(ws) == clean
    ws.close()
    assert results(Workspace.open(seeded, ix)) == clean


def test_truncated_toc(seeded: Path, tmp_path: Path, clean) -> None:  # type: ignore[no-untyped-def]
    ix = tmp_path / "ix"
    build(seeded, ix)
    for toc in ix.glob("*.toc"):
        toc.write_bytes(toc.read_bytes()[:10])
    assert results(Workspace.open(seeded, ix)) == clean


def test_stale_lock_file_from_a_killed_process(seeded: Path, tmp_path: Path, clean) -> None:  # type: ignore[no-untyped-def]
    ix = tmp_path / "ix"
    build(seeded, ix)
    (ix / "passages_v1_WRITELOCK").write_text("12345")
    (seeded / "new.txt").write_text("New\n\nFiled from Zlatograd.\n", encoding="utf-8")
    started = time.perf_counter()
    ws = Workspace.open(seeded, ix)
    assert time.perf_counter() - started < 5  # not the 10 s lock timeout
    assert len(ws.search("Zlatograd").hits) == 1
    (seeded / "new.txt").unlink()
    ws.close()
    assert results(Workspace.open(seeded, ix)) == clean


def test_damaged_manifest_and_cache(seeded: Path, tmp_path: Path, clean) -> None:  # type: ignore[no-untyped-def]
    ix = tmp_path / "ix"
    build(seeded, ix)
    (ix / "manifest.json").write_text('{"version": [', encoding="utf-8")
    assert results(Workspace.open(seeded, ix)) == clean
    for cached in (ix / "cache").glob("*.json"):
        cached.write_text("[1, 2", encoding="utf-8")
    assert results(Workspace.open(seeded, ix)) == clean


_OPEN_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from search.workspace import Workspace
    ws = Workspace.open(Path(sys.argv[1]), Path(sys.argv[2]))
    qs = json.loads(sys.argv[3])
    print(json.dumps({q: sorted(h.passage.id for h in ws.search(q, limit=None).hits) for q in qs}))
    """
)


def test_two_processes_open_one_corpus_at_once(seeded: Path, tmp_path: Path, clean) -> None:  # type: ignore[no-untyped-def]
    ix = tmp_path / "ix"
    argv = [sys.executable, "-c", _OPEN_SCRIPT, str(seeded), str(ix), json.dumps(QUERIES)]
    procs = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err.decode()
        assert json.loads(out) == clean
    assert results(Workspace.open(seeded, ix)) == clean


def test_unwritable_cache_dir_falls_back_to_memory(
    seeded: Path, tmp_path: Path, clean, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    ws = Workspace.open(seeded)
    assert ws.stats.index_dir is None
    assert any("in-memory index" in w for w in ws.warnings)
    assert results(ws) == clean


async def test_unwritable_cache_dir_notice_in_the_app(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.app import make_app
    from tui.config import Config

    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    app = make_app(seeded, None, Config())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.main.ws is not None
        assert any("in-memory index" in n.message for n in app._notifications)


_KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from search.workspace import Workspace
    def progress(stage, done, total):
        if stage == "indexing" and done > total // 3:
            print("indexing", flush=True)
    Workspace.open(Path(sys.argv[1]), Path(sys.argv[2]), progress=progress)
    print("finished", flush=True)
    """
)


MANY = 800  # enough files for the parallel read and its worker segments (64 and up)


def test_kill_9_during_indexing_then_restart(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    copy_seeds(folder)
    for n in range(MANY):
        (folder / f"n{n:04}.txt").write_text(
            f"Note {n}\\n\\nThe delegation counted {n} items in Istanbul.\\n\\n"
            f"Talks on item {n} resumed on Monday.\\n",
            encoding="utf-8",
        )
    ix = tmp_path / "ix"
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILL_SCRIPT, str(folder), str(ix)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert line.strip() == "indexing", "the child finished before it could be killed"
    one = '"counted 567 items"'
    queries = [one, "Medinsky", "resumed"]
    ws = Workspace.open(folder, ix)
    got = {q: sorted(h.passage.id for h in ws.search(q, limit=None).hits) for q in queries}
    ws.close()
    fresh = Workspace.open(folder, None, in_memory=True)
    want = {q: sorted(h.passage.id for h in fresh.search(q, limit=None).hits) for q in queries}
    assert got == want and len(got[one]) == 1 and len(got["resumed"]) == MANY


class _DiskFull:
    """Make every new index file fail with ENOSPC after ``after`` successful ones."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, after: int = 0) -> None:
        from whoosh.filedb.filestore import FileStorage

        real = FileStorage.create_file
        count = {"n": 0}

        def create_file(storage, name, *args, **kwargs):  # type: ignore[no-untyped-def]
            count["n"] += 1
            if count["n"] > after:
                raise OSError(errno.ENOSPC, "No space left on device", name)
            return real(storage, name, *args, **kwargs)

        monkeypatch.setattr(FileStorage, "create_file", create_file)


@pytest.mark.parametrize("after", [0, 2])
def test_disk_full_then_next_run_works(
    seeded: Path, tmp_path: Path, clean, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:  # type: ignore[no-untyped-def]
    ix = tmp_path / "ix"
    with monkeypatch.context() as m:
        _DiskFull(m, after)
        with contextlib.suppress(Exception):  # the failure is the next test's business
            Workspace.open(seeded, ix).close()
    assert results(Workspace.open(seeded, ix)) == clean


def test_disk_full_is_a_clear_message(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search.errors import TalksError

    _DiskFull(monkeypatch, 0)
    try:
        ws = Workspace.open(seeded, tmp_path / "ix")
    except TalksError as err:
        assert "space" in str(err)
    else:
        assert any("space" in w for w in ws.warnings) and ws.search("Medinsky").hits


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_damage_found_when_probe_reads_a_sample(  # type: ignore[no-untyped-def]
    seeded: Path, tmp_path: Path, clean, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large index is probed at a sample of documents per segment: damage to a whole
    file, or its end, still shows."""
    from search import engine

    monkeypatch.setattr(engine, "PROBE_SAMPLES", 4)
    ix = tmp_path / "ix"
    build(seeded, ix)
    for seg in segment_files(ix):
        data = seg.read_bytes()
        seg.write_bytes(data[: len(data) // 2] if damage == "truncate" else os.urandom(len(data)))
    assert results(Workspace.open(seeded, ix)) == clean

"""A full ingest on every core: worker processes parse, extract facts AND write the
Whoosh postings of their files, each into a segment of its own.

With one writer in the main process, three busy roles (two parsers, one indexer) shared
two cores and the writer was the bottleneck. Here each worker takes a contiguous share of
the files (in file order, so the documents keep the numbers a single writer would give
them and search ties rank the same), writes one segment beside the index without the
lock, and hands the segment back; the main process, which holds the lock, deletes the old
documents of changed sources and lists the segments in the index at its commit
(``engine.IndexWriter.commit``). Results stream back file by file, for the progress bar
and the parsed cache.

Without an index folder (an in-memory index) the workers only parse: the caller indexes
what they send, in file order.

Any failure (a worker that cannot start, dies or raises) leaves ``segments`` None: the
caller re-indexes what it received in its own writer and reads the rest itself.
"""

from __future__ import annotations

import contextlib
import marshal
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, NamedTuple

from .. import engine
from ..models import Passage, Source


class Task(NamedTuple):
    """One file for a worker."""

    n: int  # the job's number (its place in file order)
    job: Any  # what ``parse`` takes (a ``plan.Job``)
    old: dict[str, Any] | None  # the manifest's record of the file


class Read(NamedTuple):
    """What comes back per file read well (else the reason it was skipped)."""

    row: bytes  # marshal'ed (source row, passage rows): the cache row as it is written
    facts: bytes  # marshal'ed fact rows
    sha: str
    warning: str | None


Payload = str | Read


def changed(old: dict[str, Any] | None, sha: str, sid: str, overrides: dict[str, Any]) -> bool:
    """Must this file's passages be (re)indexed? (The worker and the main process ask.)"""
    return (
        old is None
        or old.get("sha256") != sha
        or old.get("id") != sid
        or old.get("meta") != overrides
    )


def shares(tasks: Sequence[Task], sizes: Sequence[int], workers: int) -> list[list[Task]]:
    """Split ``tasks`` into ``workers`` contiguous runs of about equal bytes."""
    total = sum(sizes) or 1
    out: list[list[Task]] = [[] for _ in range(workers)]
    acc = 0
    for task, size in zip(tasks, sizes, strict=True):
        k = min(workers - 1, acc * workers // total)
        out[k].append(task)
        acc += size
    return [share for share in out if share]


def _silence() -> None:
    """Nothing from a worker may reach the terminal (the app draws on it)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        with contextlib.suppress(OSError):
            os.dup2(devnull, fd)
    os.close(devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def _work(
    conn: Connection,
    directory: str | None,
    tasks: list[Task],
    parse: Callable[[Any], Any],
) -> None:
    """A worker: parse, extract and index ``tasks``; send each file's result, then
    ("done", Part or None), or ("error", None) and stop."""
    _silence()
    builder: engine.SegmentBuilder | None = None
    try:
        if directory is not None:
            builder = engine.SegmentBuilder(Path(directory))
        for n, job, old in tasks:
            result = parse(job)
            if isinstance(result, str):
                conn.send(("file", n, result))
                continue
            source_row, passage_rows, fact_rows, sha, warning = result
            sid, overrides = job.sid, job.overrides
            if builder is not None and changed(old, sha, sid, overrides):
                builder.add(Source(*source_row), [Passage(*row) for row in passage_rows])
            row = marshal.dumps((source_row, passage_rows))
            conn.send(("file", n, Read(row, marshal.dumps(fact_rows), sha, warning)))
        part = builder.finish() if builder is not None else None
        builder = None
        conn.send(("done", None, part))
    except BaseException:  # noqa: BLE001 - the main process takes over
        if builder is not None:
            with contextlib.suppress(Exception):
                builder.cancel()
        with contextlib.suppress(Exception):
            conn.send(("error", None, None))
    finally:
        conn.close()


class ParallelIngest:
    """Workers over shares of the tasks; iterate ``results()`` (arrival order), then
    read ``segments`` (the parts in share order; None if any worker failed)."""

    def __init__(
        self,
        directory: Path | None,
        shares: list[list[Task]],
        parse: Callable[[Any], Any],
        method: str | None,
    ) -> None:
        self._directory = directory
        self._shares = shares
        self._parse = parse
        self._ctx = multiprocessing.get_context(method)
        self._procs: list[Any] = []
        self._conns: dict[Connection, int] = {}
        self._parts: list[engine.Part | None] = [None] * len(shares)
        self.failed = False
        self._complete = False
        self.received: set[int] = set()

    @property
    def _folder(self) -> str | None:
        return None if self._directory is None else str(self._directory)

    def __enter__(self) -> ParallelIngest:
        return self

    def start(self) -> None:
        """Start the workers; raises (having stopped any it started) when it cannot."""
        try:
            for k, share in enumerate(self._shares):
                recv, send = self._ctx.Pipe(duplex=False)
                proc = self._ctx.Process(
                    target=_work,
                    args=(send, self._folder, share, self._parse),
                    daemon=True,
                )
                proc.start()
                send.close()  # only the worker writes: its end closing means it ended
                self._procs.append(proc)
                self._conns[recv] = k
        except BaseException as err:
            self.__exit__(type(err), err, None)
            raise

    def results(self) -> Iterator[tuple[int, Payload]]:
        """(job number, payload) as the workers send them; stops early on a failure."""
        while self._conns and not self.failed:
            for conn in wait(list(self._conns)):
                try:
                    kind, n, payload = conn.recv()
                except (EOFError, OSError):
                    kind, n, payload = "error", None, None
                if kind == "file":
                    self.received.add(n)
                    yield n, payload
                elif kind == "done":
                    self._parts[self._conns.pop(conn)] = payload
                    conn.close()
                else:
                    self.failed = True
                    break

    @property
    def segments(self) -> list[engine.Part] | None:
        """The parts, in share order, once every worker has finished well."""
        if not self._complete:
            return None
        return [p for p in self._parts if p is not None]

    def __exit__(self, *exc: object) -> None:
        """Stop what still runs (a cancel, a failure) and remove their folders; their
        segment files go at the main writer's commit or cancel."""
        self._complete = not self.failed and not self._conns and exc[0] is None
        for proc in self._procs:
            if not self._complete and proc.is_alive():
                proc.terminate()
        for proc in self._procs:
            proc.join()
        for conn in self._conns:
            conn.close()
        self._conns.clear()
        if not self._complete:
            self.failed = True
            if self._directory is not None:
                engine.remove_part_folders(self._directory)

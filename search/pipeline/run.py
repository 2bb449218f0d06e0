"""Reading the changed files: parse, extract facts and index them, in worker processes
(``parallel``) when there are many, else in this process."""

from __future__ import annotations

import marshal
import multiprocessing
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from .. import engine
from ..corpus import FileEntry, SkipFile, Skipped, content_hash, decode, read_bytes
from ..models import Passage, Source
from . import parallel
from .plan import Job, Loaded, reuse

Progress = Callable[[str, int, int], None]
# Parse + extract facts in worker processes when at least this many files must be read
# (a worker costs the start of an interpreter and our imports).
PARALLEL_MIN_FILES = 64
DOCUMENT_SUFFIXES = (".html", ".htm", ".pdf", ".docx")  # read by search/formats/job.py


class Parsed(NamedTuple):
    """One file parsed: plain rows, which cross the process boundary and go in the
    cache as they are."""

    source: tuple[Any, ...]
    passages: list[tuple[Any, ...]]
    facts: list[tuple[Any, ...]]
    sha: str
    warning: str | None


def worker_count(workers: int | None, jobs: int) -> int:
    """Processes that read ``jobs`` files (``workers``: the caller's choice, if any)."""
    if workers is None:
        return min(2, os.cpu_count() or 1) if jobs >= PARALLEL_MIN_FILES else 1
    return workers


def parse_job(job: Job) -> Parsed | str:
    """Read, parse and extract the facts of one file (in a worker process, or not); or
    the reason it is skipped."""
    folder, entry, sid, overrides = job
    if entry.path.lower().endswith(DOCUMENT_SUFFIXES):
        from ..formats.job import parse_document

        return parse_document(job)
    try:
        data = read_bytes(Path(folder), entry)
        text, warning = decode(data)
        if not text.strip():
            raise SkipFile("empty file")
        from ..ingest import is_markdown, parse_article

        art = parse_article(text, markdown=is_markdown(entry.path))
        if not art.passages:
            raise SkipFile("no paragraphs of text")
    except SkipFile as err:
        return str(err)
    passages = [
        Passage(f"{sid}:{n}", sid, n, t, start, end, heading)
        for n, (t, start, end, heading) in enumerate(art.passages, 1)
    ]
    values: dict[str, Any] = {
        "title": art.title or Path(entry.path).stem,
        "date": art.date,
        "outlet": art.outlet,
        "url": art.url,
        "language": None,
    }
    if "language" not in overrides:
        from ..language import detect

        values["language"] = detect(art.text)
    values.update(overrides)
    if not values.get("title"):
        values["title"] = Path(entry.path).stem
    source = Source(id=sid, path=entry.path, passages=len(passages), **values)
    from ..facts import extract_article_facts
    from ..language import english_rules_apply

    facts = []
    if english_rules_apply(source.language, art.text):
        facts = extract_article_facts(passages, source.date)
    return Parsed(
        _row(source),
        [_row(p) for p in passages],
        [_row(f) for f in facts],
        content_hash(data),
        warning,
    )


def _row(obj: Any) -> tuple[Any, ...]:
    return tuple(getattr(obj, name) for name in obj.__slots__)


def _from_read(
    read: parallel.Read, entry: FileEntry, overrides: dict[str, Any]
) -> tuple[Loaded, str | None]:
    """A worker's result: the cache row as it will be written, facts left marshal'ed."""
    source_row, passage_rows = marshal.loads(read.row)
    item = Loaded(
        Source(*source_row),
        [Passage(*r) for r in passage_rows],
        read.facts,
        read.sha,
        entry,
        overrides,
        (read.row, read.facts),
    )
    return item, read.warning


def _from_parsed(
    parsed: Parsed, entry: FileEntry, overrides: dict[str, Any]
) -> tuple[Loaded, str | None]:
    source_row, passage_rows, fact_rows, sha, warning = parsed
    row = marshal.dumps((source_row, passage_rows))
    return _from_read(parallel.Read(row, marshal.dumps(fact_rows), sha, warning), entry, overrides)


def start_method() -> str | None:
    """fork is fastest (the child inherits what is loaded), but forking a process with
    other threads running (the app works from worker threads) can deadlock the child:
    then a fork server, started clean, forks it."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else None


Accept = Callable[[int, Job, "Loaded | str", "str | None", bool], None]


def _read_parallel(
    jobs: list[tuple[int, Job]],
    old_files: dict[str, Any],
    directory: Path | None,
    workers: int,
    accept: Accept,
) -> tuple[list[engine.Part] | None, list[tuple[int, Job]]]:
    """Read (parse, facts and, with an index folder, index) ``jobs`` in worker
    processes, passing each result to ``accept`` as it arrives. Returns the index parts
    they wrote and the jobs left to read here: (parts, []) when all went well, (None,
    the jobs not read) otherwise; (None, []) when all went well without a folder."""
    tasks = [parallel.Task(n, job, old_files.get(job.entry.path)) for n, job in jobs]
    sizes = [job.entry.size for _, job in jobs]
    run = parallel.ParallelIngest(
        directory, parallel.shares(tasks, sizes, workers), parse_job, start_method()
    )
    try:
        run.start()
    except (OSError, ValueError, ImportError, NotImplementedError, AssertionError):
        # no processes here (a sandbox, an odd platform, a daemonic process)
        return None, jobs
    by_number = dict(jobs)
    with run:
        for n, payload in run.results():
            job = by_number[n]
            if isinstance(payload, str):
                accept(n, job, payload, None, True)
            else:
                item, warn = _from_read(payload, job.entry, job.overrides)
                accept(n, job, item, warn, True)
    parts = run.segments
    if parts is None:
        return None, [(n, job) for n, job in jobs if n not in run.received]
    return (parts if directory is not None else None), []


class ReadAll(NamedTuple):
    loaded: list[Loaded]
    changed: list[Loaded]
    removed: list[str]  # source ids
    indexed: int  # passages


def read_all(
    folder: Path,
    entries: list[FileEntry],
    ids: dict[str, str],
    meta: dict[str, dict[str, Any]],
    old_files: dict[str, Any],
    rows: dict[str, tuple[bytes, bytes]],
    skipped: list[Skipped],
    index: engine.PassageIndex,
    progress: Progress | None,
    workers: int | None,
) -> ReadAll:
    """Reuse the cached parse of unchanged files, parse the others (in worker
    processes for many files) and index the changed ones in file order, in one
    writer (with the segments the workers wrote beside the index)."""
    slots: list[Loaded | None] = [None] * len(entries)
    jobs: list[tuple[int, Job]] = []
    for n, entry in enumerate(entries):
        sid, overrides = ids[entry.path], meta.get(entry.path, {})
        item = reuse(rows, entry, sid, overrides, old_files.get(entry.path), folder)
        if item is None:
            jobs.append((n, Job(str(folder), entry, sid, overrides)))
        else:
            slots[n] = item
    done = len(entries) - len(jobs)
    if progress:
        progress("reading", done, len(entries))

    changed: list[tuple[int, Loaded]] = []
    late_skips: list[tuple[int, Skipped]] = []  # in job order at the end
    writer: engine.IndexWriter | None = None
    total = 0
    # workers write segments beside an index folder, with Whoosh's private write path
    segments = index.directory is not None and engine.can_write_segments()

    def accept(n: int, job: Job, item: Loaded | str, warn: str | None, later: bool) -> None:
        """One file read (by a worker: ``later``, its passages are indexed in its
        segment, or here in file order once all are read)."""
        nonlocal done, total, writer
        entry, sid, overrides = job.entry, job.sid, job.overrides
        done += 1
        if progress:
            progress("reading", done, len(entries))
        if isinstance(item, str):  # SkipFile
            late_skips.append((n, Skipped(entry.path, item)))
        else:
            if warn:
                late_skips.append((n, Skipped(entry.path, warn, skipped=False)))
            slots[n] = item
            if parallel.changed(old_files.get(entry.path), item.sha, sid, overrides):
                changed.append((n, item))
                if writer is None:
                    writer = index.writer()
                if later:
                    writer.remove([sid])  # its old passages; the new ones come later
                else:
                    writer.add(item.source, item.passages)
                total += len(item.passages)
        if later and segments and done == len(entries) and progress:
            progress("indexing", 0, total)  # the workers now finish their segments

    try:
        workers = worker_count(workers, len(jobs))
        parts: list[engine.Part] | None = None
        pending = jobs
        if workers > 1 and len(jobs) > 1:
            if segments:
                writer = index.writer()  # the lock, before workers write beside the index
            folder_for_parts = index.directory if segments else None
            parts, pending = _read_parallel(jobs, old_files, folder_for_parts, workers, accept)
        # what workers read without writing a segment is indexed here, all in file order
        redo = dict(changed) if parts is None else {}
        todo = {n for n, _ in pending}
        for n, job in jobs:
            if n in redo:
                assert writer is not None
                writer.add(redo[n].source, redo[n].passages)
            if n not in todo:
                continue
            result = parse_job(job)
            if isinstance(result, str):
                accept(n, job, result, None, False)
            else:
                item, warn = _from_parsed(result, job.entry, job.overrides)
                accept(n, job, item, warn, False)
        skipped.extend(s for _, s in sorted(late_skips, key=lambda x: x[0]))
        changed.sort(key=lambda x: x[0])
        loaded = [item for item in slots if item is not None]
        current = {item.source.id for item in loaded}
        removed = sorted({f.get("id") for f in old_files.values()} - current - {None})
        if (removed or parts) and writer is None:
            writer = index.writer()
        if writer is not None:
            writer.remove(removed)
            if progress:
                progress("indexing", 0, total)
            try:
                writer.commit(parts or ())
            except engine.CommitFailed:  # the index is as it was: index them here
                writer = index.writer()
                writer.remove(removed)
                for _, item in changed:
                    writer.add(item.source, item.passages)
                writer.commit()
            writer = None
            if progress:
                progress("indexing", total, total)
    finally:
        if writer is not None:
            writer.cancel()
    return ReadAll(loaded, [item for _, item in changed], removed, total)

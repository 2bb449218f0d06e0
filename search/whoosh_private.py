"""Every use of Whoosh's private write path, in one place, for Whoosh 2.7.4 only.

The parallel ingest writes segments in worker processes and lists them in the index at
one commit, as ``whoosh.multiproc`` does, which needs the writer's privates
(``_merge_segments``, ``_commit_toc``, ``_finish``, ``SegmentWriter(_lk=False)``,
``TOC.read``) and a faster ``PostingPool`` (its run format). On any other Whoosh version
``available()`` is False: the workers only parse, one public writer indexes, a failed
private commit is redone through the public API (``CommitFailed``), and the pool stays
Whoosh's own.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Sequence

import whoosh
from whoosh.index import TOC, clean_files
from whoosh.writing import PostingPool, SegmentWriter

VERSION = (2, 7, 4)  # the Whoosh whose privates these are
RUN_CHUNK = 4096  # postings per marshal'ed chunk of a sorted run on disk


class CommitFailed(RuntimeError):
    """The segments of worker processes could not be committed: nothing changed in the
    index; the caller indexes the documents again through the public API."""


def available() -> bool:
    """Whether this is the Whoosh whose privates are used here."""
    return tuple(whoosh.__version__) == VERSION


def commit_segments(w, segments: Sequence[object], after: Callable[[], None]) -> None:  # type: ignore[no-untyped-def]
    """Commit writer ``w`` with ``segments`` (written by builders) listed as they are:
    what ``whoosh.multiproc.MpWriter`` does with multisegment=True. ``after`` runs with
    the lock still held. Raises ``CommitFailed`` (the lock released) when it cannot."""
    try:
        try:
            merged = w._merge_segments(None, None, None)
            merged += list(segments)
            if w._added:
                merged.append(w._finalize_segment())
            else:
                w._close_segment()
            w._commit_toc(merged)  # also removes files of segments not listed
            after()
        finally:
            w._finish()  # releases the lock, also when the commit failed
    except Exception as err:  # noqa: BLE001 - any failure: the caller redoes it publicly
        raise CommitFailed(str(err)) from err


def cancel(w, clean: Callable[[], None]) -> None:  # type: ignore[no-untyped-def]
    """Drop what writer ``w`` holds; ``clean`` runs with the lock still held."""
    if not available():
        w.cancel()
        clean()
        return
    try:
        w._close_segment()
        clean()
    finally:
        w._finish()


def segment_writer(ix, limitmb: int):  # type: ignore[no-untyped-def]
    """A writer of one new segment that takes no lock (a builder in a worker)."""
    if not available():
        raise RuntimeError(f"segment builders need Whoosh {VERSION}")
    return SegmentWriter(ix, _lk=False, compound=False, limitmb=limitmb)


def finish_segment(w):  # type: ignore[no-untyped-def]
    return w._finalize_segment()


def discard_segment(w, storage) -> list[str]:  # type: ignore[no-untyped-def]
    """Close a builder's segment; the names of its files (for the caller to delete)."""
    w._close_segment()
    return list(w.newsegment.list_files(storage))


def clean_unlisted(storage, name: str) -> None:  # type: ignore[no-untyped-def]
    """Remove the files of segments the index ``name`` does not list."""
    if not available():
        return  # the next public commit removes them
    toc = TOC.read(storage, name)
    clean_files(storage, name, toc.generation, toc.segments)


class _MarshalRunPool(PostingPool):
    """Whoosh's pool of postings, sorted in runs on disk when it outgrows its memory
    limit, with each run written as marshal'ed chunks: Whoosh pickles and unpickles a
    run one posting per call. The runs only live for one write, in this process, so
    marshal's version-bound format is enough."""

    def _write_run(self, f, items):  # type: ignore[no-untyped-def]
        def put(chunk: list[object]) -> None:
            blob = marshal.dumps(chunk)
            f.write(len(blob).to_bytes(8, "little"))
            f.write(blob)

        chunk: list[object] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= RUN_CHUNK:
                put(chunk)
                chunk = []
        if chunk:
            put(chunk)
        f.close()

    def _read_run(self, path):  # type: ignore[no-untyped-def]
        # length-prefixed blobs: marshal.load on a file reads it a few bytes at a time
        f = self._open_run(path)
        try:
            while head := f.read(8):
                yield from marshal.loads(f.read(int.from_bytes(head, "little")))
        finally:
            f.close()
            self._remove_run(path)


def use_marshal_runs(w, limitmb: int) -> None:  # type: ignore[no-untyped-def]
    """Give a new Whoosh ``SegmentWriter`` the faster pool; other versions keep theirs."""
    if not available():
        return
    pool = getattr(w, "pool", None)
    if type(pool) is PostingPool and not pool.current and not pool.runs:
        w.pool = _MarshalRunPool(w._tempstorage, w.newsegment, limitmb=limitmb)

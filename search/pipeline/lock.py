"""One opener of an index folder at a time, across processes."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: opens there are not serialised
    fcntl = None  # type: ignore[assignment]

from ..errors import IndexBusyError
from ..textsafe import one_line

LOCK_TIMEOUT = 120.0  # seconds to wait for another talks-tui opening the same corpus


@contextlib.contextmanager
def open_lock(directory: Path | None) -> Iterator[None]:
    """Serialise opens of one index across processes: two writers of a fresh index
    collided in Whoosh's temporary files. The second waits, then reuses the index."""
    if directory is None or fcntl is None:
        yield
        return
    with open(directory / "open.lock", "a+b") as handle:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexBusyError(
                        f"another talks-tui has been indexing {one_line(str(directory))} "
                        f"for over {LOCK_TIMEOUT:.0f} s; try again when it has finished"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

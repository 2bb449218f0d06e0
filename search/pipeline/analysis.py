"""The analysis structures (related passages, agreement, claims) of a large corpus are
built in another process (``python -m search.analysis_child``), which saves them beside
the index; the app's process then maps what it saved."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterable

from ..models import Passage, Source
from .plan import DATA, code_files, pipeline_version

ANALYSIS_CHILD = "search.analysis_child"  # the module the analysis process runs
MMAP_THRESHOLD = 128 * 1024  # bytes; see map_large_allocations
# The code the analysis is built by: modules, or packages (every module in them).
ANALYSIS_CODE = ("related.py", "related_build.py", "agreement.py", "factstore.py", "text.py")
ANALYSIS_CODE += ("rules.py", "claims")


def analysis_stamp(passages: Iterable[Passage], sources: dict[str, Source]) -> str:
    """Changes whenever anything the analysis is built from changes: the passages,
    their sources' dates, the fact pipeline and the analysis code and data."""
    digest = hashlib.sha256(pipeline_version().encode())
    for path in code_files(ANALYSIS_CODE):
        digest.update(path.read_bytes())
    for path in sorted(DATA.glob("*.yaml")):
        digest.update(path.read_bytes())
    for p in passages:
        date = sources[p.source].date or ""
        digest.update(f"\0{p.id}\0{date}\0".encode())
        digest.update(p.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def run_apart(corpus: str, index_dir: str) -> None:
    """Build and save the analysis in another process and wait; raise if it fails.

    Its output goes nowhere: it shares the app's terminal."""
    done = subprocess.run(
        [sys.executable, "-m", ANALYSIS_CHILD, corpus, index_dir],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"analysis process ended with {done.returncode}")


def as_child(build: Callable[[], None]) -> None:
    """Run ``build`` as the analysis process.

    It shares the app's terminal: nothing may be written to it (a warning or a
    traceback would land on the app's screen). A failure is its exit code only; the
    app then builds the analysis itself."""
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    map_large_allocations()
    try:
        build()
    except BaseException:  # noqa: BLE001 - reported as the exit code
        raise SystemExit(1) from None


def map_large_allocations() -> None:
    """In the builder process, have glibc map every allocation of MMAP_THRESHOLD or more
    apart, so that it goes back to the system when freed. By default the threshold rises
    to the largest block freed so far, after which the build's chunk-sized
    arrays came from the heap and stayed counted in the process's size once freed.
    Elsewhere (no glibc) nothing changes."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-3, MMAP_THRESHOLD)  # -3: M_MMAP_THRESHOLD

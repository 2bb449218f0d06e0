"""Run the benchmarks and print a Markdown table (see BENCHMARKS.md).

    python bench/run.py --size 1k|10k|100k [--repeat N] [--only ingest,search,…]
                        [--work DIR] [--no-seeds]

Generates the corpus (deterministic, seeded) under the work folder, measures every figure
against its reference in the same run, and also measures search on the bundled ./seeds.
"""

from __future__ import annotations

import argparse
import platform
import sqlite3
import sys
import tempfile
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import measure  # noqa: E402
from bench.corpus import generate, parse_size  # noqa: E402


def machine() -> str:
    import os

    return (
        f"{date.today().isoformat()} · nproc {os.cpu_count()} · Python "
        f"{platform.python_version()} · whoosh {version('whoosh')} · "
        f"textual {version('textual')} · SQLite {sqlite3.sqlite_version} · "
        f"{platform.machine()}"
    )


def run(
    size: str,
    repeat: int,
    work: Path,
    only: list[str] | None = None,
    seeds: bool = True,
    log=print,  # type: ignore[no-untyped-def]
) -> list[measure.Row]:
    """Generate the corpus and run the measurements; return the rows."""
    if not measure.fts5_available():
        raise SystemExit("this Python's sqlite3 has no FTS5; the FTS5 reference needs it")
    corpus = work / f"corpus-{size}"
    t = time.perf_counter()
    info = generate(corpus, parse_size(size))
    log(f"# generated {info} in {time.perf_counter() - t:.1f} s → {corpus}")
    ctx = measure.Context(corpus, work / f"run-{size}", repeat, size)
    rows: list[measure.Row] = []
    for name in only or list(measure.MEASUREMENTS):
        t = time.perf_counter()
        got = measure.MEASUREMENTS[name](ctx)
        log(f"# {name}: {time.perf_counter() - t:.1f} s")
        log(measure.table(got).split("\n", 2)[2])  # partial results, in case of a stop
        rows += got
    if seeds and (only is None or {"search", "keystroke"} & set(only)):
        sctx = measure.Context(ROOT / "seeds", work / "run-seeds", max(repeat, 3), "seeds")
        measure.prepare_indexes(sctx)
        if only is None or "search" in only:
            rows += measure.measure_search(sctx, label="seeds, 5 articles")
        if only is None or "keystroke" in only:
            rows += measure.measure_keystroke(sctx, budget_ms=16.0, label="seeds, 5 articles")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="1k", help="1k, 10k, 100k (or tiny / a number)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", help="comma-separated: " + ",".join(measure.MEASUREMENTS))
    ap.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    ap.add_argument("--no-seeds", action="store_true", help="skip the ./seeds search figure")
    args = ap.parse_args(argv)
    only = args.only.split(",") if args.only else None
    for name in only or []:
        if name not in measure.MEASUREMENTS:
            ap.error(f"unknown measurement {name!r}")

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        rows = run(args.size, args.repeat, args.work, only, not args.no_seeds, log)
    else:
        with tempfile.TemporaryDirectory(prefix="talks-bench-") as tmp:
            rows = run(args.size, args.repeat, Path(tmp), only, not args.no_seeds, log)
    print(f"### {args.size} passages, median of {args.repeat}\n")
    print(machine() + "\n")
    print(measure.table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

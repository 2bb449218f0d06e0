"""The ``talks-tui`` command: the app by default, headless subcommands on the same engine.

Subcommands print readable text, or a JSON list on stdout with ``--json`` (nothing else on
stdout). Errors are one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from search.errors import TalksError
from search.textsafe import one_line
from search.workspace import Workspace

from .paths import bundled

PROG = "talks-tui"
EXIT_ERROR = 2


class CliError(TalksError):
    """A usage problem found after argument parsing."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return _launch_app(args)
        return int(args.handler(args) or 0)
    except TalksError as err:
        print(f"{PROG}: error: {one_line(str(err), 1000)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # stdout closed early (piped into head): not an error for the user.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:  # noqa: BLE001 - the user gets one line, never a traceback
        if os.environ.get("TALKS_TUI_DEBUG"):
            raise
        print(
            f"{PROG}: internal error: {type(err).__name__}: {one_line(str(err))} "
            "(set TALKS_TUI_DEBUG=1 for details and please report it)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--corpus", metavar="DIR", help="folder of .txt/.md articles (default: bundled seeds)"
    )
    common.add_argument(
        "--index-dir", metavar="DIR", help="where to keep the index (default: user cache dir)"
    )
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--json", action="store_true", help="print a JSON list on stdout")

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Explore news reports about one event: search, facts, agreement.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_: str):  # type: ignore[no-untyped-def]
        p = sub.add_parser(name, parents=[common, output], help=help_, description=help_)
        p.set_defaults(handler=handler)
        return p

    add("sources", cmd_sources, "list the articles of the corpus")
    p = add("passages", cmd_passages, "list passages (paragraphs) of the corpus")
    p.add_argument("--source", metavar="ID", help="only this source")
    p = add(
        "search", cmd_search, "search passages (AND OR NOT \"phrase\" pre* fuzzy~ source: date:)"
    )
    p.add_argument("query", help="the query")
    p.add_argument("--limit", type=_positive, default=20, metavar="N", help="at most N results")
    p.add_argument("--source", metavar="ID", help="only this source")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


# --- opening the corpus ----------------------------------------------------------------


def corpus_path(args: argparse.Namespace) -> Path:
    return Path(args.corpus) if args.corpus else bundled("seeds")


class _ProgressLine:
    """Progress on stderr for opens that take more than a second (terminals only)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.perf_counter()
        self.shown = False
        self.tty = stream.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.tty or time.perf_counter() - self.started < 1.0:
            return
        pct = 100 * done // max(total, 1)
        bar = "#" * (pct // 5)
        self.stream.write(f"\r{stage:>9} [{bar:<20}] {done}/{total} ")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def open_workspace(args: argparse.Namespace) -> Workspace:
    progress = _ProgressLine(sys.stderr)
    try:
        ws = Workspace.open(corpus_path(args), args.index_dir, progress=progress)
    finally:
        progress.finish()
    for item in ws.skipped:
        verb = "skipped" if item.skipped else "note"
        print(f"{PROG}: {verb}: {one_line(item.path)}: {item.reason}", file=sys.stderr)
    for warning in ws.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    if ws.stats.seconds > 1.0 and ws.stats.indexed_passages:
        print(
            f"{PROG}: indexed {ws.stats.indexed_passages} passages in {ws.stats.seconds:.1f} s",
            file=sys.stderr,
        )
    return ws


def emit_json(items: list[dict[str, Any]]) -> None:
    json.dump(items, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def _bold(text: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans or not sys.stdout.isatty():
        return text
    out, pos = [], 0
    for start, end in sorted(spans):
        out += [text[pos:start], "\x1b[1;4m", text[start:end], "\x1b[0m"]
        pos = end
    out.append(text[pos:])
    return "".join(out)


# --- subcommands -----------------------------------------------------------------------


def cmd_sources(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    if args.json:
        emit_json([s.to_json() for s in ws.sources.values()])
        return 0
    width = max(len(s.id) for s in ws.sources.values())
    for s in ws.sources.values():
        print(f"{s.id:<{width}}  {s.date or '----------'}  {s.passages:>4}  {s.label}")
        print(f"{'':<{width}}  {s.title}")
        if s.url:
            print(f"{'':<{width}}  {s.url}")
    return 0


def cmd_passages(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    if args.source:
        ws.require_source(args.source)
        passages = ws.by_source[args.source]
    else:
        passages = list(ws.passages.values())
    if args.json:
        emit_json([p.to_json() for p in passages])
        return 0
    for p in passages:
        print(f"[{p.id}]")
        print(p.text)
        print()
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    result = ws.search(args.query, limit=args.limit, source=args.source)
    if args.json:
        emit_json([h.to_json() for h in result.hits])
        return 0
    if not result.hits:
        print(f"no passage matches {args.query!r}", file=sys.stderr)
        return 0
    print(f"{result.total} passages match in {len(result.per_source)} sources")
    for n, hit in enumerate(result.hits, 1):
        src = ws.sources[hit.passage.source]
        print(f"\n{n}. [{hit.passage.id}] {src.label} · {src.date or 'no date'}  ({hit.score:.2f})")
        print(_bold(hit.passage.text, hit.highlights))
    return 0


def _launch_app(args: argparse.Namespace) -> int:
    from .app import run_app  # imported late: headless commands never load Textual

    return run_app(corpus_path(args), args.index_dir)


if __name__ == "__main__":
    sys.exit(main())

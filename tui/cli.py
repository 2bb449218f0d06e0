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
from datetime import UTC
from pathlib import Path
from typing import Any, NoReturn, TextIO

from search.errors import TalksError
from search.textsafe import json_safe, one_line, visible
from search.workspace import Workspace

from .paths import bundled

PROG = "talks-tui"
FACT_KINDS = ("number", "date", "person", "place", "org", "quote")
EXIT_ERROR = 2
# Whoosh's analysis of a query word takes time quadratic in its length (100,000 characters:
# about a minute); no real query is longer than this.
MAX_QUERY = 2000


class CliError(TalksError):
    """A usage problem found after argument parsing."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(_attach_values(list(sys.argv[1:] if argv is None else argv)))
    except SystemExit as exit_:  # --help, or a usage error already printed on one line
        return int(exit_.code or 0) if isinstance(exit_.code, int | None) else EXIT_ERROR
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


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line (the contract: one line on stderr, exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_ERROR,
            f"{PROG}: error: {one_line(message, 1000)} (see: {self.prog} --help)\n",
        )


# Options whose value is a path, an id or a query: a value starting with "-" (a file named
# "-rf.txt", a query "-x") is still their value, not an option.
_VALUE_OPTIONS = frozenset(
    {"--corpus", "--index-dir", "--out", "--passages", "--query", "--source", "--kind", "--limit"}
)
_FLAGS = frozenset({"--json", "--force", "--facts", "--group", "--help", "-h", "--count"})


def _attach_values(argv: list[str]) -> list[str]:
    """``--out -rf.md`` → ``--out=-rf.md``, unless the next word is itself one of our
    options (``--corpus --json`` is a missing value, reported as such)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            out += argv[i:]
            break
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if (
            word in _VALUE_OPTIONS
            and nxt is not None
            and nxt.startswith("-")
            and nxt.split("=", 1)[0] not in _VALUE_OPTIONS | _FLAGS
        ):
            out.append(f"{word}={nxt}")
            i += 2
            continue
        out.append(word)
        i += 1
    return out


def build_parser() -> argparse.ArgumentParser:
    def location(default: object) -> argparse.ArgumentParser:
        common = _Parser(add_help=False)
        common.add_argument(
            "--corpus",
            metavar="DIR",
            default=default,
            help="folder of .txt/.md articles (default: bundled seeds)",
        )
        common.add_argument(
            "--index-dir",
            metavar="DIR",
            default=default,
            help="where to keep the index (default: user cache dir)",
        )
        return common

    # Given before or after the command: a subcommand that is not given them must not
    # reset them (argparse lets a subparser's default overwrite the main parser's value).
    common, after = location(None), location(argparse.SUPPRESS)
    output = _Parser(add_help=False)
    output.add_argument("--json", action="store_true", help="print a JSON list on stdout")

    parser = _Parser(
        prog=PROG,
        description="Explore news reports about one event: search, facts, agreement.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_: str, json_: bool = True
    ):  # type: ignore[no-untyped-def]
        parents = [after, output] if json_ else [after]
        p = sub.add_parser(name, parents=parents, help=help_, description=help_)
        p.set_defaults(handler=handler)
        return p

    add("sources", cmd_sources, "list the articles of the corpus")
    p = add("passages", cmd_passages, "list passages (paragraphs) of the corpus")
    p.add_argument("--source", metavar="ID", help="only this source")
    p = add("search", cmd_search, 'search passages (AND OR NOT "phrase" pre* fuzzy~ source: date:)')
    p.add_argument("query", nargs="?", help="the query (or --saved NAME)")
    p.add_argument("--limit", type=_positive, default=20, metavar="N", help="at most N results")
    p.add_argument("--source", metavar="ID", help="only this source")
    p.add_argument("--count", action="store_true", help="print only how many passages match")
    p = add("facts", cmd_facts, "facts stated in the passages: numbers, dates, names, quotes")
    p.add_argument("--kind", choices=FACT_KINDS, help="only facts of this kind")
    p.add_argument("--source", metavar="ID", help="only this source")
    p = add("related", cmd_related, "passages of other sources that report the same claim")
    p.add_argument("passage", metavar="PASSAGE_ID", help="a passage id (see: passages)")
    p.add_argument("--limit", type=_positive, default=10, metavar="N", help="at most N results")
    add("disagreements", cmd_disagreements, "facts that count the same thing differently")
    # claims (search/claims): one statement several sources report
    p = add("claims", cmd_claims, "what the sources claim, with each source's value and sentence")
    p.add_argument("--conflicts", action="store_true", help="only values that cannot all be true")
    p.add_argument("--min-sources", type=_positive, default=1, metavar="N", help="stated by N+")
    p.add_argument("--source", metavar="ID", help="only claims this source states")
    # Markdown is what export makes: no --json (it would have printed Markdown anyway)
    p = add("export", cmd_export, "write selected passages as a Markdown note", json_=False)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--passages", metavar="ID,ID…", help="comma-separated passage ids")
    what.add_argument("--query", metavar="Q", help="every passage matching this query")
    what.add_argument("--tag", metavar="NAME", help="every passage carrying this tag")
    p.add_argument("--out", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.add_argument("--facts", action="store_true", help="list each passage's facts")
    p.add_argument("--group", action="store_true", help="group passages by source")
    p.add_argument(
        "--limit", type=_positive, default=50, metavar="N", help="with --query: at most N passages"
    )
    add_notebook_commands(sub, add)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PROG)
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


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
        print(f"{PROG}: {verb}: {visible(item.path)}: {one_line(item.reason)}", file=sys.stderr)
    for warning in ws.warnings:
        print(f"{PROG}: warning: {one_line(warning, 1000)}", file=sys.stderr)
    if ws.stats.seconds > 1.0 and ws.stats.indexed_passages:
        print(
            f"{PROG}: indexed {ws.stats.indexed_passages} passages in {ws.stats.seconds:.1f} s",
            file=sys.stderr,
        )
    return ws


def emit_json(items: list[dict[str, Any]]) -> None:
    """A JSON list on stdout: file names and texts are data, escaped where a terminal could
    act on them (``\u001b``, ``\u202e``), never raw."""
    sys.stdout.write(json_safe(json.dumps(items, ensure_ascii=False, indent=1)))
    sys.stdout.write("\n")


def _v(text: object) -> str:
    """Untrusted text for the terminal: escapes and invisible characters made visible."""
    return visible(str(text), 100_000)


def _bold(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` made safe, with ``spans`` in bold on a terminal (our escapes only)."""
    if not spans or not sys.stdout.isatty():
        return _v(text)
    out, pos = [], 0
    for start, end in sorted(spans):
        out += [_v(text[pos:start]), "\x1b[1;4m", _v(text[start:end]), "\x1b[0m"]
        pos = end
    out.append(_v(text[pos:]))
    return "".join(out)


# --- subcommands -----------------------------------------------------------------------


def cmd_sources(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    if args.json:
        emit_json([s.to_json() for s in ws.sources.values()])
        return 0
    width = max(len(s.id) for s in ws.sources.values())
    for s in ws.sources.values():
        lang = _v(s.language or "--")
        date = s.date or "----------"
        print(f"{s.id:<{width}}  {date}  {s.passages:>4}  {lang:<3} {_v(s.label)}")
        print(f"{'':<{width}}  {_v(s.title)}")
        if s.url:
            print(f"{'':<{width}}  {_v(s.url)}")
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
        print(_v(p.text))
        print()
    return 0


def check_query(query: str) -> None:
    if len(query) > MAX_QUERY:
        raise CliError(f"the query is too long ({len(query):,} characters; at most {MAX_QUERY:,})")


def cmd_search(args: argparse.Namespace) -> int:
    check_query(args.query)
    ws = open_workspace(args)
    result = ws.search(args.query, limit=args.limit, source=args.source)
    # stderr gets one line at most: the total (with --json) and the query's hints
    hint = "; ".join(one_line(note) for note in result.notes)
    if args.json:
        emit_json([h.to_json() for h in result.hits])
        line = f"{PROG}: total: {result.total} (showing {len(result.hits)})"
        print(line + (f"; hint: {hint}" if hint else ""), file=sys.stderr)
        return 0
    if hint:
        print(f"{PROG}: hint: {hint}", file=sys.stderr)
    if args.count:
        print(result.total)
        return 0
    if not result.hits:
        print(f"no passage matches {one_line(args.query)!r}", file=sys.stderr)
        return 0
    print(_match_line(result.total, len(result.per_source), len(result.hits)))
    for n, hit in enumerate(result.hits, 1):
        src = ws.sources[hit.passage.source]
        label = _v(src.label)
        print(f"\n{n}. [{hit.passage.id}] {label} · {src.date or 'no date'}  ({hit.score:.2f})")
        print(_bold(hit.passage.text, hit.highlights))
    return 0


def _match_line(total: int, sources: int, shown: int) -> str:
    """ "21 passages match in 5 sources, showing 20" (the last part when the list is cut)."""
    line = f"{total} passage{'s' * (total != 1)} match{'es' * (total == 1)} in {sources} "
    line += f"source{'s' * (sources != 1)}"
    return line + (f", showing {shown}" if shown < total else "")


def cmd_facts(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    facts = ws.all_facts(kind=args.kind, source=args.source)
    if args.json:
        emit_json([f.to_json() for f in facts])
        return 0
    for f in facts:
        extra = []
        if f.counts:
            extra.append(f"counts {_v(f.counts)}")
        if f.approximate:
            extra.append("approximate")
        if f.speaker:
            extra.append(f"said by {_v(f.speaker)}")
        if f.in_title:
            extra.append("in the headline")
        value = "unresolved" if f.value is None else _v(f.value)
        if f.value is not None and f.high is not None:  # a range: both ends
            value = f"{value}–{_v(f.high)}"
        tail = f"  ({', '.join(extra)})" if extra else ""
        print(f"{f.passage:<28} {f.kind:<7} {one_line(f.text, 70)!s:<40} → {value}{tail}")
    return 0


def cmd_related(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    links = ws.related(args.passage, limit=args.limit)
    if args.json:
        emit_json([link.to_json() for link in links])
        return 0
    here = ws.passages[args.passage]
    print(f"[{here.id}] {_v(here.text)}\n")
    if not links:
        print("no passage of another source reports this", file=sys.stderr)
    for link in links:
        src = ws.sources[link.passage.source]
        why = _v(", ".join(link.why))
        print(f"[{link.passage.id}] {_v(src.label)} ({link.score:.2f}) shares: {why}")
        print(f"  {_v(link.passage.text)}\n")
    return 0


def cmd_disagreements(args: argparse.Namespace) -> int:
    from search.claims.report import disagreement_row, value_sources

    ws = open_workspace(args)
    found = ws.claim_set.differing()
    if args.json:
        emit_json([disagreement_row(c) for c in found])
        return 0
    if not found:
        print("no disagreements found", file=sys.stderr)
    for c in found:
        kind = "conflict" if c.verdict == "conflict" else "worded differently, can all be true"
        print(f"{_v(c.label)} ({kind}):")
        for value, sources in value_sources(c):
            print(f"  {_v(value):<24} {', '.join(_v(ws.sources[s].label) for s in sources)}")
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    from search.claims.report import value_sources

    ws = open_workspace(args)
    found = ws.claims(args.conflicts, args.min_sources, args.source)
    if args.json:
        emit_json([c.to_json() for c in found])
        return 0
    if not found:
        print("no claims found", file=sys.stderr)
    for c in found:
        print(f"{_v(c.label)} [{c.verdict}] {c.id}")
        for value, sources in value_sources(c):
            print(f"  {_v(value):<24} {', '.join(_v(ws.sources[s].label) for s in sources)}")
        valueless = sorted({s.source for s in c.statements if s.value is None})
        if valueless:
            print(f"  {'(no value)':<24} {', '.join(_v(ws.sources[s].label) for s in valueless)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from datetime import datetime

    from search.export import ExportItem, ExportOptions, render_markdown

    if args.query is not None:
        check_query(args.query)
    ws = open_workspace(args)
    items: list[ExportItem] = []
    if args.query:
        result = ws.search(args.query, limit=args.limit)
        items = [
            ExportItem(h.passage, h.highlights, tuple(ws.facts.get(h.passage.id, ())))
            for h in result.hits
        ]
        if not items:
            raise CliError(f"no passage matches {one_line(args.query)!r}: nothing to export")
    else:
        ids = [i.strip() for i in args.passages.split(",") if i.strip()]
        if not ids:
            raise CliError("--passages needs at least one passage id")
        for pid in ids:
            p = ws.require_passage(pid)
            items.append(ExportItem(p, (), tuple(ws.facts.get(pid, ()))))
    text = render_markdown(
        items,
        ws.sources,
        corpus=str(ws.corpus),
        query=args.query,
        created=datetime.now(UTC).astimezone(),
        options=ExportOptions(include_facts=args.facts, group_by_source=args.group),
    )
    return _deliver_note(args, text, len(items))


# --- the notebook: tags, notes, saved searches, timeline, entities ---------------------

# the notebook's options, added to the sets above (read when main() runs)
_VALUE_OPTIONS = _VALUE_OPTIONS | {"--tag", "--saved", "--save"}
_FLAGS = _FLAGS | {"--remove"}


def add_notebook_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """The notebook's subcommands, and ``search --saved``/``--save``, ``export --tag``."""
    p = add("tag", cmd_tag, "tag a passage (or --remove the tag)", json_=False)
    p.add_argument("passage", metavar="PASSAGE_ID", help="a passage id (see: passages)")
    p.add_argument("name", metavar="NAME", help="the tag")
    p.add_argument("--remove", action="store_true", help="remove the tag instead")
    add("tags", cmd_tags, "every tag with its passages (gone passages marked orphan)")
    p = add("note", cmd_note, "set a passage's note (an empty TEXT removes it)", json_=False)
    p.add_argument("passage", metavar="PASSAGE_ID", help="a passage id (see: passages)")
    p.add_argument("text", metavar="TEXT", help="the note")
    add("timeline", cmd_timeline, "dated facts across sources, in date order")
    p = add("entities", cmd_entities, "people, places and organisations, with counts per source")
    p.add_argument("--kind", choices=("person", "place", "org"), help="only this kind")
    search = sub.choices["search"]
    search.add_argument("--saved", metavar="NAME", help="run the search saved as NAME")
    search.add_argument("--save", metavar="NAME", help="also save the query as NAME")
    search.set_defaults(handler=cmd_search_notebook)
    sub.choices["export"].set_defaults(handler=cmd_export_notebook)


def _notebook(ws: Workspace) -> Any:
    """The corpus's notebook on disk (an unusable store is an error here, not a notice)."""
    nb = ws.open_notebook(strict=True)
    if nb.notice:
        print(f"{PROG}: warning: {one_line(nb.notice, 1000)}", file=sys.stderr)
    if orphans := ws.notebook_orphans():
        print(
            f"{PROG}: note: {len(orphans)} tagged or annotated passages are gone from the "
            "corpus, kept with their old text (see: talks-tui tags)",
            file=sys.stderr,
        )
    return nb


def cmd_tag(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    _notebook(ws)
    if args.remove:
        if not ws.untag(args.passage, args.name):
            raise CliError(f"{one_line(args.passage)} has no tag {one_line(args.name)!r}")
        print(f"removed tag {_v(args.name)!r} from {_v(args.passage)}", file=sys.stderr)
        return 0
    name = ws.tag(args.passage, args.name)
    print(f"tagged {_v(args.passage)} {_v(name)!r}", file=sys.stderr)
    return 0


def cmd_tags(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    _notebook(ws)
    tags = ws.tags()
    gone = {o.passage: o for o in ws.notebook_orphans()}
    if args.json:
        emit_json(
            [
                {
                    "name": t.name,
                    "passages": list(t.passages),
                    "orphans": [
                        {"passage": p, "text": gone[p].text if p in gone else ""} for p in t.orphans
                    ],
                }
                for t in tags
            ]
        )
        return 0
    if not tags:
        print("no tags yet (see: talks-tui tag PASSAGE_ID NAME)", file=sys.stderr)
    for t in tags:
        count = f"{len(t.passages)} passage" + ("" if len(t.passages) == 1 else "s")
        print(f"{_v(t.name)}  ({count})")
        for pid in t.passages:
            print(f"  {pid}  {one_line(ws.passages[pid].text, 70)}")
        for pid in t.orphans:
            old = one_line(gone[pid].text, 60) if pid in gone else ""
            print(f"  {_v(pid)}  (orphan: gone from the corpus) was: {old}")
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    _notebook(ws)
    note = ws.note(args.passage, args.text)
    if note is None:
        print(f"removed the note of {_v(args.passage)}", file=sys.stderr)
    else:
        print(f"noted {_v(args.passage)} ({len(note.text)} characters)", file=sys.stderr)
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    entries = ws.timeline()
    if args.json:
        emit_json([e.to_json() for e in entries])
        return 0
    if not entries:
        print("no dated facts in the corpus", file=sys.stderr)
    for e in entries:
        label = _v(ws.sources[e.source].label)
        flag = f"  ≠ {e.claim}: sources differ" if e.conflict else ""
        print(f"{e.date:<10}  {one_line(e.text, 40)!s:<30}  {label}  [{e.passage}]{flag}")
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    found = ws.entities(args.kind)
    if args.json:
        emit_json([e.to_json() for e in found])
        return 0
    if not found:
        print("no people, places or organisations found", file=sys.stderr)
    for e in found:
        aka = f"  (also: {_v(', '.join(e.aliases))})" if e.aliases else ""
        print(f"{_v(e.name)} · {e.kind} · {e.total} mentions{aka}")
        counts = ", ".join(f"{_v(ws.sources[s].label)} {n}" for s, n in e.counts)
        print(f"  {counts}")
        if e.missing:
            print(f"  never named by: {', '.join(_v(ws.sources[s].label) for s in e.missing)}")
    return 0


def cmd_search_notebook(args: argparse.Namespace) -> int:
    """``search``, with ``--saved NAME`` for the query and ``--save NAME`` to keep it."""
    if args.saved is not None:
        if args.query is not None:
            raise CliError("give either a QUERY or --saved NAME, not both")
        ws = open_workspace(args)
        args.query = _notebook(ws).saved_search(args.saved).query
    elif args.query is None:
        raise CliError("search needs a QUERY (or --saved NAME)")
    if args.save is not None:
        check_query(args.query)
        ws = open_workspace(args)
        _notebook(ws)
        ws.save_search(args.save, args.query)
        print(f"saved the search as {_v(args.save)!r}", file=sys.stderr)
    return cmd_search(args)


def cmd_export_notebook(args: argparse.Namespace) -> int:
    """``export``; ``--tag NAME`` exports the tagged passages, each with its note (under
    the quote) and tags (in the attribution)."""
    from datetime import datetime

    from search.export import ExportOptions, render_markdown

    if args.tag is None:
        return cmd_export(args)
    ws = open_workspace(args)
    _notebook(ws)
    passages = ws.tagged(args.tag)
    if not passages:
        raise CliError(f"no passage of the corpus carries the tag {one_line(args.tag)!r}")
    items = ws.export_items(passages)
    text = render_markdown(
        items,
        ws.sources,
        corpus=str(ws.corpus),
        query=None,
        created=datetime.now(UTC).astimezone(),
        options=ExportOptions(include_facts=args.facts, group_by_source=args.group),
        title=f"Tag: {args.tag}",
    )
    return _deliver_note(args, text, len(items))


def _launch_app(args: argparse.Namespace) -> int:
    from .app import run_app  # imported late: headless commands never load Textual

    return run_app(Path(args.corpus) if args.corpus else None, args.index_dir)


if __name__ == "__main__":
    sys.exit(main())


def _deliver_note(args: argparse.Namespace, text: str, passages: int) -> int:
    """Write the note to ``--out`` (never over a file without ``--force``), else stdout."""
    from search.export import write_note

    if args.out:
        if not args.force and os.path.lexists(args.out) and not Path(args.out).is_dir():
            raise CliError(
                f"{visible(one_line(args.out))} already exists: "
                "use --force to overwrite it, or choose another --out"
            )
        path = write_note(Path(args.out), text, force=args.force)
        print(f"wrote {passages} passages to {visible(str(path))}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0

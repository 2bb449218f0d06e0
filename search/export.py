"""Export selected passages to a Markdown note (CommonMark) and write it safely.

Everything that reaches the note from a corpus (article text, titles, outlets, file
names, URLs, fact text) or from the user (query, corpus path, title) is untrusted. The
rules, all of which keep the note's structure ours alone:

* Control characters (C0 except newline, DEL, C1), lone surrogates, bidi overrides and
  zero-width characters are dropped; tab,
  vertical tab and form feed become a space; ``\\r\\n``, ``\\r``, U+0085, U+2028 and
  U+2029 become ``\\n``. Nothing reaches a terminal that could drive it.
* In every text line, ASCII punctuation that CommonMark (or the common GFM/note-app
  extensions) can read as inline syntax is backslash-escaped: ``\\ ` * _ [ ] < > & # | ~
  $ = ^ { }``. At the start of a line ``- + :`` and the ``.``/``)`` after a leading run of
  digits are escaped too, so no line can start a list, heading, quote, fence, table,
  thematic break or setext underline. The ``:`` of ``://`` and the ``.`` of ``www.`` are
  escaped so GitHub does not autolink bare URLs from the raw (escaped) source into broken
  links. A backslash before ASCII punctuation is always a literal in CommonMark, so
  over-escaping never changes the text.
* Passage lines are stripped of leading/trailing whitespace (no indented code, no hard
  line breaks) and every line is prefixed with ``> `` (blank lines with ``>``; runs of
  them collapse to one), so a passage is always exactly one block quote.
* Metadata (titles, labels, ids, facts, query) is folded onto one line.
* Highlights become ``**...**`` around already-escaped pieces, one run per line. An
  edge that is whitespace is left out; an edge that is punctuation glued to a letter
  outside the span is left out as well, because CommonMark's flanking rules would not
  let ``**`` open or close there. Letters and digits in a highlight are always bold.
* Only ``http``/``https`` URLs with a host become links; characters that could end or
  alter the destination are percent-encoded (``&`` is backslash-escaped so entities are
  not decoded). Anything else is shown as escaped text.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from .errors import ExportError
from .models import Fact, Passage, Source, Span
from .textsafe import is_invisible

__all__ = [
    "ExportItem",
    "ExportOptions",
    "default_filename",
    "render_markdown",
    "write_note",
]

DEFAULT_TITLE = "talks-tui note"


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One selected passage, the character spans to show in bold, and its facts."""

    passage: Passage
    highlights: tuple[Span, ...] = ()  # char spans into passage.text to bold
    facts: tuple[Fact, ...] = ()
    note: str | None = None  # the user's note, shown under the quote
    tags: tuple[str, ...] = ()  # the user's tags, shown in the attribution


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How the note is laid out."""

    include_facts: bool = False
    group_by_source: bool = False  # else keep the given (selection) order


# --------------------------------------------------------------------------- text hygiene

_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")
_SPACES = frozenset("\t\v\f")
_ALWAYS_ESCAPE = frozenset("\\`*_[]<>&#|~$=^{}")
_LINE_START_ESCAPE = frozenset("-+:")
_MD_WHITESPACE = frozenset(" \t\n\r\f\v")
_AUTOLINK_TRIGGER = re.compile(r":(?=//)|www\.", re.IGNORECASE)


def _clean(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(index in text, char)`` with line endings, spaces and controls normalised.

    Indices are kept so highlight spans survive the clean-up."""
    n = len(text)
    for i, ch in enumerate(text):
        if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
            continue
        if ch in _LINE_BREAKS:
            yield i, "\n"
        elif ch in _SPACES:
            yield i, " "
        elif unicodedata.category(ch) in ("Cc", "Cs") or is_invisible(ch):
            continue  # controls, lone surrogates, bidi overrides, zero-width characters
        else:
            yield i, ch


def _one_line(text: str | None) -> str:
    """Untrusted metadata folded to one trimmed line with single spaces."""
    if not text:
        return ""
    return " ".join("".join(ch for _, ch in _clean(text)).split())


def _escape_chars(line: str) -> list[str]:
    """Escape one line; one output string per input char so spans can be wrapped."""
    out = ["\\" + ch if ch in _ALWAYS_ESCAPE else ch for ch in line]
    if line and line[0] in _LINE_START_ESCAPE:
        out[0] = "\\" + line[0]
    digits = 0
    while digits < len(line) and "0" <= line[digits] <= "9":
        digits += 1
    if 0 < digits < len(line) and line[digits] in ".)":
        out[digits] = "\\" + line[digits]
    # GFM autolinks bare URLs from the raw source, backslashes included, giving broken
    # links on GitHub; breaking the "://" and "www." triggers keeps them plain text.
    for match in _AUTOLINK_TRIGGER.finditer(line):
        out[match.end() - 1] = "\\" + line[match.end() - 1]
    return out


def _escape(text: str) -> str:
    return "".join(_escape_chars(text))


def _inline(text: str | None) -> str:
    """Untrusted metadata as safe one-line Markdown text."""
    return _escape(_one_line(text))


def _is_punct(ch: str) -> bool:
    """Punctuation for CommonMark's flanking rules, in any spec version (ASCII, P*, S*)."""
    return (ch.isascii() and ch.isprintable() and not ch.isalnum() and ch != " ") or (
        unicodedata.category(ch)[0] in "PS"
    )


def _delimiter_may_touch(ch: str | None) -> bool:
    """True when ``**`` next to this outside char opens/closes even before punctuation.

    Conservative: symbols (S*) count as punctuation only in newer specs, so not here."""
    if ch is None or ch in _MD_WHITESPACE or unicodedata.category(ch) == "Zs":
        return True
    return (ch.isascii() and _is_punct(ch)) or unicodedata.category(ch)[0] == "P"


def _bold_runs(line: str, marks: Sequence[bool]) -> list[Span]:
    """Maximal runs of highlighted chars, trimmed so ``**`` always parses as strong."""
    runs: list[Span] = []
    i, n = 0, len(line)
    while i < n:
        if not marks[i]:
            i += 1
            continue
        start = i
        while i < n and marks[i]:
            i += 1
        s, e = start, i
        while s < e and (
            line[s].isspace()
            or (_is_punct(line[s]) and not _delimiter_may_touch(line[s - 1] if s else None))
        ):
            s += 1
        while e > s and (
            line[e - 1].isspace()
            or (_is_punct(line[e - 1]) and not _delimiter_may_touch(line[e] if e < n else None))
        ):
            e -= 1
        if s < e:
            runs.append((s, e))
    return runs


def _quote_lines(text: str, highlights: Sequence[Span]) -> list[str]:
    """The passage as block-quote lines, highlights in bold, structure neutralised."""
    marked = [False] * len(text)
    for start, end in highlights:
        for k in range(max(start, 0), min(end, len(text))):
            marked[k] = True
    lines: list[tuple[str, list[bool]]] = []
    chars: list[str] = []
    marks: list[bool] = []
    for idx, ch in _clean(text):
        if ch == "\n":
            lines.append(("".join(chars), marks))
            chars, marks = [], []
        else:
            chars.append(ch)
            marks.append(marked[idx])
    lines.append(("".join(chars), marks))

    out: list[str] = []
    for raw, raw_marks in lines:
        stripped = raw.strip()
        if not stripped:
            if out and out[-1] != ">":
                out.append(">")
            continue
        lead = len(raw) - len(raw.lstrip())
        line_marks = raw_marks[lead : lead + len(stripped)]
        escaped = _escape_chars(stripped)
        pieces: list[str] = []
        pos = 0
        for s, e in _bold_runs(stripped, line_marks):
            pieces += escaped[pos:s]
            pieces += ["**", *escaped[s:e], "**"]
            pos = e
        pieces += escaped[pos:]
        out.append("> " + "".join(pieces))
    if out and out[-1] == ">":
        out.pop()
    return out or [">"]


def _code(text: str | None) -> str:
    """A one-line code span whose fence no backtick run inside can close."""
    body = _one_line(text)
    if not body:
        return ""
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    if body.startswith("`") or body.endswith("`"):
        body = f" {body} "
    return f"{fence}{body}{fence}"


# --------------------------------------------------------------------------- URLs

_URL_SAFE = "-._~:/?#[]@!$&'*+,;=%"


def _link_target(url: str | None) -> tuple[str, str] | None:
    """``(host, destination)`` for an http(s) URL, destination safe inside ``(...)``."""
    text = _one_line(url)
    try:
        parts = urlsplit(text)
        host = parts.hostname
        if parts.scheme.lower() not in ("http", "https") or not host:
            return None
        if not parts.netloc.isascii():
            host = host.encode("idna").decode("ascii")
            port = f":{parts.port}" if parts.port else ""
            text = urlunsplit(parts._replace(netloc=host + port))
    except (ValueError, UnicodeError):
        return None
    dest = quote(text, safe=_URL_SAFE).replace("&", "\\&")
    return host.removeprefix("www."), dest


def _url_markdown(url: str | None, *, full: bool) -> str:
    """A link for http(s) URLs (text: the host, or the full URL), else escaped text."""
    if not _one_line(url):
        return ""
    target = _link_target(url)
    if target is None:
        return _inline(url)
    host, dest = target
    return f"[{_inline(url) if full else _escape(host)}]({dest})"


# --------------------------------------------------------------------------- note parts


def _source_for(passage: Passage, sources: Mapping[str, Source]) -> Source:
    """The passage's source, or a stand-in named by its id (never a crash)."""
    found = sources.get(passage.source)
    return found if found is not None else Source(id=passage.source, path=passage.source, title="")


def _label(source: Source) -> str:
    return _inline(source.label) or _inline(source.id) or "unknown source"


def _attribution(passage: Passage, source: Source, tags: Sequence[str] = ()) -> str:
    # Bold/emphasis are always preceded by a space and followed by ',' or ' ', so the
    # delimiters parse whatever the (escaped) label or title starts or ends with.
    fields = [f"**{_label(source)}**"]
    if title := _inline(source.title):
        fields.append(f"*{title}*")
    if date := _inline(source.date):
        fields.append(date)
    if url := _url_markdown(source.url, full=False):
        fields.append(url)
    if passage.page is not None:
        fields.append(f"p. {passage.page}")
    line = "— " + ", ".join(fields)
    if pid := _code(passage.id):
        line += f" · passage {pid}"
    if tags := [t for t in (_inline(t) for t in tags) if t]:
        line += " · tags: " + ", ".join(tags)
    return line


def _fmt_value(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _one_line(str(value))


def _fact_line(fact: Fact) -> str:
    text = _one_line(fact.text)
    line = f"{_one_line(fact.kind) or 'fact'}: {text}"
    if fact.value is not None:
        value = _fmt_value(fact.value)
        if fact.high is not None:
            value = f"{value}–{_fmt_value(fact.high)}"
        if value and value != text:
            line += f" → {value}"
    extras = []
    if counts := _one_line(fact.counts):
        extras.append(f"counts: {counts}")
    qualifier = _one_line(fact.qualifier)
    if fact.approximate:
        extras.append(f"approximate ({qualifier})" if qualifier else "approximate")
    elif qualifier:
        extras.append(qualifier)
    if speaker := _one_line(fact.speaker):
        extras.append(f"speaker: {speaker}")
    return "- " + _escape(" · ".join([line, *extras]))


def _passage_block(item: ExportItem, source: Source, options: ExportOptions) -> list[str]:
    blocks = [
        "\n".join(_quote_lines(item.passage.text, item.highlights)),
        _attribution(item.passage, source, item.tags),
    ]
    if note := _note_lines(item.note):
        blocks.append(note)
    if options.include_facts and item.facts:
        # each fact once: a passage naming a place twice states one fact
        blocks.append("\n".join(dict.fromkeys(_fact_line(f) for f in item.facts)))
    return blocks


def _note_lines(note: str | None) -> str:
    """The user's note as escaped paragraph lines under the quote ("Note: ..."), its line
    breaks kept as hard breaks."""
    cleaned = "".join(ch for _, ch in _clean(note or ""))
    lines = [_escape(line.strip()) for line in cleaned.split("\n") if line.strip()]
    if not lines:
        return ""
    lines[0] = "*Note:* " + lines[0]
    return "\\\n".join(lines)


def _source_entry(source: Source) -> str:
    head = f"**{_label(source)}**"
    fields = []
    if title := _inline(source.title):
        fields.append(f"*{title}*")
    if date := _inline(source.date):
        fields.append(date)
    if url := _url_markdown(source.url, full=True):
        fields.append(url)
    line = f"- {head} — {', '.join(fields)}" if fields else f"- {head}"
    if source.outlet and (path := _code(source.path)):
        line += f" · file {path}"
    return line


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render_markdown(
    items: Sequence[ExportItem],
    sources: Mapping[str, Source],
    *,
    corpus: str,
    query: str | None,
    created: datetime,
    options: ExportOptions = ExportOptions(),
    title: str | None = None,
) -> str:
    """The note as CommonMark text; every untrusted string is neutralised (see module doc)."""
    resolved: dict[str, Source] = {}  # insertion order = order of first appearance
    for item in items:
        if item.passage.source not in resolved:
            resolved[item.passage.source] = _source_for(item.passage, sources)
    order = list(resolved)

    heading = _inline(title) or _inline(query) or DEFAULT_TITLE
    meta = f"Created {created.isoformat(timespec='seconds')} from corpus {_one_line(corpus)}"
    if q := _one_line(query):
        meta += f", query “{q}”"
    meta += f". {_plural(len(items), 'passage')} from {_plural(len(order), 'source')}."
    blocks = [f"# {heading}", _escape(meta)]

    if not items:
        blocks.append("No passages selected.")
        return "\n\n".join(blocks) + "\n"

    if options.group_by_source:
        for sid in order:
            blocks.append(f"## {_label(resolved[sid])}")
            for item in items:
                if item.passage.source == sid:
                    blocks += _passage_block(item, resolved[sid], options)
    else:
        for item in items:
            blocks += _passage_block(item, resolved[item.passage.source], options)

    blocks.append("## Sources")
    blocks.append("\n".join(_source_entry(resolved[sid]) for sid in order))
    return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- file name


def default_filename(query: str | None, created: datetime) -> str:
    """``talks-YYYY-MM-DD-HHMM[-slug].md``: ASCII letters, digits and '-' only, so the
    name is safe on every file system and in a shell; the slug is at most 32 chars."""
    stamp = created.strftime("%Y-%m-%d-%H%M")
    slug = _slug(query or "")
    return f"talks-{stamp}-{slug}.md" if slug else f"talks-{stamp}.md"


def _slug(text: str, limit: int = 32) -> str:
    folded = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.category(ch) == "Mn":  # accents: café -> cafe
            continue
        folded.append(ch.lower() if ch.isascii() and ch.isalnum() else " ")
    slug = ""
    for word in "".join(folded).split():
        candidate = f"{slug}-{word}" if slug else word[:limit]
        if len(candidate) > limit:
            break
        slug = candidate
    return slug


# --------------------------------------------------------------------------- writing


def _show(path: Path) -> str:
    """The path for an error line, without control chars that could drive a terminal."""
    return "".join(
        "?" if unicodedata.category(ch) in ("Cc", "Cs") or is_invisible(ch) else ch
        for ch in str(path)
    )


def _open_temp(folder: Path, name: str) -> tuple[int, Path]:
    """Create a fresh hidden temp file next to the target (same file system, so
    ``os.replace`` is atomic). Mode 0o666 lets the umask decide, like a normal file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = folder / f".{name[:200]}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "cannot create a temporary file", str(folder))


def _failure(path: Path, exc: OSError) -> str:
    shown = _show(path)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"Cannot write {shown}: the disk is full (nothing was written)."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Cannot write {shown}: the folder {_show(path.parent)} is not writable."
    reason = (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
    return f"Cannot write {shown}: {reason}."


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable where the OS allows it; best effort only."""
    with suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_note(path: Path, text: str, *, force: bool = False) -> Path:
    """Atomic write (temp file in the same folder + os.replace, fsync). Raises ExportError with
    one clear sentence naming the path: exists and not force; folder missing; not writable;
    disk full (OSError). Never leaves a partial file or a stray temp file."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"Cannot write {_show(path)}: the folder {_show(folder)} does not exist.")
    if path.is_dir():
        raise ExportError(f"Cannot write {_show(path)}: it is a folder.")
    exists = os.path.lexists(path)
    if exists and not force:
        raise ExportError(
            f"{_show(path)} already exists; choose another name or confirm overwriting it."
        )
    data = text.encode("utf-8", errors="replace")
    tmp: Path | None = None
    try:
        fd, tmp = _open_temp(folder, path.name)
        try:
            if exists and hasattr(os, "fchmod"):
                with suppress(OSError):
                    os.fchmod(fd, stat.S_IMODE(os.stat(path).st_mode))
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ExportError(_failure(path, exc)) from exc
    finally:
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)
    _fsync_folder(folder)
    return path

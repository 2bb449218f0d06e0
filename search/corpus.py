"""Find, read and describe the article files of a corpus folder.

The folder is read-only to us. Every file is untrusted: binary, not UTF-8, empty or huge
files are skipped or decoded with a warning; one bad file never hides the good ones.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import CorpusError, SkipFile
from .textsafe import one_line, visible

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
METADATA_FILE = "sources.yaml"
# A news article is tens of kilobytes; a few megabytes is already a book. Bigger files are
# skipped before they are read, so one stray dump can never stall opening the corpus.
MAX_BYTES = 4 * 1024 * 1024
MAX_METADATA_BYTES = 1024 * 1024
META_KEYS = ("outlet", "title", "date", "url", "language")


@dataclass(frozen=True, slots=True)
class FileEntry:
    """An article file found in the corpus, with what ``stat`` says of it."""

    path: str  # relative, with forward slashes
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file left out, or read with a caveat, and why (shown to the user)."""

    path: str
    reason: str
    skipped: bool = True

    def __post_init__(self) -> None:
        # Shown as is by the CLI and the app: a file name with escape sequences, markup-free
        # but still terminal-hostile, is made visible-but-harmless here, once.
        object.__setattr__(self, "path", visible(self.path))
        object.__setattr__(self, "reason", one_line(self.reason, 300))


def check_folder(folder: Path) -> Path:
    folder = folder.expanduser()
    if not folder.exists():
        raise CorpusError(f"corpus folder not found: {one_line(str(folder))}")
    if not folder.is_dir():
        raise CorpusError(f"not a folder: {one_line(str(folder))} (give a folder of .txt/.md)")
    return folder.resolve()


def scan(folder: Path) -> tuple[list[FileEntry], list[Skipped]]:
    """Article files below ``folder`` (hidden ones and symlinked folders skipped)."""
    entries: list[FileEntry] = []
    skipped: list[Skipped] = []

    def on_error(err: OSError) -> None:
        skipped.append(Skipped(_rel(folder, err.filename or ""), f"cannot list: {err.strerror}"))

    for root, dirs, files in os.walk(folder, onerror=on_error, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                continue
            full = Path(root, name)
            rel = _rel(folder, str(full))
            if not _utf8(rel):  # undecodable bytes in the name (os.walk's surrogates)
                skipped.append(
                    Skipped(rel, "the file name is not valid UTF-8: rename the file to read it")
                )
                continue
            try:
                st = full.stat()
            except OSError as err:
                skipped.append(Skipped(rel, f"cannot read: {err.strerror or err}"))
                continue
            if stat.S_ISDIR(st.st_mode):
                continue  # a folder named like an article: os.walk reads it as a folder
            if not stat.S_ISREG(st.st_mode):
                # a FIFO would block the read forever; sockets and devices are not articles
                skipped.append(Skipped(rel, f"not a regular file ({_kind(st.st_mode)})"))
                continue
            entries.append(FileEntry(rel, st.st_size, st.st_mtime_ns))
    return entries, skipped


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _rel(folder: Path, full: str) -> str:
    try:
        return Path(full).relative_to(folder).as_posix()
    except ValueError:
        return Path(full).name


def read_bytes(folder: Path, entry: FileEntry) -> bytes:
    limit = _limit(entry.path)
    if entry.size > limit:
        raise SkipFile(_too_big(entry.size, limit))
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO since the scan, fail, never block.
        fd = os.open(folder / entry.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise SkipFile("not a regular file")
            data = fh.read(limit + 1)
    except OSError as err:
        raise SkipFile(f"cannot read: {err.strerror or err}") from err
    if len(data) > limit:  # it grew since the scan
        raise SkipFile(_too_big(len(data), limit))
    return data


def _limit(path: str) -> int:
    """Saved pages, PDFs and Word files carry images and fonts: their own size limits."""
    from .formats import max_bytes

    return max_bytes(path) or MAX_BYTES


def _too_big(size: int, limit: int = MAX_BYTES) -> str:
    return (
        f"too large for an article ({_size(size)}, the limit is {_size(limit)}): "
        "split it into smaller files"
    )


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(n // 1024, 1)} KB"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode article bytes; return the text and a warning when it was not clean UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as err:
            raise SkipFile("broken UTF-16 text") from err
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    if b"\x00" in data[:65536]:
        raise SkipFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "not UTF-8: read as Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not UTF-8: read as Latin-1"


def source_ids(paths: list[str]) -> dict[str, str]:
    """Stable, readable ids from file paths: ``news/bbc report.txt`` → ``news-bbc-report``."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for path in sorted(paths):
        stem = path.rsplit(".", 1)[0]
        base = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.").lower() or "article"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        ids[path] = candidate
    return ids


class _MetaLoader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: ``date: 2025-13-45`` stays text for us to
    check (PyYAML would raise a bare ValueError while loading)."""


_MetaLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_metadata(folder: Path, known: set[str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Read ``sources.yaml``: file name → {outlet, title, date, url, language}.

    Returns the overrides and warnings. Bad YAML is an error naming the file and line (the
    user must fix it); anything else wrong (unknown files or fields, wrong types, a bad
    date) is a warning and that value is ignored, so the articles stay usable."""
    path = folder / METADATA_FILE
    if not path.is_file():
        return {}, []
    shown = visible(str(path))
    try:
        if path.stat().st_size > MAX_METADATA_BYTES:
            return {}, [f"{METADATA_FILE}: larger than 1 MB, ignored"]
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_MetaLoader)  # noqa: S506
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f" line {mark.line + 1}" if mark else ""
        raise CorpusError(
            f"{shown}:{where}: invalid YAML: {one_line(str(err.problem or err))}; "
            f"fix or remove {METADATA_FILE}"
        ) from err
    except yaml.reader.ReaderError as err:  # a character YAML does not allow
        text = path.read_text(encoding="utf-8", errors="replace")
        line = text.count("\n", 0, err.position) + 1
        raise CorpusError(
            f"{shown}: line {line}: invalid YAML: character {err.character!r} is not allowed "
            f'(write it as an escape in a double-quoted string, e.g. "\\e"); '
            f"fix or remove {METADATA_FILE}"
        ) from err
    except UnicodeDecodeError as err:
        raise CorpusError(f"{shown}: not UTF-8 text; save {METADATA_FILE} as UTF-8") from err
    except (yaml.YAMLError, OSError, ValueError, TypeError, RecursionError) as err:
        raise CorpusError(
            f"{shown}: cannot read: {one_line(str(err))}; fix or remove {METADATA_FILE}"
        ) from err
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        what = type(raw).__name__
        return {}, [
            f"{METADATA_FILE}: expected a mapping of file name to fields, got {what}; ignored"
        ]
    out: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    for name, fields in raw.items():
        name = str(name)
        label = visible(name, 100)
        if name not in known:
            warnings.append(f"{METADATA_FILE}: no article file named {label!r}, ignored")
            continue
        if not isinstance(fields, dict):
            warnings.append(
                f"{METADATA_FILE}: {label}: expected a mapping of fields "
                f"(outlet:, title:, date:, url:, language:), got {type(fields).__name__}; ignored"
            )
            continue
        clean: dict[str, Any] = {}
        for key, value in fields.items():
            if key not in META_KEYS:
                warnings.append(
                    f"{METADATA_FILE}: {label}: unknown field {visible(str(key), 60)!r}, ignored"
                )
                continue
            if value is None:
                clean[key] = None
            elif key == "date":
                date = _meta_date(value)
                if date is None:
                    warnings.append(
                        f"{METADATA_FILE}: {label}: date {one_line(str(value), 60)!r} is not "
                        "YYYY-MM-DD, ignored"
                    )
                    continue
                clean[key] = date
            elif isinstance(value, dict | list | set | tuple | bytes):
                warnings.append(
                    f"{METADATA_FILE}: {label}: {key} must be text, got "
                    f"{type(value).__name__}; ignored"
                )
                continue
            else:
                text = one_line(str(value), 500)
                if not text:
                    continue
                clean[key] = text
        out[name] = clean
    return out, warnings


def _meta_date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        return None

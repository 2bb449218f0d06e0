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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import CorpusError
from .textsafe import one_line

SUFFIXES = (".txt", ".md", ".markdown")
METADATA_FILE = "sources.yaml"
MAX_BYTES = 32 * 1024 * 1024
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


class SkipFile(Exception):
    """Raised by ``read_article`` for a file that cannot be used."""


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
            try:
                st = full.stat()
            except OSError as err:
                skipped.append(Skipped(rel, f"cannot read: {err.strerror or err}"))
                continue
            if not full.is_file():
                continue
            entries.append(FileEntry(rel, st.st_size, st.st_mtime_ns))
    return entries, skipped


def _rel(folder: Path, full: str) -> str:
    try:
        return Path(full).relative_to(folder).as_posix()
    except ValueError:
        return Path(full).name


def read_bytes(folder: Path, entry: FileEntry) -> bytes:
    if entry.size > MAX_BYTES:
        raise SkipFile(f"larger than {MAX_BYTES // 2**20} MB")
    try:
        return (folder / entry.path).read_bytes()[: MAX_BYTES + 1]
    except OSError as err:
        raise SkipFile(f"cannot read: {err.strerror or err}") from err


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


def load_metadata(folder: Path, known: set[str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Read ``sources.yaml``: file name → {outlet, title, date, url, language}.

    Returns the overrides and warnings (unknown files or keys). Bad YAML is an error
    naming the file and line."""
    path = folder / METADATA_FILE
    if not path.is_file():
        return {}, []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f" line {mark.line + 1}" if mark else ""
        raise CorpusError(f"{path}:{where}: invalid YAML: {err.problem or err}") from err
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as err:
        raise CorpusError(f"{path}: cannot read: {one_line(str(err))}") from err
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        raise CorpusError(f"{path}: expected a mapping of file name to fields")
    out: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    for name, fields in raw.items():
        name = str(name)
        if name not in known:
            warnings.append(f"{METADATA_FILE}: no article file named {one_line(name)!r}")
            continue
        if not isinstance(fields, dict):
            raise CorpusError(f"{path}: entry {one_line(name)!r} must be a mapping of fields")
        clean: dict[str, Any] = {}
        for key, value in fields.items():
            if key not in META_KEYS:
                warnings.append(f"{METADATA_FILE}: {one_line(name)}: unknown field {key!r}")
                continue
            if value is None:
                clean[key] = None
            elif key == "date":
                clean[key] = _meta_date(value, path, name)
            else:
                clean[key] = one_line(str(value), 500)
        out[name] = clean
    return out, warnings


def _meta_date(value: Any, path: Path, name: str) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError as err:
        raise CorpusError(
            f"{path}: {one_line(name)}: date {one_line(str(value))!r} is not YYYY-MM-DD"
        ) from err

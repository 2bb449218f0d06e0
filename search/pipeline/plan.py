"""What changed since the last open: the manifest (size, mtime, content hash per file),
the pipeline version that invalidates it, and the cached parse of unchanged files."""

from __future__ import annotations

import errno
import hashlib
import json
import marshal
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs

from .. import engine
from ..corpus import METADATA_FILE, FileEntry, SkipFile, content_hash, read_bytes
from ..models import Passage, Source
from ..textsafe import one_line
from .cache import CACHE_FORMAT

HERE = Path(__file__).resolve().parents[1]  # the search package
DATA = HERE / "data"

PIPELINE_VERSION = 2  # bump when parsing or extraction changes the cached output
# The code (modules, or packages: every module in them, under search/) and data whose
# output the parsed cache keeps.
PIPELINE_CODE = ("ingest.py", "facts.py", "facts", "names.py", "corpus.py", "textsafe.py")
PIPELINE_CODE += ("language.py", "stemming.py", "data/formats.yaml", "formats")
CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


class Job(NamedTuple):
    """One file to read: it crosses the process boundary as it is."""

    folder: str
    entry: FileEntry
    sid: str
    overrides: dict[str, Any]


@dataclass(slots=True)
class Loaded:
    source: Source
    passages: list[Passage]
    fact_rows: list[tuple[Any, ...]] | bytes  # Fact fields in order, or marshal'ed:
    # Facts are built on first use
    sha: str
    entry: FileEntry
    meta: dict[str, Any]
    blob: tuple[bytes, bytes] | None = None  # the cache row, when it must be (re)written


def code_files(names: Iterable[str]) -> list[Path]:
    """The files of ``names`` (paths under search/; a package stands for its modules)."""
    files: list[Path] = []
    for name in names:
        path = HERE / name
        if path.is_dir():
            files.extend(sorted(path.glob("*.py")))
        elif path.is_file():
            files.append(path)
    return files


def pipeline_version() -> str:
    """Changes whenever parsing rules, gazetteers or the parsing code change, so a cached
    parse is never stale."""
    digest = hashlib.sha256()
    data = [DATA / "ingest.yaml", *sorted(DATA.glob("facts_*.yaml"))]
    for f in [*data, *code_files(PIPELINE_CODE)]:
        digest.update(f.read_bytes())
    digest.update(CACHE_FORMAT.encode())
    return f"{engine.SCHEMA_VERSION}.{PIPELINE_VERSION}.{digest.hexdigest()[:12]}"


def default_index_dir(corpus: Path) -> Path:
    key = hashlib.sha256(str(corpus).encode()).hexdigest()[:12]
    name = "".join(c if c.isalnum() else "-" for c in corpus.name)[:40] or "corpus"
    return platformdirs.user_cache_path("talks-tui") / "indexes" / f"{name}-{key}"


def usable_dir(
    folder: Path, index_dir: Path | str | None, in_memory: bool
) -> tuple[Path | None, str | None]:
    if in_memory:
        return None, None
    directory = Path(index_dir).expanduser() if index_dir else default_index_dir(folder)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        return None, (
            f"cannot write the index at {one_line(str(directory))} ({err.strerror or err}); "
            "using an in-memory index for this run"
        )
    return directory, None


def reuse(
    rows: dict[str, tuple[bytes, bytes]],
    entry: FileEntry,
    sid: str,
    overrides: dict[str, Any],
    old: dict[str, Any] | None,
    folder: Path,
) -> Loaded | None:
    """The cached parse of an unchanged file, or None when it must be read again.

    A file whose time changed but not its size is hashed: copied, checked out or
    touched, it is still the same article."""
    if old is None or sid not in rows:
        return None
    if (old.get("size"), old.get("id"), old.get("meta")) != (entry.size, sid, overrides):
        return None
    if old.get("mtime_ns") != entry.mtime_ns:
        try:
            if content_hash(read_bytes(folder, entry)) != old.get("sha256"):
                return None
        except (OSError, SkipFile):
            return None
    try:
        row, fact_rows = rows[sid]  # the facts stay marshal'ed until first use
        source_row, passage_rows = marshal.loads(row)
        source = Source(*source_row)
        passages = [Passage(*row) for row in passage_rows]
    except (ValueError, EOFError, TypeError):
        return None
    if source.id != sid:
        return None
    return Loaded(source, passages, fact_rows, old["sha256"], entry, overrides)


def read_manifest(directory: Path | None, version: str) -> dict[str, Any] | None:
    if directory is None:
        return None
    try:
        data = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != version:
        return None
    return data


def write_manifest(
    directory: Path | None,
    version: str,
    folder: Path,
    loaded: list[Loaded],
    old: dict[str, Any] | None = None,
) -> None:
    """Write the manifest, unless it says exactly what ``old`` (as read) said."""
    if directory is None:
        return
    files = {
        i.entry.path: {
            "id": i.source.id,
            "size": i.entry.size,
            "mtime_ns": i.entry.mtime_ns,
            "sha256": i.sha,
            "meta": i.meta,
        }
        for i in loaded
    }
    data = {"version": version, "corpus": str(folder), "metadata": METADATA_FILE, "files": files}
    if data != old:
        atomic_write(directory / "manifest.json", json.dumps(data, indent=1))


def atomic_write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

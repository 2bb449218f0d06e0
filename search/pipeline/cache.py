"""The parsed cache: one SQLite file, one row per source (marshal'ed tuples of the model
fields, in field order). The field names are part of the pipeline version."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import fields
from pathlib import Path

from .. import engine
from ..models import Fact, Passage, Source

CACHE_FILE = "parsed.sqlite"
CACHE_FORMAT = "3:" + ",".join(f.name for model in (Source, Passage, Fact) for f in fields(model))
TABLE = "parsed3"  # source id, marshal'ed (source row, passage rows), marshal'ed fact rows
_SELECT = f"SELECT sid, row, facts FROM {TABLE}"


class Cache:
    """The parsed cache: one SQLite file, a row per source. Read in one query when the
    corpus is opened; only changed sources are written."""

    def __init__(self, directory: Path | None) -> None:
        self.db: sqlite3.Connection | None = None
        if directory is None:
            return
        try:
            self.db = sqlite3.connect(directory / CACHE_FILE, timeout=engine.WRITE_TIMEOUT)
            self._create()
        except sqlite3.Error:
            self._reset(directory)
        legacy = directory / "cache"  # per-source JSON files of earlier versions
        if legacy.is_dir():
            shutil.rmtree(legacy, ignore_errors=True)

    def _reset(self, directory: Path) -> None:
        """A damaged cache file is only a cache: start again."""
        if self.db is not None:
            self.db.close()
        (directory / CACHE_FILE).unlink(missing_ok=True)
        self.db = sqlite3.connect(directory / CACHE_FILE, timeout=engine.WRITE_TIMEOUT)
        self._create()

    def _create(self) -> None:
        assert self.db is not None
        with self.db:
            self.db.execute("DROP TABLE IF EXISTS parsed")  # format 2
            self.db.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} (sid TEXT PRIMARY KEY, row BLOB, facts BLOB)"
            )

    def load(self) -> dict[str, tuple[bytes, bytes]]:
        if self.db is None:
            return {}
        try:
            return {sid: (row, facts) for sid, row, facts in self.db.execute(_SELECT)}
        except sqlite3.Error:
            return {}

    def save(self, rows: list[tuple[str, bytes, bytes]], keep: set[str]) -> None:
        """Write ``rows`` (source id, row, facts); drop the rows of sources not in
        ``keep``."""
        if self.db is None:
            return
        try:
            with self.db:
                if rows:
                    self.db.executemany(
                        f"INSERT OR REPLACE INTO {TABLE} (sid, row, facts) VALUES (?, ?, ?)", rows
                    )
                stale = [
                    (sid,)
                    for (sid,) in self.db.execute(f"SELECT sid FROM {TABLE}")
                    if sid not in keep
                ]
                if stale:
                    self.db.executemany(f"DELETE FROM {TABLE} WHERE sid = ?", stale)
        except sqlite3.Error:
            pass  # a cache that could not be written is re-parsed next time

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

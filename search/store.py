"""The notebook: what a user keeps about one corpus between runs.

Tags and notes on passages, the selection (and which of it was exported), the last query
and position, search history and saved searches, in one SQLite file per corpus in the
user data directory. Every change is one transaction on the rows it touches, so a crash
or a full disk leaves the previous store whole, and two instances on one corpus only
overwrite each other's value of the same tag or note, never the whole file.

Passage ids (``source:ordinal``) are stable across re-indexing, but a changed file can
shift them; each tagged passage keeps its text, so ``reconcile`` moves a tag to where
that text now is, or keeps it as an orphan with its old text.

The store is never essential: a damaged file is moved aside, a locked or newer one is
left alone, and the run keeps its notebook in memory with a ``notice`` saying so.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from .errors import StoreError
from .models import LastState, Note, Orphan, Passage, SavedSearch, Selection, Tag
from .textsafe import neutralize, one_line

SCHEMA_VERSION = 1
TAG_MAX = 80  # characters of a tag name; longer names are cut
NOTE_MAX = 20_000  # characters of a note
QUERY_MAX = 2000  # characters of a kept query (the engine refuses longer ones)
NAME_MAX = 80  # characters of a saved search's name
HISTORY_MAX = 200  # past queries kept
LOCK_TIMEOUT = 2.0  # seconds to wait for another instance's write

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tags (
    passage TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE, text TEXT NOT NULL,
    seq INTEGER NOT NULL, PRIMARY KEY (passage, name));
CREATE TABLE IF NOT EXISTS notes (
    passage TEXT PRIMARY KEY, note TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS selection (
    passage TEXT PRIMARY KEY, pos INTEGER NOT NULL, exported INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS history (query TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS saved (name TEXT PRIMARY KEY COLLATE NOCASE, query TEXT NOT NULL);
"""


def default_store_path(corpus: Path) -> Path:
    """The corpus's store in the user data dir, keyed like its index dir."""
    key = hashlib.sha256(str(corpus).encode()).hexdigest()[:12]
    name = "".join(c if c.isalnum() else "-" for c in corpus.name)[:40] or "corpus"
    return platformdirs.user_data_path("talks-tui") / "notebooks" / f"{name}-{key}.sqlite"


def _one_line_clean(text: str) -> str:
    """Escapes and controls removed, whitespace runs made one space, trimmed."""
    return " ".join(neutralize(text).split())


def normalize_tag(name: str) -> str:
    """The tag name kept: no escapes or controls, one line, at most ``TAG_MAX`` characters.
    Markup is kept as written (the UI shows it as text)."""
    clean = _one_line_clean(str(name))[:TAG_MAX].strip()
    if not clean:
        raise StoreError("a tag name needs at least one visible character")
    return clean


def normalize_note(text: str) -> str:
    """The note kept: escapes and controls removed (newlines and tabs stay), trailing
    space trimmed, at most ``NOTE_MAX`` characters."""
    lines = [line.rstrip() for line in neutralize(str(text)).split("\n")]
    return "\n".join(lines).strip("\n")[:NOTE_MAX]


def _clean_query(query: str) -> str:
    clean = _one_line_clean(str(query))
    if len(clean) > QUERY_MAX:
        raise StoreError(f"the query is too long to keep ({len(clean):,} characters)")
    return clean


@dataclass(frozen=True, slots=True)
class Moved:
    """A tagged passage whose id changed (its file changed): where its text is now."""

    old: str
    new: str


class Notebook:
    """One corpus's store. Methods take and return plain values; errors are
    ``StoreError`` with one clear line. Safe to call from several threads."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, notice: str | None) -> None:
        self._conn = conn
        self.path = path
        self.notice = notice
        """Why the store is not kept on disk this run (None when it is)."""
        self._lock = threading.RLock()

    @property
    def persistent(self) -> bool:
        return self.path is not None

    # --- opening -----------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | str | None, *, timeout: float = LOCK_TIMEOUT, strict: bool = False
    ) -> Notebook:
        """Open (or create) the store at ``path``; ``None`` is an in-memory store.

        A store that cannot be used gives an in-memory notebook with a ``notice``
        (``strict``: raises ``StoreError`` instead). Nothing is ever overwritten: a
        damaged file is moved aside, a locked or newer one is left as it is."""
        if path is None:
            return cls(_memory(), None, None)
        path = Path(path)
        try:
            return cls(_connect(path, timeout), path, None)
        except StoreError as err:
            if strict:
                raise
            return cls(_memory(), None, f"{err}; tags and notes of this run are not kept")
        except sqlite3.DatabaseError as err:
            if _is_busy(err):
                reason = StoreError(
                    f"the notebook {one_line(str(path))} is locked by another talks-tui"
                )
                if strict:
                    raise reason from err
                return cls(_memory(), None, f"{reason}; tags and notes of this run are not kept")
            aside = _move_aside(path)
            message = (
                f"the notebook {one_line(str(path))} was damaged ({one_line(str(err))}); "
                f"it was moved to {one_line(str(aside))} and a new one started"
            )
            try:
                conn = _connect(path, timeout)
            except (sqlite3.DatabaseError, StoreError) as again:
                if strict:
                    raise StoreError(f"{message}, which failed: {one_line(str(again))}") from again
                return cls(_memory(), None, f"{message}; tags and notes of this run are not kept")
            return cls(conn, path, message)

    @classmethod
    def for_corpus(cls, corpus: Path, *, strict: bool = False) -> Notebook:
        return cls.open(default_store_path(corpus), strict=strict)

    def close(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._conn.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is kept, or (disk full, locked) none of it."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as err:
                raise _write_error(err, self.path) from err
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as err:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                if isinstance(err, sqlite3.Error):
                    raise _write_error(err, self.path) from err
                raise

    def _read(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, args).fetchall()
            except sqlite3.Error as err:
                raise StoreError(f"cannot read the notebook: {one_line(str(err))}") from err

    # --- tags ------------------------------------------------------------------------

    def tag(self, passage: Passage, name: str) -> str:
        """Tag ``passage``; returns the name as kept (see ``normalize_tag``)."""
        name = normalize_tag(name)
        with self._write() as db:
            db.execute(
                "INSERT INTO tags(passage, name, text, seq) VALUES (?, ?, ?,"
                " (SELECT COALESCE(MAX(seq), 0) + 1 FROM tags))"
                " ON CONFLICT(passage, name) DO UPDATE SET text = excluded.text",
                (passage.id, name, passage.text),
            )
        return name

    def untag(self, passage_id: str, name: str) -> bool:
        """Remove the tag; False when the passage did not carry it."""
        name = normalize_tag(name)
        with self._write() as db:
            cur = db.execute("DELETE FROM tags WHERE passage = ? AND name = ?", (passage_id, name))
        return cur.rowcount > 0

    def tag_names(self) -> list[str]:
        """Every tag in use, most recently used first (for completion)."""
        rows = self._read("SELECT name, MAX(seq) FROM tags GROUP BY name ORDER BY 2 DESC")
        return [name for name, _ in rows]

    def tags(self, current: Mapping[str, object] | None = None) -> list[Tag]:
        """Every tag with its passages in tagging order; with ``current`` (the corpus's
        passage ids), ids not in it are the tag's ``orphans``."""
        groups: dict[str, tuple[list[str], list[str]]] = {}
        shown: dict[str, str] = {}
        for pid, name in self._read("SELECT passage, name FROM tags ORDER BY seq"):
            key = name.casefold()
            shown.setdefault(key, name)
            here, gone = groups.setdefault(key, ([], []))
            if current is None or pid in current:
                here.append(pid)
            else:
                gone.append(_real_id(pid))
        return sorted(
            (Tag(shown[k], tuple(h), tuple(g)) for k, (h, g) in groups.items()),
            key=lambda t: t.name.casefold(),
        )

    def tags_of(self, passage_id: str) -> tuple[str, ...]:
        rows = self._read("SELECT name FROM tags WHERE passage = ? ORDER BY seq", (passage_id,))
        return tuple(name for (name,) in rows)

    def tagged(self, name: str) -> tuple[str, ...] | None:
        """Passage ids carrying ``name`` in tagging order; None for an unknown tag."""
        rows = self._read(
            "SELECT passage FROM tags WHERE name = ? ORDER BY seq", (_one_line_clean(name),)
        )
        return tuple(pid for (pid,) in rows) if rows else None

    # --- notes -----------------------------------------------------------------------

    def note(self, passage: Passage, text: str) -> Note | None:
        """Set the passage's note; an empty note removes it (returns None)."""
        text = normalize_note(text)
        with self._write() as db:
            if not text.strip():
                db.execute("DELETE FROM notes WHERE passage = ?", (passage.id,))
                return None
            db.execute(
                "INSERT INTO notes(passage, note, text) VALUES (?, ?, ?) ON CONFLICT(passage)"
                " DO UPDATE SET note = excluded.note, text = excluded.text",
                (passage.id, text, passage.text),
            )
        return Note(passage.id, text)

    def note_of(self, passage_id: str) -> Note | None:
        rows = self._read("SELECT note FROM notes WHERE passage = ?", (passage_id,))
        return Note(passage_id, rows[0][0]) if rows else None

    def notes(self) -> list[Note]:
        return [Note(p, n) for p, n in self._read("SELECT passage, note FROM notes ORDER BY 1")]

    # --- passages that moved or went away -----------------------------------------------

    def reconcile(self, passages: Mapping[str, Passage]) -> tuple[list[Moved], list[Orphan]]:
        """Check every tagged, annotated or selected passage against the corpus. One whose
        id now holds other text (or is gone) follows its text to the passage holding it
        now, where that is one passage (of its source first); the others become orphans,
        kept under a key no corpus id can take (``a:3~hash``) with their old text, and
        come back if the text does."""
        rows = self._read(
            "SELECT passage, text FROM tags UNION SELECT passage, text FROM notes"
            " UNION SELECT passage, text FROM selection"
        )
        stale = [
            (pid, text) for pid, text in rows if (p := passages.get(pid)) is None or p.text != text
        ]
        if not stale:
            return [], []
        wanted = {text for _, text in stale}
        where: dict[str, list[str]] = {}
        for p in passages.values():
            if p.text in wanted:
                where.setdefault(p.text, []).append(p.id)
        moves: list[Moved] = []
        with self._write() as db:
            for pid, text in stale:  # first every stale row out of the way
                if (key := orphan_key(pid, text)) != pid:
                    _rekey(db, pid, key, text)
            for pid, text in stale:
                found = where.get(text, [])
                source = _real_id(pid).rsplit(":", 1)[0]
                same = [f for f in found if f.rsplit(":", 1)[0] == source] or found
                if len(same) == 1:
                    _rekey(db, orphan_key(pid, text), same[0], text)
                    if _real_id(pid) != same[0]:
                        moves.append(Moved(_real_id(pid), same[0]))
        return sorted(set(moves), key=lambda m: m.old), self.orphans(passages)

    def orphans(self, current: Mapping[str, object]) -> list[Orphan]:
        """Tagged or annotated passages not in ``current`` (the corpus's passage ids)."""
        ids = self._read("SELECT passage FROM tags UNION SELECT passage FROM notes")
        out = []
        for key in sorted(pid for (pid,) in ids if pid not in current):
            tags = self._read("SELECT name, text FROM tags WHERE passage = ? ORDER BY seq", (key,))
            note = self._read("SELECT note, text FROM notes WHERE passage = ?", (key,))
            text = tags[0][1] if tags else note[0][1] if note else ""
            names = tuple(n for n, _ in tags)
            out.append(Orphan(_real_id(key), text, names, note[0][0] if note else None))
        return out

    # --- selection ---------------------------------------------------------------------

    def selection(self) -> Selection:
        rows = self._read("SELECT passage, exported FROM selection ORDER BY pos")
        return Selection(tuple(p for p, _ in rows), frozenset(p for p, e in rows if e))

    def set_selection(self, passages: Sequence[Passage]) -> Selection:
        """Replace the selection, keeping the exported mark of passages still in it."""
        chosen = list({p.id: p for p in passages}.values())
        with self._write() as db:
            exported = {p for (p,) in db.execute("SELECT passage FROM selection WHERE exported")}
            db.execute("DELETE FROM selection")
            db.executemany(
                "INSERT INTO selection(passage, pos, exported, text) VALUES (?, ?, ?, ?)",
                [(p.id, n, int(p.id in exported), p.text) for n, p in enumerate(chosen)],
            )
        return self.selection()

    def mark_exported(self, passage_ids: Iterable[str]) -> Selection:
        with self._write() as db:
            db.executemany(
                "UPDATE selection SET exported = 1 WHERE passage = ?", [(p,) for p in passage_ids]
            )
        return self.selection()

    # --- last state, history, saved searches ---------------------------------------------

    def last_state(self) -> LastState:
        values = dict(self._read("SELECT key, value FROM state"))
        return LastState(values.get("query"), values.get("source"), values.get("passage"))

    def set_last_state(self, state: LastState) -> None:
        query = None if state.query is None else _clean_query(state.query)
        with self._write() as db:
            db.executemany(
                "INSERT INTO state(key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [("query", query), ("source", state.source), ("passage", state.passage)],
            )

    def push_history(self, query: str) -> None:
        """Keep ``query`` as the most recent (once; the oldest beyond ``HISTORY_MAX`` go)."""
        query = _clean_query(query)
        if not query:
            return
        with self._write() as db:
            db.execute(
                "INSERT INTO history(query, seq) VALUES (?,"
                " (SELECT COALESCE(MAX(seq), 0) + 1 FROM history))"
                " ON CONFLICT(query) DO UPDATE SET seq = excluded.seq",
                (query,),
            )
            db.execute(
                "DELETE FROM history WHERE seq <= (SELECT seq FROM history"
                " ORDER BY seq DESC LIMIT 1 OFFSET ?)",
                (HISTORY_MAX,),
            )

    def history(self) -> list[str]:
        """Past queries, most recent first."""
        return [q for (q,) in self._read("SELECT query FROM history ORDER BY seq DESC")]

    def save_search(self, name: str, query: str) -> SavedSearch:
        name = _one_line_clean(str(name))[:NAME_MAX].strip()
        if not name:
            raise StoreError("a saved search needs a name with at least one visible character")
        query = _clean_query(query)
        if not query:
            raise StoreError("an empty query cannot be saved")
        with self._write() as db:
            db.execute(
                "INSERT INTO saved(name, query) VALUES (?, ?)"
                " ON CONFLICT(name) DO UPDATE SET query = excluded.query",
                (name, query),
            )
        return SavedSearch(name, query)

    def saved_searches(self) -> list[SavedSearch]:
        rows = self._read("SELECT name, query FROM saved ORDER BY name COLLATE NOCASE")
        return [SavedSearch(n, q) for n, q in rows]

    def saved_search(self, name: str) -> SavedSearch:
        rows = self._read("SELECT name, query FROM saved WHERE name = ?", (_one_line_clean(name),))
        if not rows:
            raise StoreError(
                f"no saved search named {one_line(name)!r} "
                "(save one with: talks-tui search QUERY --save NAME)"
            )
        return SavedSearch(*rows[0])

    def delete_search(self, name: str) -> bool:
        with self._write() as db:
            cur = db.execute("DELETE FROM saved WHERE name = ?", (_one_line_clean(name),))
        return cur.rowcount > 0


def orphan_key(passage_id: str, text: str) -> str:
    """Where an orphan's rows are kept: its old id and a digest of its text, which no
    passage id (``source:ordinal``) can equal."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{_real_id(passage_id)}~{digest}"


def _real_id(key: str) -> str:
    return key.split("~", 1)[0]


def _rekey(db: sqlite3.Connection, old: str, new: str, text: str) -> None:
    """Move the rows of passage ``old`` with ``text`` to ``new``. A tag or selection
    ``new`` already has is dropped from ``old`` (nothing is lost); a note ``new`` already
    has stays where it is (an orphan), so no note is overwritten."""
    for table in ("tags", "selection"):
        db.execute(
            f"UPDATE OR IGNORE {table} SET passage = ? WHERE passage = ? AND text = ?",
            (new, old, text),
        )
        db.execute(f"DELETE FROM {table} WHERE passage = ? AND text = ?", (old, text))
    db.execute(
        "UPDATE OR IGNORE notes SET passage = ? WHERE passage = ? AND text = ?", (new, old, text)
    )


# --- connections -------------------------------------------------------------------------


def _memory() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.executescript(_SCHEMA)
    return conn


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode (``Notebook._write`` opens each transaction), in
    WAL mode, with the schema made or checked. Raises ``StoreError`` for a newer store."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(
            f"cannot make the folder for the notebook {one_line(str(path.parent))}"
            f" ({err.strerror or err})"
        ) from err
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the notebook {one_line(str(path))} was made by a newer talks-tui "
                f"(version {version}; this one reads up to {SCHEMA_VERSION}): "
                "upgrade talks-tui to use it; it is left unchanged"
            )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        if version < SCHEMA_VERSION:
            conn.executescript(
                f"BEGIN IMMEDIATE;{_SCHEMA}PRAGMA user_version={SCHEMA_VERSION};COMMIT;"
            )
        _check(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _check(conn: sqlite3.Connection) -> None:
    """Touch every table: a damaged file fails here, at open, not at the first tag."""
    for table in ("tags", "notes", "selection", "state", "history", "saved"):
        conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    (result,) = conn.execute("PRAGMA quick_check").fetchone()
    if result != "ok":
        raise sqlite3.DatabaseError(f"integrity check failed: {result}")


def _is_busy(err: sqlite3.Error) -> bool:
    code = getattr(err, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(err)


def _write_error(err: sqlite3.Error, path: Path | None) -> StoreError:
    where = one_line(str(path)) if path else "the in-memory notebook"
    if _is_busy(err):
        return StoreError(f"the notebook {where} is busy (another talks-tui is writing): try again")
    if getattr(err, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "full" in str(err):
        return StoreError(f"the disk is full: the notebook {where} was not changed")
    return StoreError(
        f"cannot write the notebook {where} ({one_line(str(err))}): it was not changed"
    )


def _move_aside(path: Path) -> Path:
    """Rename a damaged store (and its journal files) out of the way, never deleting it."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            src.rename(Path(f"{aside}{suffix}"))
    return aside

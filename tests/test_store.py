"""The notebook store: tags, notes, selection, history, and what it does when the file is
damaged, locked, newer, full or killed mid-write."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from search import store
from search.errors import StoreError
from search.models import LastState, Passage
from search.store import Notebook, default_store_path, normalize_note, normalize_tag, orphan_key

ROOT = Path(__file__).resolve().parents[1]


def passage(pid: str, text: str | None = None) -> Passage:
    text = text or f"Text of {pid}."
    return Passage(pid, pid.split(":")[0], int(pid.split(":")[1]), text, 0, len(text))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "notebook.sqlite"


def test_the_store_lives_in_the_user_data_dir(tmp_path: Path) -> None:
    where = default_store_path(tmp_path / "my corpus")
    assert str(where).startswith(os.environ["XDG_DATA_HOME"])
    assert where != default_store_path(tmp_path / "other" / "my corpus")


def test_tags_notes_and_state_survive_reopening(path: Path) -> None:
    nb = Notebook.open(path)
    assert nb.persistent and nb.notice is None
    nb.tag(passage("a:1"), "check")
    nb.tag(passage("b:2"), "check")
    nb.tag(passage("a:1"), "Kyiv")
    nb.note(passage("a:1"), "first line\nsecond line")
    nb.set_selection([passage("b:2"), passage("a:1")])
    nb.set_last_state(LastState("umerov", "a", "a:1"))
    nb.close()
    again = Notebook.open(path)
    assert [(t.name, t.passages) for t in again.tags()] == [
        ("check", ("a:1", "b:2")),
        ("Kyiv", ("a:1",)),
    ]
    assert again.tags_of("a:1") == ("check", "Kyiv")
    assert again.note_of("a:1").text == "first line\nsecond line"
    assert again.selection().passages == ("b:2", "a:1")
    assert again.last_state() == LastState("umerov", "a", "a:1")
    assert again.tagged("CHECK") == ("a:1", "b:2")  # one tag whatever its case
    assert again.tagged("nope") is None


def test_untag_and_an_empty_note_remove(path: Path) -> None:
    nb = Notebook.open(path)
    nb.tag(passage("a:1"), "x")
    assert nb.untag("a:1", "x") and not nb.untag("a:1", "x")
    assert nb.tags() == []
    nb.note(passage("a:1"), "kept")
    assert nb.note(passage("a:1"), "  \n ") is None
    assert nb.note_of("a:1") is None


def test_tag_names_with_markup_escapes_length_or_only_spaces() -> None:
    assert normalize_tag("[bold red]x[/]") == "[bold red]x[/]"  # kept: shown as text
    assert normalize_tag("\x1b[31mred\x1b[0m \x07 tag\u202e") == "red tag"
    assert normalize_tag("  two   words\n") == "two words"
    assert len(normalize_tag("y" * 10_000)) == store.TAG_MAX
    for empty in ("", "   ", "\t\n", "\x1b[2J"):
        with pytest.raises(StoreError, match="visible character"):
            normalize_tag(empty)


def test_a_note_with_control_characters_is_kept_safely(path: Path) -> None:
    raw = "line one\x1b]52;c;cGF5bG9hZA==\x07\r\nline two\x1b[2J\x00\x08\u202e\ttabbed  \n"
    kept = Notebook.open(path).note(passage("a:1"), raw).text
    assert kept == "line one\nline two\ttabbed"
    assert all(unicodedata.category(c) != "Cc" for c in kept.replace("\n", "").replace("\t", ""))
    assert len(normalize_note("z" * 100_000)) == store.NOTE_MAX


def test_two_instances_keep_each_others_tags(path: Path) -> None:
    one, two = Notebook.open(path), Notebook.open(path)
    one.tag(passage("a:1"), "from one")
    two.tag(passage("b:1"), "from two")
    one.note(passage("a:1"), "one's note")
    two.note(passage("b:1"), "two's note")
    two.note(passage("a:1"), "two wrote last")  # the same note: the last writer wins
    for nb in (one, two, Notebook.open(path)):
        assert {t.name: t.passages for t in nb.tags()} == {
            "from one": ("a:1",),
            "from two": ("b:1",),
        }
        assert nb.note_of("a:1").text == "two wrote last"
        assert nb.note_of("b:1").text == "two's note"


def test_selection_tracks_what_was_exported(path: Path) -> None:
    nb = Notebook.open(path)
    a1, a2, a3, b1 = (passage(p) for p in ("a:1", "a:2", "a:3", "b:1"))
    nb.set_selection([a1, a2, a3])
    assert nb.selection().unexported == ("a:1", "a:2", "a:3")
    nb.mark_exported(["a:1", "a:2", "a:3"])
    assert nb.set_selection([a1, a3]).unexported == ()  # one of three unselected
    assert nb.set_selection([a1, a3, b1]).unexported == ("b:1",)
    assert Notebook.open(path).selection().exported == {"a:1", "a:3"}


def test_history_is_ordered_deduplicated_and_capped(path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store, "HISTORY_MAX", 3)
    nb = Notebook.open(path)
    for q in ("a", "b", "a", "  ", "c", "d"):
        nb.push_history(q)
    assert nb.history() == ["d", "c", "a"]
    nb.push_history("c\x1b[31m")
    assert nb.history() == ["c", "d", "a"]


def test_saved_searches(path: Path) -> None:
    nb = Notebook.open(path)
    nb.save_search("prisoners", "prisoner exchange")
    nb.save_search("Prisoners", "prisoner* OR swap")  # same name, the new query
    assert [(s.name, s.query) for s in nb.saved_searches()] == [("prisoners", "prisoner* OR swap")]
    assert nb.saved_search("PRISONERS").query == "prisoner* OR swap"
    with pytest.raises(StoreError, match="no saved search"):
        nb.saved_search("other")
    with pytest.raises(StoreError):
        nb.save_search("   ", "x")
    with pytest.raises(StoreError):
        nb.save_search("empty", " ")


def test_reconcile_follows_moved_text_and_keeps_orphans(path: Path) -> None:
    nb = Notebook.open(path)
    nb.tag(passage("a:1", "Stays put."), "t")
    nb.tag(passage("a:2", "Moves down."), "t")
    nb.tag(passage("a:3", "Is deleted."), "t")
    nb.note(passage("a:3", "Is deleted."), "my note")
    nb.set_selection([passage("a:2", "Moves down."), passage("a:3", "Is deleted.")])
    # a paragraph inserted before a:2, and a:3's paragraph deleted
    now = {p.id: p for p in (passage("a:1", "Stays put."), passage("a:2", "New paragraph."))}
    now["a:3"] = passage("a:3", "Moves down.")
    moved, orphans = nb.reconcile(now)
    assert [(m.old, m.new) for m in moved] == [("a:2", "a:3")]
    assert [(o.passage, o.text, o.tags, o.note) for o in orphans] == [
        ("a:3", "Is deleted.", ("t",), "my note")
    ]
    (tag,) = nb.tags(now)
    assert tag.passages == ("a:1", "a:3") and tag.orphans == ("a:3",)
    assert nb.note_of("a:3") is None  # the note of the deleted text is not on the new a:3
    # the selection follows too; the deleted passage's entry is kept aside, not shown
    assert nb.selection().passages == ("a:3", orphan_key("a:3", "Is deleted."))
    assert nb.reconcile(now) == ([], orphans)  # stable: nothing moves twice
    # the deleted paragraph comes back (the edit undone): its tag and note return
    now["a:4"] = passage("a:4", "Is deleted.")
    moved, orphans = nb.reconcile(now)
    assert orphans == [] and nb.tags_of("a:4") == ("t",) and nb.note_of("a:4").text == "my note"


def test_a_damaged_store_is_moved_aside_not_overwritten(path: Path) -> None:
    garbage = b"this is not a database, it is a damaged file " * 200
    path.write_bytes(garbage)
    nb = Notebook.open(path)
    assert nb.persistent and "damaged" in nb.notice and "moved to" in nb.notice
    aside = [p for p in path.parent.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    nb.tag(passage("a:1"), "works")
    assert Notebook.open(path).tagged("works") == ("a:1",)


def test_a_newer_store_is_refused_and_left_unchanged(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    nb = Notebook.open(path)
    assert not nb.persistent and "newer talks-tui" in nb.notice
    nb.tag(passage("a:1"), "in memory")  # the app works without it
    assert nb.tagged("in memory") == ("a:1",)
    assert path.read_bytes() == before
    with pytest.raises(StoreError, match="newer talks-tui"):
        Notebook.open(path, strict=True)


def test_a_locked_store_gives_a_notice_and_a_clear_error(path: Path) -> None:
    Notebook.open(path).tag(passage("a:1"), "kept")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        nb = Notebook.open(path, timeout=0.05)  # WAL: reading still works
        assert nb.tagged("kept") == ("a:1",)
        with pytest.raises(StoreError, match="busy"):
            nb.tag(passage("a:2"), "blocked")
    finally:
        other.execute("ROLLBACK")
        other.close()
    nb.tag(passage("a:2"), "after")
    assert nb.tagged("after") == ("a:2",)


def test_a_store_locked_in_rollback_mode_falls_back_to_memory(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN EXCLUSIVE")
    try:
        nb = Notebook.open(path, timeout=0.05)
        assert not nb.persistent and "locked" in nb.notice
        with pytest.raises(StoreError, match="locked"):
            Notebook.open(path, timeout=0.05, strict=True)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [p.name for p in tmp_path.iterdir() if "damaged" in p.name] == []


def test_a_full_disk_leaves_the_previous_store_whole(path: Path) -> None:
    nb = Notebook.open(path)
    nb.tag(passage("a:1"), "before")
    nb.note(passage("a:1"), "short")
    (pages,) = nb._conn.execute("PRAGMA page_count").fetchone()
    nb._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL past this size
    with pytest.raises(StoreError, match="disk is full"):
        nb.note(passage("a:1"), "\n".join(f"line {n} " + "x" * 60 for n in range(300)))
    nb.close()
    again = Notebook.open(path)
    assert again.note_of("a:1").text == "short"
    assert again.tagged("before") == ("a:1",)


_WRITER = """
import sys
from search.models import Passage
from search.store import Notebook
nb = Notebook.open(sys.argv[1])
for n in range(100_000):
    nb.tag(Passage(f"a:{n}", "a", n, "text", 0, 4), "t")
    print(n, flush=True)
"""


def test_kill_9_while_saving_loses_at_most_the_last_change(path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    last = -1
    assert child.stdout is not None
    for line in child.stdout:
        last = int(line)
        if last >= 40:
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait()
    assert last >= 40
    nb = Notebook.open(path)
    assert nb.notice is None
    kept = nb.tagged("t") or ()
    # every reported write is there, and what came after (writes the child made before
    # the kill reached it) is whole: a gap-free run, no torn or missing row
    assert len(kept) >= last + 1
    assert kept == tuple(f"a:{n}" for n in range(len(kept)))

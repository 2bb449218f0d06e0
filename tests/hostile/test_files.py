"""Files a user might have downloaded: each is read, decoded with a note, or skipped with a
reason naming it; none crashes, hangs or hides the good articles."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from search import corpus
from search.workspace import Workspace

from .conftest import copy_seeds

SEED_QUERY = "Medinsky"  # in several seeds


def open_ws(folder: Path, tmp_path: Path) -> Workspace:
    return Workspace.open(folder, tmp_path / "ix")


def seeds_found(ws: Workspace) -> None:
    hits = ws.search(SEED_QUERY).hits
    assert len({h.passage.source for h in hits}) >= 2


def skipped(ws: Workspace) -> dict[str, str]:
    return {s.path: s.reason for s in ws.skipped if s.skipped}


def notes(ws: Workspace) -> dict[str, str]:
    return {s.path: s.reason for s in ws.skipped if not s.skipped}


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    copy_seeds(folder)
    return folder


def test_binary_file_is_skipped(seeded: Path, tmp_path: Path) -> None:
    (seeded / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(4096))
    ws = open_ws(seeded, tmp_path)
    assert "binary" in skipped(ws)["photo.txt"]
    seeds_found(ws)


def test_latin1_text_is_read_with_a_note(seeded: Path, tmp_path: Path) -> None:
    text = "Caf\xe9 Report\n\nThe d\xe9l\xe9gation met in S\xe3o Paulo caf\xe9.\n"
    (seeded / "latin.txt").write_bytes(text.encode("latin-1"))
    ws = open_ws(seeded, tmp_path)
    assert "not UTF-8" in notes(ws)["latin.txt"]
    assert [h.passage.text for h in ws.search("Paulo").hits] == [
        "The délégation met in São Paulo café."
    ]
    seeds_found(ws)


def test_cp1252_text_is_read_with_a_note(seeded: Path, tmp_path: Path) -> None:
    text = "Quote Report\n\n\u201cWe will talk\u201d \u2013 the zorblat envoy said: \u20ac5.\n"
    (seeded / "win.txt").write_bytes(text.encode("cp1252"))
    ws = open_ws(seeded, tmp_path)
    assert "Windows-1252" in notes(ws)["win.txt"]
    (hit,) = ws.search("zorblat").hits
    assert "\u201cWe will talk\u201d \u2013" in hit.passage.text and "\u20ac5" in hit.passage.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_text_with_a_bom_is_read(seeded: Path, tmp_path: Path, codec: str) -> None:
    text = "Wide Report\n\nThe sixteen-bit report quotes Erdo\u011fan.\n"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    (seeded / "wide.txt").write_bytes(data)
    ws = open_ws(seeded, tmp_path)
    (hit,) = ws.search("Erdogan sixteen").hits
    assert hit.passage.text == "The sixteen-bit report quotes Erdo\u011fan."
    assert "\ufeff" not in ws.sources["wide"].title


def test_broken_utf16_is_skipped(seeded: Path, tmp_path: Path) -> None:
    (seeded / "broken16.txt").write_bytes(b"\xff\xfeA\x00\x00\xd8")  # lone surrogate
    ws = open_ws(seeded, tmp_path)
    assert "UTF-16" in skipped(ws)["broken16.txt"]
    seeds_found(ws)


@pytest.mark.parametrize(
    "content", [b"", b"   ", b" \n\t\n  \r\n", "\u3000\u00a0\n\u200b\n".encode()]
)
def test_empty_and_whitespace_files_are_skipped(
    seeded: Path, tmp_path: Path, content: bytes
) -> None:
    (seeded / "nothing.md").write_bytes(content)
    ws = open_ws(seeded, tmp_path)
    assert skipped(ws)["nothing.md"] in ("empty file", "no paragraphs of text")
    seeds_found(ws)


def test_a_20_mb_article_does_not_hang(seeded: Path, tmp_path: Path) -> None:
    line = "The delegations talked about the ceasefire for another hour in Istanbul. "
    with open(seeded / "huge.txt", "w", encoding="utf-8") as fh:
        for _ in range(20 * 2**20 // (len(line) * 100) + 1):
            fh.write(line * 100 + "\n\n")
    assert (seeded / "huge.txt").stat().st_size > 20 * 2**20
    started = time.perf_counter()
    ws = open_ws(seeded, tmp_path)
    elapsed = time.perf_counter() - started
    reason = skipped(ws)["huge.txt"]
    assert "too large" in reason and "MB" in reason and "split" in reason
    seeds_found(ws)
    assert elapsed < 20, f"opening took {elapsed:.1f} s"


def test_a_file_that_grows_past_the_limit_after_the_scan(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus, "MAX_BYTES", 100_000)  # the seeds are smaller
    (seeded / "grows.txt").write_text("Small\n\nsmall.\n", encoding="utf-8")
    real_scan = corpus.scan

    def scan_then_grow(folder: Path):  # type: ignore[no-untyped-def]
        found = real_scan(folder)
        (seeded / "grows.txt").write_text("Big\n\n" + "word " * 30_000, encoding="utf-8")
        return found

    monkeypatch.setattr("search.workspace.scan", scan_then_grow)
    ws = Workspace.open(seeded, None, in_memory=True)
    assert "too large" in skipped(ws)["grows.txt"]


def test_a_single_200k_character_line(seeded: Path, tmp_path: Path) -> None:
    rng = random.Random(7)
    words = ["the", "talks", "ceasefire", "bodies", "soldiers", "Istanbul", "said", "6,000"]
    line = " ".join(rng.choice(words) for _ in range(40_000))[:200_000] + " zanzibar"
    (seeded / "oneline.txt").write_text(line, encoding="utf-8")
    started = time.perf_counter()
    ws = open_ws(seeded, tmp_path)
    elapsed = time.perf_counter() - started
    passages = ws.by_source["oneline"]
    assert len(passages) > 10 and max(len(p.text) for p in passages) <= 4000
    assert sum(len(p.text) for p in passages) >= 199_000  # cut, not lost
    (hit,) = ws.search("zanzibar").hits
    assert hit.passage.id == passages[-1].id
    seeds_found(ws)
    assert elapsed < 20, f"opening took {elapsed:.1f} s"


@pytest.mark.parametrize("count", [2_000, pytest.param(10_000, marks=pytest.mark.slow)])
def test_thousands_of_tiny_files(tmp_path: Path, count: int) -> None:
    """Tiny files in ten folders; the default suite reads 2,000 of them, ``-m slow``
    the full 10,000 against the same time limits."""
    folder = tmp_path / "many"
    copy_seeds(folder)
    per_folder = count // 10
    for n in range(count):
        sub = folder / f"d{n // per_folder}"
        if n % per_folder == 0:
            sub.mkdir()
        (sub / f"n{n}.txt").write_text(f"Note {n}\n\nItem number {n} of many.\n")
    one = count * 43 // 100 + 21  # 4321 of 10,000: in d4
    started = time.perf_counter()
    ws = Workspace.open(folder, tmp_path / "ix")
    first = time.perf_counter() - started
    assert len(ws.sources) == count + 5
    assert [h.passage.source for h in ws.search(f'"number {one}"').hits] == [f"d4-n{one}"]
    seeds_found(ws)
    ws.close()
    started = time.perf_counter()
    again = Workspace.open(folder, tmp_path / "ix")
    second = time.perf_counter() - started
    assert again.stats.parsed == [] and len(again.sources) == count + 5
    assert first < 45 and second < 15, (first, second)


def test_names_with_spaces_unicode_and_dashes(seeded: Path, tmp_path: Path) -> None:
    names = {
        "with spaces.txt": "Zlatograd",
        "ünïcödé – 報道.md": "Qorvath",
        "-rf.txt": "Brekkenvik",
        "--help.md": "Umbervale",
        "[bold]x[@click=app.quit].txt": "Tessaloor",
    }
    for name, place in names.items():
        (seeded / name).write_text(f"Report\n\nA report filed from {place}.\n", encoding="utf-8")
    ws = open_ws(seeded, tmp_path)
    paths = {s.path for s in ws.sources.values()}
    assert set(names) <= paths
    ids = [s.id for s in ws.sources.values()]
    assert len(set(ids)) == len(ids)
    assert all(i and not i.startswith("-") and i.isascii() for i in ids)
    for place in names.values():
        assert len(ws.search(place).hits) == 1


def test_non_utf8_file_name(seeded: Path, tmp_path: Path) -> None:
    with open(os.path.join(os.fsencode(seeded), b"caf\xe9.txt"), "wb") as fh:
        fh.write(b"Cafe\n\nFiled from Rigavelt.\n")
    ws = open_ws(seeded, tmp_path)
    # shown with the raw byte visible, so the user can find and rename it
    assert skipped(ws)["caf\\xe9.txt"] == (
        "the file name is not valid UTF-8: rename the file to read it"
    )
    seeds_found(ws)


def test_unreadable_file_is_skipped(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (seeded / "secret.txt").write_text("Secret\n\nNobody may read this.\n", encoding="utf-8")
    real_open = os.open

    def deny(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    ws = open_ws(seeded, tmp_path)
    assert skipped(ws)["secret.txt"] == "cannot read: Permission denied"
    seeds_found(ws)


def test_fifo_and_socket_are_skipped_without_blocking(seeded: Path, tmp_path: Path) -> None:
    import socket

    os.mkfifo(seeded / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(seeded / "sock.md"))
    try:
        ws = open_ws(seeded, tmp_path)
    finally:
        sock.close()
    assert skipped(ws)["pipe.txt"] == "not a regular file (a named pipe)"
    assert skipped(ws)["sock.md"] == "not a regular file (a socket)"
    seeds_found(ws)


def test_swapped_for_a_fifo_after_the_scan(seeded: Path, tmp_path: Path) -> None:
    (seeded / "later.txt").write_text("Later\n\nText.\n", encoding="utf-8")
    entries, _ = corpus.scan(seeded)
    (entry,) = [e for e in entries if e.path == "later.txt"]
    (seeded / "later.txt").unlink()
    os.mkfifo(seeded / "later.txt")
    with pytest.raises(corpus.SkipFile, match="not a regular file"):
        corpus.read_bytes(seeded, entry)  # returns at once: never blocks on the pipe


def test_directory_named_like_an_article(seeded: Path, tmp_path: Path) -> None:
    (seeded / "x.txt").mkdir()
    (seeded / "x.txt" / "inner.txt").write_text("Inner\n\nFiled from Oslo.\n", encoding="utf-8")
    (seeded / "empty.md").mkdir()
    ws = open_ws(seeded, tmp_path)
    assert "x.txt/inner.txt" in {s.path for s in ws.sources.values()}
    assert len(ws.search("Oslo").hits) == 1
    assert not ws.skipped
    seeds_found(ws)


def test_symlink_loops_and_dangling_links(seeded: Path, tmp_path: Path) -> None:
    os.symlink("self.txt", seeded / "self.txt")
    os.symlink("b.txt", seeded / "a.txt")
    os.symlink("a.txt", seeded / "b.txt")
    os.symlink("missing.txt", seeded / "dangling.txt")
    (seeded / "sub").mkdir()
    os.symlink("..", seeded / "sub" / "up")  # a folder loop: never followed
    os.symlink(str(seeded), seeded / "sub" / "root.md")  # a link to a folder, named .md
    started = time.perf_counter()
    ws = open_ws(seeded, tmp_path)
    assert time.perf_counter() - started < 20
    reasons = skipped(ws)
    for name in ("self.txt", "a.txt", "b.txt"):
        assert reasons[name].startswith("cannot read: Too many levels of symbolic links")
    assert reasons["dangling.txt"] == "cannot read: No such file or directory"
    assert len(ws.sources) == 5
    seeds_found(ws)


def test_only_bad_files_is_a_clear_error(tmp_path: Path) -> None:
    from search.errors import CorpusError

    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"\x00\x01")
    (folder / "b.txt").write_bytes(b"")
    with pytest.raises(CorpusError, match=r"no readable articles.*a\.txt: binary"):
        Workspace.open(folder, tmp_path / "ix")

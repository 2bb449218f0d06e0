"""Corpus reading and the index lifecycle: reuse, incremental updates, rebuilds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from search.corpus import decode, source_ids
from search.errors import CorpusError
from search.workspace import Workspace

A = "Talks In Istanbul\n\nThe delegations exchanged 6,000 bodies on Monday.\n"
B = " date 2025-06-02 Second Report\n\nErdoğan welcomed the prisoner exchange.\n"
C = "Third Report\n\nThe ceasefire lasted two days.\n"


def test_missing_and_empty_folders_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not found"):
        Workspace.open(tmp_path / "nope", tmp_path / "ix")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match=r"no \.txt or \.md"):
        Workspace.open(tmp_path / "empty", tmp_path / "ix")


def test_sources_and_passages(make_corpus, tmp_path: Path) -> None:
    ws = Workspace.open(make_corpus({"a.txt": A, "b.md": B}), tmp_path / "ix")
    assert list(ws.sources) == ["a", "b"]
    assert ws.sources["b"].date == "2025-06-02" and ws.sources["a"].date is None
    assert ws.sources["a"].title == "Talks In Istanbul"
    assert [p.id for p in ws.by_source["a"]] == ["a:1"]
    assert ws.sources["a"].passages == 1


def test_search_highlights_land_on_words(make_corpus, tmp_path: Path) -> None:
    ws = Workspace.open(make_corpus({"a.txt": A, "b.md": B}), tmp_path / "ix")
    hits = ws.search("body").hits
    assert [h.passage.id for h in hits] == ["a:1"]
    (span,) = hits[0].highlights
    assert hits[0].passage.text[slice(*span)] == "bodies"


def test_accent_folding(make_corpus, tmp_path: Path) -> None:
    ws = Workspace.open(make_corpus({"a.txt": A, "b.md": B}), tmp_path / "ix")
    hit = ws.search("Erdogan").hits[0]
    assert hit.passage.text[slice(*hit.highlights[0])] == "Erdoğan"


def test_numbers_with_separators(make_corpus, tmp_path: Path) -> None:
    ws = Workspace.open(make_corpus({"a.txt": A, "b.md": B}), tmp_path / "ix")
    for q in ("6,000", "6000"):
        assert [h.passage.id for h in ws.search(q).hits] == ["a:1"]


def test_second_open_reuses_index(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"a.txt": A, "b.md": B})
    first = Workspace.open(folder, tmp_path / "ix")
    assert sorted(first.stats.parsed) == ["a", "b"]
    first.close()
    second = Workspace.open(folder, tmp_path / "ix")
    assert second.stats.parsed == [] and second.stats.indexed_passages == 0
    assert not second.stats.rebuilt
    assert [h.passage.id for h in second.search("bodies").hits] == ["a:1"]


def test_touched_but_unchanged_files_are_not_read_again(make_corpus, tmp_path: Path) -> None:
    """A copy, a checkout or a touch changes a file's time, not its article."""
    import os

    folder = make_corpus({"a.txt": A, "b.md": B})
    Workspace.open(folder, tmp_path / "ix").close()
    for path in folder.iterdir():
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    same_size = A.replace("bodies", "corpse")  # another article of the same size
    assert len(same_size) == len(A)
    (folder / "a.txt").write_text(same_size, encoding="utf-8")
    ws = Workspace.open(folder, tmp_path / "ix")
    assert ws.stats.parsed == ["a"]  # b was only hashed
    assert [h.passage.id for h in ws.search("corpse").hits] == ["a:1"]
    ws.close()
    again = Workspace.open(folder, tmp_path / "ix")  # the new times were recorded
    assert again.stats.parsed == [] and again.stats.indexed_passages == 0


def test_change_add_remove_reindex_only_those(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"a.txt": A, "b.md": B})
    Workspace.open(folder, tmp_path / "ix").close()
    (folder / "a.txt").write_text(A.replace("bodies", "corpses"), encoding="utf-8")
    (folder / "c.txt").write_text(C, encoding="utf-8")
    ws = Workspace.open(folder, tmp_path / "ix")
    assert sorted(ws.stats.parsed) == ["a", "c"]
    assert ws.search("bodies").hits == ()
    assert [h.passage.id for h in ws.search("corpses").hits] == ["a:1"]
    ws.close()
    (folder / "b.md").unlink()
    ws = Workspace.open(folder, tmp_path / "ix")
    assert ws.stats.removed == ["b"] and ws.stats.parsed == []
    assert ws.search("prisoner").hits == ()
    assert "b" not in ws.sources


def test_touch_without_change_does_not_reindex(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"a.txt": A})
    Workspace.open(folder, tmp_path / "ix").close()
    st = (folder / "a.txt").stat()
    os.utime(folder / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    ws = Workspace.open(folder, tmp_path / "ix")
    assert ws.stats.parsed == [] and ws.stats.indexed_passages == 0


def test_corpus_folder_never_written(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"a.txt": A, "b.md": B})
    before = sorted(p.name for p in folder.rglob("*"))
    Workspace.open(folder).close()  # default index dir: the (isolated) user cache
    assert sorted(p.name for p in folder.rglob("*")) == before


def test_schema_or_pipeline_change_rebuilds(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"a.txt": A})
    Workspace.open(folder, tmp_path / "ix").close()
    manifest = tmp_path / "ix" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"version": "', '"version": "old-'))
    ws = Workspace.open(folder, tmp_path / "ix")
    assert ws.stats.rebuilt and ws.stats.parsed == ["a"]
    assert len(ws.search("bodies").hits) == 1


def test_deleted_index_files_rebuild(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"a.txt": A})
    Workspace.open(folder, tmp_path / "ix").close()
    for f in (tmp_path / "ix").glob("*.toc"):
        f.unlink()
    ws = Workspace.open(folder, tmp_path / "ix")
    assert ws.stats.rebuilt
    assert len(ws.search("bodies").hits) == 1


def test_unwritable_index_dir_falls_back_to_memory(make_corpus, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    ws = Workspace.open(make_corpus({"a.txt": A}), blocker / "ix")
    assert ws.stats.index_dir is None
    assert any("in-memory" in w for w in ws.warnings)
    assert len(ws.search("bodies").hits) == 1


def test_bad_files_skipped_good_ones_kept(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus(
        {
            "good.txt": A,
            "binary.txt": b"\x00\x01\x02PK\x03\x04",
            "empty.md": "",
            "blank.txt": "  \n\n \t\n",
            "latin.txt": "Caf\xe9 report\n\nThe caf\xe9 hosted the talks.\n".encode("cp1252"),
            "notes.pdf": b"%PDF",
        }
    )
    (folder / "dir.txt").mkdir()
    ws = Workspace.open(folder, tmp_path / "ix")
    assert set(ws.sources) == {"good", "latin"}
    reasons = {s.path: s.reason for s in ws.skipped}
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.md"] and "empty" in reasons["blank.txt"]
    assert "Windows-1252" in reasons["latin.txt"]
    assert "café" in ws.by_source["latin"][0].text


def test_sources_yaml_overrides(make_corpus, tmp_path: Path) -> None:
    meta = "a.txt:\n  outlet: Example News\n  date: 2025-06-03\n  url: https://example.org/a\n"
    ws = Workspace.open(make_corpus({"a.txt": A, "sources.yaml": meta}), tmp_path / "ix")
    src = ws.sources["a"]
    assert (src.outlet, src.date, src.url) == (
        "Example News",
        "2025-06-03",
        "https://example.org/a",
    )
    assert [h.passage.id for h in ws.search("date:2025-06").hits] == ["a:1"]
    assert [h.passage.id for h in ws.search("source:example").hits] == ["a:1"]


def test_bad_sources_yaml_names_file_and_line(make_corpus, tmp_path: Path) -> None:
    folder = make_corpus({"a.txt": A, "sources.yaml": "a.txt:\n  outlet: [unclosed\n"})
    with pytest.raises(CorpusError, match=r"sources\.yaml.*line \d+"):
        Workspace.open(folder, tmp_path / "ix")


def test_decode_variants() -> None:
    assert decode("héllo".encode("utf-16"))[0] == "héllo"
    assert decode(b"\xef\xbb\xbfhi") == ("hi", None)


def test_source_ids_are_stable_and_unique() -> None:
    ids = source_ids(["a b.txt", "a b.md", "sub/Ünïcode.txt", "-dash.txt"])
    assert ids["a b.md"] == "a-b" and ids["a b.txt"] == "a-b-2"
    assert len(set(ids.values())) == 4
    assert ids == source_ids(["-dash.txt", "sub/Ünïcode.txt", "a b.md", "a b.txt"])

"""The notebook on a workspace: tags survive re-indexing and file changes, the ``tag:``
filter, the timeline and the entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.errors import CorpusError, QueryError, StoreError
from search.models import LastState
from search.notebook import split_tags
from search.workspace import Workspace

A = (
    "Talks in Istanbul\n\n"
    "Rustem Umerov led the Ukrainian delegation to the talks on June 2, 2025.\n\n"
    "Umerov said the prisoner exchange would follow on June 10, 2025.\n"
)
B = (
    "Second report\n\n"
    "The talks began on June 1, 2025 in Istanbul, officials said.\n\n"
    "Vladimir Medinsky spoke to reporters after the talks.\n"
)


@pytest.fixture
def corpus(make_corpus) -> Path:
    return make_corpus({"a.txt": A, "b.txt": B})


def open_ws(corpus: Path, index: str = "idx") -> Workspace:
    return Workspace.open(corpus, corpus.parent / index)


def test_tags_and_notes_survive_a_reindex(corpus: Path) -> None:
    ws = open_ws(corpus)
    assert ws.tag("a:2", "exchange") == "exchange"
    ws.note("a:2", "check the date\nwith a second source")
    ws.set_selection(["b:1", "a:2"])
    ws.set_last_state(LastState("prisoner", "a", "a:2"))
    ws.close()
    again = open_ws(corpus, "another-index")  # a fresh index: everything re-read
    assert again.stats.indexed_passages == 4
    assert [(t.name, t.passages, t.orphans) for t in again.tags()] == [("exchange", ("a:2",), ())]
    assert again.notes_of("a:2").text == "check the date\nwith a second source"
    assert again.selection().passages == ("b:1", "a:2")
    assert again.last_state() == LastState("prisoner", "a", "a:2")
    assert again.notebook_orphans() == []


def test_a_file_change_moves_tags_with_their_text_or_keeps_orphans(corpus: Path) -> None:
    ws = open_ws(corpus)
    ws.tag("a:2", "exchange")
    ws.tag("a:1", "delegation")
    ws.note("a:1", "who else was there?")
    ws.set_selection(["a:1", "a:2", "b:1"])
    ws.mark_exported(["a:2"])
    ws.close()
    # a paragraph added before the tagged one, and the first one deleted
    changed = A.replace(
        "Rustem Umerov led the Ukrainian delegation to the talks on June 2, 2025.\n\n",
        "A new opening paragraph about the talks.\n\nAnd a second one, also new.\n\n",
    )
    (corpus / "a.txt").write_text(changed, encoding="utf-8")
    ws = open_ws(corpus)
    assert ws.passages["a:3"].text.startswith("Umerov said")
    tags = {t.name: t for t in ws.tags()}
    assert tags["exchange"].passages == ("a:3",)  # followed its text
    assert tags["delegation"].passages == () and tags["delegation"].orphans == ("a:1",)
    (orphan,) = ws.notebook_orphans()
    assert orphan.passage == "a:1" and orphan.text.startswith("Rustem Umerov led")
    assert orphan.tags == ("delegation",) and orphan.note == "who else was there?"
    assert ws.tags_of("a:1") == () and ws.notes_of("a:1") is None  # not on the new a:1
    assert ws.selection().passages == ("a:3", "b:1")  # followed; the deleted one hidden
    assert ws.selection().unexported == ("b:1",)


def test_passage_ids_are_checked(corpus: Path) -> None:
    ws = open_ws(corpus)
    with pytest.raises(CorpusError, match="no passage"):
        ws.tag("a:99", "x")
    with pytest.raises(CorpusError, match="no passage"):
        ws.note("zz:1", "x")
    with pytest.raises(CorpusError, match="no passage"):
        ws.set_selection(["a:1", "a:99"])
    with pytest.raises(StoreError, match="no tag"):
        ws.tagged("nothing")


def test_split_tags_respects_quotes_and_refuses_negation() -> None:
    assert split_tags("umerov tag:check date:2025") == ("umerov date:2025", ["check"])
    assert split_tags('tag:"needs check" "tag:x in a phrase"') == (
        '"tag:x in a phrase"',
        ["needs check"],
    )
    assert split_tags("TAG:a (b OR c) tag:d") == ("(b OR c)", ["a", "d"])
    for bad in ("-tag:a", "x NOT tag:a", "x OR tag:a", "tag:a OR x"):
        with pytest.raises(QueryError, match="filters the results"):
            split_tags(bad)
    with pytest.raises(QueryError, match="needs a tag name"):
        split_tags('x tag:""')


def test_the_tag_filter(corpus: Path) -> None:
    ws = open_ws(corpus)
    ws.tag("a:2", "to check")
    ws.tag("b:1", "to check")
    ws.tag("b:2", "people")
    only = ws.search('tag:"to check"')
    assert [h.passage.id for h in only.hits] == ["a:2", "b:1"] and only.total == 2
    both = ws.search('talks tag:"to check"')
    assert [h.passage.id for h in both.hits] == ["b:1"] and both.hits[0].highlights
    assert both.query == 'talks tag:"to check"'
    assert [h.passage.id for h in ws.search('tag:"to check"', source="a").hits] == ["a:2"]
    assert ws.search('tag:"to check" tag:people').hits == ()
    assert ws.search("talks tag:people").total == 1
    assert ws.search('tag:"to check"', limit=1).total == 2
    with pytest.raises(QueryError, match="no tag named 'nope'"):
        ws.search("talks tag:nope")
    assert ws.index.search("talks", only=frozenset()).hits == ()
    assert [h.passage.id for h in ws.index.search("talks", only=frozenset({"a:1"})).hits] == ["a:1"]


def test_export_items_carry_notes_and_tags(corpus: Path) -> None:
    ws = open_ws(corpus)
    ws.tag("a:2", "exchange")
    ws.note("a:2", "call back")
    hit = ws.search("prisoner").hits[0]
    (item,) = ws.export_items([hit])
    assert (item.passage.id, item.note, item.tags) == ("a:2", "call back", ("exchange",))
    assert item.highlights == hit.highlights and item.facts
    (plain,) = ws.export_items([ws.passages["b:1"]])
    assert plain.note is None and plain.tags == () and plain.highlights == ()


def test_history_and_saved_searches_on_the_workspace(corpus: Path) -> None:
    ws = open_ws(corpus)
    ws.push_history("talks")
    ws.push_history("Umerov")
    assert ws.history() == ["Umerov", "talks"]
    ws.save_search("exchange", "prisoner exchange")
    assert [s.query for s in ws.saved_searches()] == ["prisoner exchange"]
    with pytest.raises(QueryError):
        ws.save_search("broken", '"unclosed')


def test_the_timeline_is_in_date_order(corpus: Path) -> None:
    rows = [(e.date, e.text, e.source, e.passage) for e in open_ws(corpus).timeline()]
    assert rows == [
        ("2025-06-01", "June 1, 2025", "b", "b:1"),
        ("2025-06-02", "June 2, 2025", "a", "a:1"),
        ("2025-06-10", "June 10, 2025", "a", "a:2"),
    ]


def test_entities_have_aliases_counts_and_missing_sources(corpus: Path) -> None:
    ws = open_ws(corpus)
    people = {e.name: e for e in ws.entities("person")}
    umerov = people["Rustem Umerov"]
    assert umerov.aliases == ("Umerov",) and umerov.counts == (("a", 2),)
    assert umerov.missing == ("b",) and umerov.total == 2
    assert people["Vladimir Medinsky"].missing == ("a",)
    assert umerov.query == '"Rustem Umerov" OR "Umerov"'
    assert [h.passage.id for h in ws.search(umerov.query).hits] == ["a:1", "a:2"]
    assert {e.kind for e in ws.entities()} == {"person", "place"}
    assert [e.name for e in ws.entities("place")] == ["Istanbul"]
    with pytest.raises(QueryError):
        ws.entities("thing")

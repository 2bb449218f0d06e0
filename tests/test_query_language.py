"""Issue 14's query language: -word/+word, hints, source: forms, date errors, phrase-only
highlights, fuzzy with a swapped pair of letters, title: and headline words."""

from __future__ import annotations

import pytest

from search.errors import QueryError
from search.workspace import Workspace

DOCS = {
    "a.txt": " date 2025-06-02 Russia Satisfied With Talks\n\n"
    "The ceasefire was discussed with Medinsky.\n\n"
    "A ceasefire was proposed by Ukraine.\n\n"
    "Over the weekend over 500 children were named, and prisoners were exchanged.\n\n"
    "The prisoner exchange went ahead; the prisoner exchange was long awaited.\n",
    "b.txt": " date 2025-05-16 Zelensky Proposes A Meeting\n\n"
    "Zelensky met the delegations in Istanbul.\n\n"
    "Medinsky spoke for an hour.\n",
}
SOURCES_YAML = "b.txt:\n  outlet: The Moscow Times\n"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    folder = tmp_path_factory.mktemp("ql")
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "sources.yaml").write_text(SOURCES_YAML, encoding="utf-8")
    return Workspace.open(folder, in_memory=True)


def ids(ws: Workspace, q: str) -> list[str]:
    return sorted(h.passage.id for h in ws.search(q).hits)


def marked(ws: Workspace, q: str, pid: str) -> list[str]:
    hit = next(h for h in ws.search(q, limit=None).hits if h.passage.id == pid)
    return [hit.passage.text[s:e] for s, e in hit.highlights]


def test_minus_excludes_and_plus_requires(ws: Workspace) -> None:
    assert ids(ws, "ceasefire Medinsky") == ["a:1"]
    assert ids(ws, "ceasefire -Medinsky") == ["a:2"]
    # AND is the default operator: + requires, and the other words stay required
    assert ids(ws, "+ceasefire Ukraine") == ["a:2"]
    assert ids(ws, "ceasefire +Medinsky") == ids(ws, "ceasefire Medinsky")
    assert ids(ws, "+ceasefire OR +Zelensky") == ["a:1", "a:2", "b:1"]
    assert ids(ws, 'prisoner -"prisoner exchange"') == ["a:3"]
    assert ids(ws, "Medinsky -source:b") == ["a:1"]


def test_a_hyphen_inside_a_word_is_not_an_exclusion(ws: Workspace) -> None:
    assert ids(ws, "weekend-over") == ids(ws, "weekend over")


def test_lower_case_operators_get_a_hint(ws: Workspace) -> None:
    result = ws.search("ceasefire or Medinsky")
    assert any("OR" in n for n in result.notes)
    assert ws.search("ceasefire not Medinsky").notes
    assert ws.search("ceasefire OR Medinsky").notes == ()
    assert ws.search('"ceasefire or not"').notes == ()
    assert "only excluded" in ws.search("-Medinsky").notes[0]


@pytest.mark.parametrize(
    "query",
    [
        "source:b",
        "source:b.txt",
        "source:moscow",
        'source:"The Moscow Times"',
        "source:the-moscow-times",
        'source:"Moscow Times"',
    ],
)
def test_source_takes_id_file_name_and_outlet_words(ws: Workspace, query: str) -> None:
    assert ids(ws, query + " Medinsky") == ["b:2"]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("source:nope", "no source"),
        ("Medinsky source:nope", "no source"),
        ("date:2025-13", "not a date"),
        ("date:2025-02-30", "not a date"),
        ("date:[2025-01-01 TO 2025-13-01]", "not a date"),
    ],
)
def test_unknown_source_and_impossible_dates_are_errors(
    ws: Workspace, query: str, reason: str
) -> None:
    with pytest.raises(QueryError, match=reason):
        ws.search(query)


def test_a_phrase_highlights_only_its_occurrences(ws: Workspace) -> None:
    assert marked(ws, '"over 500"', "a:3") == ["over 500"]
    assert marked(ws, '"prisoner exchange"', "a:4") == ["prisoner exchange"] * 2
    assert marked(ws, '"over 500" children', "a:3") == ["over 500", "children"]
    # outside results (the reader): the result's terms carry the phrase too
    result = ws.search('"over 500"')
    p = ws.passages["a:3"]
    assert [p.text[s:e] for s, e in ws.index.spans(p.text, result.terms)] == ["over 500"]
    assert [p.text[s:e] for s, e in ws.index.highlights(p.text, '"over 500"')] == ["over 500"]


def test_a_phrase_in_an_export_is_bold_only_where_it_stands(ws: Workspace) -> None:
    from datetime import UTC, datetime

    from search.export import ExportItem, render_markdown

    hit = ws.search('"prisoner exchange"').hits[0]
    items = [ExportItem(hit.passage, hit.highlights, ())]
    text = render_markdown(
        items, ws.sources, corpus="c", query=None, created=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert text.count("**prisoner exchange**") == 2
    assert "**prisoners**" not in text


@pytest.mark.parametrize("query", ["Zelenksy~", "Medinksy~", "medinksy~2", "Zelesnky~2"])
def test_fuzzy_forgives_a_swapped_pair(ws: Workspace, query: str) -> None:
    assert ids(ws, query)
    hit = ws.search(query).hits[0]
    assert hit.highlights


def test_fuzzy_still_counts_edits(ws: Workspace) -> None:
    assert ids(ws, "Mdinsky~") == ["a:1", "b:2"]  # one deletion
    assert ids(ws, "Mxdinksy~") == []  # a substitution plus a swap: two edits
    assert ids(ws, "Mxdinksy~2") == ["a:1", "b:2"]


def test_title_words_are_searchable(ws: Workspace) -> None:
    assert ids(ws, "satisfied") == ["a:1"]  # the headline stands above the first passage
    assert ids(ws, "meeting") == ["b:1"]
    assert ws.search("satisfied").hits[0].highlights == ()
    assert ids(ws, "title:satisfied Medinsky") == ["a:1"]
    assert ids(ws, "title:proposes Medinsky") == ["b:2"]
    assert ids(ws, "title:nowhere") == []


def test_source_by_a_file_name_with_spaces_and_commas(make_corpus) -> None:  # type: ignore[no-untyped-def]
    folder = make_corpus({"Talks, day two.txt": "Report\n\nThe talks resumed on Monday.\n"})
    ws = Workspace.open(folder, in_memory=True)
    (sid,) = ws.sources
    for value in ('"Talks, day two.txt"', '"talks, day two"', sid):
        assert [h.passage.source for h in ws.search(f"source:{value} resumed").hits] == [sid]


def test_minus_on_a_filter_excludes_every_passage_of_it(ws: Workspace) -> None:
    assert ids(ws, "Medinsky -title:satisfied") == ["b:2"]
    assert ids(ws, "Medinsky -source:the-moscow-times") == ["a:1"]
    assert ids(ws, "title:satis* Medinsky") == ["a:1"]
    assert ids(ws, 'title:"Proposes A Meeting" Medinsky') == ["b:2"]
    assert ids(ws, "title:Satisifed~ Medinsky") == ["a:1"]

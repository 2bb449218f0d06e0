"""The query language: boolean operators, phrases, prefixes, fuzzy, filters, errors."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.errors import QueryError
from search.workspace import Workspace

DOCS = {
    "a.txt": "Report A\n\nRussia returned six thousand bodies of soldiers.\n\n"
    "The ceasefire proposal was rejected.\n",
    "b.txt": " date 2025-06-02 Report B\n\nUkraine handed over a list of children.\n\n"
    "The prisoner exchange will go ahead next week.\n",
    "c.txt": " date 2025-05-16 Report C\n\nThe delegations met Medinsky in Istanbul for an hour.\n",
}


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    folder = tmp_path_factory.mktemp("q")
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return Workspace.open(folder, folder.parent / (folder.name + "-ix"))


def ids(ws: Workspace, q: str) -> list[str]:
    return sorted(h.passage.id for h in ws.search(q).hits)


def test_and_or_not(ws: Workspace) -> None:
    assert ids(ws, "bodies soldiers") == ["a:1"]
    assert ids(ws, "bodies AND children") == []
    assert ids(ws, "bodies OR children") == ["a:1", "b:1"]
    assert ids(ws, "exchange NOT children") == ["b:2"]


def test_phrase(ws: Workspace) -> None:
    assert ids(ws, '"prisoner exchange"') == ["b:2"]
    assert ids(ws, '"exchange prisoner"') == []


def test_phrase_next_to_an_operator(ws: Workspace) -> None:
    """A phrase counts as a word where the query's shape is checked."""
    assert ids(ws, '"prisoner exchange" OR ceasefire') == ["a:2", "b:2"]
    assert ids(ws, 'ceasefire OR "prisoner exchange"') == ["a:2", "b:2"]
    assert ids(ws, '("prisoner exchange") AND "next week"') == ["b:2"]
    assert ids(ws, '"prisoner exchange" NOT "next week"') == []


def test_prefix_and_fuzzy(ws: Workspace) -> None:
    assert ids(ws, "cease*") == ["a:2"]
    assert ids(ws, "Medinksy~2") == ["c:1"]
    hit = ws.search("cease*").hits[0]
    assert hit.passage.text[slice(*hit.highlights[0])] == "ceasefire"


def test_not_terms_are_not_highlighted(ws: Workspace) -> None:
    hit = ws.search("exchange NOT children").hits[0]
    assert [hit.passage.text[s:e] for s, e in hit.highlights] == ["exchange"]


def test_source_and_date_filters(ws: Workspace) -> None:
    assert ids(ws, "source:b") == ["b:1", "b:2"]
    assert ids(ws, "date:2025-06-02") == ["b:1", "b:2"]
    assert ids(ws, "date:2025-05") == ["c:1"]
    assert ids(ws, "date:[2025-05-01 TO 2025-05-31]") == ["c:1"]
    assert [h.passage.id for h in ws.search("the", source="c").hits] == []
    assert [h.passage.id for h in ws.search("hour", source="c").hits] == ["c:1"]


def test_per_source_counts(ws: Workspace) -> None:
    result = ws.search("bodies OR children OR hour")
    assert result.per_source == {"a": 1, "b": 1, "c": 1}
    assert result.total == 3


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "empty"),
        ('"unclosed', "quote"),
        ("(bodies", r"\("),
        ("bodies)", r"\)"),
        ("bodies AND", "ends with"),
        ("OR bodies", "starts with"),
        ('OR "prisoner exchange"', "starts with"),
        ('"prisoner exchange" AND', "ends with"),
        ("date:[2025-05-01 TO", "unclosed range"),
        ("date:{2025-05-01 TO 2025-06-01", r"end it with '\}'"),
        ("foo:bar", "unknown field"),
        ("date:yesterday", "not a date"),
    ],
)
def test_unparseable_queries_raise_clear_errors(ws: Workspace, query: str, reason: str) -> None:
    with pytest.raises(QueryError, match=reason):
        ws.search(query)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_no_query_string_escapes_the_engine(ws: Workspace, query: str) -> None:
    with contextlib.suppress(QueryError):
        ws.search(query)


def test_unknown_source_filter_is_clear(ws: Workspace) -> None:
    from search.errors import CorpusError

    with pytest.raises(CorpusError, match="no source"):
        ws.search("bodies", source="zzz")


# --- phrases: search/phrase.py must match exactly what Whoosh's own phrase matches ---

_WORDS = ["red", "cross", "wounded", "soldiers", "the", "of", "talks", "minister"]


@pytest.fixture(scope="module")
def wordy(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Passages of words drawn from a small vocabulary, so phrases match often, at
    several positions, with repeats and stop words between them."""
    import random

    rnd = random.Random(7)
    folder = tmp_path_factory.mktemp("phr")
    for n in range(12):
        paras = [" ".join(rnd.choices(_WORDS, k=rnd.randint(3, 30))) for _ in range(8)]
        (folder / f"s{n:02}.txt").write_text(f"Title {n}\n\n" + "\n\n".join(paras) + "\n")
    return Workspace.open(folder, in_memory=True)


def _both(ws: Workspace, q: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    from search import engine

    def run() -> object:
        r = ws.search(q, limit=None)
        return [(h.passage.id, round(h.score, 9)) for h in r.hits], r.per_source

    ours = run()
    with monkeypatch.context() as m:
        m.setattr(engine.Phrase, "of", classmethod(lambda cls, node: node))
        theirs = run()
    return ours, theirs


def test_phrases_use_the_fast_matcher(wordy: Workspace) -> None:
    from search.phrase import Phrase

    found = []
    wordy.index.parse('"red cross" OR "wounded soldiers"').accept(
        lambda node: found.append((type(node), node.field())) or node
    )
    assert found.count((Phrase, "text")) == 2


@pytest.mark.parametrize(
    "q",
    [
        '"red cross"',
        '"red red"',
        '"wounded soldiers of the red cross"',
        '"cross red cross"',
        '"red cross"^3 OR talks',
        '"red cross" NOT "wounded soldiers"',
        '"red cross" AND minister',
        '"red cross"~3',
        '"talks"',
        '"red nowhere"',
        'source:s03 "red cross"',
    ],
)
def test_phrase_matches_equal_whooshs(
    wordy: Workspace, q: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, theirs = _both(wordy, q, monkeypatch)
    assert ours == theirs
    if q == '"red cross"':
        assert ours[0], "the fixture must make phrases match"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=2, max_size=4))
def test_random_phrases_match_equal_whooshs(wordy: Workspace, words: list[str]) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        ours, theirs = _both(wordy, '"' + " ".join(words) + '"', monkeypatch)
    assert ours == theirs

"""The fact store: compact rows per source, Fact objects on demand, canonical names."""

from __future__ import annotations

from pathlib import Path

from search import factstore
from search.facts import canonicalize
from search.factstore import FactStore
from search.models import Fact, Passage
from search.workspace import Workspace

from .builders import passage

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _p(source: str, n: int, text: str) -> Passage:
    return passage(f"{source}:{n}", text)


def _name(p: Passage, kind: str, text: str, value: str) -> Fact:
    start = p.text.index(text)
    return Fact(kind, text, value, p.id, p.source, start, start + len(text))


def _corpus() -> tuple[dict[str, Passage], list[Fact]]:
    a1 = _p("a", 1, "President Recep Tayyip Erdoğan hosted the talks in Istanbul.")
    a2 = _p("a", 2, "No names here.")
    b1 = _p("b", 1, "Erdogan said the talks in Istanbul went well.")
    c1 = _p("c", 1, "The talks moved from Istanbul to Geneva.")
    facts = [
        _name(a1, "person", "Recep Tayyip Erdoğan", "Recep Tayyip Erdoğan"),
        _name(a1, "place", "Istanbul", "Istanbul"),
        _name(b1, "person", "Erdogan", "Erdogan"),
        _name(b1, "place", "Istanbul", "Istanbul"),
        _name(c1, "place", "Istanbul", "Istanbul"),
        _name(c1, "place", "Geneva", "Geneva"),
    ]
    return {p.id: p for p in (a1, a2, b1, c1)}, facts


def test_each_passage_gets_the_canonical_facts_a_whole_corpus_pass_gives() -> None:
    passages, facts = _corpus()
    store = FactStore.from_facts(facts, passages)
    expected: dict[str, list[Fact]] = {pid: [] for pid in passages}
    for f in canonicalize(facts):
        expected[f.passage].append(f)
    assert {pid: store[pid] for pid in store} == expected
    assert store["b:1"][0].value == "Recep Tayyip Erdoğan"  # surname and spelling joined
    assert store.get("a:2") == [] and store.get("nope") is None and len(store) == 4
    assert sorted(store.every(), key=repr) == sorted(canonicalize(facts), key=repr)


def test_sources_stating_a_value_use_canonical_names() -> None:
    passages, facts = _corpus()
    store = FactStore.from_facts(facts, passages)
    assert store.sources_stating("person", "Recep Tayyip Erdoğan") == {"a", "b"}
    assert store.sources_stating("place", "Istanbul") == {"a", "b", "c"}
    assert store.sources_stating("place", "Geneva") == {"c"}
    assert store.sources_stating("place", "Paris") == set()


def test_a_kept_name_table_defers_the_value_index_to_its_first_use() -> None:
    """With a kept table the first screen needs only the names: the pass over every row
    that says which sources state a value (~1 s at 100k passages) waits until asked."""
    passages, facts = _corpus()
    table = FactStore.from_facts(facts, passages).name_table()
    store = FactStore.from_facts(facts, passages)
    read: list[str] = []
    decode = store._decode

    def counting(source: str) -> list[Fact]:
        read.append(source)
        return decode(source)

    store._decode = counting  # type: ignore[method-assign]
    store.use_name_table(table)
    assert read == []
    assert store["b:1"][0].value == "Recep Tayyip Erdoğan"
    assert read == ["b"]  # only the source shown
    assert store.sources_stating("person", "Recep Tayyip Erdoğan") == {"a", "b"}
    assert store.sources_stating("place", "Istanbul") == {"a", "b", "c"}
    assert sorted(read) == ["a", "b", "b", "c"]
    store.index_values()
    assert sorted(read) == ["a", "b", "b", "c"]  # made once


def test_few_sources_kept_as_objects_and_results_do_not_depend_on_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    passages, facts = _corpus()
    monkeypatch.setattr(factstore, "RECENT", 1)
    store = FactStore.from_facts(facts, passages)
    first = {pid: store[pid] for pid in passages}
    assert len(store._recent) == 1
    assert {pid: store[pid] for pid in reversed(list(passages))} == first


def test_workspace_facts_match_a_corpus_wide_canonical_pass() -> None:
    ws = Workspace.open(SEEDS, None, in_memory=True)
    rows = [f for fs in ws.facts.values() for f in fs]
    assert rows == canonicalize(rows)  # already canonical
    names = {f.value for f in rows if f.kind == "person"}
    assert not {"Erdogan", "Umerov"} & names
    assert ws.all_facts(source=next(iter(ws.sources))) == [
        f for f in rows if f.source == next(iter(ws.sources))
    ]

# ruff: noqa: E501  (the invented articles below keep one paragraph per line, as real files do)
"""Related passages: same claim in other sources, on small hand-made corpora and the seeds.

QUAKE and COUNCIL are invented reports of two other events (not the seeds' talks), with
the same claims worded differently per outlet; they guard the ranking against being tuned
to the seeds only. Claims label passages as "source prefix:ordinal" (the title line of a
file is its title, not a passage).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from search.models import Fact, Passage
from search.related import RelatedIndex, stopwords
from search.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT))
from bench.related_eval import evaluate  # noqa: E402

from .builders import number_fact, passage  # noqa: E402

QUAKE = {
    "000_wire.txt": """Death toll from Veldora earthquake climbs past 200

A magnitude 6.8 earthquake struck the mountain province of Veldora before dawn on Tuesday, killing at least 212 people and injuring about 1,400, the national disaster agency said.

The quake hit at 4:17 a.m. local time at a depth of 10 kilometres, with its epicentre near the town of Marrow, according to the national seismological institute.

In Marrow, the east wing of the regional hospital collapsed, trapping patients and staff. Rescuers pulled 31 people alive from the rubble by nightfall, a hospital spokeswoman told reporters.

More than 40 aftershocks have rattled the region since the main shock, the strongest of them measuring 5.1, the institute said.

Neighbouring countries have sent search-and-rescue teams, and the European Union pledged 5 million euros in emergency aid.

Around 12,000 residents spent the night in tents set up in school yards and sports fields, officials said.

Prime Minister Adela Korvin, who visited Marrow on Tuesday afternoon, declared three days of national mourning.
""",
    "001_daily.txt": """Veldora quake: hospital wing falls as rescuers race against time

The earthquake, which the US Geological Survey measured at 6.7, shook buildings as far as the capital, 300 km away.

Officials now put the number of dead at more than 200, with over 1,500 hurt, many of them seriously. The toll is expected to rise as crews reach remote villages.

At Marrow general hospital, a three-storey wing caved in. Thirty-one survivors were brought out of the ruins by evening, staff said, while an unknown number remain under the debris.

Prime Minister Adela Korvin announced a three-day period of national mourning during a visit to the devastated town.

"We will not stop searching while there is any chance of finding people alive," she said.

Dozens of aftershocks followed, the largest a magnitude 5.1 tremor shortly before noon.

Brussels has promised €5m in humanitarian assistance, and rescue crews from two neighbouring states arrived overnight.
""",
    "002_radio.txt": """Veldora counts its dead

Rescue workers in Veldora said on Wednesday that 230 people had been confirmed killed in Tuesday's earthquake, up from 212 a day earlier.

Local authorities said around 12,000 people had been left homeless and were sheltering in tents pitched in schoolyards.

The disaster agency said roughly 1,400 people were injured. Hospitals in the provincial capital are overwhelmed, and the army has set up two field hospitals.

Survivors in Marrow described the moment part of the hospital came down. "The whole wing just folded," one nurse said. Thirty-one people were rescued from the collapsed building.

Seismologists recorded more than 40 aftershocks. They warned that a strong tremor could still follow in the coming days.

The EU has released 5 million euros in emergency funds, the European Commission said.
""",
    "003_blog.txt": """Why Veldora's buildings failed

Tuesday's 6.8-magnitude earthquake exposed weak building codes in Veldora's mountain towns, engineers said.

Most of the 212 deaths confirmed on Tuesday occurred in older brick houses, according to a preliminary survey by the engineering faculty of the national university.

The partial collapse of the hospital in Marrow, built in the 1970s, has prompted calls for an inquiry. Thirty-one patients and staff were pulled from the rubble.

About 12,000 people who lost their homes are now living in temporary tent camps, and aid groups warn of cold nights ahead.

Prime Minister Adela Korvin has promised to rebuild, and declared three days of mourning.
""",
}

QUAKE_CLAIMS = {
    "death_toll": ["000:1", "001:2", "002:1", "003:2"],
    "injured": ["000:1", "001:2", "002:3"],
    "magnitude": ["000:1", "001:1", "003:1"],
    "hospital_collapse": ["000:3", "001:3", "002:4", "003:3"],
    "aftershocks": ["000:4", "001:6", "002:5"],
    "aid": ["000:5", "001:7", "002:6"],
    "homeless": ["000:6", "002:2", "003:4"],
    "mourning": ["000:7", "001:4", "003:5"],
}

COUNCIL = {
    "000_gazette.txt": """Council approves tram extension after heated debate

Harlow city council voted 27 to 14 on Thursday night to approve a 4.2-kilometre extension of the tram line to the northern suburbs.

The project is expected to cost 310 million pounds, of which the national government will cover roughly two thirds.

Construction is due to start next spring and the line should open in 2029, council officials said.

Opposition councillors argued the money would be better spent on buses. "This is a vanity project," said councillor Ruth Abano.

Some 300 residents packed the public gallery, and the debate lasted almost five hours.
""",
    "001_courier.txt": """Harlow says yes to northern tram

After a marathon session of nearly five hours, councillors backed the tram extension by 27 votes to 14.

The new 4.2 km stretch will cost an estimated £310m. Two thirds of the funding is to come from central government, with the city borrowing the rest.

Work will begin in the spring, and the first trams are scheduled to run in 2029.

Councillor Ruth Abano, who leads the opposition, called the scheme "a vanity project" and said buses would serve the suburbs better.
""",
    "002_online.txt": """Tram extension gets green light

The city council of Harlow has approved the northern tram extension, with 27 members voting in favour and 14 against.

Hundreds of residents attended the meeting, which ran for close to five hours.

The council put the cost of the line at 310 million pounds. The government has agreed to pay about 200 million of that.

Opponents said a bus network would be cheaper and quicker to build.

Services on the new line are expected to start in 2029.
""",
}

COUNCIL_CLAIMS = {
    "vote": ["000:1", "001:1", "002:1"],
    "cost": ["000:2", "001:2", "002:3"],
    "timeline": ["000:3", "001:3", "002:5"],
    "opposition": ["000:4", "001:4", "002:4"],
    "session_length": ["000:5", "001:1", "002:2"],
}


def _open(make_corpus, files: dict[str, str], name: str) -> Workspace:
    return Workspace.open(make_corpus(files, name=name), in_memory=True)


def _rate(ws: Workspace, claims: dict[str, list[str]]) -> float:
    good, total = evaluate(ws, claims)
    return good / total


@pytest.fixture(scope="module")
def seeds_ws() -> Workspace:
    return Workspace.open(SEEDS, in_memory=True)


def test_seed_claims_floor(seeds_ws: Workspace) -> None:
    claims = yaml.safe_load((ROOT / "tests/data/seed_claims.yaml").read_text(encoding="utf-8"))
    assert _rate(seeds_ws, claims) >= 0.79  # 83% when written


def test_heldout_reports_floor() -> None:
    """Other outlets' reports of the seeds' talks, worded differently (tests/data/heldout)."""
    ws = Workspace.open(ROOT / "tests/data/heldout", in_memory=True)
    claims = yaml.safe_load((ROOT / "tests/data/heldout_claims.yaml").read_text(encoding="utf-8"))
    assert _rate(ws, claims) >= 0.85  # 83% when written, 90% with ARTICLE_DAMP


def test_other_events_floor(make_corpus) -> None:
    assert _rate(_open(make_corpus, QUAKE, "quake"), QUAKE_CLAIMS) >= 0.90  # 97%
    # council: 87%, 100% once plurals count as their singular ("buses" / "bus")
    assert _rate(_open(make_corpus, COUNCIL, "council"), COUNCIL_CLAIMS) >= 0.90


def _p(source: str, ordinal: int, text: str) -> Passage:
    return passage(f"{source}:{ordinal}", text)


_num = number_fact


def _small() -> tuple[list[Passage], dict[str, list[Fact]]]:
    a1 = _p("a", 1, "The city council said on Thursday that the city will review the plan.")
    a2 = _p(
        "a", 2, "Councillors approved the tram extension by 27 votes to 14 after a long debate."
    )
    a3 = _p("a", 3, "The tram extension vote was the longest debate of the year.")
    b1 = _p("b", 1, "The council said on Thursday that the city will publish the plan.")
    b2 = _p("b", 2, "A majority of 27 members backed the new line, while 14 opposed it.")
    b3 = _p("b", 3, "Buses will keep running during construction.")
    c1 = _p("c", 1, "The city said the council will meet again on Thursday.")
    c2 = _p("c", 2, "The northern line was backed 27 to 14 by the council.")
    passages = [a1, a2, a3, b1, b2, b3, c1, c2]
    facts = {
        a2.id: [_num(a2, "27", 27, "vote"), _num(a2, "14", 14, None)],
        b2.id: [_num(b2, "27", 27, "member"), _num(b2, "14", 14, None)],
        c2.id: [_num(c2, "27", 27, None), _num(c2, "14", 14, None)],
    }
    return passages, facts


def test_same_claim_ranks_first_across_wording() -> None:
    passages, facts = _small()
    index = RelatedIndex(passages, facts)
    best = {link.passage.source: link.passage.id for link in index.best_per_source("a:2")}
    assert best == {"b": "b:2", "c": "c:2"}
    assert index.related("a:2", limit=1)[0].passage.id in {"b:2", "c:2"}


def test_passages_are_found_by_id_in_any_order_or_naming() -> None:
    """Positions are computed from "<source>:<ordinal>" ids when the passages come source
    by source; shuffled passages or other ids are still found; unknown ids are not."""
    passages, facts = _small()
    base = {link.passage.id for link in RelatedIndex(passages, facts).related("a:2", None)}
    shuffled = RelatedIndex(passages[::-1], facts)
    assert {link.passage.id for link in shuffled.related("a:2", None)} == base
    renamed = [Passage(f"x-{p.id}", p.source, p.ordinal, p.text, p.start, p.end) for p in passages]
    index = RelatedIndex(renamed, {f"x-{k}": v for k, v in facts.items()})
    assert {link.passage.id for link in index.related("x-a:2", None)} == {f"x-{i}" for i in base}
    for unknown in ("a:9", "a:0", "z:1", "a:", "a:x", "a:²", "a:٣", "x-a:2"):
        assert RelatedIndex(passages, facts).related(unknown) == []


def test_same_source_never_returned() -> None:
    passages, facts = _small()
    index = RelatedIndex(passages, facts)
    for p in passages:
        assert all(link.passage.source != p.source for link in index.related(p.id, limit=None))
        assert all(link.passage.source != p.source for link in index.best_per_source(p.id))


def test_best_per_source_one_per_source() -> None:
    passages, facts = _small()
    index = RelatedIndex(passages, facts)
    for p in passages:
        sources = [link.passage.source for link in index.best_per_source(p.id)]
        assert len(sources) == len(set(sources))


def test_why_lists_specific_terms_and_facts_not_stop_words() -> None:
    passages, facts = _small()
    index = RelatedIndex(passages, facts)
    link = next(x for x in index.related("a:2", limit=None) if x.passage.id == "b:2")
    why = set(link.why)
    assert "27 vote" in why or "27" in why or "27 member" in why
    assert "14" in why
    stop = stopwords()
    assert not {w for w in why if w in stop or w in {"the", "by", "a", "of"}}
    shared = index.shared_features("a:2", "b:2")
    assert "14" in shared and "the" not in shared


def test_generic_passage_does_not_win() -> None:
    """A passage made of words everyone uses ("council said on Thursday the city") loses
    to the one sharing the claim's specifics, though it shares more words."""
    passages, facts = _small()
    index = RelatedIndex(passages, facts)
    top = index.best_per_source("c:2")
    assert {link.passage.id for link in top} == {"a:2", "b:2"}


def test_unknown_and_lonely_passages() -> None:
    passages, facts = _small()
    index = RelatedIndex(passages, facts)
    assert index.related("nope") == [] and index.best_per_source("nope") == []
    assert RelatedIndex([]).related("x") == []
    only = RelatedIndex([_p("a", 1, "One source alone.")])
    assert only.best_per_source("a:1") == []


def test_quake_death_toll_with_different_wording(make_corpus) -> None:
    ws = _open(make_corpus, QUAKE, "quake")
    ids = {p.source[:3] + f":{p.ordinal}": pid for pid, p in ws.passages.items()}
    best = {link.passage.source[:3]: link for link in ws.related_by_source(ids["003:2"])}
    # "212 deaths confirmed" finds "more than 200 dead", "212 people", "230 ... killed"
    assert best["001"].passage.ordinal == 2
    assert best["000"].passage.ordinal == 1
    assert best["002"].passage.ordinal == 1


def _dur(value: float, counts: str, high: float | None = None) -> Fact:
    return Fact("number", "x", value, "a:1", "a", 0, 1, counts=counts, high=high)


def test_durations_share_a_feature_across_units() -> None:
    from search.related import duration_keys

    def same(a: Fact, b: Fact) -> bool:
        return bool(set(duration_keys(a)) & set(duration_keys(b)))

    hour = _dur(1, "hour")
    assert same(hour, _dur(70, "minute")) and same(hour, _dur(60, "minutes"))
    assert same(_dur(1, "week"), _dur(7, "days"))
    assert not same(hour, _dur(2, "hours")) and not same(_dur(2, "day", 3), _dur(30, "day"))
    assert duration_keys(_dur(25, "year")) == []  # mostly ages, not how long something took
    assert duration_keys(_dur(6000, "body")) == []


def test_bridges_vote_by_preference_not_strength(monkeypatch) -> None:
    """Agreement through third sources: a bridge that resembles everything strongly (a
    long passage of many claims) does not outvote a bridge that clearly prefers one
    candidate. First-order rankings are given, so only the combination is tested."""
    import numpy as np

    import search.related as related

    ids = ["a:1", "b:1", "b:2", "c:1", "c:2"]
    index = RelatedIndex(
        [_p(s, int(o), f"Passage {s} {o} text.") for s, o in (x.split(":") for x in ids)]
    )
    pos = {pid: k for k, pid in enumerate(ids)}
    lists = {
        "a:1": [("b:2", 0.30), ("b:1", 0.10), ("c:1", 0.10), ("c:2", 0.10)],
        "b:2": [("c:2", 0.90), ("c:1", 0.80), ("a:1", 0.70)],  # the hub: likes everything
        "b:1": [("c:1", 0.20), ("a:1", 0.10), ("c:2", 0.02)],  # weak, but clear
        "c:1": [("b:1", 0.2)],
        "c:2": [("b:2", 0.2)],
    }

    def first_order(i: int, depth: int = related.RERANK) -> tuple[np.ndarray, np.ndarray]:
        ranked = lists[ids[i]][:depth]
        return np.array([pos[q] for q, _ in ranked]), np.array([s for _, s in ranked])

    monkeypatch.setattr(index, "_first_order", first_order)

    def best_in_c() -> str:
        index._cache.clear()
        return next(x.passage.id for x in index.best_per_source("a:1") if x.passage.source == "c")

    assert best_in_c() == "c:1"
    monkeypatch.setattr(related, "BRIDGE_SCALE", False)
    assert best_in_c() == "c:2"  # raw scores: the hub decides


def test_plurals_fold_into_their_singular_when_both_are_words_of_the_corpus(
    monkeypatch,
) -> None:
    """Porter stems "buses" as "buse" but "bus" as "bu": with both words in the corpus,
    the plural counts as the singular, so "buses" finds "bus". A word alone is not folded
    ("cases" is case + s, not cas + es)."""
    import search.related as related
    import search.related_build as related_build

    passages = [
        _p("a", 1, "Opposition councillors said the money would be better spent on buses."),
        _p("a", 2, "The vote was held on Thursday night."),
        _p("b", 1, "Opponents said a bus network would be cheaper."),
        _p("b", 2, "The vote took place on Thursday."),
        _p("c", 1, "The cases were heard in court."),
    ]
    assert related.plural_stems(passages) == {"buse": "bu"}
    assert related.plural_stems([_p("a", 1, "Two cases, one case.")]) == {}
    best = {x.passage.source: x.passage.id for x in RelatedIndex(passages).best_per_source("b:1")}
    assert best.get("a") == "a:1"
    monkeypatch.setattr(related_build, "PLURALS", False)
    assert "a" not in {x.passage.source for x in RelatedIndex(passages).best_per_source("b:1")}


def _person(p: Passage, name: str) -> Fact:
    start = p.text.index(name)
    return Fact("person", name, name, p.id, p.source, start, start + len(name))


def test_false_title_before_a_name_weighs_as_the_name(monkeypatch) -> None:
    """News writes a role before a name without article or comma ("presidential aide
    Ivan Petrov"): like the name, it says who, so a passage that only shares who was
    there loses to the one that shares what was handed over. Verbs before a name are not
    titles ("to bring Ivan Petrov", "accused Ivan Petrov")."""
    import search.related as related
    import search.related_build as related_build

    def start(text: str) -> int:
        return related._title_start(text, text.index("Ivan"))

    text = "The plan of presidential aide Ivan Petrov."
    assert start(text) == text.index("presidential")
    for text in (
        "They hope to bring Ivan Petrov.",
        "Kyiv accused Ivan Petrov.",
        "said Ivan Petrov",
    ):
        assert start(text) == text.index("Ivan")
    assert start("Deputy Minister Ivan Petrov") == 0

    a1 = _p("a", 1, "The team of presidential aide Ivan Petrov handed over its memorandum.")
    b1 = _p("b", 1, "The team was led by presidential aide Ivan Petrov.")
    b2 = _p("b", 2, "The memorandum was handed over after the talks.")
    c1 = _p("c", 1, "Talks resumed in the capital on Monday.")
    passages = [a1, b1, b2, c1]
    facts = {a1.id: [_person(a1, "Ivan Petrov")], b1.id: [_person(b1, "Ivan Petrov")]}

    def best_in_b() -> str:
        links = RelatedIndex(passages, facts).best_per_source("a:1")
        return next(x.passage.id for x in links if x.passage.source == "b")

    assert best_in_b() == "b:2"
    monkeypatch.setattr(related_build, "FALSE_TITLE", 0)
    assert best_in_b() == "b:1"

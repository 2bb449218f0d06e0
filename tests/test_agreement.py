"""Agreement: which number facts count the same thing, and whether their values agree."""

from __future__ import annotations

import math
from pathlib import Path

from search.agreement import Agreement, compatible, value_gap, value_key, value_label
from search.models import Fact, Passage
from search.workspace import Workspace

from .builders import number_fact, passage

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


_passage = passage
_fact = number_fact


def _agreement(*pairs: tuple[Passage, list[Fact]]) -> Agreement:
    return Agreement([f for _p, fs in pairs for f in fs], {p.id: p for p, _fs in pairs})


def _background() -> list[tuple[Passage, list[Fact]]]:
    """Passages without counts, so that word rarity is measured over a corpus, as in use:
    the topic's words (patients, officials, the city) are common, details rare."""
    texts = [
        "Officials at the city hospital said patients were moved overnight.",
        "The ministry said the patients would be moved again within the month.",
        "Relatives of the patients gathered outside the city hall, officials said.",
        "Aides to the mayor said the city would ask for help from the ministry.",
        "The agency said the patients had been moved before, officials said.",
        "Doctors said the patients in the city needed care, the agency said.",
        "Protesters and officials met in the city; the talks ended without a deal.",
        "The ministry published a statement about the patients on its website.",
        "Officials offered to return to the talks by the end of the week.",
        "The city offered the patients a return home at the end of their care.",
    ]
    return [(_passage(f"bg{n}:1", text), []) for n, text in enumerate(texts)]


def _groups_with(agreement: Agreement, fact: Fact) -> list[tuple[Fact, ...]]:
    return [g.facts for g in agreement.groups if fact in g.facts]


def test_same_value_different_wording_agrees() -> None:
    a = _passage("a:1", "Moscow will return 6,000 bodies of fallen soldiers next week.")
    b = _passage("b:1", "Russia is to hand back the remains of 6000 fallen soldiers next week.")
    fa = _fact(a, "6,000", 6000, "body")
    fb = _fact(b, "6000", 6000, "remains")
    agreement = _agreement((a, [fa]), (b, [fb]))
    assert len(_groups_with(agreement, fa)) == 1
    same, different = agreement.compare(fa)
    assert same == [fb] and different == []
    assert agreement.disagreements() == []


def test_children_list_counts_disagree() -> None:
    a = _passage(
        "a:1", "Ukraine handed Russia a list of several hundred names of deported children."
    )
    b = _passage("b:1", "Ukraine has handed over to Russia the list of over 500 children.")
    c = _passage("c:1", "Ukraine handed Russia a list with the names of 339 children.")
    fa = _fact(a, "several hundred", 200, "name", approximate=True, high=900)
    fb = _fact(b, "500", 500, "child", "over")
    fc = _fact(c, "339", 339, "child")
    agreement = _agreement((a, [fa]), (b, [fb]), (c, [fc]))
    found = agreement.disagreements()
    assert len(found) == 1
    labels = {label for label, _facts in found[0].values}
    assert labels == {"several hundred", "over 500", "339"}
    same, different = agreement.compare(fc)
    assert same == [] and set(different) == {fa, fb}


def test_hour_qualifiers() -> None:
    a = _passage("a:1", "The talks lasted for an hour.")
    b = _passage("b:1", "The meeting lasted just over an hour.")
    c = _passage("c:1", "The talks lasted slightly more than an hour.")
    fa = _fact(a, "an hour", 1, "hour")
    fb = _fact(b, "an hour", 1, "hour", "just over")
    fc = _fact(c, "an hour", 1, "hour", "slightly more than")
    assert value_key(fb) == value_key(fc)
    assert value_key(fa) != value_key(fb)
    assert value_label(fb) == "just over an hour"
    agreement = _agreement((a, [fa]), (b, [fb]), (c, [fc]))
    same, different = agreement.compare(fb)
    assert same == [fc] and different == [fa]
    [group] = agreement.disagreements()
    assert group.subject == "hour" and len(group.values) == 2


def test_two_numbers_in_one_passage_are_not_merged() -> None:
    a = _passage(
        "a:1",
        "Ukraine handed over a list of over 500 children, including about 50 children "
        "taken from an orphanage.",
    )
    b = _passage("b:1", "Kyiv gave Moscow a list of 500 children it wants returned.")
    f500 = _fact(a, "500", 500, "child", "over")
    f50 = _fact(a, "50", 50, "child", "about")
    fb = _fact(b, "500", 500, "child")
    agreement = _agreement((a, [f500, f50]), (b, [fb]))
    for group in agreement.groups:
        assert not {f500, f50} <= set(group.facts)


def test_different_nouns_never_grouped() -> None:
    a = _passage("a:1", "The sides agreed to exchange 6,000 bodies of soldiers.")
    b = _passage("b:1", "The sides agreed to exchange 6,000 prisoners of war.")
    fa = _fact(a, "6,000", 6000, "body")
    fb = _fact(b, "6,000", 6000, "prisoner")
    agreement = _agreement((a, [fa]), (b, [fb]))
    for group in agreement.groups:
        assert not {fa, fb} <= set(group.facts)
    assert agreement.compare(fa) == ([], [])


def test_seed_disagreements(tmp_path: Path) -> None:
    ws = Workspace.open(SEEDS, tmp_path / "ix")
    try:
        found = ws.disagreements()
    finally:
        ws.close()
    by_subject: dict[str, list[set[str]]] = {}
    for d in found:
        by_subject.setdefault(d.subject, []).append({label for label, _facts in d.values})
    # Backed by the claims (search/claims): subjects are claim labels.
    assert any(
        {"339", "over 500", "several hundred"} <= labels
        for labels in by_subject["children on the list"]
    )
    hours = by_subject["length of the meeting"]
    assert any({"an hour", "just over an hour"} <= labels for labels in hours)


def test_seed_disagreements_tell_conflicts_from_precision(tmp_path: Path) -> None:
    ws = Workspace.open(SEEDS, tmp_path / "ix")
    try:
        found = ws.disagreements()
    finally:
        ws.close()
    children = next(d for d in found if "339" in {label for label, _ in d.values})
    assert children.conflict and children.to_json()["conflict"] is True  # 339 vs over 500
    hour = next(d for d in found if d.subject == "length of the meeting")
    assert not hour.conflict  # an hour / just over an hour


def test_compatible_values() -> None:
    p = _passage(
        "a:1",
        "339, over 500, several hundred, two to three, three, about one, one, "
        "just over one, 6,000, thousands, about 50, 60, 90, dozens",
    )
    f339 = _fact(p, "339", 339, "child")
    over_500 = _fact(p, "500", 500, "child", "over")
    several = _fact(p, "several hundred", 200, "child", approximate=True, high=900)
    two_three = _fact(p, "two to three", 2, "day", approximate=True, high=3)
    three = _fact(p, "three", 3, "day")
    about_one = _fact(p, "one", 1, "hour", "about")
    one = _fact(p, "one", 1, "hour")
    just_over = _fact(p, "one", 1, "hour", "just over")
    f6000 = _fact(p, "6,000", 6000, "body")
    thousands = _fact(p, "thousands", 2000, "body", approximate=True, high=9000)
    about_50, f60, f90 = (
        _fact(p, "50", 50, "x", "about"),
        _fact(p, "60", 60, "x"),
        _fact(p, "90", 90, "x"),
    )
    dozens = _fact(p, "dozens", 24, "x", approximate=True, high=99)
    for a, b in [
        (f339, several),
        (two_three, three),
        (about_one, just_over),
        (one, just_over),
        (f6000, thousands),
        (about_50, f60),
        (dozens, f90),
        (over_500, several),
    ]:
        assert compatible(a, b) and compatible(b, a), (a.text, b.text)
    for a, b in [(f339, over_500), (about_50, f90), (three, one), (f60, f90)]:
        assert not compatible(a, b) and not compatible(b, a), (a.text, b.text)


def test_a_group_conflicts_when_any_two_sources_cannot_both_be_right() -> None:
    a = _passage("a:1", "Ukraine handed over a list of 339 children, officials said.")
    b = _passage("b:1", "Ukraine handed over a list of several hundred children, officials said.")
    c = _passage("c:1", "Ukraine handed over a list of over 500 children, officials said.")
    fa = _fact(a, "339", 339, "child")
    fb = _fact(b, "several hundred", 200, "child", approximate=True, high=900)
    fc = _fact(c, "500", 500, "child", "over")
    [two] = _agreement((a, [fa]), (b, [fb]), *_background()).disagreements()
    assert not two.conflict
    [three] = _agreement((a, [fa]), (b, [fb]), (c, [fc]), *_background()).disagreements()
    assert three.conflict


def test_far_apart_counts_with_little_shared_context_are_not_one_claim() -> None:
    # A sub-count ("including about 50 who ...") in one report and a small batch promised
    # by a deadline in another share the noun and one verb, no more: different things.
    a = _passage(
        "a:1",
        "The ministry evacuated over 500 patients, including about 50 who were taken from "
        "the regional hospital to the coast in the autumn, the agency said.",
    )
    b = _passage(
        "b:1",
        "Officials also offered to return 10 patients taken from the city by the end of the month.",
    )
    c = _passage("c:1", "Nurses said the ministry evacuated 480 patients from the ward.")
    f500 = _fact(a, "500", 500, "patient", "over")
    f50 = _fact(a, "50", 50, "patient", "about")
    f10 = _fact(b, "10", 10, "patient")
    f480 = _fact(c, "480", 480, "patient")
    agreement = _agreement((a, [f500, f50]), (b, [f10]), (c, [f480]), *_background())
    for group in agreement.groups:
        assert not {f50, f10} <= set(group.facts)
    [found] = agreement.disagreements()
    assert {label for label, _facts in found.values} == {"over 500", "480"}


def test_far_apart_counts_of_one_claim_still_disagree() -> None:
    # Police and organisers often differ tenfold; the same sentence around both counts
    # is enough evidence that they estimate one crowd.
    a = _passage("a:1", "Police said 10,000 protesters marched through the capital on Sunday.")
    b = _passage("b:1", "Organisers said 100,000 protesters marched through the capital on Sunday.")
    fa = _fact(a, "10,000", 10_000, "protester")
    fb = _fact(b, "100,000", 100_000, "protester")
    agreement = _agreement((a, [fa]), (b, [fb]), *_background())
    [found] = agreement.disagreements()
    assert {label for label, _facts in found.values} == {"10,000", "100,000"}


def test_value_gap_counts_how_far_apart_values_can_be() -> None:
    p = _passage("a:1", "over 40 or dozens, 339 or over 500, under 25 or 18 to 25, 10 or about 50")
    over_40 = _fact(p, "40", 40, "jet", "over")
    dozens = _fact(p, "dozens", 24, "jet", approximate=True, high=99)
    f339 = _fact(p, "339", 339, "child")
    over_500 = _fact(p, "500", 500, "child", "over")
    under_25 = _fact(p, "25", 25, "year", "under")
    range_18_25 = _fact(p, "18 to 25", 18, "year", approximate=True, high=25)
    f10 = _fact(p, "10", 10, "child")
    about_50 = _fact(p, "50", 50, "child", "about")
    assert value_gap(over_40, dozens) == 0.0
    assert value_gap(under_25, range_18_25) == 0.0
    assert value_gap(f339, over_500) == value_gap(over_500, f339) == math.log(500 / 339)
    assert value_gap(f10, about_50) == math.log(5)
    # a qualifier reaches a factor of 2: "over 40" is not "over 1,000"
    assert value_gap(over_40, _fact(p, "339", 1000, "jet")) > 2


def test_kept_groups_hold_places_and_fetch_their_facts() -> None:
    """Saved and loaded groups find their facts through the resolver (the workspace's
    fact store), not copies of their own; a fact no longer stated there is left out."""
    a = _passage("a:1", "Moscow will return 6,000 bodies of fallen soldiers next week.")
    b = _passage("b:1", "Russia is to hand back the remains of 6000 fallen soldiers next week.")
    fa = _fact(a, "6,000", 6000, "body")
    fb = _fact(b, "6000", 6000, "remains")
    built = _agreement((a, [fa]), (b, [fb]))
    asked: list[tuple[str, int, int]] = []
    facts = {(f.passage, f.start, f.end): f for f in (fa, fb)}

    def resolve(passage: str, start: int, end: int) -> Fact | None:
        asked.append((passage, start, end))
        return facts.get((passage, start, end))

    loaded = Agreement.loads(built.dumps(), resolve)
    assert [g.facts for g in loaded.groups] == [g.facts for g in built.groups]
    assert loaded.compare(fa) == ([fb], []) and asked
    assert not any(isinstance(v, Fact) for v in vars(loaded).values())
    del facts[(fb.passage, fb.start, fb.end)]  # b's article changed: its fact is gone
    assert loaded.compare(fa) == ([], [])
    assert loaded.groups == []

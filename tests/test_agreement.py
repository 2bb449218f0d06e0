"""Agreement: which number facts count the same thing, and whether their values agree."""

from __future__ import annotations

from pathlib import Path

from search.agreement import Agreement, value_key, value_label
from search.models import Fact, Passage
from search.workspace import Workspace

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _passage(pid: str, text: str) -> Passage:
    return Passage(pid, pid.split(":")[0], int(pid.split(":")[1]), text, 0, len(text))


def _fact(
    p: Passage,
    text: str,
    value: float,
    counts: str,
    qualifier: str | None = None,
    *,
    approximate: bool | None = None,
    high: float | None = None,
) -> Fact:
    start = p.text.index(text)
    return Fact(
        kind="number",
        text=text,
        value=value,
        passage=p.id,
        source=p.source,
        start=start,
        end=start + len(text),
        counts=counts,
        approximate=bool(qualifier) if approximate is None else approximate,
        qualifier=qualifier,
        high=high,
    )


def _agreement(*pairs: tuple[Passage, list[Fact]]) -> Agreement:
    return Agreement([f for _p, fs in pairs for f in fs], {p.id: p for p, _fs in pairs})


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
    assert {"339", "over 500", "several hundred"} in by_subject["child"]
    assert any({"an hour", "just over an hour"} <= labels for labels in by_subject["hour"])

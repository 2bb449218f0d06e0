"""Claims across sources (search/claims): one rule per test on small hand-made reports,
the stability of claims when reports come and go, and the facade."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.claims import ClaimSet
from search.claims.values import relation
from search.models import ClaimValue
from search.workspace import Workspace

FIRE = {
    "a.txt": "# A\n\nA fire at the plant killed 12 workers and injured 37 others on Sunday.\n\n"
    "The blaze started in a storage hall at 9 p.m. Crews waited an hour and a half for foam.\n\n"
    "The plant employs roughly 250 people. It was last inspected in 2023.\n\n"
    '"We are devastated by the loss of our colleagues," chief executive Lena Brandt said.\n',
    "b.txt": "# B\n\nThe death toll from the fire rose to 15 on Monday, officials said.\n\n"
    "More than 40 people were treated in hospital. Nearly 2,000 residents were told to "
    "leave their homes.\n\n"
    "Witnesses said the fire broke out in a loading bay at 8:40 p.m.\n\n"
    "The company has about 300 staff at the site.\n",
    "c.txt": "# C\n\nAt least 14 people have died, police said. Police said 52 people had been "
    "injured, 11 of them seriously.\n\n"
    "Around 3,000 people were moved out of their homes. The fire started in a storage hall "
    "shortly after 9 p.m.\n\n"
    "Shares in the owner fell 8 percent on Monday.\n\n"
    'Lena Brandt said the firm was "devastated by the loss of our colleagues" on Monday.\n',
    "d.txt": "# D\n\nThe fire killed at least 10 people. Some 37 workers were hurt.\n\n"
    "About 400 people were evacuated. The plant employs about 250 workers.\n",
}


def _open(make_corpus, files: dict[str, str], name: str = "corpus") -> Workspace:
    return Workspace.open(make_corpus(files, name), in_memory=True)


def _claim(ws: Workspace, label: str):  # type: ignore[no-untyped-def]
    found = [c for c in ws.claims() if c.label == label]
    assert len(found) == 1, [c.label for c in ws.claims()]
    return found[0]


def _values(claim) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, set[str]] = {}
    for s in claim.statements:
        out.setdefault(s.source, set()).add(s.value.text if s.value else "")
    return out


@pytest.fixture
def fire(make_corpus) -> Workspace:
    ws = _open(make_corpus, FIRE)
    yield ws
    ws.close()


def test_killed_died_and_death_toll_are_one_claim(fire: Workspace) -> None:
    killed = _claim(fire, "people killed")
    assert _values(killed) == {"a": {"12"}, "b": {"15"}, "c": {"At least 14"}, "d": {"at least 10"}}
    assert killed.verdict == "conflict"


def test_injured_hurt_treated_are_one_claim_and_parts_stay_out(fire: Workspace) -> None:
    injured = _claim(fire, "people injured")
    assert _values(injured) == {"a": {"37"}, "b": {"More than 40"}, "c": {"52"}, "d": {"Some 37"}}


def test_evacuated_told_to_leave_moved_out_are_one_claim(fire: Workspace) -> None:
    evacuated = _claim(fire, "people evacuated")
    assert set(_values(evacuated)) == {"b", "c", "d"} and evacuated.verdict == "conflict"


def test_employs_and_staff_are_one_claim_and_compatible(fire: Workspace) -> None:
    employed = _claim(fire, "people employed")
    assert _values(employed) == {"a": {"roughly 250"}, "b": {"about 300"}, "d": {"about 250"}}
    assert employed.verdict == "compatible"


def test_numbers_that_count_something_else_state_no_claim(fire: Workspace) -> None:
    stated = {s.value.text for c in fire.claims() for s in c.statements if s.value}
    assert not stated & {"2023", "11", "an hour and a half", "a half"}
    # the share price's fall is a claim of its own, not a count of the fire
    assert {
        c.label for c in fire.claims() if any(s.value and s.value.text == "8" for s in c.statements)
    } == {"fall in shares"}


def test_times_and_sites_are_compared(fire: Workspace) -> None:
    when = _claim(fire, "when it started")
    assert _values(when) == {"a": {"9 p.m."}, "b": {"8:40 p.m."}, "c": {"shortly after 9 p.m."}}
    assert when.verdict == "conflict"
    where = _claim(fire, "where it started")
    assert _values(where) == {"a": {"storage hall"}, "b": {"loading bay"}, "c": {"storage hall"}}
    assert where.verdict == "conflict"


def test_offsets_point_at_the_sentence_and_the_value(fire: Workspace) -> None:
    for c in fire.claims():
        for s in c.statements:
            text = fire.passages[s.passage].text
            assert text[s.start : s.end] == s.text
            if s.value is not None:
                assert text[s.value.start : s.value.end] == s.value.text
                assert s.start <= s.value.start and s.value.end <= s.end


def _v(text: str, value, qualifier=None, approximate=False, high=None, kind="number"):  # type: ignore[no-untyped-def]
    return ClaimValue(kind, text, value, None, approximate or bool(qualifier), qualifier, high)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (_v("12", 12), _v("15", 15), "conflict"),
        (_v("at least 14", 14, "at least"), _v("12", 12), "conflict"),
        (_v("at least 10", 10, "at least"), _v("12", 12), "compatible"),
        (_v("339", 339), _v("several hundred", 200, approximate=True, high=900), "compatible"),
        (_v("about 250", 250, "about"), _v("roughly 250", 250, "roughly"), "same"),
        (_v("339", 339), _v("over 500", 500, "over"), "conflict"),
        (_v("9 p.m.", "21:00", kind="time"), _v("8:40 p.m.", "20:40", kind="time"), "conflict"),
        (
            _v("around 9 p.m.", "21:00", "around", kind="time"),
            _v("8:40 p.m.", "20:40", kind="time"),
            "compatible",
        ),
        (
            _v("storage hall", "storage hall", kind="place"),
            _v("loading bay", "loading bay", kind="place"),
            "conflict",
        ),
    ],
)
def test_value_relations(a: ClaimValue, b: ClaimValue, expected: str) -> None:
    assert relation(a, b) == expected == relation(b, a)


def test_a_quote_attributed_to_two_people_conflicts(make_corpus) -> None:
    ws = _open(
        make_corpus,
        {
            "a.txt": '# A\n\n"It is a dream come true to join this club," Mateo Ilic said.\n',
            "b.txt": '# B\n\n"It is a dream come true," coach Ewan Doyle said on Friday.\n',
        },
    )
    quote = next(c for c in ws.claims() if c.label.startswith("who said"))
    assert {s.value.value for s in quote.statements if s.value} == {"Mateo Ilic", "Ewan Doyle"}
    assert quote.verdict == "conflict"


def test_votes_of_different_people_are_different_claims(make_corpus) -> None:
    ws = _open(
        make_corpus,
        {
            "a.txt": "# A\n\nMayor Anna Berg won with 48,312 votes. "
            "Her rival Tomas Ekberg received 47,108 votes.\n",
            "b.txt": "# B\n\nAnna Berg won the race with 48,213 votes on Sunday.\n",
        },
    )
    berg = _claim(ws, "votes won (Anna Berg)")
    assert _values(berg) == {"a": {"48,312"}, "b": {"48,213"}} and berg.verdict == "conflict"


def test_facade_filters_jumps_and_compares(fire: Workspace) -> None:
    assert all(c.verdict == "conflict" for c in fire.claims(conflicts=True))
    assert all(len(c.sources) >= 3 for c in fire.claims(min_sources=3))
    assert all("d" in c.sources for c in fire.claims(source="d"))
    killed = _claim(fire, "people killed")
    first = killed.statements[0]
    assert fire.claim_of(first.passage, first.value.start, first.value.end) == killed
    assert killed in fire.claims_of_passage(first.passage)
    hop = fire.claim_jump(first.passage, first.value.start, first.value.end)
    assert hop is not None and hop.source == "b" and hop in killed.statements
    back = fire.claim_jump(first.passage, first.value.start, first.value.end, step=-1)
    assert back is not None and back.source == "d"
    fact = next(f for f in fire.facts[first.passage] if f.start == first.value.start)
    split = fire.compare_claims(fact)
    assert split.claim == killed and not split.same
    assert {s.source for s in split.conflicting} == {"b", "c"}
    assert {s.source for s in split.compatible} == {"d"}  # at least 10 / 12


def test_disagreements_are_the_differing_claims(fire: Workspace) -> None:
    subjects = {d.subject: d for d in fire.disagreements()}
    assert subjects["people killed"].conflict and not subjects["people employed"].conflict
    assert "when it started" in subjects


# --- stability: what a report claims does not depend on the other reports -----------


@pytest.fixture(scope="module")
def fire_facts(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("fire")
    for name, text in FIRE.items():
        (folder / name).write_text(text, encoding="utf-8")
    ws = Workspace.open(folder, in_memory=True)
    facts = list(ws.facts.every())
    passages = dict(ws.passages)
    ws.close()
    return passages, facts


def _build(passages, facts, files: list[str]) -> ClaimSet:  # type: ignore[no-untyped-def]
    keep = {f.removesuffix(".txt") for f in files}
    ordered = {pid: p for f in files for pid, p in passages.items() if p.source == f[:-4]}
    return ClaimSet.build(ordered, [f for f in facts if f.source in keep])


def _membership(cs: ClaimSet) -> dict[tuple, str]:
    return {
        (s.passage, s.start, s.value.start if s.value else -1): c.id
        for c in cs.claims
        for s in c.statements
    }


@settings(max_examples=40, deadline=None)
@given(st.permutations(sorted(FIRE)), st.integers(min_value=1, max_value=len(FIRE)))
def test_adding_and_removing_reports_never_moves_a_value(fire_facts, order, keep) -> None:  # type: ignore[no-untyped-def]
    """Numbers, times and sites join a claim named by their own sentence; quotes join
    when they share a run of words (a report whose quote alone bridged two others would
    split them when removed: none does here)."""
    passages, facts = fire_facts
    whole = _membership(_build(passages, facts, list(order)))
    assert whole == _membership(_build(passages, facts, sorted(order)))  # order-free
    part = _membership(_build(passages, facts, list(order[:keep])))
    together: dict[str, set[tuple]] = {}
    for statement, claim in part.items():
        together.setdefault(claim, set()).add(statement)
        if claim.startswith("c"):  # named by its sentence: the same id with or without others
            assert whole[statement] == claim
    for members in together.values():  # what was together stays together, and apart apart
        assert len({whole[m] for m in members}) == 1
    for a, b in itertools.combinations(sorted(part), 2):
        assert (whole[a] == whole[b]) == (part[a] == part[b])


EVENTS = Path(__file__).parent / "data" / "events"
MIXED = [
    ("strike", "000_wire.txt"),
    ("strike", "001_herald.txt"),
    ("recall", "000_wire.txt"),
    ("quake", "003_gazette.txt"),
    ("takeover", "000_wire.txt"),
    ("cupfinal", "000_wire.txt"),
]


@pytest.fixture(scope="module")
def mixed_facts(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Six real reports from the labelled events, which use every kind of rule (measures,
    changes, causes, scores, estimates, "that figure")."""
    folder = tmp_path_factory.mktemp("mixed")
    for event, name in MIXED:
        text = (EVENTS / event / name).read_text(encoding="utf-8")
        (folder / f"{event}_{name}").write_text(text, encoding="utf-8")
    ws = Workspace.open(folder, in_memory=True)
    facts = list(ws.facts.every())
    passages = dict(ws.passages)
    ws.close()
    return passages, facts


@settings(max_examples=25, deadline=None)
@given(st.permutations([f"{e}_{n}" for e, n in MIXED]), st.integers(min_value=1, max_value=6))
def test_stability_holds_with_every_rule(mixed_facts, order, keep) -> None:  # type: ignore[no-untyped-def]
    passages, facts = mixed_facts
    whole = _membership(_build(passages, facts, list(order)))
    assert len(whole) > 30  # every report states claims
    assert whole == _membership(_build(passages, facts, sorted(order)))
    part = _membership(_build(passages, facts, list(order[:keep])))
    for statement, claim in part.items():
        if claim.startswith("c"):
            assert whole[statement] == claim


def test_claim_ids_are_stable_across_runs(make_corpus, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = make_corpus(FIRE)
    first = Workspace.open(folder, tmp_path / "ix")
    ids = [(c.id, c.label) for c in first.claims()]
    first.close()
    again = Workspace.open(folder, tmp_path / "ix2")
    assert [(c.id, c.label) for c in again.claims()] == ids
    again.close()
    fresh = [c.to_json() for c in Workspace.open(folder, None, in_memory=True).claims()]

    def refuse(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("built again instead of loaded")

    monkeypatch.setattr(ClaimSet, "build", refuse)
    kept = Workspace.open(folder, tmp_path / "ix")  # loaded from beside the index
    assert [c.to_json() for c in kept.claims()] == fresh
    kept.close()


# --- rules added for events no trigger word covers (session 5) ------------------------

GENERIC = {
    "a.txt": "# A\n\nThe storm swept 1,240 sheep off the hills.\n\n"
    "Rainfall reached 180 millimetres in a day.\n",
    "b.txt": "# B\n\n3,000 sheep were lost in the storm, the council said.\n\n"
    "Among the dead was a 71-year-old man. A victim aged 64 was named.\n",
}


def test_a_count_no_trigger_reaches_is_a_claim_of_its_noun(make_corpus) -> None:
    """ "1,240 sheep" / "3,000 sheep": no trigger word says what happened to them, but
    both count sheep, so they are one claim and it is a conflict."""
    ws = _open(make_corpus, GENERIC)
    homes = _claim(ws, "number of sheep")
    assert _values(homes) == {"a": {"1,240"}, "b": {"3,000"}}
    assert homes.verdict == "conflict"
    ws.close()


def test_ages_are_not_counts(make_corpus) -> None:
    ws = _open(make_corpus, GENERIC)
    texts = {s.value.text for c in ws.claims() for s in c.statements if s.value}
    assert not texts & {"71", "64"}
    ws.close()


def test_a_trigger_across_and_belongs_to_the_nearer_clause(make_corpus) -> None:
    """ "14 people died and 23 were missing": 23 is missing, not killed."""
    ws = _open(make_corpus, {"a.txt": "# A\n\nAt least 14 people died and 23 were missing.\n"})
    assert _values(_claim(ws, "people killed")) == {"a": {"At least 14"}}
    assert _values(_claim(ws, "people missing")) == {"a": {"23"}}
    ws.close()

"""The main screen's navigation state, without running the app."""

from __future__ import annotations

from tui.navigation import HISTORY, Navigation, Tour, step_hit


def test_back_returns_the_places_in_reverse_and_skips_repeats() -> None:
    nav = Navigation()
    for pid in ["a:1", "a:1", "b:2", "c:3"]:
        nav.remember(pid)
    assert [nav.back(), nav.back(), nav.back(), nav.back()] == ["c:3", "b:2", "a:1", None]


def test_history_is_capped() -> None:
    nav = Navigation()
    for n in range(HISTORY + 50):
        nav.remember(f"a:{n}")
    assert len(nav.history) == HISTORY and nav.history[-1] == f"a:{HISTORY + 49}"


def test_unexported_counts_what_is_not_in_a_note() -> None:
    """Three exported, one unselected: nothing is unexported (it said "2 selected
    passages not exported")."""
    nav = Navigation()
    for pid in ["a:1", "a:2", "a:3"]:
        nav.toggle(pid)
    nav.mark_exported(nav.selection)
    assert not nav.toggle("a:2")
    assert nav.unexported() == []
    nav.toggle("b:1")
    assert nav.unexported() == ["b:1"]


def test_keep_only_drops_gone_passages_everywhere() -> None:
    nav = Navigation(history=["a:1", "x:9"], tour=Tour("a:1", ["b:1"]))
    nav.toggle("a:1")
    nav.toggle("x:9")
    assert nav.keep_only({"a:1", "b:1"}) == ["x:9"]
    assert nav.selection == ["a:1"] and nav.history == ["a:1"] and nav.tour is None


def test_tour_walks_the_stops_and_back_to_the_origin() -> None:
    tour = Tour("a:1", ["b:1", "c:4"])
    assert tour.step("a:1", +1) == ("b:1", 1)
    assert tour.step("b:1", +1) == ("c:4", 2)
    assert tour.step("c:4", +1) == (None, 2)
    assert tour.step("b:1", -1) == ("a:1", 0)
    assert tour.covers("c:4") and not tour.covers("d:1")


def test_step_hit_follows_reading_order_and_wraps() -> None:
    hits = [("a:2", (0, 2)), ("a:5", (0, 5)), ("b:1", (1, 1))]
    assert step_hit(hits, None, +1) == 0 and step_hit(hits, None, -1) == 2
    assert step_hit(hits, (0, 3), +1) == 1
    assert step_hit(hits, (0, 3), -1) == 0
    assert step_hit(hits, (1, 1), +1) == 0  # wraps to the first
    assert step_hit(hits, (0, 2), -1) == 2  # wraps to the last
    assert step_hit([], (0, 1), +1) is None

"""Snapshot tests (pytest-textual-snapshot) of the main screen (in each bundled theme, with
a hit on the cursor passage and a selected one), search, compare view, facts and help at
two sizes. Update with: pytest tests/test_snapshots.py --snapshot-update"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tui.app import make_app
from tui.config import Config
from tui.widgets.reader import Reader

from .builders import warm_index
from .conftest import SEEDS

SIZES = [(80, 24), (160, 48)]
SMALL_AND_MEDIUM = [(80, 24), (120, 40)]
THEMES = ("talks-dark", "talks-light", "talks-contrast")
MINI = Path(__file__).parent / "data" / "mini"  # small, stable corpus for the compare view


def _app(tmp_path: Path, corpus: Path = SEEDS, theme: str = "talks-dark"):  # type: ignore[no-untyped-def]
    return make_app(corpus, warm_index(corpus, tmp_path / "ix"), Config(theme=theme))


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    # The snapshot's pilot starts once the app is mounted, maybe before the main screen
    # is: the pause lets it mount and start opening the corpus, then its workers end.
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for inp in pilot.app.query(Input):
        inp.cursor_blink = False
    await pilot.pause()


def _run_before(  # type: ignore[no-untyped-def]
    *keys: str, query: str | None = None, bodies: bool = False, cost: bool = False
):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        app = pilot.app
        if bodies:
            first = next(iter(app.main.ws.sources))
            app.main.open_passage(
                next(p.id for p in app.main.ws.by_source[first] if "6,000" in p.text)
            )
            await pilot.pause()
        if cost:
            first = next(iter(app.main.ws.sources))
            app.main.open_passage(
                next(p.id for p in app.main.ws.by_source[first] if "cost" in p.text)
            )
            await pilot.pause()
        if query:
            await pilot.press("slash", *query)
            await pilot.pause()  # the debounce is 0 in tests (conftest)
            await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await _settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SMALL_AND_MEDIUM)
@pytest.mark.parametrize("theme", THEMES)
def test_main_screen(snap_compare, tmp_path: Path, theme: str, size: tuple[int, int]) -> None:
    """Colour is the point: a hit on the cursor passage (n), the one before it selected."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _run_before(query="bodies")(pilot)
        await pilot.press("escape")  # to the reader
        await pilot.pause()
        for key in ("n", "space", "n"):
            await pilot.press(key)
            await pilot.pause()
        await _settle(pilot)

    assert snap_compare(_app(tmp_path, theme=theme), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SMALL_AND_MEDIUM)
def test_facts_pane(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """Tab into the facts (f where they are hidden): the first fact is highlighted."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _run_before(bodies=True)(pilot)
        if pilot.app.main.has_class("-wide"):
            pilot.app.main.query_one(Reader).focus()
            await pilot.pause()
            await pilot.press("tab")
        else:
            await pilot.press("f")
        await _settle(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_search_results(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_run_before(query="bodies"))


@pytest.mark.parametrize("size", SMALL_AND_MEDIUM)
def test_compare_view(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        _app(tmp_path, MINI), terminal_size=size, run_before=_run_before("c", cost=True)
    )


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_run_before("question_mark"))


PLANT_FIRE = Path(__file__).parent / "data" / "events" / "plant_fire"


@pytest.mark.parametrize("size", SIZES)
def test_claim_map(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """Claims × sources on the plant-fire event, the cursor moved to a conflict's cell."""
    assert snap_compare(
        _app(tmp_path, PLANT_FIRE), terminal_size=size, run_before=_run_before("m", "down", "right")
    )

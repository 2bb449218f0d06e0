"""The screen at several sizes: the footer's keys, the panes' widths and heights, source
titles, the compare view's columns and the facts pane."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Footer

from tui.app import TalksApp, make_app
from tui.config import Config
from tui.screens.compare import ColumnView, CompareScreen
from tui.widgets.facts import FactList
from tui.widgets.reader import Reader
from tui.widgets.sources import SourcesPane

from .builders import warm_index
from .conftest import SEEDS


def app_for(tmp_path: Path, corpus: Path = SEEDS) -> TalksApp:
    ix = warm_index(corpus, tmp_path / "ix") if corpus == SEEDS else tmp_path / "ix"
    return make_app(corpus, ix, Config())


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def footer_keys(app: TalksApp) -> list[str]:
    """The descriptions the footer shows, left to right, each wholly on screen."""
    footer = app.screen.query_one(Footer)
    width = app.size.width
    keys = sorted(
        (k for k in footer.query("FooterKey") if k.region.width), key=lambda k: k.region.x
    )
    assert all(k.region.right <= width for k in keys), [(k.description, k.region) for k in keys]
    return [str(getattr(k, "description", "")) for k in keys]


async def test_footer_at_80x24_shows_the_keys_that_matter_in_order(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        shown = footer_keys(app)
        assert shown[0] == "Help"
        # the facts pane is hidden at 80 columns: f shows it; no search yet: no n
        for key in ("Search", "Select", "Export", "Facts", "Quit"):
            assert key in shown
        assert "Next hit" not in shown and "Commands" not in shown
        await pilot.press("slash", *"bodies")
        await pilot.pause()
        await ready(pilot)
        await pilot.press("escape")  # back to the reader: the query box takes letters
        await ready(pilot)
        shown = footer_keys(app)
        assert shown[:3] == ["Help", "Search", "Next hit"]
        assert {"Export", "Quit", "Facts"} <= set(shown)
        assert shown.index("Export") < shown.index("Quit")


async def test_footer_at_160x48_has_room_for_all_but_f(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        shown = footer_keys(app)
        assert shown[0] == "Help" and shown[-1] == "Commands"
        assert "Facts" not in shown  # the facts pane is always shown this wide
        assert {"Search", "Related", "Compare", "Select", "Export", "Quit"} <= set(shown)
        await pilot.resize_terminal(80, 24)
        await ready(pilot)
        assert "Facts" in footer_keys(app)


async def test_a_key_the_footer_leaves_out_still_works(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        shown = footer_keys(app)
        assert shown[0] == "Help" and "Quit" in shown and "Compare" not in shown
        assert app.screen.check_action("compare", ()) is True
        assert app.screen.check_action("next_related", ()) is True


def title_lines(app: TalksApp) -> list[str]:
    sources = app.screen.query_one(SourcesPane)
    prompts = [str(sources.get_option_at_index(i).prompt) for i in range(sources.option_count)]
    return [p.split("\n", 1)[0] for p in prompts]


async def test_source_titles_use_the_width_the_pane_has(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        app.main.action_focus_search()  # at 60 columns the left panes show on demand
        await ready(pilot)
        sources = app.screen.query_one(SourcesPane)
        width = sources.scrollable_content_region.width
        assert width > 40
        cut = [line for line in title_lines(app) if line.endswith("…")]
        assert cut and all(len(line) == width for line in cut)
        await pilot.resize_terminal(200, 50)
        await ready(pilot)
        wide = sources.scrollable_content_region.width
        assert wide != width
        cut = [line for line in title_lines(app) if line.endswith("…")]
        assert cut and all(len(line) == wide for line in cut)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_a_short_article_keeps_the_reader_full_height(
    tmp_path: Path, make_corpus, size: tuple[int, int]
) -> None:  # type: ignore[no-untyped-def]
    corpus = make_corpus({"short.txt": "A short note.\n\nOne passage about the talks.\n"})
    app = app_for(tmp_path, corpus)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        reader = app.screen.query_one(Reader)
        assert reader.passages
        main = app.screen.query_one("#main")
        assert reader.region.height == main.region.height
        facts = app.screen.query_one("#facts")
        if facts.region.height:  # shown (wide): the same height
            assert facts.region.height == main.region.height


def fact_prompts(app: TalksApp) -> list[tuple[str, bool]]:
    facts = app.screen.query_one(FactList)
    return [
        (str(facts.get_option_at_index(i).prompt), facts.get_option_at_index(i).disabled)
        for i in range(facts.option_count)
    ]


def article_with_quotes(app: TalksApp) -> tuple[str, str]:
    """(a passage with no quote, in an article with one): its id and the quoted text."""
    ws = app.main.ws
    assert ws is not None
    for passages in ws.by_source.values():
        quotes = [f for p in passages for f in ws.facts.get(p.id, ()) if f.kind == "quote"]
        plain = [p for p in passages if not any(f.kind == "quote" for f in ws.facts.get(p.id, ()))]
        if quotes and plain:
            return plain[0].id, str(quotes[0].value)
    raise AssertionError("the seeds have quotes")


async def test_tab_into_facts_lands_on_the_first_fact(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        reader = app.screen.query_one(Reader)
        reader.focus()
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        facts = app.screen.query_one(FactList)
        assert app.focused is facts
        option = facts.highlighted_option
        assert option is not None and not option.disabled
        first = next(i for i, (_p, disabled) in enumerate(fact_prompts(app)) if not disabled)
        assert facts.highlighted == first


async def test_wrapped_facts_are_indented_under_their_text(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        passage_id, _quote = article_with_quotes(app)
        app.main.open_passage(passage_id)
        await ready(pilot)
        width = app.screen.query_one(FactList).scrollable_content_region.width
        facts = [prompt for prompt, disabled in fact_prompts(app) if not disabled]
        wrapped = [prompt for prompt in facts if "\n" in prompt]
        assert wrapped, "a quote and its speaker take more than one line"
        for prompt in facts:
            for line in prompt.split("\n"):
                assert line.startswith("  ") and not line.startswith("   ")
                assert len(line) <= width


async def test_rest_of_the_article_lists_its_quotes(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        passage_id, quote = article_with_quotes(app)
        app.main.open_passage(passage_id)
        await ready(pilot)
        prompts = [prompt for prompt, _disabled in fact_prompts(app)]
        rest = prompts[prompts.index("Rest of the article") :]
        assert " Quotes" in rest
        assert any(quote[:20] in " ".join(p.split()) for p in rest)


def dam_corpus(make_corpus, n: int = 6) -> Path:  # type: ignore[no-untyped-def]
    """``n`` sources reporting one claim, each worded a little differently."""
    return make_corpus(
        {
            f"{i:03}_outlet.txt": f"Outlet {i} report\n\n"
            f"The dam at Korvel released {1200 + i} cubic metres of water on Tuesday, "
            f"flooding the lower valley, engineers from outlet {i} said.\n\n"
            f"Unrelated paragraph number {i} about the weather and the markets.\n"
            for i in range(n)
        }
    )


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_compare_columns_are_whole_and_aligned(
    tmp_path: Path, make_corpus, size: tuple[int, int]
) -> None:  # type: ignore[no-untyped-def]
    app = app_for(tmp_path, dam_corpus(make_corpus))
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        assert app.main.ws is not None
        first = next(
            p
            for p in app.main.ws.passages.values()
            if p.source.startswith("000") and "dam" in p.text
        )
        app.main.open_passage(first.id)
        await pilot.pause()
        await pilot.press("c")
        await ready(pilot)
        assert isinstance(app.screen, CompareScreen)
        views = list(app.screen.query(ColumnView))
        assert len(views) == 6
        screen = app.screen.region
        for step in ["l"] * 5 + ["h"] * 3:
            regions = [v.region for v in views]
            assert len({(r.y, r.height) for r in regions}) == 1  # one top, one height
            row = views[0].parent
            assert row is not None
            visible = [
                v.region
                for v in views
                if v.region.intersection(v.parent.region if v is not views[0] else row.region)
            ]
            # the visible columns are wholly on screen, side by side, filling the width
            assert all(screen.contains_region(r) for r in visible)
            xs = sorted((r.x, r.right) for r in visible)
            assert xs[0][0] == 0 and xs[-1][1] == screen.width
            assert all(a[1] == b[0] for a, b in zip(xs, xs[1:], strict=False))
            assert app.screen.focused is not None
            assert screen.contains_region(app.screen.focused.region)
            await pilot.press(step)
            await pilot.pause()
            await pilot.pause()  # the scroll follows after a refresh


@pytest.mark.parametrize("size", [(120, 40), (200, 50)])
async def test_the_reader_is_the_widest_pane(tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        reader = app.screen.query_one(Reader).region.width
        left = app.screen.query_one("#left").region.width
        facts = app.screen.query_one("#facts").region.width
        assert reader > left >= facts > 0

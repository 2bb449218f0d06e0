"""Pilot tests: drive the app by keys, as a person would, and read the widgets."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.models import Passage
from tui.app import TalksApp, make_app
from tui.config import Config, load_config
from tui.screens.compare import ColumnView, CompareScreen
from tui.screens.export import ExportDialog
from tui.screens.help import HelpScreen
from tui.widgets.facts import FactList, FactsPane
from tui.widgets.reader import Reader
from tui.widgets.search import ResultsList, SearchPane
from tui.widgets.sources import SourcesPane, source_name

from .builders import warm_index
from .conftest import SEEDS

BODIES = "6,000"
PLANT_FIRE = Path(__file__).parent / "data" / "events" / "plant_fire"


def app_for(tmp_path: Path, corpus: Path = SEEDS, **config: object) -> TalksApp:
    ix = warm_index(corpus, tmp_path / "ix") if corpus == SEEDS else tmp_path / "ix"
    return make_app(corpus, ix, Config(**config))  # type: ignore[arg-type]


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def search(pilot, query: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    await pilot.press(*query)
    await pilot.pause()  # the debounce is 0 in tests (conftest)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def active_actions(app: TalksApp) -> set[str]:
    """The actions the keys reach on the screen shown (what the footer offers)."""
    return {b.binding.action for b in app.screen.active_bindings.values()}


def result_ids(app: TalksApp) -> list[str]:
    results = app.query_one(ResultsList)
    return [results.get_option_at_index(i).id for i in range(results.option_count)]


def bodies_passage(app: TalksApp) -> str:
    assert app.main.ws is not None
    first = next(iter(app.main.ws.sources))
    return next(p.id for p in app.main.ws.by_source[first] if BODIES in p.text)


def passage_with(app: TalksApp, text: str) -> Passage:
    assert app.main.ws is not None
    return next(p for p in app.main.ws.passages.values() if text in p.text)


def fact_prompts(app: TalksApp) -> list[str]:
    facts = app.query_one(FactList)
    return [str(facts.get_option_at_index(i).prompt) for i in range(facts.option_count)]


async def on_fact(pilot, app: TalksApp, passage_text: str, fact_text: str) -> Passage:  # type: ignore[no-untyped-def]
    """Open the passage holding ``passage_text`` and put the facts cursor on the fact
    whose line holds ``fact_text``."""
    passage = passage_with(app, passage_text)
    app.main.open_passage(passage.id)
    await pilot.pause()
    facts = app.query_one(FactList)
    facts.focus()
    facts.highlighted = next(i for i, p in enumerate(fact_prompts(app)) if fact_text in p)
    await pilot.pause()
    return passage


async def test_loads_seeds_and_shows_all_regions(tmp_path: Path) -> None:
    """... and keeps the loaded corpus out of full collections: they walked the whole
    corpus and every widget in the middle of painting results (up to 82 ms each on the
    bundled corpus), so what exists once the corpus is shown and analysed is frozen, and
    unfrozen when the app ends."""
    import gc

    assert gc.get_freeze_count() == 0
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert app.main.ws is not None and len(app.main.ws.sources) == 5
        assert app.query_one(SourcesPane).option_count == 5
        reader = app.query_one(Reader)
        assert reader.current is not None and reader.option_count > 3
        assert app.query_one(FactsPane).display
        assert app.focused is reader
        assert app.main.analysed
        assert gc.get_freeze_count() > 10_000
        assert (
            gc.is_tracked(app.main.ws.passages) and len(gc.get_objects(2)) < gc.get_freeze_count()
        )
    assert gc.get_freeze_count() == 0


async def test_search_bodies_open_and_walk_hits(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await search(pilot, "bodies")
        ids = result_ids(app)
        assert app.main.ws is not None
        assert len({app.main.ws.passages[i].source for i in ids}) >= 4
        await pilot.press("enter")  # into the results
        await pilot.press("enter")  # open the first
        await pilot.pause()
        reader = app.query_one(Reader)
        assert reader.current is not None and reader.current.id == ids[0]
        spans = reader.spans_of(ids[0])
        assert spans and all(reader.current.text[s:e].lower().startswith("bod") for s, e in spans)
        seen = {reader.current.id}
        for _ in range(len(ids) - 1):
            await pilot.press("n")
            await pilot.pause()
            seen.add(reader.current.id)
        assert seen == set(ids)  # n walks every hit, across articles
        # the sources pane shows hit counts
        prompt = app.query_one(SourcesPane).get_option_at_index(0).prompt
        assert "hit" in str(prompt)


async def test_the_note_under_the_query_box_shows_an_error_then_a_hint(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await search(pilot, "(bodies")
        note = app.query_one("#query-error")
        assert note.has_class("-shown") and "unclosed" in str(note.render())
        await pilot.press(*["backspace"] * len("(bodies"), *"bodies or prisoners")
        await pilot.pause()  # the debounce is 0 in tests (conftest)
        await app.workers.wait_for_complete()
        await pilot.pause()  # a lower-case or gets a hint
        assert note.has_class("-shown") and "OR" in str(note.render())
        assert app.main.result is not None and app.main.result.query == "bodies or prisoners"
        assert app.main.result.hits


async def test_related_jumps_walk_the_claim_sentence_by_sentence_and_back(tmp_path: Path) -> None:
    """] goes to the next source's sentence of the passage's claim, marked in the reader;
    [ goes back along the walk and b undoes the last jump."""
    app = app_for(tmp_path, PLANT_FIRE)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        ws = app.main.ws
        assert ws is not None
        origin = passage_with(app, "killed 12 workers")
        # "killed 12 workers and injured 37": the first claim in reading order
        claim = next(c for c in ws.claims_of_passage(origin.id) if c.label == "people killed")
        assert len(claim.sources) == 5
        app.main.open_passage(origin.id)
        await pilot.pause()
        reader = app.query_one(Reader)
        visited = []
        for n in range(4):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            here = reader.current
            stated = [s for s in claim.statements if s.passage == here.id]
            assert stated, here.text  # every stop states the claim
            assert reader._marks == {here.id: [(stated[0].start, stated[0].end)]}
            assert str(reader.border_subtitle).startswith(f"claim {n + 1}/4: people killed")
            visited.append(here)
        assert {p.source for p in visited} == set(claim.sources) - {origin.source}
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert reader.current.id == visited[-2].id
        await pilot.press("b")  # the way back is one key
        await pilot.pause()
        assert reader.current.id == visited[-1].id


async def test_related_jumps_fall_back_to_related_passages(tmp_path: Path) -> None:
    """A passage that states no claim of several sources walks its related passages."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        ws = app.main.ws
        assert ws is not None
        origin = next(
            p
            for p in ws.passages.values()
            if not any(len(c.sources) > 1 for c in ws.claims_of_passage(p.id))
            and len(ws.related_by_source(p.id)) >= 2
        )
        app.main.open_passage(origin.id)
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        reader = app.query_one(Reader)
        assert reader.current.id == ws.related_by_source(origin.id)[0].passage.id
        assert str(reader.border_subtitle).startswith("related 1/")


async def test_facts_panel_shows_agreement_and_disagreeing_sources(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot)
        app.main.open_passage(bodies_passage(app))
        await pilot.pause()
        facts = app.query_one(FactList)
        prompts = [str(facts.get_option_at_index(i).prompt) for i in range(facts.option_count)]
        assert any(BODIES in p and "body" in p for p in prompts)
        facts.focus()
        index = next(i for i, p in enumerate(prompts) if BODIES in p)
        facts.highlighted = index
        await pilot.pause()
        detail = str(app.query_one("#fact-detail").render())
        # the claim's answer (the claim map's): each source its claim gives the same value
        ws = app.main.ws
        assert ws is not None
        fact = next(f for f in ws.facts[bodies_passage(app)] if f.text == BODIES)
        same = ws.compare_claims(fact).same
        assert same and "Same:" in detail and "Different:" in detail
        for s in same:
            assert source_name(ws.sources[s.source]) in detail
        # another fact: the sources that disagree, and those worded otherwise
        await on_fact(pilot, app, "339 children", "339")
        detail = str(app.query_one("#fact-detail").render())
        different, looser = detail.split("Different:")[1].split("Worded otherwise")
        assert "500" in different and "several hundred" not in different  # 339 vs over 500
        assert "several hundred" in looser  # can both be true


async def test_compare_view_and_its_flagged_disagreements(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot)
        app.main.open_passage(bodies_passage(app))
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        columns = list(app.screen.query(ColumnView))
        assert len(columns) >= 4
        assert all(BODIES in c.column.passage.text for c in columns[:4])
        assert columns[1].column.shared  # shared words are marked
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)
        assert app.main.ws is not None
        passage = next(p for p in app.main.ws.passages.values() if "339 children" in p.text)
        app.main.open_passage(passage.id)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        flagged = [c for c in app.screen.query(ColumnView) if c.column.conflicts]
        assert flagged, "a source counting the list differently is flagged"
        await pilot.press("escape")
        await pilot.pause()
        passage = next(p for p in app.main.ws.passages.values() if "over 500" in p.text)
        app.main.open_passage(passage.id)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        notes = {
            (note, both)
            for c in app.screen.query(ColumnView)
            for _span, note, both in c.column.conflicts
        }
        assert ("339 here, over 500 there", False) in notes  # a conflict
        assert any(both for _note, both in notes)  # "several hundred": can both be true
        title = str(app.screen.query_one("#compare-title").render())
        assert "disagreement(s) flagged" in title and "difference(s) of precision" in title


async def test_select_across_articles_and_export(tmp_path: Path) -> None:
    app = app_for(tmp_path, export_dir=str(tmp_path))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert app.main.ws is not None
        chosen = [ps[1].id for ps in list(app.main.ws.by_source.values())[:3]]
        for pid in chosen:
            app.main.open_passage(pid)
            await pilot.pause()
            await pilot.press("space")
        assert app.main.selection == chosen
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        target = tmp_path / "note.md"
        path_input = app.screen.query_one("#export-path")
        path_input.value = str(target)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        text = target.read_text(encoding="utf-8")
        assert text.count("\n> ") >= 3
        assert all(pid in text for pid in chosen)
        assert app.main.selection == chosen  # kept after export


async def test_every_selected_passage_is_marked(tmp_path: Path) -> None:
    """The reader held the app's selection list itself: the first passage selected after
    an article opened was added to both before the reader compared them, so it stayed
    unmarked while selected (and a second space removed what looked unselected)."""
    from tui.widgets.reader import MARK

    def marked(app: TalksApp) -> list[str]:
        reader = app.query_one(Reader)
        return [p.id for p in reader.passages if f"{MARK} ¶" in str(reader.get_option(p.id).prompt)]

    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("j", "j", "space", "j", "space")
        await pilot.pause()
        assert len(app.main.selection) == 2
        assert marked(app) == app.main.selection
        second = list(app.main.ws.by_source)[1]  # type: ignore[union-attr]
        app.main.open_source(second)
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert marked(app) == [app.main.selection[-1]]
        await pilot.press("space")  # unselect it again
        await pilot.pause()
        assert marked(app) == [] and len(app.main.selection) == 2


async def test_export_failure_keeps_the_dialog_and_it_never_overwrites_silently(
    tmp_path: Path,
) -> None:
    app = app_for(tmp_path)
    target = tmp_path / "exists.md"
    target.write_text("keep me", encoding="utf-8")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("space")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path").value = str(tmp_path / "missing" / "note.md")
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "Not written" in str(app.screen.query_one("#export-status").render())
        assert len(app.main.selection) == 1
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert target.read_text() == "keep me"
        assert "already exists" in str(app.screen.query_one("#export-status").render())
        await pilot.press("enter")  # second, explicit yes
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_text().startswith("#")


async def test_the_configured_export_folder_is_made_on_first_use(tmp_path: Path) -> None:
    folder = tmp_path / "notes" / "talks"
    app = app_for(tmp_path, export_dir=str(folder))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("space", "e")
        await pilot.pause()
        await pilot.press("enter")  # the proposed path, in the configured folder
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        assert len(list(folder.glob("*.md"))) == 1


async def test_untrusted_text_shown_literally(tmp_path: Path, make_corpus) -> None:
    hostile = (
        "Hostile [bold]Title[/bold]\n\n"
        "Text with [/] and [bold red]markup[/bold red] and [@click=app.quit]link[/] "
        "and \x1b[31mred\x1b[0m and \x1b]52;c;SGVsbG8=\x07clip done.\n"
    )
    folder = make_corpus({"bad [x].txt": hostile, "good.txt": "Good\n\nPlain text here.\n"})
    app = app_for(tmp_path, corpus=folder)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert app.main.ws is not None
        sid = next(s for s in app.main.ws.sources if s.startswith("bad"))
        app.main.open_source(sid)
        await pilot.pause()
        reader = app.query_one(Reader)
        shown = " ".join(
            str(reader.get_option_at_index(i).prompt) for i in range(reader.option_count)
        )
        assert "[/]" in shown and "[bold red]markup[/bold red]" in shown
        assert "[@click=app.quit]" in shown
        assert "\x1b" not in shown and "red and" in shown
        await search(pilot, "markup")
        assert result_ids(app)
        assert app.is_running  # nothing was interpreted as an action


async def test_help_screen_lists_bindings_enter_and_the_arrows(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        for needle in ("Related", "Compare", "Export", "]", "ctrl+p"):
            assert needle in text, needle
        shown = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "Every list" in shown and "↑ ↓" in shown
        assert "a fact: where it is stated" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_keymap_override_from_config(tmp_path: Path) -> None:
    app = app_for(tmp_path, keymap={"related.next": "x"})
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        origin = bodies_passage(app)
        app.main.open_passage(origin)
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        current = app.query_one(Reader).current
        assert current is not None and current.id != origin and BODIES in current.text


async def test_bad_keymap_and_theme_fall_back_with_notice(tmp_path: Path) -> None:
    app = app_for(tmp_path, keymap={"no.such.binding": "x"}, theme="no-such-theme")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "no.such.binding" in notes and "no-such-theme" in notes
        assert app.theme == "talks-dark"


async def test_theme_switch_persists(tmp_path: Path) -> None:
    config, _ = load_config()
    app = make_app(SEEDS, tmp_path / "ix", config)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        app.theme = "talks-light"
        await pilot.pause()
    again, _ = load_config()
    assert again.theme == "talks-light"


async def test_palette_has_app_commands(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for needle in ("Compare", "Export", "Reindex", "Theme: talks-contrast", "Related"):
            assert any(needle in t for t in titles), needle
        await pilot.press("ctrl+p")
        await pilot.press(*"Open: Moscow")
        await app.workers.wait_for_complete()  # the palette's search
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        reader = app.query_one(Reader)
        assert reader.source is not None and reader.source.outlet == "The Moscow Times"


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_small_terminals(tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await ready(pilot)
        assert app.query_one(Reader).region.width > 0
        assert not app.query_one(FactsPane).display or size[0] >= 110
        await pilot.press("f")
        await pilot.pause()
        assert app.query_one(FactsPane).display
        await pilot.press("f")
        await search(pilot, "bodies")
        assert result_ids(app)


async def test_paste_huge_query(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        pane = app.query_one(SearchPane)
        pane.focus_query()
        pane.query_one("Input").value = "bodies " * 1500
        await pilot.pause()  # the debounce is 0 in tests (conftest)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running


async def test_missing_corpus_shows_error_not_crash(tmp_path: Path) -> None:
    app = app_for(tmp_path, corpus=tmp_path / "nope")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        assert app.is_running
        assert any("not found" in str(n.message) for n in app._notifications)


async def test_indexing_progress_reaches_the_screen(tmp_path: Path, make_corpus) -> None:
    files = {
        f"a{n:03}.txt": f"Report {n}\n\nThe council met on day {n} and voted on item {n}.\n"
        for n in range(60)
    }
    app = app_for(tmp_path, corpus=make_corpus(files))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        bar = app.query_one("ProgressBar")
        assert bar.total == 60 and bar.progress == 60  # 60 files read, 60 passages indexed
        assert not bar.has_class("-shown")  # hidden again once ready
        assert app.main.ws is not None and len(app.main.ws.sources) == 60


async def test_reindex_picks_up_changes_and_keeps_selection(tmp_path: Path, make_corpus) -> None:
    folder = make_corpus(
        {
            "a.txt": "Report A\n\nThe council approved the bridge on Monday.\n",
            "b.txt": "Report B\n\nThe bridge will cost 40 million euros.\n",
        }
    )
    app = app_for(tmp_path, corpus=folder)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("space")  # select a:1
        await search(pilot, "bridge")
        assert len(result_ids(app)) == 2
        old = app.main.ws
        (folder / "c.txt").write_text("Report C\n\nResidents oppose the bridge.\n", "utf-8")
        app.main.reindex()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.main.ws is not old and app.main.ws is not None and "c" in app.main.ws.sources
        assert app.main.selection == ["a:1"]
        assert len(result_ids(app)) == 3  # the query on screen ran again
        assert "c" in {app.main.ws.passages[i].source for i in result_ids(app)}


async def test_analysis_failure_leaves_the_corpus_usable(tmp_path: Path, monkeypatch) -> None:
    from search.workspace import Workspace

    def broken(self) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    app = app_for(tmp_path)  # first: the index copied in may be built here, with prepare
    monkeypatch.setattr(Workspace, "prepare", broken)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert app.main.ws is not None and not app.main.analysed
        titles = [n.title for n in app._notifications]
        assert "Cannot compare sources" in titles and "Cannot open corpus" not in titles
        await search(pilot, "bodies")
        assert result_ids(app)  # reading and searching still work
        app.query_one(Reader).focus()
        await pilot.press("right_square_bracket")  # says why, no crash
        await pilot.pause()
        assert any("could not be compared" in str(n.message) for n in app._notifications)


async def test_compare_shows_the_best_sources_of_many(tmp_path: Path, make_corpus) -> None:  # type: ignore[no-untyped-def]
    """With more sources than fit side by side, the best are shown and the title says
    how many report the claim."""
    from tui.screens.main import COMPARE_SOURCES

    n = COMPARE_SOURCES + 3
    files = {
        f"{i:03}_outlet.txt": f"Outlet {i} report\n\n"
        f"The dam at Korvel released {1200 + i} cubic metres of water on Tuesday, "
        f"flooding the lower valley, engineers from outlet {i} said.\n\n"
        f"Unrelated paragraph number {i} about the weather and the markets.\n"
        for i in range(n)
    }
    corpus = make_corpus(files)
    app = app_for(tmp_path, corpus)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
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
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        columns = list(app.screen.query(ColumnView))
        assert len(columns) == COMPARE_SOURCES + 1  # the passage itself, then the best
        assert all("dam at Korvel" in c.column.passage.text for c in columns)
        title = str(app.screen.query_one("#compare-title").render())
        assert f"best {COMPARE_SOURCES} of {n - 1} other sources" in title


async def test_a_large_corpus_lists_the_sources_with_most_hits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_ROWS sources the pane lists the first ones (during a search, those with
    the most hits) and says how many more there are."""
    from tui.widgets import sources

    monkeypatch.setattr(sources, "MAX_ROWS", 3)
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert app.main.ws is not None
        pane = app.query_one(SourcesPane)
        assert pane.option_count == 4
        more = pane.get_option_at_index(3)
        assert more.disabled and "2 more" in str(more.prompt)
        assert [pane.get_option_at_index(i).id for i in range(3)] == list(app.main.ws.sources)[:3]
        await search(pilot, "children")
        await ready(pilot)
        counts = app.main.ws.search("children").per_source
        best = sorted(app.main.ws.sources, key=lambda sid: -counts.get(sid, 0))[:3]
        assert [pane.get_option_at_index(i).id for i in range(3)] == best
        assert pane.border_subtitle == "5"


async def test_a_large_corpus_makes_its_name_table_before_the_first_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.screens.loader

    made: list[int] = []
    monkeypatch.setattr(tui.screens.loader, "FACTS_BEFORE_SCREEN", 1)
    original = tui.screens.loader.Workspace.prepare_facts

    def spy(ws):  # type: ignore[no-untyped-def]
        made.append(len(ws.passages))
        original(ws)

    monkeypatch.setattr(tui.screens.loader.Workspace, "prepare_facts", spy)
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot)
        assert made and (tmp_path / "ix" / "analysis" / "names.marshal").exists()
        assert app.query_one(FactsPane).query_one(FactList).option_count > 0  # facts shown


async def test_cursor_passage_stays_at_the_top_when_the_reader_rewraps(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        assert app.main.ws is not None
        longest = max(app.main.ws.by_source.values(), key=len)
        middle = longest[len(longest) // 2]
        app.main.open_passage(middle.id)
        await pilot.pause()  # after a refresh the reader scrolls, and that scroll waits
        await pilot.pause()  # for the next refresh
        reader = app.query_one(Reader)

        def at_top() -> bool:
            return reader.scroll_offset.y == reader._index_to_line[reader.highlighted]

        assert at_top()
        await pilot.press("f")  # the facts pane takes half the width: lines rewrap
        await pilot.pause()
        await pilot.pause()
        assert reader.highlighted is not None and reader.current is not None
        assert reader.current.id == middle.id and at_top()


async def test_the_app_builds_a_large_corpus_analysis_in_another_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside the app (stderr captured by Textual) the analysis process must start:
    multiprocessing's spawn could not, and the app silently built it itself."""
    import numpy as np

    import search.workspace

    monkeypatch.setattr(search.workspace, "PREPARE_APART_MIN", 1)
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert app.main.ws is not None
        assert isinstance(app.main.ws.related_index._p_w.base, np.memmap)  # built elsewhere
        assert app.main.ws.related_by_source(next(iter(app.main.ws.passages)))


async def test_the_footer_keeps_its_keys_when_a_recompose_would_draw_the_same(
    tmp_path: Path,
) -> None:
    """One focus move changed the bindings several times and each remounted every key;
    a recompose with the same keys keeps the ones on screen, another one redraws."""
    from textual.widgets._footer import FooterKey

    from tui.widgets.footer import Footer

    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        before = list(footer.query(FooterKey))
        await footer.recompose()
        assert before and list(footer.query(FooterKey)) == before  # the same widgets
        await pilot.press("c")  # the compare view: other keys
        await pilot.pause()
        shown = app.screen.query_one(Footer)
        assert {k.key for k in shown.query(FooterKey)} != {k.key for k in before}


async def test_footer_keys_are_let_go_when_the_bindings_change(tmp_path: Path) -> None:
    """Each focus move recomposes the footer; the keys it replaces must not stay alive
    (textual#6666: their data_bind watchers stayed on the footer, ~3 MB a compare view
    at 100k passages)."""
    import gc
    import weakref

    from textual.widgets._footer import FooterKey

    from tui.widgets.footer import Footer

    gc.collect()
    earlier = weakref.WeakSet(o for o in gc.get_objects() if isinstance(o, FooterKey))
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        for _ in range(5):  # a leak keeps ~9 keys a round: 45 against at most 2 × shown
            await pilot.press("tab")
            await pilot.pause()
            await pilot.press("c")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        shown = len(footer.query(FooterKey))
        gc.collect()
        alive = [o for o in gc.get_objects() if isinstance(o, FooterKey) and o not in earlier]
        assert shown > 0
        assert len(alive) <= 2 * shown, (len(alive), shown)
        watchers = getattr(footer, "__watchers", {}).get("compact", [])
        assert len(watchers) <= shown
        # textual#6665: an lru_cache on StylesCache.get_inner_outer pinned the style cache
        # (and every rendered line) of up to 1,024 removed widgets.
        from textual._styles_cache import StylesCache
        from textual.widget import Widget

        widgets = sum(1 for o in gc.get_objects() if isinstance(o, Widget))
        caches = sum(1 for o in gc.get_objects() if isinstance(o, StylesCache))
        assert caches <= widgets, (caches, widgets)


async def test_the_gil_switch_interval_is_short_only_until_the_first_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loader's small reads wait less for the GIL while the first screen is built;
    the interpreter's own interval is back once the article is shown (and after exit)."""
    import sys

    from tui.startup import LOAD_SWITCH_INTERVAL

    usual = sys.getswitchinterval()
    calls: list[float] = []
    real = sys.setswitchinterval

    def record(value: float) -> None:
        calls.append(value)
        real(value)

    monkeypatch.setattr(sys, "setswitchinterval", record)
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)  # the loader waits for the first screen before it finishes
        assert calls == [LOAD_SWITCH_INTERVAL, usual]
        assert sys.getswitchinterval() == usual
    assert sys.getswitchinterval() == usual and usual > LOAD_SWITCH_INTERVAL


async def test_a_focus_event_after_the_screens_are_gone_is_ignored(tmp_path: Path) -> None:
    """A focus change can arrive while the app shuts down, after its screens are gone;
    it raised ScreenStackError."""
    from types import SimpleNamespace

    app = app_for(tmp_path)
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await ready(pilot)
    assert not app.screen_stack
    app.main.on_descendant_focus(SimpleNamespace(widget=None))


async def test_down_from_the_query_box_and_a_query_without_hits(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await search(pilot, "zebra")
        note = app.query_one("#query-error")
        assert note.has_class("-shown") and note.has_class("-note")
        assert "No passage matches" in str(note.render())
        await pilot.press(*["backspace"] * 5, *"children")
        await pilot.pause()  # the debounce is 0 in tests (conftest)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not note.has_class("-shown")
        await pilot.press("down")
        await pilot.pause()
        results = app.query_one(ResultsList)
        assert app.focused is results and results.highlighted == 0
        await pilot.press("down")
        assert results.highlighted == 1


@pytest.mark.parametrize("size", [(60, 20), (90, 30), (160, 48)])
async def test_escape_leaves_the_facts_pane_for_the_reader(tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    app = app_for(tmp_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await ready(pilot)
        if size[0] < 110:
            await pilot.press("f")
        else:
            app.query_one(FactList).focus()
        await pilot.pause()
        assert isinstance(app.focused, FactList) and app.query_one(FactsPane).display
        await pilot.press("escape")
        await pilot.pause()
        reader = app.query_one(Reader)
        assert app.focused is reader and reader.region.width > 0
        assert not app.screen.has_class("-facts-open")


async def test_q_with_an_unexported_selection_asks_for_a_second_q(tmp_path: Path) -> None:
    app = app_for(tmp_path, export_dir=str(tmp_path))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("space", "q")
        await pilot.pause()
        assert app.is_running and app.main.selection
        assert any("not exported" in n.message for n in app._notifications)
        await pilot.press("e")  # export it: then q quits at once
        await pilot.pause()
        app.screen.query_one("#export-path").value = str(tmp_path)  # a folder: goes in it
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert len(list(tmp_path.glob("talks-*.md"))) == 1
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_a_second_q_quits_with_the_selection_unexported(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("space", "q")
        await pilot.pause()
        assert app.is_running
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_palette_reindex_and_fact_detail_keys(tmp_path: Path) -> None:
    from tui.keys import binding_rows
    from tui.widgets.facts import FactDetail

    app = app_for(tmp_path)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Theme" not in titles and "Keys" not in titles  # ours: "Theme: …" and ?
        assert any(t.startswith("Theme: talks-") for t in titles)
        assert app.main.ws is not None
        target = list(app.main.ws.by_source.values())[2][3]
        app.main.open_passage(target.id)
        await pilot.pause()
        app.main.reindex()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one(Reader).current == target  # the reader stays where it was
        assert any("Re-read the corpus:" in n.message for n in app._notifications)
        app.query_one(FactDetail).focus()
        await pilot.pause()
        assert {"j", "k"} <= {b.key for b in FactDetail.BINDINGS}
        rows = [r.id for r in binding_rows(app.binding_scopes(), {})]
        assert {"facts.leave", "facts.detail.down", "search.results"} <= set(rows)


async def test_enter_on_a_fact_lists_where_it_is_stated_and_opens_one(tmp_path: Path) -> None:
    from tui.screens.stated import StatedScreen

    app = app_for(tmp_path)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await ready(pilot)
        assert app.main.ws is not None
        passage = await on_fact(pilot, app, "over 500", "500")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatedScreen)
        kinds = {(s.kind, s.value) for s in screen.statements}
        assert ("conflict", "339") in kinds and ("compatible", "several hundred") in kinds
        assert all(s.passage_id in app.main.ws.passages for s in screen.statements)
        target = next(s for s in screen.statements if s.kind == "conflict")
        index = screen.statements.index(target)
        for _ in range(index):
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, StatedScreen)
        assert app.query_one(Reader).current.id == target.passage_id  # type: ignore[union-attr]
        await pilot.press("b")  # back where the fact was chosen
        await pilot.pause()
        assert app.query_one(Reader).current.id == passage.id  # type: ignore[union-attr]


async def test_compare_titles_keep_the_number_and_the_compared_passage_stays_in_view(
    tmp_path: Path,
) -> None:
    """At 80 columns, moving right scrolled the passage being compared off screen."""
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        for view in app.screen.query(ColumnView):
            title = str(view.border_title)
            assert f"¶{view.column.passage.ordinal}" in title
            assert len(title) + 4 <= view.size.width or "(this passage)" in title
        await pilot.press("l", "l")
        await pilot.pause()
        columns = list(app.screen.query(ColumnView))
        screen = app.screen.region
        anchor, focused = columns[0], app.screen.focused
        assert focused in columns[1:]
        for view in (anchor, focused):
            visible = view.region.intersection(screen)  # type: ignore[union-attr]
            assert visible.width == view.region.width > 30  # type: ignore[union-attr]


async def test_over_a_dialog_the_main_keys_are_off_and_the_footer_shows_its_own(
    tmp_path: Path,
) -> None:
    """... and in the export dialog an unticked option shows no tick."""
    from textual.widgets import Checkbox
    from textual.widgets import Footer as TextualFooter

    app = app_for(tmp_path)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        assert {"toggle_select", "compare"} <= active_actions(app)
        await pilot.press("space", "e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert not {"toggle_select", "compare", "quit_app"} & active_actions(app)
        assert app.screen.query(TextualFooter)  # the dialog's own keys: ctrl+s, escape
        box = app.screen.query_one("#opt-facts", Checkbox)
        off = box.get_visual_style("toggle--button")
        assert not box.value and off.foreground == off.background  # the X is not seen
        box.value = True
        await pilot.pause()
        on = box.get_visual_style("toggle--button")
        assert on.foreground != on.background
        await pilot.press("escape")
        await pilot.pause()
        assert "toggle_select" in active_actions(app)


async def test_results_and_sources_are_not_rebuilt_when_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing on through a word (bodi, bodies: the same hits) rebuilt and repainted both
    lists on every keystroke."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        built: list[str] = []
        for widget, name in (
            (app.query_one(ResultsList), "show"),
            (app.query_one(SourcesPane), "set_options"),
        ):
            original = getattr(widget, name)

            def spy(*args, widget=widget, original=original):  # type: ignore[no-untyped-def]
                built.append(type(widget).__name__)
                return original(*args)

            monkeypatch.setattr(widget, name, spy)
        await search(pilot, "bodi")
        first = result_ids(app)
        assert first and built[-2:] == ["ResultsList", "SourcesPane"]
        built.clear()
        await pilot.press("e", "s")  # "bodies": the same passages, the same highlights
        await pilot.pause()  # the debounce is 0 in tests (conftest)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert result_ids(app) == first and built == []
        await pilot.press(*["backspace"] * 6, *"zebra")  # no hits: the lists change
        await pilot.pause()  # the debounce is 0 in tests (conftest)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert result_ids(app) == [] and "No passage matches" in str(
            app.query_one("#query-error").render()
        )
        assert {"ResultsList", "SourcesPane"} <= set(built)


async def test_results_paint_only_the_rows_that_are_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search stores its hits; only the results on screen are laid out and painted
    (an option list laid out every result before the first paint)."""
    from tui.widgets.results import ROW

    rendered: list[int] = []
    original = ResultsList._render_row

    def spy(self, index, width, cursor):  # type: ignore[no-untyped-def]
        rendered.append(index)
        return original(self, index, width, cursor)

    monkeypatch.setattr(ResultsList, "_render_row", spy)
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await search(pilot, "russia")
        results = app.query_one(ResultsList)
        assert app.main.result is not None and results.option_count == len(app.main.result.hits)
        assert results.option_count > 10
        seen = results.size.height // ROW + 1
        assert rendered and max(rendered) <= seen
        results.focus()
        await pilot.pause()
        rendered.clear()
        await pilot.press("end")
        await pilot.pause()
        assert results.highlighted == results.option_count - 1
        assert rendered and min(rendered) >= results.option_count - seen - 1
        await pilot.press("home", "down", "enter")
        await pilot.pause()
        assert app.query_one(Reader).current.id == results.get_option_at_index(1).id  # type: ignore[union-attr]


async def test_ctrl_q_quits_even_over_a_dialog(tmp_path: Path) -> None:
    """Turning the main screen's keys off over a dialog turned off Textual's ctrl+q too."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("space", "e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "quit_app" not in active_actions(app)
        await pilot.press("ctrl+q")  # a selection not exported: it asks first
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_enter_in_the_query_box_opens_the_top_hit(tmp_path: Path) -> None:
    """Typed a query and pressed Enter with the focus still in the box: the reader opened
    the first article at ¶1, not the top hit, so ] and c were about the wrong claim."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"bodies", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        top = app.main.result.hits[0].passage  # type: ignore[union-attr]
        reader = app.query_one(Reader)
        assert reader.current is not None and reader.current.id == top.id
        assert app.focused is reader
        assert "hit " in str(reader.border_subtitle)
        # the cursor passage's first line (its ¶ number) is on screen
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert f"¶{top.ordinal} " in shown


async def test_enter_before_the_search_ran_still_opens_its_top_hit(tmp_path: Path) -> None:
    """With the usual pause before a search, Enter right after typing runs it at once."""
    import tui.widgets.search as search_pane

    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        search_pane.DEBOUNCE = 10.0  # the timer never fires within the test
        try:
            await pilot.press("slash", *"memorandum", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        finally:
            search_pane.DEBOUNCE = 0.0
        assert app.main.result is not None and app.main.result.query == "memorandum"
        top = app.main.result.hits[0].passage
        assert app.query_one(Reader).current.id == top.id  # type: ignore[union-attr]


async def test_one_query_one_search_and_one_open_one_move(tmp_path: Path) -> None:
    """Opening a passage posted Reader.Moved twice (the facts pane was built twice)."""
    from tui.messages import SearchDone

    seen: list[str] = []
    ids: set[int] = set()

    def hook(message) -> None:  # type: ignore[no-untyped-def]
        # a message bubbling up is seen once per node: count each message once
        kinds = Reader.Moved | SearchPane.QueryChanged | SearchDone
        if isinstance(message, kinds) and id(message) not in ids:
            ids.add(id(message))
            seen.append(type(message).__name__)

    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True, message_hook=hook) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()  # nothing of the start may arrive late
        await pilot.pause()
        seen.clear()
        app.query_one(SearchPane).query_one("#query").value = "bodies"  # type: ignore[attr-defined]
        for _ in range(500):  # until the search is done (a loaded machine is slow), not a sleep
            await pilot.pause()
            await app.workers.wait_for_complete()
            if "SearchDone" in seen:
                break
        await pilot.pause()
        assert seen == ["QueryChanged", "SearchDone"]
        seen.clear()
        other = next(
            p for p in app.main.ws.passages.values() if p.source != app.query_one(Reader).source.id
        )  # type: ignore[union-attr]
        app.main.open_passage(other.id)
        await pilot.pause()
        assert seen == ["Moved"]


async def test_the_palettes_quit_asks_first_with_a_selection(tmp_path: Path) -> None:
    """The palette's Quit (Textual's system command) quit at once with a selection not
    exported; like q and ctrl+q it now asks first."""
    import inspect

    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("space")
        await pilot.pause()
        quit_command = next(c for c in app.get_system_commands(app.screen) if c.title == "Quit")
        await app.run_action("quit")  # what the command runs: App.action_quit
        await pilot.pause()
        assert app.is_running and app.main.selection
        assert "not exported" in " ".join(str(n.message) for n in app._notifications)
        result = quit_command.callback()  # the palette's own callback, a second time
        if inspect.isawaitable(result):
            await result
        await pilot.pause()
        assert not app.is_running

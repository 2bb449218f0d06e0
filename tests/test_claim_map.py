"""Pilot tests of the claim map (m): rows, cells, moving, the conflicts filter, enter,
80×24, the palette, and ] through the claim of the highlighted fact."""

from __future__ import annotations

from pathlib import Path

from tui.app import TalksApp, make_app
from tui.config import Config
from tui.screens.claims import ClaimMapScreen, SentenceList
from tui.widgets.claimgrid import CELL, ClaimGrid
from tui.widgets.facts import FactList
from tui.widgets.reader import Reader

from .builders import warm_index

PLANT_FIRE = Path(__file__).parent / "data" / "events" / "plant_fire"


def app_for(tmp_path: Path, corpus: Path = PLANT_FIRE) -> TalksApp:
    ix = warm_index(corpus, tmp_path / "ix") if corpus == PLANT_FIRE else tmp_path / "ix"
    return make_app(corpus, ix, Config())


async def open_map(pilot) -> ClaimGrid:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("m")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ClaimMapScreen)
    return pilot.app.screen.query_one(ClaimGrid)


def line(grid: ClaimGrid, y: int) -> str:
    return grid.render_line(y).text


async def test_the_map_lists_claims_by_sources_and_marks_each_cell(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        grid = await open_map(pilot)
        counts = [len(c.sources) for c in grid.claims]
        assert counts == sorted(counts, reverse=True) and counts[0] == 5
        assert grid.sources == list(app.main.ws.sources)  # type: ignore[union-attr]
        killed = next(i for i, c in enumerate(grid.claims) if c.label == "people killed")
        row = line(grid, killed + 1)
        assert "≠ people killed" in row
        # 12 (wire) against the 15 most sources give; "at least 14" can be true with 15
        assert "≠ 12" in row and "✓ 15" in row and "≈ At least 14" in row
        single = next(i for i, c in enumerate(grid.claims) if len(c.sources) == 1)
        cells = grid.cells(grid.claims[single])
        blind = [sid for sid in grid.sources if sid not in cells]
        assert blind  # a source that does not report it: a blank cell
        # the chosen claim's sentences below, each with its source and the value marked
        sentences = app.screen.query_one(SentenceList)
        first = grid.claims[0]
        assert sentences.option_count == len(first.statements)
        prompt = str(sentences.get_option_at_index(0).prompt)
        assert first.statements[0].value.text in prompt  # type: ignore[union-attr]


async def test_moving_filtering_and_enter_open_the_sentence(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        grid = await open_map(pilot)
        await pilot.press("down", "right")
        await pilot.pause()
        assert (grid.row, grid.col) == (1, 1)
        sentences = app.screen.query_one(SentenceList)
        assert sentences.option_count == len(grid.claims[1].statements)
        total = len(grid.claims)
        await pilot.press("c")  # conflicts only
        await pilot.pause()
        assert 0 < len(grid.claims) < total
        assert all(c.verdict == "conflict" for c in grid.claims)
        assert line(grid, 0).startswith(f" Conflict ({len(grid.claims)})")
        killed = next(i for i, c in enumerate(grid.claims) if c.label == "people killed")
        grid.row, grid.col = 0, 0
        for _ in range(killed):
            await pilot.press("down")
        await pilot.press("right", "right")  # the broadcaster's "At least 14"
        await pilot.pause()
        cell = grid.cells(grid.claim)[grid.source]  # type: ignore[index,arg-type]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is app.main
        reader = app.query_one(Reader)
        s = cell.statement
        assert reader.current is not None and reader.current.id == s.passage
        assert reader._marks == {s.passage: [(s.start, s.end)]}
        assert "At least 14" in reader.current.text[s.start : s.end]
        await pilot.press("m", "tab")  # a sentence below opens too
        await pilot.pause()
        sentences = app.screen.query_one(SentenceList)
        assert app.screen.focused is sentences
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.pause()
        chosen = app.main.ws.claims()[0].statements[1]  # type: ignore[union-attr]
        assert reader.current.id == chosen.passage
        assert reader._marks == {chosen.passage: [(chosen.start, chosen.end)]}
        await pilot.press("m", "escape")
        await pilot.pause()
        assert app.screen is app.main


async def test_at_80x24_the_row_labels_stay_while_the_columns_scroll(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        grid = await open_map(pilot)
        room = grid.scrollable_content_region.width - grid.label_width
        assert CELL * len(grid.sources) > room  # the columns do not all fit
        label = line(grid, 1)[: grid.label_width]
        await pilot.press(*["right"] * (len(grid.sources) - 1))
        await pilot.pause()
        assert grid.col == len(grid.sources) - 1 and grid.scroll_offset.x > 0
        assert line(grid, 1)[: grid.label_width] == label  # the label column stayed
        last = grid.cells(grid.claims[0])[grid.sources[-1]]
        assert last.text[:8] in line(grid, 1)  # the last source's cell is in view
        head = line(grid, 0)
        assert head.startswith(" Claim (") and app.main.ws is not None
        await pilot.press(*["down"] * (len(grid.claims) - 1))
        await pilot.pause()
        assert grid.scroll_offset.y > 0
        assert grid.claims[-1].label[:10] in "".join(line(grid, y) for y in range(grid.size.height))
        assert line(grid, 0) == head  # the header row stays too


async def test_the_palette_offers_the_map_and_its_filter(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        titles = [c.title for c in app.get_system_commands(app.main)]
        assert "Claims" in titles
        await open_map(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Claim map: conflicts only" in titles


async def test_next_related_follows_the_highlighted_facts_claim(tmp_path: Path) -> None:
    """On "killed 12 workers and injured 37", with 37 highlighted in the facts pane, ]
    walks the injured claim, not the first one of the passage."""
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        ws = app.main.ws
        assert ws is not None
        origin = next(p for p in ws.passages.values() if "injured 37" in p.text)
        app.main.open_passage(origin.id)
        await pilot.pause()
        facts = app.query_one(FactList)
        facts.focus()
        prompts = [str(facts.get_option_at_index(i).prompt) for i in range(facts.option_count)]
        facts.highlighted = next(i for i, p in enumerate(prompts) if p.strip().startswith("37"))
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        injured = next(c for c in ws.claims() if c.label == "people injured")
        reader = app.query_one(Reader)
        here = reader.current
        assert here is not None and here.source != origin.source
        stated = next(s for s in injured.statements if s.passage == here.id)
        assert reader._marks == {here.id: [(stated.start, stated.end)]}
        assert "people injured" in str(reader.border_subtitle)


async def test_hostile_text_in_claims_is_shown_literally(tmp_path: Path, make_corpus) -> None:  # type: ignore[no-untyped-def]
    quote = '"We will [bold]never[/bold] forget [@click=app.quit]this[/] day," Mayor Ana Pell said.'
    folder = make_corpus(
        {
            "a [x].txt": f"Fire [red]kills[/]\n\nThe fire killed 12 [b]people[/b].\n\n{quote}\n",
            "b.txt": f"Fire\n\nThe fire killed 15 people.\n\n{quote}\n",
        }
    )
    app = app_for(tmp_path, folder)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        grid = await open_map(pilot)
        quoted = next(i for i, c in enumerate(grid.claims) if c.label.startswith("who said"))
        assert "“We will [bold]nev" in line(grid, quoted + 1)  # literally, cut to the column
        await pilot.press(*["down"] * quoted)
        await pilot.pause()
        sentences = app.screen.query_one(SentenceList)
        assert "[@click=app.quit]this[/]" in str(sentences.get_option_at_index(0).prompt)
        title = str(app.screen.query_one("#claims-about").render())
        assert "[bold]never[/bold]" in title
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and app.screen is app.main


async def test_the_export_can_include_the_claim_map_of_the_selection(tmp_path: Path) -> None:
    from textual.widgets import Checkbox

    from tui.screens.export import ExportDialog

    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        ws = app.main.ws
        assert ws is not None
        origin = next(p for p in ws.passages.values() if "killed 12 workers" in p.text)
        app.main.open_passage(origin.id)
        await pilot.pause()
        await pilot.press("space", "e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert "## Claim map" not in dialog.render_note()
        dialog.query_one("#opt-claims", Checkbox).value = True
        await pilot.pause()
        note = dialog.render_note()
        assert "## Claim map" in note and "| people killed | ≠ 12 |" in note
        assert note.index("## Sources") < note.index("## Claim map")


async def test_a_claim_label_with_markup_in_the_readers_border_is_literal(
    tmp_path: Path, make_corpus
) -> None:
    """`]` writes "claim 2/2: <label>" in the reader's border; a quote's label is article
    text, so "[/red]" in it is shown as written (a str border title is parsed as markup)."""
    quote = '"We never saw [/red] anything like it [b]today," the mayor said.'
    folder = make_corpus(
        {
            "a.txt": f"# A\n\nThe storm hit the town. {quote}\n",
            "b.txt": f"# B\n\nFloods followed. {quote}\n",
        }
    )
    app = app_for(tmp_path, folder)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.main.open_passage("a:1")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        reader = app.query_one(Reader)
        assert reader.current is not None and reader.current.id == "b:1"
        assert "[/red]" in str(reader.border_subtitle)
        shown = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "claim" in shown

"""Pilot tests of the working notebook in the app: tags, notes, the kept selection and
position, history, saved searches, copy and open, the timeline, the entities, export
scopes, and bad input in the dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select, TextArea

from search.store import default_store_path
from tui.app import TalksApp, make_app
from tui.config import Config
from tui.screens.entities import EntitiesScreen
from tui.screens.export import ExportDialog
from tui.screens.note import NoteDialog
from tui.screens.prompt import ConfirmDialog, NameDialog
from tui.screens.tag import TagDialog
from tui.screens.timeline import TimelineScreen
from tui.widgets.facts import FactsPane
from tui.widgets.reader import Reader
from tui.widgets.search import SearchPane

A = (
    "Talks in Istanbul\n\n"
    "Rustem Umerov led the Ukrainian delegation to the talks on June 2, 2025.\n\n"
    "Umerov said the prisoner exchange would follow on June 10, 2025.\n\n"
    "The delegations met for about an hour in the palace.\n"
)
B = (
    "Second report\n\n"
    "The talks began on June 1, 2025 in Istanbul, officials said.\n\n"
    "Vladimir Medinsky spoke to reporters after the talks about the exchange.\n"
)
C = "A short note\n\nNothing here has a link to open.\n"
META = (
    "a.txt:\n  outlet: Wire\n  url: https://example.org/a?x=1\n"
    "b.txt:\n  outlet: Herald\n  url: javascript:alert(1)\n"
)


@pytest.fixture
def corpus(make_corpus) -> Path:  # type: ignore[no-untyped-def]
    return make_corpus({"a.txt": A, "b.txt": B, "c.txt": C, "sources.yaml": META})


def app_for(corpus: Path, tmp_path: Path, **config: object) -> TalksApp:
    return make_app(corpus, tmp_path / "ix", Config(**config))  # type: ignore[arg-type]


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def prompt_of(app: TalksApp, passage_id: str) -> str:
    reader = app.query_one(Reader)
    index = next(
        i for i in range(reader.option_count) if reader.get_option_at_index(i).id == passage_id
    )
    return str(reader.get_option_at_index(index).prompt)


def messages(app: TalksApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_t_tags_the_passage_shows_it_and_removes_it(corpus: Path, tmp_path: Path) -> None:
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        ws = app.main.ws
        assert ws is not None
        ws.tag("b:1", "timeline")  # a tag in use: offered as completion
        pid = app.query_one(Reader).current.id  # type: ignore[union-attr]
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagDialog)
        assert app.screen.known == ["timeline"]
        await pilot.press(*"time")
        await pilot.pause()
        assert app.screen.query_one(Input)._suggestion == "timeline"
        await pilot.press("right")  # accept the completion
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, TagDialog)
        assert ws.tags_of(pid) == ("timeline",)
        assert "# timeline" in prompt_of(app, pid) and "◆" in prompt_of(app, pid)
        line = app.query_one(FactsPane).query_one("#fact-notebook")
        assert line.display and "Tags: timeline" in str(line.render())
        await pilot.press("t")
        await pilot.pause()
        tags = app.screen.query_one("#tag-list", OptionList)
        assert tags.option_count == 1
        tags.focus()
        tags.highlighted = 0
        await pilot.press("delete")
        await pilot.pause()
        assert ws.tags_of(pid) == () and tags.option_count == 0
        await pilot.press("escape")
        await pilot.pause()
        assert "◆" not in prompt_of(app, pid)


async def test_a_annotates_over_several_lines_and_escape_cancels(
    corpus: Path, tmp_path: Path
) -> None:
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        ws = app.main.ws
        assert ws is not None
        pid = app.query_one(Reader).current.id  # type: ignore[union-attr]
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"check", "enter", *"[bold]date[/]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ws.notes_of(pid).text == "check\n[bold]date[/]"  # type: ignore[union-attr]
        assert "✎ check" in prompt_of(app, pid)
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "check\n[bold]date[/]"
        await pilot.press(*"more", "escape")
        await pilot.pause()
        assert ws.notes_of(pid).text == "check\n[bold]date[/]"  # type: ignore[union-attr]


async def test_the_selection_query_and_position_survive_an_exit_without_export(
    corpus: Path, tmp_path: Path
) -> None:
    """A closed terminal (SIGHUP: Textual exits the app) or a crash after the last key:
    the selection was written when it changed, so a new app restores it."""
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("space", "j", "space")
        await pilot.press("slash", *"exchange")
        await settle(pilot)
        app.main.open_passage("b:2")
        await pilot.pause()
        app.main.save_last_state()  # what the periodic check (and every way out) does
        app.exit()  # no q, no export
    again = app_for(corpus, tmp_path)
    async with again.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert again.main.selection == ["a:1", "a:2"]
        assert again.main.nav.unexported() == ["a:1", "a:2"]
        assert again.query_one(SearchPane).query_text == "exchange"
        assert again.main.result is not None and again.main.result.query == "exchange"
        reader = again.query_one(Reader)
        assert reader.current is not None and reader.current.id == "b:2"
        again.main.open_passage("a:1")
        await pilot.pause()
        assert prompt_of(again, "a:1").startswith("▌")
        await pilot.press("q")  # still not exported: q warns, and says it is kept
        await pilot.pause()
        assert again.is_running
        assert any("kept for next time" in m for m in messages(again))


async def test_the_hangup_handler_keeps_the_state_and_exits(corpus: Path, tmp_path: Path) -> None:
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("j", "space")
        app.main.hang_up()
        await pilot.pause()
        assert not app.is_running
    again = app_for(corpus, tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert again.main.selection == ["a:2"]
        assert again.query_one(Reader).current.id == "a:2"  # type: ignore[union-attr]


async def test_what_was_exported_is_kept_and_quitting_counts_the_rest(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    app = app_for(corpus, tmp_path, export_dir=str(out))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("space", "j", "space", "j", "space", "e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert len(list(out.glob("*.md"))) == 1
        await pilot.press("k", "space")  # one of the three unselected
        await pilot.pause()
        assert app.main.may_quit()  # the two left were exported: no warning
    again = app_for(corpus, tmp_path, export_dir=str(out))
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert again.main.selection == ["a:1", "a:3"]
        await pilot.press("q")
        await pilot.pause()
        assert not again.is_running


async def test_up_and_down_in_an_empty_box_walk_past_queries(corpus: Path, tmp_path: Path) -> None:
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert app.main._keeper is not None
        app.main._keeper.pause()  # the test ticks it: a slow run must not tick it between
        pane = app.query_one(SearchPane)
        await pilot.press("slash", *"talks", "enter")  # Enter keeps it in the history
        await settle(pilot)
        await pilot.press("slash")
        pane.set_query("")
        await pilot.press(*"exchange")
        await settle(pilot)
        app.main._keep_tick()  # a search with hits left on screen for a while: kept too
        assert app.main.ws.history() == ["talks"]  # type: ignore[union-attr]
        app.main._keep_tick()
        app.main._keep_tick()
        assert app.main.ws.history() == ["exchange", "talks"]  # type: ignore[union-attr]
        await pilot.press("slash")
        pane.set_query("")
        await pilot.pause()
        await pilot.press("up")
        assert pane.query_text == "exchange"
        await pilot.press("up")
        assert pane.query_text == "talks"
        await pilot.press("up")  # the oldest stays
        assert pane.query_text == "talks"
        await pilot.press("down")
        assert pane.query_text == "exchange"
        await pilot.press("down")
        assert pane.query_text == ""
        await pilot.press(*"palace", "up")  # not empty: up does not replace what is typed
        assert pane.query_text == "palace"


async def test_ctrl_s_saves_the_query_and_the_palette_runs_it(corpus: Path, tmp_path: Path) -> None:
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"exchange", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NameDialog)
        await pilot.press("enter")  # no name: the store's error, the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, NameDialog)
        assert "visible character" in str(app.screen.query_one("#prompt-status").render())
        await pilot.press(*"swap", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, NameDialog)
        ws = app.main.ws
        assert ws is not None and [s.query for s in ws.saved_searches()] == ["exchange"]
        app.query_one(SearchPane).set_query("")
        await settle(pilot)
        from tui.notebook_commands import NotebookCommands

        titles = [t for t, _, _ in NotebookCommands(app.screen)._entries()]
        assert "Search: swap" in titles and "Timeline" in titles
        run = next(r for t, _, r in NotebookCommands(app.screen)._entries() if t == "Search: swap")
        run()
        await settle(pilot)
        assert app.query_one(SearchPane).query_text == "exchange"
        assert app.main.result is not None and app.main.result.total == 2


async def test_the_palette_filters_the_sources_by_tag(corpus: Path, tmp_path: Path) -> None:
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("e")  # nothing selected, searched or tagged yet
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        assert any("Select passages" in m for m in messages(app))
        ws = app.main.ws
        assert ws is not None
        ws.tag("a:2", "to check")
        ws.tag("b:2", "to check")
        from tui.notebook_commands import NotebookCommands

        entries = NotebookCommands(app.screen)._entries()
        run = next(r for t, _, r in entries if t == "Filter sources by tag: to check")
        run()
        await settle(pilot)
        assert app.query_one(SearchPane).query_text == 'tag:"to check"'
        assert app.main.result is not None and app.main.result.per_source == {"a": 1, "b": 1}


async def test_the_timeline_opens_a_dated_passage(corpus: Path, tmp_path: Path) -> None:
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        app.main.action_timeline()
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        dates = [e.date for e in app.screen.entries]
        assert dates == sorted(dates) and dates[0] == "2025-06-01"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, TimelineScreen)
        assert app.query_one(Reader).current.id == "b:1"  # type: ignore[union-attr]


async def test_the_entities_screen_searches_an_entity(corpus: Path, tmp_path: Path) -> None:
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        app.main.action_entities()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EntitiesScreen)
        names = {e.name: e for e in screen.entities}
        assert "Istanbul" in names and names["Istanbul"].kind == "place"
        await pilot.press("tab")  # people only
        await pilot.pause()
        assert screen.kind == "person"
        listed = screen.query_one(OptionList)
        first = screen.entities[int(listed.get_option_at_index(0).id or 0)]
        assert first.kind == "person"
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one(SearchPane).query_text == first.query
        assert app.main.result is not None and app.main.result.hits


async def test_y_copies_with_the_citation_and_o_opens_only_http_urls_after_showing_them(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard.startswith("“Rustem Umerov led")
        assert "— Wire, “Talks in Istanbul”" in app.clipboard
        assert app.clipboard.endswith("https://example.org/a?x=1 (passage a:1)")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert str(app.screen.query_one("#prompt-what").render()) == "https://example.org/a?x=1"
        await pilot.press("escape")
        await pilot.pause()
        assert opened == []
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("enter")  # the Open button has the focus
        await pilot.pause()
        assert opened == ["https://example.org/a?x=1"]
        app.main.open_passage("b:1")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert any("only http and https" in m for m in messages(app))
        app.main.open_passage("c:1")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert any("has no URL" in m for m in messages(app))
        assert opened == ["https://example.org/a?x=1"]


async def test_export_offers_the_selection_the_hits_or_a_tag(corpus: Path, tmp_path: Path) -> None:
    app = app_for(corpus, tmp_path, export_dir=str(tmp_path))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        ws = app.main.ws
        assert ws is not None
        ws.tag("b:2", "names")
        ws.note("b:2", "who else was there?")
        await pilot.press("space", "slash", *"talks")
        await settle(pilot)
        app.main.action_export()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert [p.passage.id for p in dialog.items] == ["a:1"]  # the selection first
        scope = dialog.query_one(Select)
        scope.value = 1  # every hit of the query
        await pilot.pause()
        assert len(dialog.items) == app.main.result.total == 3  # type: ignore[union-attr]
        scope.value = 2  # the tag
        await pilot.pause()
        assert [p.passage.id for p in dialog.items] == ["b:2"]
        note = dialog.render_note()
        assert "who else was there?" in note and "tags: names" in note


BAD_NAMES = [  # typed, kept (None: refused with the error)
    ("[bold red]x[/]", "[bold red]x[/]"),
    ("\x1b[31mred\x1b]0;title\x07", "red"),
    ("z" * 10_000, "z" * 80),
    ("    ", None),
]


async def test_bad_tag_names_in_the_dialog(corpus: Path, tmp_path: Path) -> None:
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        ws = app.main.ws
        assert ws is not None
        for pid, (typed, kept) in zip(["a:1", "a:2", "a:3", "b:1"], BAD_NAMES, strict=True):
            app.main.open_passage(pid)
            await pilot.press("t")
            await pilot.pause()
            box = app.screen.query_one(Input)
            box.value = typed
            await pilot.press("enter")
            await pilot.pause()
            if kept is None:
                assert isinstance(app.screen, TagDialog)
                status = str(app.screen.query_one("#tag-status").render())
                assert "at least one visible character" in status
                await pilot.press("escape")
                await pilot.pause()
                assert ws.tags_of(pid) == ()
            else:
                assert ws.tags_of(pid) == (kept,)
                assert f"# {kept}" in prompt_of(app, pid)  # literally, not as markup
        await pilot.press("j")  # and the app goes on
        await pilot.pause()
        assert app.query_one(Reader).current.id == "b:2"  # type: ignore[union-attr]


async def test_a_corrupted_store_is_a_notice_and_the_app_works(
    corpus: Path, tmp_path: Path
) -> None:
    store = default_store_path(corpus)
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_bytes(b"this is not a database" * 100)
    app = app_for(corpus, tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert any("damaged" in m for m in messages(app))
        await pilot.press("space", "t", *"kept", "enter")
        await pilot.pause()
        assert app.main.ws.tags_of("a:1") == ("kept",)  # type: ignore[union-attr]
        assert app.main.selection == ["a:1"]
    assert list(store.parent.glob("*.damaged-*"))  # moved aside, never overwritten

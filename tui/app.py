"""The talks-tui Textual app: the theme, the keymap, the palette and the one factory.

Everything about reading a corpus lives on the main screen (``screens/main.py``); the app
only owns what is global: colours, keys, the palette's commands and every way out.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from search.errors import TalksError
from search.models import Source
from search.workspace import check_folder

from . import startup
from .commands import OpenSource, SourceCommands
from .config import Config, load_config, save_config
from .keys import LIST_KEYS, binding_rows, known_binding_ids, validate_keymap
from .notebook_commands import NotebookCommands
from .reach import apply_theme_before_css
from .screens.main import MainScreen
from .themes import load_themes
from .widgets.facts import FactDetail, FactList, FactsPane
from .widgets.reader import Reader
from .widgets.search import ResultsList, SearchPane
from .widgets.sources import SourcesPane

DEFAULT_THEME = "talks-dark"


class TalksApp(App[None]):
    """Keyboard-first explorer of news reports about one event."""

    TITLE = "talks-tui"
    CSS_PATH = "screens/main.tcss"  # the main screen's layout (see MainScreen)
    COMMANDS = App.COMMANDS | {SourceCommands, NotebookCommands}
    BINDINGS = [
        # help first: the footer shows what fits, and help is how the rest is found
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="palette"),
    ]

    def __init__(
        self,
        corpus: Path,
        index_dir: Path | None = None,
        config: Config | None = None,
        notes: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.index_dir = index_dir
        self.config = config or Config()
        self.startup_notes = list(notes or [])
        self._theme_notes: list[str] = []
        self._main: MainScreen | None = None

    @property
    def main(self) -> MainScreen:
        """The main screen (the reader, search, sources and facts)."""
        if self._main is None:
            raise RuntimeError("the app is not running")
        return self._main

    def get_default_screen(self) -> Screen:
        """The main screen, born with the breakpoint class for the terminal's width: the
        first Resize sets that class anyway, and adding it then restyles every widget a
        second time before the first paint."""
        width = self.size.width
        edges = sorted(MainScreen.HORIZONTAL_BREAKPOINTS)
        fits = [name for edge, name in edges if width >= edge]
        self._main = MainScreen(self.corpus, self.index_dir, classes=fits[-1] if fits else None)
        return self._main

    def on_load(self) -> None:
        # Before the first CSS parse, so the stylesheet is parsed once, with these colours.
        self._theme_notes = self._setup_theme()
        startup.loading()

    def on_mount(self) -> None:
        self._setup_keys(self._theme_notes)
        for note in self.startup_notes:
            self.notify(note, severity="warning", markup=False, timeout=12)

    def on_unmount(self) -> None:
        startup.unsettle()

    # --- every way out -----------------------------------------------------------------

    async def action_quit(self) -> None:
        """Textual's ctrl+q and the palette's Quit: like q, they guard a selection not
        yet exported."""
        if self._main is None or self._main.may_quit():
            self.exit()

    @on(OpenSource)
    def _open_source(self, event: OpenSource) -> None:
        self.main.open_source(event.source_id)

    def palette_sources(self) -> dict[str, Source]:
        ws = self._main.ws if self._main is not None else None
        return ws.sources if ws is not None else {}

    # --- help, palette, themes, keys -----------------------------------------------

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        rows = binding_rows(self.binding_scopes(), self.config.keymap)
        self.push_screen(HelpScreen([*LIST_KEYS, *rows]))

    def binding_scopes(self) -> list[tuple[str, type]]:
        from .screens.claims import ClaimMapScreen, SentenceList
        from .screens.compare import CompareScreen
        from .screens.entities import EntitiesScreen
        from .screens.export import ExportDialog
        from .screens.note import NoteDialog
        from .screens.prompt import ConfirmDialog, NameDialog
        from .screens.stated import StatedScreen
        from .screens.tag import TagDialog
        from .screens.timeline import TimelineScreen
        from .widgets.claimgrid import ClaimGrid

        return [
            ("Global", MainScreen),  # the keys of the main screen, then the app's own
            ("Global", type(self)),
            ("Sources", SourcesPane),
            ("Search", SearchPane),
            ("Results", ResultsList),
            ("Reader", Reader),
            ("Facts", FactList),
            ("Facts pane", FactsPane),
            ("Fact detail", FactDetail),
            ("Compare", CompareScreen),
            ("Claim map", ClaimMapScreen),
            ("Claim map", ClaimGrid),
            ("Claim sentences", SentenceList),
            ("Where stated", StatedScreen),
            ("Export", ExportDialog),
            ("Tag", TagDialog),
            ("Note", NoteDialog),
            ("Save search", NameDialog),
            ("Open URL", ConfirmDialog),
            ("Timeline", TimelineScreen),
            ("Entities", EntitiesScreen),
        ]

    def _setup_theme(self) -> list[str]:
        """Register the theme files and apply the configured theme; returns warnings."""
        themes, warnings = load_themes()
        for theme in themes:
            self.register_theme(theme)
        wanted = self.config.theme or DEFAULT_THEME
        if wanted not in self.available_themes:
            warnings.append(f"unknown theme {wanted!r}: using {DEFAULT_THEME}")
            wanted = DEFAULT_THEME
        if wanted in self.available_themes:
            apply_theme_before_css(self, TalksApp.theme, wanted)
        return warnings

    def _setup_keys(self, warnings: list[str]) -> None:
        """Apply the user's keymap; show the theme and keymap warnings."""
        keymap, key_warnings = (
            validate_keymap(self.config.keymap, known_binding_ids(self.binding_scopes()))
            if self.config.keymap  # the scopes import the compare and export screens
            else ({}, [])
        )
        self.config.keymap = keymap
        self.set_keymap(keymap)
        for warning in warnings + key_warnings:
            self.notify(warning, severity="warning", markup=False, timeout=12)
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme) -> None:  # type: ignore[no-untyped-def]
        if theme.name == self.config.theme:
            return
        self.config.theme = theme.name
        try:
            save_config(self.config)
        except OSError as err:
            self.notify(f"Theme not saved: {err}", severity="warning", markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            # Textual's own theme picker and key panel: ours are "Theme: …" and ?
            if command.title not in ("Theme", "Keys"):
                yield command
        if hasattr(screen, "system_commands"):  # a screen's own entries (the claim map)
            yield from screen.system_commands()
        main = self._main
        if main is not None:
            seen = {"help", "quit"}
            for row in binding_rows([("Global", MainScreen)], self.config.keymap):
                if row.id in seen:
                    continue
                yield SystemCommand(
                    row.description,
                    f"key: {row.keys}",
                    lambda a=row.action: self.run_action(a, main),
                )
            yield SystemCommand("Reindex", "Re-read the corpus and update the index", main.reindex)
        for name in sorted(self.available_themes):
            if name.startswith("talks-"):
                yield SystemCommand(
                    f"Theme: {name}", "Switch the colour theme", lambda n=name: self._set_theme(n)
                )

    def _set_theme(self, name: str) -> None:
        self.theme = name


def make_app(
    corpus: Path | None = None,
    index_dir: Path | str | None = None,
    config: Config | None = None,
) -> TalksApp:
    """The one app factory, used by the CLI and the tests.

    Without ``config`` the user's config file is read; its problems become notices."""
    notes: list[str] = []
    if config is None:
        config, notes = load_config()
    if corpus is None:
        from .paths import bundled

        corpus = (
            Path(config.default_corpus).expanduser() if config.default_corpus else bundled("seeds")
        )
    return TalksApp(corpus, Path(index_dir) if index_dir else None, config, notes)


def run_app(corpus: Path | None, index_dir: Path | str | None = None) -> int:
    """Launch the app; errors a terminal user must see before any screen (raised as
    ``TalksError``: the CLI prints one line and exits 2)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Textual without a terminal does not stop: it spun at 85% CPU until killed.
        raise TalksError(
            "the app needs a terminal (stdin and stdout); "
            "for scripts use a subcommand (see: talks-tui --help)"
        )
    app = make_app(corpus, index_dir)
    check_folder(app.corpus)  # a missing folder: one line and exit 2, not an empty app
    app.run()
    return 0

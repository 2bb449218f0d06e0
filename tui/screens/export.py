"""Export dialog: name the note, choose options, preview it, write it (in a worker).

Nothing is lost on failure: the dialog stays open with the error, and the selection is
the app's, untouched. An existing file is only replaced after a second, explicit yes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from search.errors import ExportError
from search.export import ExportItem, ExportOptions, default_filename, render_markdown, write_note
from search.models import Source

from ..widgets.footer import Footer


class ExportDialog(ModalScreen[Path | None]):
    """Dismisses with the path written, or None when cancelled."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog #export-box { width: 90%; max-width: 110; height: 90%; border: round $accent;
                               background: $surface; padding: 0 1; }
    ExportDialog #export-title { text-style: bold; height: 1; }
    ExportDialog Input { margin: 0; }
    ExportDialog #export-options { height: auto; }
    ExportDialog Checkbox { border: none; padding: 0 1; }
    /* an unticked box is empty: Textual draws a dim X, which read as ticked */
    ExportDialog Checkbox > .toggle--button { color: $panel; }
    ExportDialog Checkbox.-on > .toggle--button { color: $text-success; }
    ExportDialog #export-status { height: auto; color: $text-muted; }
    ExportDialog #export-status.-error { color: $error; text-style: bold; }
    ExportDialog #export-preview { height: 1fr; border: round $secondary; }
    ExportDialog #export-buttons { height: 3; align-horizontal: right; }
    ExportDialog #export-scope { width: 1fr; margin: 0 0 1 0; }
    ExportDialog Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "write", "Write", id="export.write"),
    ]

    class Written(Message):
        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        items: Sequence[ExportItem],
        sources: Mapping[str, Source],
        *,
        corpus: str,
        query: str | None,
        folder: Path,
        scopes: Sequence[tuple[str, str | None, Callable[[], Sequence[ExportItem]]]] = (),
        claim_table: str | Callable[[list[str]], str] = "",
    ) -> None:
        """``claim_table``: the claim map of the passages as Markdown, or a function that
        makes it for the passages shown (which change with the scope)."""
        super().__init__()
        self._claim_table = claim_table
        self._claim_cache: tuple[tuple[str, ...], str] | None = None
        self.items = list(items)
        # what to export (label, query, items): the first is what ``items`` holds
        self.scopes = list(scopes)
        self.sources = sources
        self.corpus = corpus
        self.query_text = query
        self.created = datetime.now().astimezone()
        self.default_path = folder / default_filename(query, self.created)
        self._confirm: Path | None = None  # the existing file the user agreed to replace
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            n, claim_table = len(self.items), self.claim_table
            yield Label(
                Content(f"Export {n} passage{'s' if n != 1 else ''} to Markdown"),
                id="export-title",
            )
            if len(self.scopes) > 1:
                yield Select(
                    [(Content(label), n) for n, (label, _, _) in enumerate(self.scopes)],
                    value=0,
                    allow_blank=False,
                    compact=True,
                    id="export-scope",
                )
            yield Input(str(self.default_path), id="export-path")
            with Horizontal(id="export-options"):
                yield Checkbox("Include facts", id="opt-facts")
                yield Checkbox("Group by source", id="opt-group")
                yield Checkbox("Include claim map", id="opt-claims", disabled=not claim_table)
            yield Static("", id="export-status", markup=False)
            with VerticalScroll(id="export-preview"):
                yield Static("", id="export-text", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Write", id="write", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()  # this dialog's keys (the main screen's footer shows its own)

    def on_mount(self) -> None:
        self.border_title = "Export"
        self._refresh_preview()
        self.query_one("#export-path", Input).focus()

    @property
    def claim_table(self) -> str:
        if isinstance(self._claim_table, str):
            return self._claim_table
        ids = tuple(item.passage.id for item in self.items)
        if self._claim_cache is None or self._claim_cache[0] != ids:
            self._claim_cache = (ids, self._claim_table(list(ids)))
        return self._claim_cache[1]

    @property
    def options(self) -> ExportOptions:
        return ExportOptions(
            include_facts=self.query_one("#opt-facts", Checkbox).value,
            group_by_source=self.query_one("#opt-group", Checkbox).value,
        )

    def render_note(self) -> str:
        note = self._render_passages()
        if self.claim_table and self.query_one("#opt-claims", Checkbox).value:
            note += "\n" + self.claim_table
        return note

    def _render_passages(self) -> str:
        return render_markdown(
            self.items,
            self.sources,
            corpus=self.corpus,
            query=self.query_text,
            created=self.created,
            options=self.options,
        )

    def _refresh_preview(self) -> None:
        self.query_one("#export-text", Static).update(Content(self.render_note()))

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(Content(text))
        status.set_class(error, "-error")

    @on(Checkbox.Changed)
    def _option_changed(self) -> None:
        self._refresh_preview()

    @on(Select.Changed, "#export-scope")
    def _scope_changed(self, event: Select.Changed) -> None:
        """Another thing to export: the selection, the query's hits or a tag."""
        if not isinstance(event.value, int) or self._busy:
            return
        _, self.query_text, load = self.scopes[event.value]
        self.items = list(load())
        n = len(self.items)
        self.query_one("#export-title", Label).update(
            Content(f"Export {n} passage{'s' if n != 1 else ''} to Markdown")
        )
        self.query_one("#opt-claims", Checkbox).disabled = not self.claim_table
        self._refresh_preview()

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._confirm = None
        self.query_one("#write", Button).label = "Write"
        self._status("")

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self) -> None:
        self.action_write()

    @on(Button.Pressed, "#write")
    def _write_pressed(self) -> None:
        self.action_write()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(None)

    def action_write(self) -> None:
        if self._busy:
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._status("Type a file name for the note.", error=True)
            return
        path = Path(raw).expanduser()
        if path.is_dir():  # a folder: the note goes in it, under the proposed name
            path = path / self.default_path.name
        if path.suffix == "":
            path = path.with_suffix(".md")
        force = False
        if path.exists() and not path.is_dir():
            if self._confirm != path:
                self._confirm = path
                self.query_one("#write", Button).label = "Overwrite"
                self._status(
                    f"{path} already exists. Press Write again to replace it, or change the name.",
                    error=True,
                )
                return
            force = True
        self._busy = True
        self._status(f"Writing {path} …")
        self.write_file(path, self.render_note(), force)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def write_file(self, path: Path, text: str, force: bool) -> None:
        try:
            if path.parent == self.default_path.parent and not path.parent.exists():
                # the configured export folder (not a folder typed by hand: a typo there
                # must not make folders) is made on first use
                path.parent.mkdir(parents=True, exist_ok=True)
            written = write_note(path, text, force=force)
        except ExportError as err:
            self.post_message(self.Failed(str(err)))
        except Exception as err:  # noqa: BLE001 - shown in the dialog, never a crash
            self.post_message(self.Failed(f"could not write {path}: {err}"))
        else:
            self.post_message(self.Written(written))

    @on(Written)
    def _written(self, event: Written) -> None:
        self._busy = False
        self.dismiss(event.path)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self._busy = False
        self._confirm = None
        self.query_one("#write", Button).label = "Write"
        reason = event.error.rstrip(".")
        self._status(f"Not written: {reason}. Your selection is kept.", error=True)

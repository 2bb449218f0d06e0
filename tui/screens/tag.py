"""The tag dialog: add a tag to a passage (with the corpus's tags as completion), or
remove one it has. The store decides what a tag name may be; its error is shown here."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from search.errors import TalksError

from ..widgets.footer import Footer


class TagDialog(ModalScreen[bool]):
    """Dismisses with whether the passage's tags changed."""

    DEFAULT_CSS = """
    TagDialog { align: center middle; }
    TagDialog #tag-box { width: 70; max-width: 95%; height: auto; max-height: 80%;
                         border: round $accent; background: $surface; padding: 0 1; }
    TagDialog #tag-title { text-style: bold; }
    TagDialog #tag-status { color: $text-muted; height: auto; }
    TagDialog #tag-status.-error { color: $error; text-style: bold; }
    TagDialog OptionList { height: auto; max-height: 10; border: none; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="tag.close"),
        Binding("delete", "remove", "Remove tag", id="tag.remove"),
    ]

    def __init__(
        self,
        title: str,
        current: Sequence[str],
        known: Sequence[str],
        add: Callable[[str], str],
        remove: Callable[[str], bool],
    ) -> None:
        super().__init__()
        self.title_text = title
        self.current = list(current)
        self.known = list(known)
        self._add, self._remove = add, remove
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-box"):
            yield Static(Content(self.title_text), id="tag-title", markup=False)
            yield Input(
                placeholder="a tag name; enter adds it",
                suggester=SuggestFromList(self.known, case_sensitive=False),
                id="tag-name",
            )
            yield Static("", id="tag-status", markup=False)
            yield OptionList(id="tag-list")
        yield Footer()

    def on_mount(self) -> None:
        self.border_title = "Tag"
        self._show_tags()
        self.query_one(Input).focus()

    def _show_tags(self) -> None:
        tags = self.query_one(OptionList)
        tags.set_options(
            [Option(Content(f"× {name}"), id=f"t{n}") for n, name in enumerate(self.current)]
        )
        tags.display = bool(self.current)
        if not self.current:
            self._status("This passage has no tags yet." if not self.changed else "")
        elif not self.changed:
            self._status("Its tags are listed below: tab to them, enter or delete removes one.")

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#tag-status", Static)
        status.update(Content(text))
        status.set_class(error, "-error")

    @on(Input.Submitted, "#tag-name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            kept = self._add(event.value)
        except TalksError as err:
            self._status(str(err), error=True)
            return
        self.changed = True
        if kept not in self.current:
            self.current.append(kept)
        self.dismiss(True)

    @on(OptionList.OptionSelected, "#tag-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._remove_at(event.option_index)

    def action_remove(self) -> None:
        tags = self.query_one(OptionList)
        if self.focused is tags and tags.highlighted is not None:
            self._remove_at(tags.highlighted)

    def _remove_at(self, index: int) -> None:
        name = self.current[index]
        try:
            self._remove(name)
        except TalksError as err:
            self._status(str(err), error=True)
            return
        self.changed = True
        del self.current[index]
        self._show_tags()
        self._status(f"Removed the tag “{name}”.")
        if not self.current:
            self.query_one(Input).focus()

    def action_close(self) -> None:
        self.dismiss(self.changed)

"""The reference for warm start: a minimal four-pane Textual app over a Whoosh index.

Sources, a search box, a reader and a facts pane; a thread worker opens the minimal Whoosh
index (ID + TEXT) and shows the first passages, as the real app does with its workspace.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option


class MinimalApp(App[None]):
    CSS = """
    #left { width: 34; }
    #sources { height: 1fr; }
    #reader { width: 1fr; }
    #facts { width: 30; }
    """

    def __init__(self, index_dir: Path) -> None:
        super().__init__()
        self.index_dir = index_dir

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="left"):
                yield OptionList(id="sources")
                yield Input(placeholder="/ search")
            yield OptionList(id="reader")
            yield Static("", id="facts")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        from whoosh import index as windex

        ix = windex.open_dir(str(self.index_dir))
        with ix.searcher() as s:
            docs = [s.stored_fields(n) for n in range(min(s.doc_count_all(), 20))]
        self.call_from_thread(self.show, docs)

    def show(self, docs: list[dict]) -> None:
        self.query_one("#sources", OptionList).add_options([Option(self.index_dir.name)])
        reader = self.query_one("#reader", OptionList)
        reader.add_options(Option(d["text"], id=d["id"]) for d in docs)
        reader.focus()

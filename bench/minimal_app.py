"""The reference for warm start and for keystroke to results painted: a minimal
four-pane Textual app over a Whoosh index.

Sources, a search box with a results list, a reader and a facts pane; a thread worker
opens the minimal Whoosh index (ID + TEXT) and shows the first passages, as the real app
does with its workspace. ``run_search`` runs a raw Whoosh query in a thread worker and lists
the top hits as plain text: the framework's floor for a search repaint.

``RowsScreen`` is the reference for opening the claim map: a bare screen of one line-API
list of ready-made rows and a footer, the framework's floor for a screen of rows.
"""

from __future__ import annotations

from pathlib import Path

from rich.segment import Segment
from textual import work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option


class MinimalApp(App[None]):
    CSS = """
    #left { width: 34; }
    #sources { height: 1fr; }
    #results { height: 2fr; }
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
                yield OptionList(id="results")
            yield OptionList(id="reader")
            yield Static("", id="facts")
        yield Footer()

    class Found(Message):
        def __init__(self, hits: list[tuple[str, str]]) -> None:
            super().__init__()
            self.hits = hits

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str, limit: int = 100) -> None:
        from whoosh import index as windex
        from whoosh.qparser import QueryParser

        ix = windex.open_dir(str(self.index_dir))
        with ix.searcher() as s:
            q = QueryParser("text", ix.schema).parse(query)
            hits = [(h["id"], h["text"][:240]) for h in s.search(q, limit=limit)]
        self.post_message(self.Found(hits))

    def on_minimal_app_found(self, event: Found) -> None:
        self.show_results(event.hits)

    def show_results(self, hits: list[tuple[str, str]]) -> None:
        results = self.query_one("#results", OptionList)
        results.set_options(Option(f"{pid}\n{text}", id=pid) for pid, text in hits)

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


class PlainRows(ScrollView, can_focus=True):
    """Rows of text, painted line by line (only the rows in view)."""

    def __init__(self, rows: list[str]) -> None:
        super().__init__()
        self.rows = rows

    def on_mount(self) -> None:
        self.virtual_size = Size(self.size.width or 80, len(self.rows))

    def render_line(self, y: int) -> Strip:
        n = self.scroll_offset.y + y
        width = self.size.width
        if not 0 <= n < len(self.rows):
            return Strip.blank(width)
        return Strip([Segment(self.rows[n])]).adjust_cell_length(width)


class RowsScreen(Screen[None]):
    BINDINGS = [("escape", "app.pop_screen", "Close")]

    def __init__(self, rows: list[str]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield PlainRows(self.rows)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PlainRows).focus()

"""The reader: one article, passage by passage, with a cursor, hits and selection marks."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from search.models import Passage, Source
from search.textsafe import one_line

from ..render import highlighted
from .sources import source_name

Spans = Sequence[tuple[int, int]]
MARK = "▌"
NOTED = "◆"  # a tagged or annotated passage
Marks = tuple[tuple[str, ...], str | None]  # a passage's tags and note
HEAD = 1  # options before ¶1: the article's head


class Reader(OptionList):
    """The current article. The highlighted option is the passage cursor."""

    BORDER_TITLE = "Reader"
    DEFAULT_CSS = """
    Reader { width: 1fr; height: 1fr; max-height: 100%; border: round $secondary; }
    Reader:focus { border: round $accent; }
    Reader > .option-list--option { padding: 0 1; }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="reader.down"),
        Binding("k", "cursor_up", "Up", show=False, id="reader.up"),
    ]

    class Moved(Message):
        """The passage cursor moved."""

        def __init__(self, passage_id: str | None) -> None:
            super().__init__()
            self.passage_id = passage_id

    def __init__(self) -> None:
        super().__init__(id="reader")
        self.source: Source | None = None
        self.passages: list[Passage] = []
        self._spans: dict[str, Spans] = {}
        self._selected: set[str] = set()
        self._marks: dict[str, Spans] = {}
        self.notebook_of: Callable[[str], Marks] | None = None  # set by the screen

    @property
    def current(self) -> Passage | None:
        if self.highlighted is None or not self.passages or self.highlighted < HEAD:
            return None
        return self.passages[self.highlighted - HEAD]

    def show_article(
        self,
        source: Source,
        passages: Sequence[Passage],
        *,
        spans: Mapping[str, Spans] | None = None,
        selected: Collection[str] = (),
        cursor: str | None = None,
    ) -> None:
        """Show ``source``; put the cursor on passage ``cursor`` (or the first)."""
        self.source = source
        self.passages = list(passages)
        self._spans = dict(spans or {})
        self._selected = set(selected)  # a copy: refresh_selection compares against it
        self._marks = {}
        # Content, not str: a str border title is parsed as markup ("[/]" would raise)
        self.border_title = Content(source_name(source))
        self.border_subtitle = Content(source.date or "no date")
        head = Option(self._head(source), id="-head-", disabled=True)
        self.set_options([head, *(Option(self._prompt(p), id=p.id) for p in self.passages)])
        self.move_to(cursor or (self.passages[0].id if self.passages else None))

    @staticmethod
    def _head(source: Source) -> Content:
        """The article's head above ¶1: its title, then outlet, date and URL (untrusted
        text, shown literally on one line each)."""
        title = one_line(source.title or source.path, 1000)
        about = " · ".join(
            one_line(part, 300)
            for part in (source.outlet, source.date or "no date", source.url)
            if part
        )
        return Content.assemble(
            Content.styled(title, "bold"), "\n", Content.styled(about, "$text-muted"), "\n"
        )

    def on_resize(self) -> None:
        """Lines rewrap at a new width (the facts pane shown or hidden, the terminal
        resized): keep the cursor passage at the top, where a jump put it."""
        if self.highlighted is not None:
            self.call_after_refresh(self._scroll_to_cursor)

    def move_to(self, passage_id: str | None) -> None:
        if passage_id is None:
            return
        for i, p in enumerate(self.passages, HEAD):
            if p.id == passage_id:
                if self.highlighted == i:  # no OptionHighlighted will say it moved
                    self.post_message(self.Moved(passage_id))
                else:
                    self.highlighted = i  # OptionHighlighted: Moved, once
                self.call_after_refresh(self._scroll_to_cursor)
                return

    def _scroll_to_cursor(self) -> None:
        """The cursor passage's first line at the top (at ¶1, the article's head above it)."""
        if self.highlighted == HEAD:
            self.scroll_home(animate=False)
        elif self.highlighted is not None:
            self.scroll_to_highlight(top=True)

    def set_spans(self, spans: Mapping[str, Spans]) -> None:
        """New search highlights for this article."""
        old, self._spans = self._spans, dict(spans)
        for i, p in enumerate(self.passages, HEAD):
            if old.get(p.id) != self._spans.get(p.id):
                self.replace_option_prompt_at_index(i, self._prompt(p))

    def mark(self, passage_id: str, spans: Spans) -> None:
        """Emphasise extra spans in one passage (a chosen fact); empty to clear."""
        touched = set(self._marks) | {passage_id}
        self._marks = {passage_id: spans} if spans else {}
        for i, p in enumerate(self.passages, HEAD):
            if p.id in touched:
                self.replace_option_prompt_at_index(i, self._prompt(p))

    def refresh_selection(self, selected: Collection[str]) -> None:
        before, self._selected = self._selected, set(selected)
        for i, p in enumerate(self.passages, HEAD):
            if (p.id in before) != (p.id in selected):
                self.replace_option_prompt_at_index(i, self._prompt(p))

    def refresh_passage(self, passage_id: str) -> None:
        """Redraw one passage (its tags or note changed)."""
        for i, p in enumerate(self.passages, HEAD):
            if p.id == passage_id:
                self.replace_option_prompt_at_index(i, self._prompt(p))

    def _notebook_line(self, p: Passage) -> tuple[bool, Content | None]:
        """Whether the passage is tagged or annotated, and its line under the text."""
        tags, note = self.notebook_of(p.id) if self.notebook_of else ((), None)
        if not tags and not note:
            return False, None
        bits: list[Content | str] = []
        if tags:
            bits.append(Content("# " + ", ".join(tags)))
        if note:
            first = note.strip().splitlines()[0] if note.strip() else ""
            bits += ["  " if bits else "", Content("✎ " + one_line(first, 120))]
        return True, Content.assemble(*bits).stylize("italic $text-secondary")

    def spans_of(self, passage_id: str) -> Spans:
        return self._spans.get(passage_id, ())

    def _prompt(self, p: Passage) -> Content:
        body = highlighted(p.text, self._spans.get(p.id, ()))
        for start, end in self._marks.get(p.id, ()):
            body = body.stylize("reverse", start, end)
        chosen = p.id in self._selected
        noted, line = self._notebook_line(p)
        mark = (MARK if chosen else " ") + (NOTED if noted else " ")
        gutter = Content.styled(mark, "bold $success")
        number = Content.styled(f"¶{p.ordinal} ", "$text-muted")
        parts: list[Content | str] = []
        index = p.ordinal - 1
        prev = self.passages[index - 1] if 0 < index <= len(self.passages) else None
        if p.heading and (prev is None or prev.heading != p.heading):
            parts += [Content.styled(p.heading, "bold $secondary"), "\n"]
        if p.page is not None and (prev is None or prev.page != p.page):  # a PDF's page
            number = Content.styled(f"p. {p.page} ¶{p.ordinal} ", "$text-muted")
        parts += [gutter, number, body]
        if line is not None:
            parts += ["\n   ", line]
        if index < len(self.passages) - 1:
            parts.append("\n")  # a blank line between passages
        return Content.assemble(*parts)

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.Moved(event.option.id))

    @on(OptionList.OptionSelected)
    def _selected_event(self, event: OptionList.OptionSelected) -> None:
        event.stop()

"""The sources pane: one row per article with its date, passage count and hit count."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from search.models import Source
from search.textsafe import one_line, visible

from ..render import plain_label


def source_name(source: Source) -> str:
    """What a person calls an article: its outlet, else its title, else its file name.

    One line, nothing a terminal could act on (a file name's escapes are shown as text).
    Markup-looking text stays as is: callers show it as literal ``Content``."""
    name = one_line(source.outlet or source.title or "", 300)
    return name or visible(one_line(source.path, 300))


MAX_ROWS = 100  # sources listed at once (see SourcesPane.show)
MORE_ID = "-more-"  # the row that says how many are not listed


class SourcesPane(OptionList):
    """Articles of the corpus; enter (or click) opens one in the reader."""

    BORDER_TITLE = "Sources"
    DEFAULT_CSS = """
    SourcesPane { height: 1fr; border: round $secondary; }
    SourcesPane:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="sources.down"),
        Binding("k", "cursor_up", "Up", show=False, id="sources.up"),
    ]

    _shown: tuple[object, ...] | None = None  # what show() last listed
    _listed: tuple[Sequence[Source], Mapping[str, int] | None] | None = None  # its arguments
    _languages = False  # show each source's language

    class Chosen(Message):
        """The user chose a source to read."""

        def __init__(self, source_id: str) -> None:
            super().__init__()
            self.source_id = source_id

    def show(self, sources: Sequence[Source], hits: Mapping[str, int] | None = None) -> None:
        """Fill (or refresh) the list, keeping the highlighted source.

        A large corpus lists its first MAX_ROWS sources (during a search, those with the
        most hits): building thousands of rows took seconds on every search at 100k
        passages, and the command palette finds any source by name."""
        self._listed = (sources, hits)
        keep = self.highlighted
        current = self.highlighted_option.id if self.highlighted_option else None
        listed = list(sources)
        more = max(len(listed) - MAX_ROWS, 0)
        if more:
            if hits:
                listed.sort(key=lambda s: -hits.get(s.id, 0))  # stable: corpus order in ties
            listed = listed[:MAX_ROWS]
        # the same rows with the same counts (typing on through a word with no hits, or
        # a query refined to the same matches): nothing to build or paint again
        shown = (
            tuple(listed),
            None if hits is None else tuple(hits.get(s.id, 0) for s in listed),
            more,
            self._title_width(),
        )
        if shown == self._shown:
            return
        self._shown = shown
        # the language tags a row when it tells the sources apart (a mixed corpus)
        self._languages = len({s.language for s in sources}) > 1
        options = [Option(self._prompt(s, hits), id=s.id) for s in listed]
        if more:
            note = Content(f"… {more:,} more: ctrl+p finds any source").stylize("$text-muted")
            options.append(Option(note, id=MORE_ID, disabled=True))
        self.set_options(options)
        if listed:
            ids = [s.id for s in listed]
            at = ids.index(current) if current in ids else min(keep or 0, len(ids) - 1)
            self.highlighted = at
        self.border_subtitle = f"{len(sources)}"

    def _title_width(self) -> int:
        """The cells a title may take: the pane's width inside its border and scrollbar."""
        return max(self.scrollable_content_region.width or 40, 12)

    def on_resize(self) -> None:
        """Titles use the width the pane has: list them again at a new width."""
        if self._listed is not None:
            self.call_after_refresh(self._relist)

    def _relist(self) -> None:
        if self._listed is not None:
            self.show(*self._listed)

    def _prompt(self, source: Source, hits: Mapping[str, int] | None) -> Content:
        width = self._title_width()
        name = Content(plain_label(source_name(source), width)).stylize("bold")
        bits = [source.date or "no date", f"{source.passages} ¶"]
        if self._languages:
            bits.append(source.language or "language ?")
        detail = Content(" · ".join(bits)).stylize("$text-muted")
        if hits is not None:
            count = hits.get(source.id, 0)
            style = "bold $accent" if count else "$text-muted"
            label = f"{count} hit" if count == 1 else f"{count} hits"
            detail = Content.assemble(detail, " · ", (label, style))
        return Content.assemble(name, "\n", detail)

    def select_source(self, source_id: str) -> None:
        try:
            self.highlighted = self.get_option_index(source_id)
        except Exception:  # noqa: BLE001 - unknown id: leave the cursor alone
            return

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id != MORE_ID:
            self.post_message(self.Chosen(event.option.id))

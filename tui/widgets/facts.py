"""The facts pane: the current passage's facts by kind, then the article's, and for the
highlighted fact which other sources state the same value and which state another."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from search.models import Fact, Passage, Source, WhereElse

from ..render import plain_label
from .sources import source_name

KINDS = (
    ("number", "Numbers"),
    ("date", "Dates"),
    ("person", "People"),
    ("place", "Places"),
    ("org", "Organisations"),
    ("quote", "Quotes"),
)


def fact_line(fact: Fact, width: int = 60) -> Content:
    """One fact as people read it: what was written, and what it means."""
    text = plain_label(fact.text, width)
    if fact.kind == "number":
        value = _num(fact.value)
        if fact.high is not None:
            value += f"–{_num(fact.high)}"
        said = f"{fact.qualifier} {text}" if fact.qualifier else text
        bits = [value] if value.replace(",", "") != text.replace(",", "") else []
        bits += [fact.counts] if fact.counts else []
        meaning = "  " + " ".join(bits) if bits else ""
        return Content.assemble((said, "bold"), (meaning, "$text-muted"))
    if fact.kind == "date":
        meaning = fact.value or "unresolved"
        return Content.assemble((text, "bold"), (f"  {meaning}", "$text-muted"))
    if fact.kind == "quote":
        who = f" — {fact.speaker}" if fact.speaker else " — (unattributed)"
        return Content.assemble(plain_label(str(fact.value), width), (who, "$text-muted"))
    value = str(fact.value)
    if value.lower() != fact.text.lower():
        return Content.assemble((value, "bold"), (f"  as “{text}”", "$text-muted"))
    return Content.styled(value, "bold")


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def hanging(content: Content, width: int, indent: int = 2) -> Content:
    """``content`` wrapped to ``width`` cells, every line ``indent`` cells in: a wrapped
    fact continues under its text, not at the pane's edge."""
    pad = " " * indent
    lines = content.wrap(max(width - indent, 8))
    return Content("\n").join(Content.assemble(pad, line) for line in lines)


class FactList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="facts.down"),
        Binding("k", "cursor_up", "Up", show=False, id="facts.up"),
    ]

    def on_focus(self) -> None:
        """Coming into the list (Tab) lands on its first fact, not on nothing."""
        option = self.highlighted_option
        if option is None or option.disabled:
            self.action_first()


class FactDetail(VerticalScroll):
    """Where the highlighted fact is stated elsewhere: a second tab stop, to scroll it."""

    DEFAULT_CSS = """
    FactDetail:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="facts.detail.down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="facts.detail.up"),
    ]


class FactsPane(Vertical):
    """Facts of the current passage and article, and where else each is stated."""

    BORDER_TITLE = "Facts"
    DEFAULT_CSS = """
    FactsPane { width: 44; border: round $secondary; }
    FactsPane:focus-within { border: round $accent; }
    FactsPane FactList, FactsPane FactList:focus { height: 2fr; border: none; }
    FactsPane #fact-detail-scroll { height: 1fr; border-top: solid $secondary; }
    FactsPane #fact-detail { padding: 0 1; }
    FactsPane #fact-notebook { padding: 0 1; height: auto; max-height: 4; display: none; }
    FactsPane #fact-notebook.-shown { display: block; }
    """

    BINDINGS = [
        Binding("escape", "leave", "Back to the reader", show=False, id="facts.leave"),
    ]

    class Left(Message):
        """Escape in the facts pane: go back to reading."""

    def action_leave(self) -> None:
        self.post_message(self.Left())

    class Highlighted(Message):
        """The user moved onto a fact (None: off any fact)."""

        def __init__(self, fact: Fact | None) -> None:
            super().__init__()
            self.fact = fact

    def __init__(self) -> None:
        super().__init__(id="facts")
        self._facts: dict[str, Fact] = {}
        self._sources: Mapping[str, Source] = {}
        self._passage: Passage | None = None
        self._shown: tuple | None = None  # show()'s arguments, to list again at a new width

    def on_resize(self) -> None:
        """Facts wrap at the pane's width: list them again when it changes."""
        if self._shown is not None:
            self.call_after_refresh(lambda: self._shown and self.show(*self._shown))

    def compose(self) -> ComposeResult:
        yield Static("", id="fact-notebook", markup=False)  # the passage's tags and note
        yield FactList(id="fact-list")
        with FactDetail(id="fact-detail-scroll"):
            yield Static("", id="fact-detail", markup=False)

    def show(
        self,
        passage: Passage | None,
        passage_facts: Sequence[Fact],
        article_facts: Sequence[Fact],
        sources: Mapping[str, Source],
    ) -> None:
        """Fill the list: this passage's facts by kind, then the rest of the article's."""
        again = self._shown is not None and self._shown[0] == passage
        self._shown = (passage, passage_facts, article_facts, sources)
        self._sources = sources
        self._passage = passage
        self._facts = {}
        options: list[Option] = []
        fact_list = self.query_one(FactList)
        width = max(fact_list.scrollable_content_region.width or 40, 20)
        # a name or place mentioned twice is one fact to read (numbers keep each mention)
        distinct: dict[tuple[str, str], Fact] = {}
        for f in passage_facts:
            key = (
                (f.kind, str(f.value))
                if f.kind in ("person", "place", "org")
                else (f.kind, f"{f.start}")
            )
            distinct.setdefault(key, f)
        self._add_section(options, "This passage", list(distinct.values()), width, "p")
        here = {(f.kind, str(f.value)) for f in passage_facts}
        rest: dict[tuple[str, str], Fact] = {}
        for f in article_facts:
            key = (f.kind, str(f.value))
            if key not in here:
                rest.setdefault(key, f)
        self._add_section(options, "Rest of the article", list(rest.values()), width, "a")
        current = fact_list.highlighted_option.id if fact_list.highlighted_option else None
        fact_list.set_options(options)
        if again and current in self._facts:  # listed again (a resize): stay on that fact
            fact_list.highlighted = fact_list.get_option_index(current)
        elif fact_list.has_focus:
            fact_list.action_first()
        self.border_subtitle = f"{len(passage_facts)} here" if passage else ""
        self.show_detail(None)

    def _add_section(
        self, options: list[Option], title: str, facts: Sequence[Fact], width: int, prefix: str
    ) -> None:
        options.append(Option(Content.styled(title, "bold $secondary underline"), disabled=True))
        if not facts:
            options.append(Option(Content.styled("  none found", "$text-muted"), disabled=True))
            return
        for kind, label in KINDS:
            group = [f for f in facts if f.kind == kind]
            if not group:
                continue
            options.append(Option(Content.styled(f" {label}", "$text-muted"), disabled=True))
            for n, fact in enumerate(group):
                oid = f"{prefix}{kind}{n}"
                self._facts[oid] = fact
                options.append(Option(hanging(fact_line(fact, width - 2), width), id=oid))

    def show_notebook(self, line: Content | None) -> None:
        """The passage's tags and note above its facts (hidden when it has none)."""
        notebook = self.query_one("#fact-notebook", Static)
        notebook.update(line or "")
        notebook.set_class(line is not None, "-shown")

    def show_detail(self, detail: Content | None) -> None:
        hint = Content.styled("Move onto a fact to see where else it is stated.", "$text-muted")
        self.query_one("#fact-detail", Static).update(detail or hint)

    def describe(self, found: WhereElse) -> None:
        """Show where else a fact is stated: agreeing and disagreeing sources."""
        fact = found.fact
        parts: list[Content | str] = [fact_line(fact, 80), "\n"]
        if fact.kind == "quote" and fact.speaker:
            parts += [Content.styled(f"said by {fact.speaker}", "$text-muted"), "\n"]
        parts += ["\n", Content.styled("Same: ", "bold $success")]
        parts.append(
            self._where(found.same)
            if found.same
            else Content.styled("no other source", "$text-muted")
        )
        if fact.kind == "number":
            parts += ["\n", Content.styled("Different: ", "bold $error")]
            if found.conflicting:
                parts += self._values(found.conflicting, "bold $error")
            else:
                parts.append(Content.styled("no source states another value", "$text-muted"))
            if found.compatible:  # "339" / "several hundred": both can be true
                parts += [
                    "\n",
                    Content.styled("Worded otherwise (can both be true): ", "bold $warning"),
                ]
                parts += self._values(found.compatible, "bold $warning")
        if found.same or found.different:
            parts += ["\n\n", Content.styled("enter: the passages that state it", "$text-muted")]
        self.show_detail(Content.assemble(*parts))

    def _values(self, facts: Sequence[Fact], style: str) -> list[Content | str | tuple[str, str]]:
        parts: list[Content | str | tuple[str, str]] = []
        for f in facts:
            src = self._sources.get(f.source)
            name = source_name(src) if src else f.source
            value = f"{f.qualifier} {f.text}" if f.qualifier else f.text
            parts += ["\n  ", (value, style), f"  {name} ¶{_ordinal(f)}"]
        return parts

    def _where(self, facts: Sequence[Fact]) -> Content:
        seen: list[str] = []
        for f in facts:
            src = self._sources.get(f.source)
            name = f"{source_name(src) if src else f.source} ¶{_ordinal(f)}"
            if name not in seen:
                seen.append(name)
        return Content(", ".join(seen))

    @on(OptionList.OptionHighlighted, "#fact-list")
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self._facts.get(event.option.id or "")))

    class Chosen(Message):
        """Enter on a fact: show the passages that state it (or another value of it)."""

        def __init__(self, fact: Fact) -> None:
            super().__init__()
            self.fact = fact

    @on(OptionList.OptionSelected, "#fact-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        fact = self._facts.get(event.option.id or "")
        if fact is not None:
            self.post_message(self.Chosen(fact))


def _ordinal(fact: Fact) -> str:
    return fact.passage.rsplit(":", 1)[-1]

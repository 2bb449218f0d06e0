"""People, places and organisations: each canonical entity with its kind, the other
forms it is written in, its mentions per source and the sources that never name it;
enter searches every form of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from search.models import Entity

from ..render import count
from .timeline import _CSS, ListScreen

KIND_NAMES = {"person": "person", "place": "place", "org": "organisation"}
KINDS = (None, "person", "place", "org")


class EntitiesScreen(ListScreen):
    """Dismisses with the chosen entity's query, or None; tab shows the next kind."""

    DEFAULT_CSS = _CSS.format(name="EntitiesScreen")
    BINDINGS = [Binding("tab", "next_kind", "Next kind", id="entities.kind")]

    def __init__(self, entities: Sequence[Entity], names: Mapping[str, str]) -> None:
        self.entities = list(entities)
        self.names = names
        self.kind: str | None = None
        super().__init__(self._title(), self._build())

    def _title(self) -> str:
        shown = [e for e in self.entities if self.kind in (None, e.kind)]
        what = (
            "People, places and organisations"
            if self.kind is None
            else ({"person": "People", "place": "Places", "org": "Organisations"}[self.kind])
        )
        return f"{what}: {count(len(shown), 'name')} (tab: the next kind)"

    def _build(self) -> list[Option]:
        out = []
        for n, e in enumerate(self.entities):
            if self.kind not in (None, e.kind):
                continue
            parts: list[Content | str | tuple[str, str]] = [
                (e.name, "bold"),
                (
                    f"  {KIND_NAMES.get(e.kind, e.kind)} · {count(e.total, 'mention')}",
                    "$text-muted",
                ),
            ]
            if e.aliases:
                parts += ["\n  ", ("also: ", "$text-muted"), Content(", ".join(e.aliases))]
            per = ", ".join(f"{self.names.get(s, s)} {k}" for s, k in e.counts)
            parts += ["\n  ", Content(per)]
            if e.missing:
                never = ", ".join(self.names.get(s, s) for s in e.missing)
                parts += ["\n  ", ("never named by: ", "$text-warning"), Content(never)]
            out.append(Option(Content.assemble(*parts), id=str(n)))
        return out

    def action_next_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        options = self.query_one(OptionList)
        options.set_options(self._build())
        if options.option_count:
            options.highlighted = 0
        self.query_one("#list-title", Static).update(Content(self._title()))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.entities[int(event.option.id or 0)].query)

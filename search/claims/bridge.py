"""Claims as the facts pane speaks: a statement's value as a ``Fact`` of its passage, so
"where else is this stated" and the claim map give one answer from one claim set."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Fact, Statement
from .build import _as_fact


def statement_facts(statements: Iterable[Statement]) -> tuple[Fact, ...]:
    """The value each statement gives, as a fact (statements without a value are left
    out: nothing to show beside "same" or "different")."""
    return tuple(_as_fact(s) for s in statements if s.value is not None)

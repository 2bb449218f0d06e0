"""The one loader of the rules and vocabularies (YAML in ``search/data/``)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")


def load_rules(name: str) -> Any:
    """The parsed ``data/{name}.yaml`` (an empty file is ``{}``): parsed once per
    process, a fresh copy each call, so a caller may change what it gets."""
    return copy.deepcopy(_parsed(name))


@cache
def _parsed(name: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(DATA / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader) or {}  # noqa: S506 - a safe loader

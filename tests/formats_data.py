"""The invented reports behind the format fixtures (tests/data/formats/articles.py)."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

FIXTURES = Path(__file__).resolve().parent / "data" / "formats"


@cache
def load_articles() -> ModuleType:
    spec = importlib.util.spec_from_file_location("format_articles", FIXTURES / "articles.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

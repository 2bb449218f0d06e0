"""Hand-made passages and facts for unit tests (one place, so every test builds them alike)."""

from __future__ import annotations

import re
from pathlib import Path

from search.models import Fact, Passage


def passage(pid: str, text: str) -> Passage:
    """A passage "source:ordinal" whose text is the whole article."""
    source, ordinal = pid.split(":")
    return Passage(pid, source, int(ordinal), text, 0, len(text))


def number_fact(
    p: Passage,
    text: str,
    value: float,
    counts: str | None,
    qualifier: str | None = None,
    *,
    approximate: bool | None = None,
    high: float | None = None,
) -> Fact:
    """A number fact at the first place ``text`` stands as a whole number in ``p``
    ("50" is not found inside "500")."""
    found = re.search(rf"(?<![\w.,]){re.escape(text)}(?![\w]|[.,]\d)", p.text)
    assert found, text
    start = found.start()
    return Fact(
        kind="number",
        text=text,
        value=value,
        passage=p.id,
        source=p.source,
        start=start,
        end=start + len(text),
        counts=counts,
        approximate=bool(qualifier) if approximate is None else approximate,
        qualifier=qualifier,
        high=high,
    )


_PREBUILT: dict[Path, Path] = {}


def warm_index(corpus: Path, dest: Path) -> Path:
    """``dest`` holds a copy of ``corpus``'s index and analysis, built once per test
    process: an app test then starts as a user's second launch does, without paying for
    the first one again (tests of a first open build their own)."""
    import shutil
    import tempfile

    from search.workspace import Workspace

    if dest.exists():
        return dest
    built = _PREBUILT.get(corpus)
    if built is None:
        built = Path(tempfile.mkdtemp(prefix="talks-prebuilt-")) / "ix"
        ws = Workspace.open(corpus, built)
        ws.prepare()
        ws.close()
        _PREBUILT[corpus] = built
    shutil.copytree(built, dest, ignore=shutil.ignore_patterns("*.lock"))
    return dest

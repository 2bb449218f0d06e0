"""No query string escapes the engine other than as a QueryError, and on the command line
every query ends with status 0 or 2 and at most one line on stderr, never a traceback."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.errors import QueryError
from search.workspace import Workspace
from tui.cli import main

from ..conftest import SEEDS

SYNTAX = [
    "AND",
    "OR",
    "NOT",
    "(",
    ")",
    '"',
    "*",
    "~",
    "~2",
    "^",
    ":",
    "source:",
    "date:",
    "text:",
    "id:",
    "[",
    "]",
    "TO",
    "{",
    "}",
    "date:[2025 TO",
    "source:*",
    "*:*",
    "\\",
    "'",
    "-",
    "+",
    "\x00",
    "\x1b[2J",
    "\u202e",
    "\u200b",
    "Erdoğan",
    "6,000",
    "ß",
    "İ",
    "ﬁ",
    "😀",
    "\udcff",
]
WEIRD = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.text(alphabet=st.characters(), max_size=20),  # surrogates and controls too
    st.lists(st.sampled_from(SYNTAX), max_size=12).map(" ".join),
    st.lists(st.sampled_from(SYNTAX), max_size=12).map("".join),
    st.builds(
        lambda f, v: f"{f}:{v}",
        st.sampled_from(["source", "date", "text", "id", "ordinal", "Date", "x_y"]),
        st.text(alphabet='[]{}()*~^:"- 0123456789TOabc', max_size=15),
    ),
)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.open(SEEDS, tmp_path_factory.mktemp("qix"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(WEIRD)
def test_weird_queries_raise_only_query_errors(ws: Workspace, query: str) -> None:
    with contextlib.suppress(QueryError):
        result = ws.search(query, limit=5)
        for hit in result.hits:
            for start, end in hit.highlights:
                assert 0 <= start < end <= len(hit.passage.text)


@pytest.mark.parametrize(
    "query",
    [
        "a" * 2_000,
        " ".join(["bodies"] * 280),
        "(" * 500 + "bodies" + ")" * 500,
        " OR ".join(f"w{n}*" for n in range(500)),
        "*",
        "a*",
        "~" * 1000,
        "medinsky~9",
        '"' + "bodies " * 280 + '"',
    ],
    ids=[
        "long-word",
        "many-words",
        "deep-parens",
        "many-prefixes",
        "star",
        "a-star",
        "tildes",
        "fuzzy-9",
        "long-phrase",
    ],
)
def test_huge_and_expensive_queries(ws: Workspace, query: str) -> None:
    with contextlib.suppress(QueryError):
        ws.search(query, limit=5)


def test_engine_refuses_or_quickly_runs_a_20k_character_word(ws: Workspace) -> None:
    import time

    started = time.perf_counter()
    with contextlib.suppress(QueryError):
        ws.search("a" * 20_000, limit=5)
    assert time.perf_counter() - started < 0.3


def test_cli_refuses_a_huge_query_fast(capsys) -> None:  # type: ignore[no-untyped-def]
    import time

    started = time.perf_counter()
    code = main(["search", "--corpus", str(SEEDS), "--", "a" * 100_000])
    _, err = capsys.readouterr()
    assert code == 2 and "too long" in err and len(err.splitlines()) == 1
    assert time.perf_counter() - started < 2


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    ix = tmp_path_factory.mktemp("cli-qix")
    Workspace.open(SEEDS, ix).close()
    return ix


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.one_of(WEIRD, st.just("-x"), st.just("--json"), st.just("-")))
def test_cli_search_exits_0_or_2_with_one_line(cli_index, capsys, query: str) -> None:  # type: ignore[no-untyped-def]
    code = main(
        ["search", "--corpus", str(SEEDS), "--index-dir", str(cli_index), "--json", "--", query]
    )
    out, err = capsys.readouterr()
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    assert len(err.strip().splitlines()) <= 1, err
    assert "\x1b" not in err
    if code == 0:
        import json

        assert isinstance(json.loads(out), list)
    else:
        assert out == "" and err.startswith("talks-tui: error:")

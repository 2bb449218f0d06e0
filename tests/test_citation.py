"""The citation copied with ``y`` and the links ``o`` may open."""

from __future__ import annotations

import pytest

from search.citation import citation, web_link
from search.errors import TalksError
from search.models import Passage, Source
from search.workspace import Workspace


def _passage(text: str = "Talks   began\nin Istanbul.", page: int | None = None) -> Passage:
    return Passage(id="a:2", source="a", ordinal=2, text=text, start=0, end=len(text), page=page)


def test_citation_has_outlet_title_date_url_and_id() -> None:
    src = Source("a", "a.txt", "Talks open", "2025-06-02", "Wire", "https://example.org/x")
    assert citation(_passage(), src) == (
        "“Talks began in Istanbul.”\n"
        "— Wire, “Talks open”, 2025-06-02, https://example.org/x (passage a:2)"
    )


def test_citation_without_metadata_names_the_file_and_drops_escapes() -> None:
    src = Source("a", "a.txt", "", None, None, None)
    text = citation(_passage("Hi \x1b]52;c;AAAA\x07there\x1b[31m", page=4), src)
    assert text == "“Hi there”\n— a.txt, undated, p. 4 (passage a:2)"
    assert "\x1b" not in text


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (None, "has no URL"),
        ("  ", "has no URL"),
        ("javascript:alert(1)", "not javascript"),
        ("file:///etc/passwd", "not file"),
        ("example.org/page", "not no scheme"),
        ("https:///nohost", "has no host"),
    ],
)
def test_only_http_links_with_a_host_are_opened(url: str | None, reason: str) -> None:
    with pytest.raises(TalksError, match=reason):
        web_link(Source("a", "a.txt", "", url=url))


def test_a_web_link_is_given_in_full() -> None:
    url = "HTTPS://example.org/a?b=1&c=2#frag"
    assert web_link(Source("a", "a.txt", "", url=url)) == url


def test_the_workspace_cites_its_passages(make_corpus) -> None:  # type: ignore[no-untyped-def]
    corpus = make_corpus({"a.txt": "Title here\n\nThe talks began in Istanbul on Monday.\n"})
    ws = Workspace.open(corpus, corpus.parent / "ix")
    pid = next(iter(ws.passages))
    assert ws.citation(pid).startswith("“The talks began in Istanbul on Monday.”\n— a.txt")
    assert ws.citation(pid).endswith(f"(passage {pid})")
    with pytest.raises(TalksError, match="no URL"):
        ws.web_link(pid)

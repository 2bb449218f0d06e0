"""A .txt file is plain text: its characters stay as written; only .md is Markdown."""

from __future__ import annotations

from search.ingest import parse_article
from search.workspace import Workspace

RAW = (
    " date 2025-06-02 Talks Resume In Istanbul\n\n"
    "The ratio was 3*4*5 in the first round, said the **chief** negotiator.\n\n"
    "Some <b>pages</b> keep tags, and a back\\slash stays, as does snake_case_word.\n\n"
    "Officials [confirmed](https://example.org/a) the exchange.\n\n"
    "Original url: https://example.org/talks\n"
)


def texts(raw: str, markdown: bool) -> list[str]:
    return [p[0] for p in parse_article(raw, markdown=markdown).passages]


def test_plain_text_keeps_what_is_written() -> None:
    got = texts(RAW, markdown=False)
    assert got[0] == "The ratio was 3*4*5 in the first round, said the **chief** negotiator."
    assert (
        got[1] == "Some <b>pages</b> keep tags, and a back\\slash stays, as does snake_case_word."
    )
    # the conventions of saved pages are still read: link text, date prefix, url footer
    assert got[2] == "Officials confirmed the exchange."
    art = parse_article(RAW, markdown=False)
    assert (art.date, art.url, art.title) == (
        "2025-06-02",
        "https://example.org/talks",
        "Talks Resume In Istanbul",
    )


def test_markdown_is_parsed_as_markdown() -> None:
    got = texts(RAW, markdown=True)
    assert got[0] == "The ratio was 345 in the first round, said the chief negotiator."


def test_plain_text_headings_credits_and_wrapped_lines() -> None:
    raw = (
        "# Big Headline\n\nJune 02, 2025\n\n"
        "Negotiators meet in Istanbul. **Alexander Ryumin / TASS**\n\n"
        "The talks went on for an hour.\n\n*Reuters contributed reporting.*\n"
    )
    art = parse_article(raw, markdown=False)
    assert art.title == "Big Headline" and art.date == "2025-06-02"
    assert [p[0] for p in art.passages] == [
        "Negotiators meet in Istanbul.",
        "The talks went on for an hour.",
    ]


def test_txt_and_md_files_in_a_corpus(make_corpus) -> None:  # type: ignore[no-untyped-def]
    text = "Report\n\nThe ratio was 3*4*5 according to officials.\n"
    folder = make_corpus({"a.txt": text, "b.md": text})
    ws = Workspace.open(folder, in_memory=True)
    assert ws.passages["a:1"].text == "The ratio was 3*4*5 according to officials."
    assert ws.passages["b:1"].text == "The ratio was 345 according to officials."
    numbers = {f.value for f in ws.all_facts(kind="number", source="a")}
    assert 345 not in numbers

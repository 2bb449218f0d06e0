"""Tests for the Markdown export (search/export.py).

Golden files live in tests/golden/. After an intended change to the note format,
regenerate them with::

    TALKS_UPDATE_GOLDEN=1 /tmp/venv/bin/pytest tests/test_export.py

and review the diff before committing.

Round-trip normalisation the property tests accept (and nothing else):
line endings ``\\r\\n``, ``\\r``, U+0085, U+2028 and U+2029 become ``\\n``; tab, vertical
tab and form feed become a space; other control characters (C0, DEL, C1) and lone
surrogates are dropped; each line is stripped of leading/trailing whitespace; runs of
blank lines collapse to one paragraph break and blank lines at either end are dropped.
Internal runs of spaces are kept.
"""

from __future__ import annotations

import ast
import errno
import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from search import export
from search.errors import ExportError
from search.export import (
    ExportItem,
    ExportOptions,
    default_filename,
    render_markdown,
    write_note,
)
from search.models import Fact, Passage, Source

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("TALKS_UPDATE_GOLDEN") == "1"
CREATED = datetime(2025, 6, 2, 15, 30, tzinfo=UTC)
MD = MarkdownIt("commonmark")

# --------------------------------------------------------------------------- fixture

SOURCES = {
    "kyiv": Source(
        id="kyiv",
        path="000_kyiv.txt",
        title="Umerov: Russia handed over its memorandum",
        date="2025-06-02",
        outlet="Kyiv Independent",
        url="https://kyivindependent.com/umerov-memorandum_(istanbul)",
        passages=12,
    ),
    "ap": Source(
        id="ap",
        path="001_ap.md",
        title="Russia and Ukraine agree to swap *all* severely wounded POWs",
        date=None,
        outlet="AP_News",
        url=None,
        passages=9,
    ),
    "blog": Source(
        id="blog",
        path="002 blog [draft].txt",
        title="# Talks <b>live</b>",
        date="2025-06-03",
        outlet=None,
        url="javascript:alert(1)",
        passages=4,
    ),
}

P_KYIV = Passage(
    id="kyiv-0003",
    source="kyiv",
    ordinal=3,
    text=(
        "Ukraine handed Russia a list of 339 children it says were deported. "
        "Umerov said: \"we expect *all* of them back\" (the 'all-for-all' formula)."
    ),
    start=120,
    end=270,
)
P_AP = Passage(
    id="ap-0002",
    source="ap",
    ordinal=2,
    text="# Breaking\n1. Russia offered a 2-3 day ceasefire\n\n- 6,000 bodies to be returned",
    start=40,
    end=130,
)
P_BLOG = Passage(
    id="blog-0001",
    source="blog",
    ordinal=1,
    text="    <script>alert('x')</script> & [click](http://evil.example) | a_b_c `code`",
    start=0,
    end=80,
)


def _span(passage: Passage, needle: str) -> tuple[int, int]:
    start = passage.text.index(needle)
    return (start, start + len(needle))


FACTS_KYIV = (
    Fact(
        kind="number",
        text="339 children",
        value=339,
        passage="kyiv-0003",
        source="kyiv",
        start=40,
        end=52,
        counts="child",
    ),
    Fact(
        kind="quote",
        text="we expect *all* of them back",
        value="we expect *all* of them back",
        passage="kyiv-0003",
        source="kyiv",
        start=83,
        end=111,
        speaker="Rustem Umerov",
    ),
)
FACTS_AP = (
    Fact(
        kind="number",
        text="2-3 day",
        value=2,
        passage="ap-0002",
        source="ap",
        start=30,
        end=37,
        counts="day",
        approximate=True,
        high=3,
    ),
    Fact(
        kind="number",
        text="6,000 bodies",
        value=6000.0,
        passage="ap-0002",
        source="ap",
        start=54,
        end=66,
        counts="body",
        approximate=False,
        qualifier=None,
    ),
)

ITEMS = (
    ExportItem(
        P_KYIV,
        highlights=(_span(P_KYIV, "339 children"), _span(P_KYIV, "*all*")),
        facts=FACTS_KYIV,
    ),
    ExportItem(P_AP, facts=FACTS_AP),
    ExportItem(P_BLOG),
)


def render(items=ITEMS, sources=SOURCES, **kw) -> str:
    kw.setdefault("corpus", "seeds")
    kw.setdefault("query", "children")
    kw.setdefault("created", CREATED)
    return render_markdown(items, sources, **kw)


# --------------------------------------------------------------------------- helpers


def is_punct(ch: str) -> bool:
    """Punctuation as CommonMark emphasis rules see it (ASCII, Unicode P and S)."""
    return (ch.isascii() and not ch.isalnum() and ch.isprintable() and ch != " ") or (
        unicodedata.category(ch)[0] in "PS"
    )


def reference(text: str, spans=()) -> tuple[str, list[bool]]:
    """The documented normalisation, with per-character highlight marks carried along."""
    marks = [False] * len(text)
    for s, e in spans:
        for i in range(max(s, 0), min(e, len(text))):
            marks[i] = True
    chars: list[tuple[str, bool]] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\r" and text[i + 1 : i + 2] == "\n":
            i += 1
            continue
        if c in "\r\x85\u2028\u2029":
            c = "\n"
        elif c in "\t\v\f":
            c = " "
        elif c != "\n" and unicodedata.category(c) in ("Cc", "Cs"):
            i += 1
            continue
        chars.append((c, marks[i] and c != "\n"))
        i += 1
    lines: list[list[tuple[str, bool]]] = [[]]
    for c, m in chars:
        if c == "\n":
            lines.append([])
        else:
            lines[-1].append((c, m))
    stripped = []
    for line in lines:
        while line and line[0][0].isspace():
            line = line[1:]
        while line and line[-1][0].isspace():
            line = line[:-1]
        stripped.append(line)
    paragraphs: list[list[list[tuple[str, bool]]]] = []
    current: list[list[tuple[str, bool]]] = []
    for line in stripped:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    out_text, out_marks = [], []
    for pi, para in enumerate(paragraphs):
        if pi:
            out_text.append("\n\n")
            out_marks += [False, False]
        for li, line in enumerate(para):
            if li:
                out_text.append("\n")
                out_marks.append(False)
            out_text.extend(c for c, _ in line)
            out_marks.extend(m for _, m in line)
    return "".join(out_text), out_marks


def blockquotes(tokens: list[Token]) -> list[list[Token]]:
    """Top-level blockquotes, each as the list of tokens inside it."""
    quotes: list[list[Token]] = []
    depth = 0
    for tok in tokens:
        if tok.type == "blockquote_open":
            depth += 1
            if depth == 1:
                quotes.append([])
                continue
        elif tok.type == "blockquote_close":
            depth -= 1
            if depth == 0:
                continue
        if depth:
            quotes[-1].append(tok)
    return quotes


ALLOWED_IN_QUOTE = {"paragraph_open", "paragraph_close", "inline"}
ALLOWED_INLINE = {"text", "softbreak", "strong_open", "strong_close"}


def quote_plain(inner: list[Token]) -> tuple[str, list[bool]]:
    """Plain text of a blockquote (escapes resolved) and which characters are bold."""
    paragraphs: list[tuple[str, list[bool]]] = []
    for tok in inner:
        assert tok.type in ALLOWED_IN_QUOTE, tok.type
        if tok.type != "inline":
            continue
        text: list[str] = []
        bold: list[bool] = []
        strong = False
        for child in tok.children or []:
            assert child.type in ALLOWED_INLINE, child.type
            if child.type == "strong_open":
                assert not strong
                strong = True
            elif child.type == "strong_close":
                strong = False
            elif child.type == "softbreak":
                text.append("\n")
                bold.append(strong)
            else:
                text.append(child.content)
                bold.extend([strong] * len(child.content))
        assert not strong
        paragraphs.append(("".join(text), bold))
    joined_text = "\n\n".join(t for t, _ in paragraphs)
    joined_bold: list[bool] = []
    for i, (_, b) in enumerate(paragraphs):
        if i:
            joined_bold += [False, False]
        joined_bold += b
    return joined_text, joined_bold


def check_structure(md: str, items, n_headings: int) -> list[tuple[str, list[bool]]]:
    tokens = MD.parse(md)
    types = [t.type for t in tokens]
    assert "html_block" not in types
    assert types.count("heading_open") == n_headings
    for tok in tokens:
        for child in tok.children or []:
            assert child.type != "html_inline"
            assert child.type != "image"
            if child.type == "link_open":
                assert child.attrs["href"].startswith(("http://", "https://"))
    quotes = blockquotes(tokens)
    assert len(quotes) == len(items)
    return [quote_plain(q) for q in quotes]


def grouped_order(items):
    """Items as a grouped note shows them: by source in order of first appearance."""
    first: dict[str, int] = {}
    for item in items:
        first.setdefault(item.passage.source, len(first))
    return sorted(items, key=lambda item: first[item.passage.source])  # stable


def assert_roundtrip(md: str, items, n_headings: int, *, grouped: bool = False) -> None:
    shown = grouped_order(items) if grouped else items
    for (got_text, got_bold), item in zip(
        check_structure(md, items, n_headings), shown, strict=True
    ):
        want_text, marks = reference(item.passage.text, item.highlights)
        assert got_text == want_text
        for ch, bold, mark in zip(got_text, got_bold, marks, strict=True):
            assert not bold or mark, f"{ch!r} bold but not highlighted"
            if mark and not ch.isspace() and not is_punct(ch):
                assert bold, f"highlighted {ch!r} not bold"


def strongs(md: str) -> list[str]:
    """Bold texts inside the passages' block quotes."""
    out, cur = [], None
    for tok in (t for quote in blockquotes(MD.parse(md)) for t in quote):
        for child in tok.children or []:
            if child.type == "strong_open":
                cur = []
            elif child.type == "strong_close":
                out.append("".join(cur))
                cur = None
            elif cur is not None:
                cur.append(child.content)
    return out


# --------------------------------------------------------------------------- golden

GOLDEN_CASES = {
    "plain": ExportOptions(),
    "facts": ExportOptions(include_facts=True),
    "grouped": ExportOptions(group_by_source=True),
    "grouped_facts": ExportOptions(include_facts=True, group_by_source=True),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden(name: str) -> None:
    md = render(options=GOLDEN_CASES[name])
    path = GOLDEN / f"export_{name}.md"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(md, encoding="utf-8")
    assert md == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_structure(name: str) -> None:
    options = GOLDEN_CASES[name]
    md = render(options=options)
    n_headings = 2 + (3 if options.group_by_source else 0)
    assert_roundtrip(md, ITEMS, n_headings)
    assert strongs(md)[:2] == ["339 children", "*all*"]


# --------------------------------------------------------------------------- note layout


def test_title_meta_and_sources_list() -> None:
    md = render()
    lines = md.splitlines()
    assert lines[0] == "# children"
    assert "2025-06-02T15:30:00+00:00" in lines[2]
    assert "seeds" in lines[2]
    assert md.count("## Sources") == 1
    sources_part = md.split("## Sources", 1)[1]
    assert sources_part.count("\n- ") == 3
    # each source appears once, in order of first appearance
    assert sources_part.index("Kyiv Independent") < sources_part.index("AP\\_News")
    assert sources_part.index("AP\\_News") < sources_part.index("002 blog")


def test_default_title_and_explicit_title() -> None:
    assert render(query=None).startswith("# talks-tui note\n")
    assert render(title="My *note*").startswith("# My \\*note\\*\n")


def test_attribution_has_label_title_date_link_and_id() -> None:
    md = render()
    tokens = MD.parse(md)
    links = [
        (c.attrs["href"], tok.content)
        for tok in tokens
        for c in tok.children or []
        if c.type == "link_open"
    ]
    hrefs = [h for h, _ in links]
    assert "https://kyivindependent.com/umerov-memorandum_%28istanbul%29" in hrefs
    assert not any("javascript" in h for h in hrefs)
    html = MD.render(md)
    assert "kyiv-0003" in html and "ap-0002" in html and "blog-0001" in html
    assert "javascript:alert(1)" in html  # shown as text, not a link
    assert "&lt;b&gt;live&lt;/b&gt;" in html  # hostile title escaped


def test_grouping_orders_by_first_appearance() -> None:
    extra = Passage(id="kyiv-0007", source="kyiv", ordinal=7, text="Second kyiv.", start=0, end=12)
    items = (ExportItem(P_AP), ExportItem(P_KYIV), ExportItem(P_BLOG), ExportItem(extra))
    md = render(items, options=ExportOptions(group_by_source=True))
    tokens = MD.parse(md)
    headings = [
        "".join(c.content for c in tokens[i + 1].children)
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    assert headings == [
        "children",
        "AP_News",
        "Kyiv Independent",
        "002 blog [draft].txt",
        "Sources",
    ]
    plain = [t for t, _ in check_structure(md, items, 5)]
    assert plain[1].startswith("Ukraine handed") and plain[2] == "Second kyiv."
    ungrouped = [t for t, _ in check_structure(render(items), items, 2)]
    assert ungrouped[3] == "Second kyiv."


def test_unknown_source_and_empty_selection() -> None:
    orphan = Passage(id="x-1", source="missing", ordinal=1, text="Orphan.", start=0, end=7)
    md = render((ExportItem(orphan),), {})
    assert_roundtrip(md, (ExportItem(orphan),), 2)
    assert "missing" in md
    empty = render(())
    assert MD.parse(empty)[0].type == "heading_open"
    assert "No passages" in empty


def test_facts_list_is_compact_and_escaped() -> None:
    md = render(options=ExportOptions(include_facts=True))
    html = MD.render(md)
    assert "<li>number: 339 children → 339 · counts: child</li>" in html
    assert "speaker: Rustem Umerov" in html
    assert "2–3" in html and "approximate" in html
    assert "6000" in html and "6000.0" not in html
    assert "<em>" not in html.split("<h2>Sources</h2>")[0].split("<ul>", 1)[1].split("</ul>")[0]


# --------------------------------------------------------------------------- escaping

HOSTILE_LINES = [
    "# heading",
    "## heading ##",
    "> quote",
    "- item",
    "+ item",
    "* item",
    "1. item",
    "1) item",
    "=====",
    "---",
    "***",
    "___",
    "- - -",
    "foo *bar* _baz_ **qux** __q__",
    "a | b | c",
    "|---|---|",
    "`code` ``more``",
    "```python",
    "~~~",
    "[x](y) ![img](http://a/b.png) [ref]: http://x",
    "<div>html</div>",
    "<http://autolink.example>",
    "&amp; &copy; &#65;",
    "back\\slash\\",
    "trailing two spaces  ",
    "        indented code",
    "\tTabbed",
    "NUL\x00here\x1b[31mred\x07",
    "line one\nline two\r\nline three\r\n\n\nnew para",
    "$math$ ==mark== {attr} ^sup^ ~~strike~~",
    "bare https://e.example/a_b?x=1&y=2 and www.e.example/c_d",
    "   ",
    "",
]


@pytest.mark.parametrize("text", HOSTILE_LINES)
def test_hostile_passage_text_round_trips(text: str) -> None:
    passage = Passage(id="h-1", source="kyiv", ordinal=1, text=text, start=0, end=len(text))
    items = (ExportItem(passage, highlights=((0, len(text)),)),)
    md = render(items)
    assert_roundtrip(md, items, 2)
    assert "\x00" not in md and "\x1b" not in md and "\x07" not in md


def test_all_hostile_lines_in_one_passage() -> None:
    text = "\n".join(HOSTILE_LINES)
    passage = Passage(id="h-2", source="ap", ordinal=1, text=text, start=0, end=len(text))
    items = (ExportItem(passage),)
    assert_roundtrip(render(items), items, 2)


def test_bare_urls_are_not_gfm_autolinks() -> None:
    # GitHub autolinks bare URLs from the raw source, escapes included (a_b -> a%5C_b);
    # breaking the triggers keeps them correct plain text.
    text = "see https://e.example/a_b and WWW.e.example"
    passage = Passage(id="u", source="ap", ordinal=1, text=text, start=0, end=len(text))
    md = render((ExportItem(passage),))
    assert "> see https\\://e.example/a\\_b and WWW\\.e.example\n" in md


def test_multiline_passage_stays_in_one_quote() -> None:
    passage = Passage(id="m", source="ap", ordinal=1, text="a\n\nb\nc", start=0, end=6)
    md = render((ExportItem(passage),))
    assert "> a\n>\n> b\n> c\n" in md


@pytest.mark.parametrize(
    ("text", "needle", "want"),
    [
        ("they found (339) bodies", "(339)", "(339)"),
        ("they found (339) bodies", "339", "339"),
        ("a*foo* b", "*foo*", "foo*"),  # '*' glued to a letter outside: trimmed
        ('say "yes", now', '"yes",', '"yes",'),
        ("«Мир»", "«Мир»", "«Мир»"),
        ("x_y_z", "_y_", "y"),
        ("end.", "end.", "end."),
        ("  padded  ", "  padded  ", "padded"),
        ("C:\\path\\", "\\path\\", "\\path\\"),
    ],
)
def test_highlight_touching_punctuation_renders_strong(text: str, needle: str, want: str) -> None:
    passage = Passage(id="p", source="ap", ordinal=1, text=text, start=0, end=len(text))
    item = ExportItem(passage, highlights=(_span(passage, needle),))
    md = render((item,))
    assert strongs(md) == [want]
    assert_roundtrip(md, (item,), 2)


def test_overlapping_adjacent_and_out_of_range_highlights() -> None:
    text = "foobar baz qux"
    passage = Passage(id="p", source="ap", ordinal=1, text=text, start=0, end=len(text))
    item = ExportItem(passage, highlights=((3, 6), (0, 3), (1, 2), (7, 10), (12, 99), (-5, -1)))
    md = render((item,))
    assert strongs(md) == ["foobar", "baz", "ux"]


def test_highlight_across_lines_is_split_per_line() -> None:
    text = "alpha beta\ngamma delta"
    passage = Passage(id="p", source="ap", ordinal=1, text=text, start=0, end=len(text))
    item = ExportItem(passage, highlights=((6, 16),))
    assert strongs(render((item,))) == ["beta", "gamma"]


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://a.example/x_(y)", "https://a.example/x_%28y%29"),
        ("http://a.example/a b<c>d", "http://a.example/a%20b%3Cc%3Ed"),
        ("https://a.example/?q=1&copy;=2", "https://a.example/?q=1&copy;=2"),
        ("HTTPS://A.example/\\x", "HTTPS://A.example/%5Cx"),
        ("https://a.example/%41", "https://a.example/%41"),
        ("https://a.example/ü", "https://a.example/%C3%BC"),
    ],
)
def test_http_urls_become_safe_links(url: str, href: str) -> None:
    sources = {"s": Source(id="s", path="s.txt", title="T", url=url)}
    passage = Passage(id="s-1", source="s", ordinal=1, text="t", start=0, end=1)
    md = render((ExportItem(passage),), sources)
    hrefs = [
        c.attrs["href"] for t in MD.parse(md) for c in t.children or [] if c.type == "link_open"
    ]
    assert hrefs and set(hrefs) == {href}


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "file:///etc/passwd",
        "/relative",
        "https://",
    ],
)
def test_other_urls_are_text(url: str) -> None:
    sources = {"s": Source(id="s", path="s.txt", title="T", url=url)}
    passage = Passage(id="s-1", source="s", ordinal=1, text="t", start=0, end=1)
    md = render((ExportItem(passage),), sources)
    tokens = MD.parse(md)
    assert not [c for t in tokens for c in t.children or [] if c.type == "link_open"]
    assert url in "".join(c.content for t in tokens for c in t.children or [])


# --------------------------------------------------------------------------- properties

HOSTILE_CHARS = list("#>-+=*_|`~[]()!<>&;\\:.0123456789 \t\n\r\x00\x1b\x7f\x85\u2028\xa0“”«»—€")
HOSTILE_CHARS += ["\ud800", "&amp;", "[x](y)", "<b>", "1.", "1)", "\n\n", "    ", "```", "---"]
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_CHARS), st.characters(), st.sampled_from(["ab", "Zé"])),
    max_size=40,
).map("".join)


@st.composite
def items_strategy(draw) -> tuple[ExportItem, ...]:
    n = draw(st.integers(1, 3))
    out = []
    for i in range(n):
        text = draw(hostile_text)
        spans = draw(
            st.lists(
                st.tuples(st.integers(0, max(len(text), 1)), st.integers(0, max(len(text), 1))),
                max_size=4,
            )
        )
        spans = tuple((min(a, b), max(a, b)) for a, b in spans)
        passage = Passage(
            id=f"p{i}",
            source=draw(st.sampled_from(["s1", "s2"])),
            ordinal=i,
            text=text,
            start=0,
            end=len(text),
        )
        out.append(ExportItem(passage, highlights=spans))
    return tuple(out)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=items_strategy(), group=st.booleans())
def test_property_passages_round_trip(items: tuple[ExportItem, ...], group: bool) -> None:
    sources = {
        "s1": Source(id="s1", path="a.txt", title="A", outlet="Outlet A"),
        "s2": Source(id="s2", path="b.txt", title="B", url="https://b.example/"),
    }
    md = render(items, sources, options=ExportOptions(group_by_source=group))
    n_sources = len({it.passage.source for it in items})
    assert_roundtrip(md, items, 2 + (n_sources if group else 0), grouped=group)


@settings(max_examples=70, deadline=None)
@given(
    title=hostile_text,
    outlet=hostile_text,
    path=hostile_text,
    url=st.one_of(st.none(), hostile_text, hostile_text.map(lambda s: "https://x.example/" + s)),
    query=st.one_of(st.none(), hostile_text),
    corpus=hostile_text,
    pid=hostile_text,
    fact_text=hostile_text,
    group=st.booleans(),
)
def test_property_hostile_metadata_keeps_structure(
    title, outlet, path, url, query, corpus, pid, fact_text, group
) -> None:
    sources = {"s": Source(id="s", path=path, title=title, outlet=outlet or None, url=url)}
    passage = Passage(id=pid, source="s", ordinal=1, text="Body text.", start=0, end=10)
    fact = Fact(
        kind=fact_text,
        text=fact_text,
        value=fact_text,
        passage=pid,
        source="s",
        start=0,
        end=1,
        counts=fact_text,
        speaker=fact_text,
    )
    items = (ExportItem(passage, facts=(fact,)),)
    md = render(
        items,
        sources,
        query=query,
        corpus=corpus,
        options=ExportOptions(include_facts=True, group_by_source=group),
    )
    plain = check_structure(md, items, 3 if group else 2)
    assert plain[0][0] == "Body text."
    tokens = MD.parse(md)
    # one bullet list for the facts, one for the sources; nothing nested
    assert [t.type for t in tokens].count("bullet_list_open") == 2
    assert all(t.level <= 3 for t in tokens)
    assert "ordered_list_open" not in [t.type for t in tokens]
    assert "\x00" not in md and "\x1b" not in md


# --------------------------------------------------------------------------- filename


@pytest.mark.parametrize(
    ("query", "want"),
    [
        ("bodies", "talks-2025-06-02-1530-bodies.md"),
        (None, "talks-2025-06-02-1530.md"),
        ("", "talks-2025-06-02-1530.md"),
        ("  Prisoner  SWAP!! ", "talks-2025-06-02-1530-prisoner-swap.md"),
        ("../../etc/passwd; rm -rf *", "talks-2025-06-02-1530-etc-passwd-rm-rf.md"),
        ("Zelenskyy’s café", "talks-2025-06-02-1530-zelenskyy-s-cafe.md"),
        ("Мединский", "talks-2025-06-02-1530.md"),
        ("\x00\x1b[31m", "talks-2025-06-02-1530-31m.md"),
    ],
)
def test_default_filename(query: str | None, want: str) -> None:
    assert default_filename(query, CREATED) == want


def test_default_filename_is_short() -> None:
    name = default_filename("word " * 50, CREATED)
    assert len(name) <= 60
    assert not name.removesuffix(".md").endswith("-")


# --------------------------------------------------------------------------- write_note


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_note_writes_atomically(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    assert write_note(target, "# hi\n") == target
    assert target.read_text(encoding="utf-8") == "# hi\n"
    assert listing(tmp_path) == ["note.md"]


def test_write_note_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(ExportError, match="note.md") as err:
        write_note(target, "new")
    assert "exists" in str(err.value)
    assert target.read_text(encoding="utf-8") == "old"
    assert listing(tmp_path) == ["note.md"]


def test_write_note_refuses_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "note.md"
    link.symlink_to(tmp_path / "nowhere.md")
    with pytest.raises(ExportError, match="exists"):
        write_note(link, "new")
    assert listing(tmp_path) == ["note.md"]


def test_write_note_force_overwrites_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_note(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert listing(tmp_path) == ["note.md"]


def test_write_note_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "note.md"
    with pytest.raises(ExportError, match="does not exist") as err:
        write_note(target, "x")
    assert str(target) in str(err.value)
    assert listing(tmp_path) == []


def test_write_note_target_is_folder(tmp_path: Path) -> None:
    (tmp_path / "dir.md").mkdir()
    with pytest.raises(ExportError, match="folder"):
        write_note(tmp_path / "dir.md", "x", force=True)
    assert listing(tmp_path) == ["dir.md"]


def _fail(exc: OSError):
    def raiser(*args, **kwargs):
        raise exc

    return raiser


@pytest.mark.parametrize("force", [False, True])
def test_write_note_unwritable_folder(tmp_path: Path, monkeypatch, force: bool) -> None:
    # We run as root, so chmod cannot make a folder read-only: simulate the kernel's answer.
    monkeypatch.setattr(export, "_open_temp", _fail(PermissionError(errno.EACCES, "denied")))
    with pytest.raises(ExportError, match="not writable") as err:
        write_note(tmp_path / "note.md", "x", force=force)
    assert str(tmp_path / "note.md") in str(err.value)
    assert listing(tmp_path) == []


def test_write_note_replace_denied_keeps_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "note.md"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(os, "replace", _fail(PermissionError(errno.EPERM, "denied")))
    with pytest.raises(ExportError, match="not writable"):
        write_note(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert listing(tmp_path) == ["note.md"]


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_write_note_disk_full(tmp_path: Path, monkeypatch, where: str) -> None:
    monkeypatch.setattr(os, where, _fail(OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(ExportError, match="disk is full") as err:
        write_note(tmp_path / "note.md", "x" * 10_000)
    assert str(tmp_path / "note.md") in str(err.value)
    assert listing(tmp_path) == []


def test_write_note_other_os_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(os, "fsync", _fail(OSError(errno.EIO, "Input/output error")))
    with pytest.raises(ExportError, match="Input/output error"):
        write_note(tmp_path / "note.md", "x")
    assert listing(tmp_path) == []


def test_write_note_survives_unencodable_text(tmp_path: Path) -> None:
    target = write_note(tmp_path / "n.md", "a\ud800b")
    assert target.read_text(encoding="utf-8") == "a?b"


# --------------------------------------------------------------------------- hygiene


def test_export_module_imports_no_ui() -> None:
    tree = ast.parse(Path(export.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    assert not names & {"textual", "rich"}

"""The claim map in the exported note: a Markdown table of claim × source whose cells
hold each source's value, untrusted text escaped so no cell breaks the table."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from search.workspace import Workspace


def table_cells(markdown: str) -> list[list[str]]:
    """The rows of the (only) table as CommonMark with the GFM table rule parses them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows: list[list[str]] = []
    for n, tok in enumerate(tokens):
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type in ("th_open", "td_open"):
            inline = tokens[n + 1]
            rows[-1].append(inline.content if inline.type == "inline" else "")
    assert sum(t.type == "table_open" for t in tokens) == 1
    return rows


def test_the_table_has_a_row_per_claim_and_a_column_per_source(make_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make_corpus(
        {
            "a.txt": "Fire\n\nThe fire killed 12 workers and injured 37 others.\n",
            "b.txt": "Blaze\n\nThe blaze killed 15 people. Police said 37 people were injured.\n",
            "c.txt": "Smoke\n\nAt least 14 people died in the fire.\n",
            "d.txt": "Toll\n\nThe death toll rose to 15.\n",
        }
    )
    ws = Workspace.open(folder, tmp_path / "ix")
    ws.prepare()
    note = ws.claim_table(list(ws.passages))
    rows = table_cells(note)
    head, body = rows[0], rows[1:]
    assert head[0] == "Claim" and len(head) == 5  # the four sources
    killed = next(r for r in body if r[0] == "people killed")
    assert killed[1:] == ["≠ 12", "✓ 15", "≈ At least 14", "✓ 15"]  # 15: most sources
    injured = next(r for r in body if r[0] == "people injured")
    assert injured[1:3] == ["✓ 37", "✓ 37"] and injured[3:] == ["", ""]  # not reported
    assert all(len(r) == len(head) for r in body)
    assert ws.claim_table([]) == ""


def test_pipes_and_markup_in_cells_are_escaped(make_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    quote = '"We | will **never** [forget](http://x.test) <b>this</b> day," Mayor Ana Pell said.'
    folder = make_corpus(
        {
            "a | b.txt": f"Fire | *one*\n\nThe fire killed 12 people.\n\n{quote}\n",
            "c.txt": f"Fire\n\nThe fire killed 15 people.\n\n{quote}\n",
        }
    )
    ws = Workspace.open(folder, tmp_path / "ix")
    ws.prepare()
    note = ws.claim_table(list(ws.passages))
    rows = table_cells(note)
    assert all(len(r) == len(rows[0]) for r in rows)  # no pipe split a cell
    html = MarkdownIt("commonmark").enable("table").render(note)
    assert "<strong>" not in html and "<a " not in html and "<b>" not in html and "<em>" not in html
    assert "<th>Fire | *one*</th>" in html  # the title, as written
    assert "| will **never** forget &lt;b&gt;this&lt;/b&gt;…”</td>" in html  # literal text

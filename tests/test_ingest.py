"""Ingestion of messy saved pages: each trap from the product notes, on hand-made text."""

from __future__ import annotations

from search.ingest import first_sentence, outlet_for_url, parse_article
from search.textsafe import neutralize


def texts(raw: str) -> list[str]:
    return [p[0] for p in parse_article(raw).passages]


def test_date_prefix_glued_to_title() -> None:
    art = parse_article(" date 2025-06-02 Talks End Without Deal\n\nThe talks ended today.\n")
    assert art.date == "2025-06-02"
    assert art.title == "Talks End Without Deal"
    assert texts(" date 2025-06-02 Talks End Without Deal\n\nThe talks ended today.") == [
        "The talks ended today."
    ]


def test_date_prefix_glued_to_a_title_beats_a_later_heading() -> None:
    """The glued title was lost to a "# Heading" below it (and became a passage label)."""
    art = parse_article(" date 2025-06-03 Evil markup title\n\n# Heading one\n\nBody para.\n")
    assert art.title == "Evil markup title" and art.date == "2025-06-03"
    assert art.passages[0][0] == "Body para." and art.passages[0][3] == "Heading one"


def test_date_prefix_glued_to_first_sentence_keeps_the_sentence() -> None:
    raw = (
        " date 2025-06-02 russia has sent a memorandum to Kyiv, officials said on Monday.\n\nMore."
    )
    art = parse_article(raw)
    assert art.date == "2025-06-02"
    assert art.passages[0][0].startswith("russia has sent a memorandum")
    assert not any(p[0].startswith("date") or "2025-06-02" in p[0] for p in art.passages)


def test_invalid_date_prefix_is_not_a_date() -> None:
    art = parse_article(" date 2025-13-45 Something happened here today in the city.\n")
    assert art.date is None


def test_no_date_stays_none() -> None:
    art = parse_article("A Headline Here\nFirst paragraph of the story that is long enough.\n")
    assert art.date is None


def test_markdown_heading_is_title_and_not_a_passage() -> None:
    art = parse_article("# Big Headline\n\nJune 02, 2025\n\nBody text here.\n")
    assert art.title == "Big Headline"
    assert art.date == "2025-06-02"
    assert texts("# Big Headline\n\nJune 02, 2025\n\nBody text here.\n") == ["Body text here."]


def test_links_keep_text_and_lose_syntax() -> None:
    out = texts("He was [quoted](https://x.example/a) as saying [more](#) things.\n")
    assert out == ["He was quoted as saying more things."]
    assert "](" not in out[0]


def test_bold_caption_credit_is_cut_and_emphasis_removed() -> None:
    raw = "Delegates meet in Istanbul. **Alexander Ryumin / TASS**\n\nThe **talks** went on.\n"
    assert texts(raw) == ["Delegates meet in Istanbul.", "The talks went on."]


def test_photo_caption_and_furniture_dropped() -> None:
    raw = "Rustem Umerov. Photo: Reuters\n\nAdvertisement\n\nReal text of the story.\n"
    assert texts(raw) == ["Real text of the story."]


def test_original_url_footer_becomes_url() -> None:
    raw = "Story text.\n\nOriginal url:\n\n<https://www.themoscowtimes.com/2025/06/02/a>\n"
    art = parse_article(raw)
    assert art.url == "https://www.themoscowtimes.com/2025/06/02/a"
    assert art.outlet == "The Moscow Times"
    assert [p[0] for p in art.passages] == ["Story text."]


def test_url_on_same_line_and_unknown_host() -> None:
    art = parse_article("Story text.\n\nOriginal url: https://news.example.org/x\n")
    assert art.url == "https://news.example.org/x"
    assert art.outlet == "news.example.org"


def test_no_url_means_no_outlet() -> None:
    art = parse_article("Story text from Reuters.\n")
    assert art.url is None and art.outlet is None


def test_sentence_broken_over_two_paragraphs_is_rejoined() -> None:
    raw = "He said the delegations agreed to a new\n\nprisoner swap, as well as more.\n"
    assert texts(raw) == ["He said the delegations agreed to a new prisoner swap, as well as more."]


def test_list_items_and_block_quotes_are_not_run_together() -> None:
    """Items without closing punctuation looked like a sentence broken over paragraphs
    and were joined into one: "already a quote list item 1 list item 2 numbered"."""
    raw = (
        "Title\n\nThe demands include:\n\n- withdrawal of troops\n- Neutrality for Ukraine\n\n"
        "> already a quote\n\n1. numbered\n2. second one\n\nClosing paragraph.\n"
    )
    assert texts(raw) == [
        "The demands include:",
        "withdrawal of troops",
        "Neutrality for Ukraine",  # short and capitalised, yet not a heading
        "already a quote",
        "numbered",
        "second one",
        "Closing paragraph.",
    ]


def test_colon_lead_in_joins_a_block_quote() -> None:
    raw = 'Speaking about it, Medinsky said:\n\n> "There is nothing."\n'
    assert texts(raw) == ['Speaking about it, Medinsky said: "There is nothing."']


def test_colon_lead_in_joins_the_quote() -> None:
    raw = 'Speaking about it, Medinsky said:\n\n"There is nothing."\n'
    assert texts(raw) == ['Speaking about it, Medinsky said: "There is nothing."']


def test_single_line_breaks_separate_paragraphs_in_saved_pages() -> None:
    long1 = (
        "Russia proposed a ceasefire in certain areas of the front, according to the head of "
        "the delegation in Istanbul, who spoke on Monday."
    )
    long2 = (
        "The second round of direct negotiations has concluded in Istanbul after an hour of "
        "talks between the two delegations."
    )
    raw = f"Russia proposes ceasefire amid talks\n{long1}\n{long2}\n"
    art = parse_article(raw)
    assert art.title == "Russia proposes ceasefire amid talks"
    assert [p[0] for p in art.passages] == [long1, long2]


def test_hard_wrapped_paragraph_is_joined() -> None:
    raw = (
        "The talks lasted slightly more than an hour and touched on each\n"
        "country's respective ideas for what a full ceasefire and a longer\n"
        "path to peace should look like.\n"
    )
    assert len(texts(raw)) == 1


def test_headings_are_not_passages_but_label_them() -> None:
    raw = "Intro paragraph of the story.\n\nErdogan: The Meeting Was Magnificent\n\nHe spoke.\n"
    art = parse_article(raw)
    assert [p[0] for p in art.passages] == ["Intro paragraph of the story.", "He spoke."]
    assert art.passages[1][3] == "Erdogan: The Meeting Was Magnificent"


def test_offsets_index_the_cleaned_text() -> None:
    art = parse_article("# T\n\nOne **two** three.\n\nFour [five](x) six.\n")
    for text, start, end, _ in art.passages:
        assert art.text[start:end] == text


def test_escape_sequences_and_invisibles_neutralised() -> None:
    raw = "Bad \x1b[31mred\x1b[0m \x1b]52;c;SGVsbG8=\x07text\u202e here\u200b.\n"
    assert texts(raw) == ["Bad red text here."]


def test_markup_like_text_kept_literally() -> None:
    assert texts("A [bold]tag[/] and [/b] stay.\n") == ["A [bold]tag[/] and [/b] stay."]


def test_neutralize_keeps_newlines_and_tabs() -> None:
    assert neutralize("a\tb\r\nc\x00d\x07") == "a\tb\ncd"


def test_first_sentence_is_cut_at_a_word() -> None:
    assert first_sentence("Short one. Second.") == "Short one."
    long = "word " * 40
    cut = first_sentence(long, limit=30)
    assert len(cut) <= 30 and cut.endswith("…")


def test_outlet_for_subdomain() -> None:
    assert outlet_for_url("https://edition.cnn.com/x") == "CNN"

# ruff: noqa: E501  (test passages are long literal sentences)
"""Fact extraction: numbers, dates, names, quotes, and the corpus-wide name pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search.facts import canonicalize, extract_article_facts, extract_facts
from search.models import Fact, Passage

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DATE = "2025-06-02"  # a Monday


def P(text: str, pid: str = "s:1", source: str = "s") -> Passage:
    return Passage(id=pid, source=source, ordinal=1, text=text, start=0, end=len(text))


def facts(text: str, kind: str | None = None, date: str | None = DATE, **kw) -> list[Fact]:
    out = extract_facts(P(text), date, **kw)
    for f in out:  # the offset contract holds for every fact
        assert text[f.start : f.end] == f.text, f
    return [f for f in out if kind is None or f.kind == kind]


def numbers(text: str, **kw) -> list[tuple]:
    return [
        (f.value, f.counts, f.approximate, f.qualifier, f.high) for f in facts(text, "number", **kw)
    ]


def values(text: str, kind: str, **kw) -> list:
    return [f.value for f in facts(text, kind, **kw)]


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russia will transfer 6,000 bodies of Ukrainian soldiers.",
            (6000, "body", False, None, None),
        ),
        ("Ukraine's list contains 339 names.", (339, "name", False, None, None)),
        (
            "a list with the names of 339 children supplied by Ukraine",
            (339, "child", False, None, None),
        ),
        ("They agreed to exchange 1,000 prisoners each.", (1000, "prisoner", False, None, None)),
        (
            "around 50,000 Russian troops have massed near Sumy",
            (50000, "troop", True, "around", None),
        ),
        (
            "Russians abducted more than 700,000 children from Ukraine.",
            (700000, "child", True, "more than", None),
        ),
        ("striking over 40 Russian strategic aircraft.", (40, "aircraft", True, "over", None)),
        ("the list of over 500 children was handed over", (500, "child", True, "over", None)),
        ("Moscow will return 6,000 frozen bodies of soldiers", (6000, "body", False, None, None)),
        ("two detailed parts", (2, "part", False, None, None)),
        ("1.5 million people fled", (1500000, "person", False, None, None)),
        ("turnout was 45% in the city", (45, "percent", False, None, None)),
    ],
)
def test_number_with_counted_noun(text, expected):
    assert numbers(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia proposed a 2–3 day ceasefire to Ukraine.", (2, "day", True, None, 3)),
        ("a temporary ceasefire of two to three days in specific areas", (2, "day", True, None, 3)),
        ("a ceasefire that would last between two and three days", (2, "day", True, None, 3)),
        ("young soldiers aged 18 to 25 years — also on parity", (18, "year", True, None, 25)),
    ],
)
def test_ranges(text, expected):
    assert numbers(text) == [expected]


@pytest.mark.parametrize(
    ("text", "value", "counts", "qualifier"),
    [
        ("individuals under the age of 25.", 25, "year", "under"),
        ("young soldiers under 25 years old.", 25, "year", "under"),
        (
            "all prisoners of war under the age of 25 or those in serious condition",
            25,
            "year",
            "under",
        ),
    ],
)
def test_age_limits(text, value, counts, qualifier):
    [(v, c, approx, q, _)] = numbers(text)
    assert (v, c, q, approx) == (value, counts, qualifier, True)


def test_vague_amounts():
    [several] = facts("The Ukrainian side handed Russia a list of several hundred names.", "number")
    assert (several.value, several.high, several.counts, several.approximate) == (
        200,
        900,
        "name",
        True,
    )
    assert several.text == "several hundred"
    [dozens] = facts("Kyiv claimed that it destroyed dozens of strategic bombers.", "number")
    assert (dozens.counts, dozens.approximate, dozens.text) == ("bomber", True, "dozens")
    assert dozens.value < dozens.high
    [tens] = facts("russia had kidnapped tens of thousands of Ukrainian children.", "number")
    assert (tens.value, tens.high, tens.counts, tens.approximate) == (20000, 99000, "child", True)


def test_count_resolved_from_context():
    text = "the list of over 500 children, including about 50 who were taken from the orphanage"
    assert numbers(text) == [(500, "child", True, "over", None), (50, "child", True, "about", None)]
    text = "to exchange the bodies of fallen soldiers at a ratio of 6,000 on each side."
    assert numbers(text) == [(6000, "body", False, None, None)]


def test_talk_duration_an_hour():
    assert numbers("The talks lasted for an hour.") == [(1, "hour", False, None, None)]
    assert numbers("The meeting lasted just over an hour.") == [
        (1, "hour", True, "just over", None)
    ]
    assert numbers("The talks lasted slightly more than an hour.") == [
        (1, "hour", True, "slightly more than", None)
    ]
    assert numbers("They met a day after the attack.") == []  # not a duration


def test_numbers_in_dates_urls_times_and_ids_are_not_numbers():
    text = (
        "The russians offered to return 10 children by July 10. See "
        "https://example.com/2025/06/02/story-a89296 and file report_2024.txt at 10:30 on the 2nd "
        "day of the 3rd round, COVID-19 and in 2022."
    )
    assert numbers(text) == [(10, "child", False, None, None)]


def test_spelled_one_as_pronoun_is_not_a_number():
    assert numbers("One of the key topics was prisoners. Russia will work through each one.") == []
    assert numbers("a two-part memorandum and a third round") == []


# --- dates ---------------------------------------------------------------------------------


def test_absolute_dates():
    got = facts(
        "On Monday, June 2, talks were held. They last met on May 16, and will meet by July 10.",
        "date",
    )
    assert [(f.text, f.value) for f in got] == [
        ("Monday", "2025-06-02"),
        ("June 2", "2025-06-02"),
        ("May 16", "2025-05-16"),
        ("July 10", "2025-07-10"),
    ]
    assert values("In March 2025, Kyiv stated this.", "date") == ["2025-03"]
    assert values("June 02, 2025", "date", date=None) == ["2025-06-02"]
    assert values("the fall of 2022", "date", date=None) == ["2022"]
    assert values("date 2025-06-02 Title", "date", date=None) == ["2025-06-02"]


def test_relative_dates_resolve_against_article_date():
    assert values("handed over today.", "date") == ["2025-06-02"]
    assert values("handed over to Kyiv next week.", "date") == ["2025-W24"]
    assert values("since he took office in January.", "date") == ["2025-01"]
    assert values("the next meeting before the end of June.", "date") == ["2025-06"]
    # a weekday is the latest such day on/before the article date in past context ...
    assert values("Talks were held on Friday.", "date", date="2025-06-04") == ["2025-05-30"]
    assert values("Talks were held on Monday.", "date") == ["2025-06-02"]
    # ... and the next one on/after it when the sentence looks forward
    assert values("Talks will resume on Friday.", "date", date="2025-06-04") == ["2025-06-06"]


def test_relative_dates_without_article_date_stay_unresolved():
    got = facts(
        "On Monday the document was handed over today, next week or in January.", "date", date=None
    )
    assert [f.text for f in got] == ["Monday", "today", "next week", "January"]
    assert all(f.value is None for f in got)


def test_date_range_is_one_fact_with_start_value():
    [d] = facts("such a summit take place between June 20 and 30.", "date")
    assert (d.text, d.value, d.high) == ("between June 20 and 30", "2025-06-20", None)
    assert numbers("such a summit take place between June 20 and 30.") == []


def test_may_the_verb_is_not_a_date():
    assert values("this is what may force it to negotiate", "date") == []
    assert values("After the May talks, both sides agreed.", "date") == ["2025-05"]


# --- people, places, organisations -----------------------------------------------------------


def test_people_from_titles_and_heuristics():
    text = (
        "Ukrainian Defense Minister Rustem Umerov announced this. SBU Head Vasyl Maliuk revealed details. "
        "Trump's Ukraine envoy Keith Kellogg had said so. Medinsky said the talks went well, "
        "said Dmytro Lubinets, the Ombudsman. Chancellor Hanna Kowalczyk agreed."
    )
    people = values(text, "person")
    for name in [
        "Rustem Umerov",
        "Vasyl Maliuk",
        "Donald Trump",
        "Keith Kellogg",
        "Medinsky",
        "Dmytro Lubinets",
        "Hanna Kowalczyk",
    ]:
        assert name in people
    assert not {"Details", "Head", "Ukrainian", "Defense Minister Rustem Umerov"} & set(people)


def test_unknown_names_found_by_heuristics():
    text = "Foreign Minister Jarosław Wiśniewski met Mayor Tomasz Brzęczek in Gdynia, according to Notes."
    assert values(text, "person") == ["Jarosław Wiśniewski", "Tomasz Brzęczek"]
    assert "Gdynia" in values(text, "place")


def test_places_and_orgs():
    text = (
        "Advertisement\n\nThe talks in Istanbul, Turkey were reported by TASS, Reuters and UNN, citing "
        "the Security Service of Ukraine (SBU), according to the Interfax-Ukraine agency and the White House. "
        "The kremlin's position on Kherson, Zaporizhzhia and Oleshky/Aleshki, the Kharkiv and Sumy regions "
        "was discussed on Monday. Verstka said citing sources."
    )
    places = values(text, "place")
    orgs = values(text, "org")
    for p in ["Istanbul", "Turkey", "Kherson", "Zaporizhzhia", "Oleshky", "Kharkiv", "Sumy"]:
        assert p in places
    for o in [
        "TASS",
        "Reuters",
        "UNN",
        "Security Service of Ukraine",
        "Interfax-Ukraine",
        "White House",
        "Kremlin",
        "Verstka",
    ]:
        assert o in orgs, o
    names = set(values(text, "person")) | set(places) | set(orgs)
    assert not {"Advertisement", "Monday", "Details", "The", "Ukraine"} & names - set(places)
    assert (
        "Ukraine" not in places
    )  # nested inside 'Security Service of Ukraine' / 'Interfax-Ukraine'


def test_lowercase_gazetteer_names_keep_offsets():
    [f] = facts("russia continues to reject the demand.", "place")
    assert (f.text, f.value) == ("russia", "Russia")


# --- quotes ---------------------------------------------------------------------------------


def quotes(text: str, **kw) -> list[tuple]:
    return [(f.value, f.speaker) for f in facts(text, "quote", **kw)]


def test_quote_after_said_name_and_before_colon():
    assert quotes('"The outcomes will be announced officially," said Vladimir Medinsky.') == [
        ("The outcomes will be announced officially", "Vladimir Medinsky")
    ]
    assert quotes("Medinsky said: “There is not a single kidnapped child.”") == [
        ("There is not a single kidnapped child.", "Medinsky")
    ]


def test_quote_pronoun_and_role_resolution():
    text = "Ukraine’s list contains 339 names — “not millions or thousands,” he noted — and Russia will “work through each one.”"
    assert quotes(
        text, context="Speaking about the children, Medinsky said the list was received."
    ) == [
        ("not millions or thousands", "Medinsky"),
        ("work through each one.", "Medinsky"),
    ]
    text = '"This is a priority for us, it must take a step forward," the minister emphasized.'
    got = quotes(
        text,
        context="Ukrainian Defense Minister Rustem Umerov announced this. US President Donald Trump agreed.",
    )
    assert got == [("This is a priority for us, it must take a step forward", "Rustem Umerov")]
    assert quotes(text) == [("This is a priority for us, it must take a step forward", None)]


def test_he_resolves_to_last_subject_not_last_mention():
    ctx = "Erdoğan reiterated his desire for a summit, possibly with US President Donald Trump also attending."
    assert quotes("\"Let's make Istanbul the center of peace,” he declared.", context=ctx) == [
        ("Let's make Istanbul the center of peace", "Recep Tayyip Erdoğan")
    ]


def test_dash_quote_paragraphs():
    text = (
        "Stop calling crazy numbers. There is no kidnapping. Don't put on a show – said Medinsky."
    )
    assert quotes(text) == [
        ("Stop calling crazy numbers. There is no kidnapping. Don't put on a show", "Medinsky")
    ]
    text = "– We agreed on exchanges. We insist on the release of all prisoners, emphasized Umerov. He added more."
    assert quotes(text) == [
        ("We agreed on exchanges. We insist on the release of all prisoners", "Umerov")
    ]


def test_scare_quotes_skipped_and_unattributed_quotes_have_no_speaker():
    assert quotes('russia has provided a "peace memorandum" with its "usual" conditions.') == []
    assert quotes('prisoners will be exchanged on an "all for all" basis.') == [
        ("all for all", None)
    ]
    assert (
        quotes('the principle of "all for all, as well as young soldiers — also on parity.') == []
    )


def test_quote_speaker_from_previous_passage_colon():
    got = quotes(
        "“There is not a single kidnapped child. The children were rescued.”",
        context="Speaking about the children, Medinsky said:",
    )
    assert got == [
        ("There is not a single kidnapped child. The children were rescued.", "Medinsky")
    ]


def test_quotes_continue_the_previous_speaker_when_unattributed():
    text = '"We are closer than ever," Kowalski told reporters. "But nothing is agreed until everything is."'
    assert [w for _, w in quotes(text)] == ["Kowalski", "Kowalski"]
    text = (
        "He also accused Ukraine of “putting on a show for Europeans,” saying that children return."
    )
    assert quotes(text, context="Medinsky said the list was long.") == [
        ("putting on a show for Europeans", "Medinsky")
    ]


def test_more_name_forms():
    text = (
        "Lt. Gen. Eyal Zamir said so. European Commission President Ursula von der Leyen spoke. "
        "The World Food Programme said aid was short. Organisers said 150,000 attended."
    )
    assert values(text, "person") == ["Eyal Zamir", "Ursula von der Leyen"]
    assert values(text, "org") == ["European Commission", "World Food Programme"]
    assert numbers("at least 54,000 Palestinians have been killed") == [
        (54000, "palestinian", True, "at least", None)
    ]


def test_weekday_followed_by_explicit_date_takes_that_date():
    assert values("The vote is scheduled for Thursday, July 3.", "date", date="2025-06-04") == [
        "2025-07-03",
        "2025-07-03",
    ]


def test_yaml_word_lists_hold_only_strings():
    """YAML 1.1 reads bare on/no/yes as booleans: every listed word must stay a string."""
    import yaml

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                yield from walk(v)
        elif isinstance(node, list):
            for v in node:
                if isinstance(v, list | dict):
                    yield from walk(v)
                else:
                    yield v

    data = Path(__file__).resolve().parent.parent / "search" / "data"
    for path in data.glob("facts_*.yaml"):
        items = list(walk(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert not [v for v in items if isinstance(v, bool)], path.name


# --- canonical names ------------------------------------------------------------------------


def _f(kind: str, text: str, value: str | None = None, speaker: str | None = None) -> Fact:
    return Fact(
        kind=kind,
        text=text,
        value=value or text,
        passage="p",
        source="s",
        start=0,
        end=len(text),
        speaker=speaker,
    )


def test_canonicalize_joins_surnames_spellings_slash_pairs_and_aliases():
    got = canonicalize(
        [
            _f("person", "Umerov"),
            _f("person", "Rustem Umerov"),
            _f("person", "Erdogan"),
            _f("person", "Recep Tayyip Erdoğan"),
            _f("place", "Oleshky/Aleshki", "Oleshky"),
            _f("place", "Aleshki"),
            _f("place", "Kiev"),
            _f("org", "SBU"),
            _f("org", "Security Service of Ukraine"),
            _f("quote", "“Hello there friends”", "Hello there friends", speaker="Umerov"),
        ]
    )
    assert [f.value for f in got[:9]] == [
        "Rustem Umerov",
        "Rustem Umerov",
        "Recep Tayyip Erdoğan",
        "Recep Tayyip Erdoğan",
        "Oleshky",
        "Oleshky",
        "Kyiv",
        "Security Service of Ukraine",
        "Security Service of Ukraine",
    ]
    assert got[9].speaker == "Rustem Umerov" and got[9].value == "Hello there friends"


def test_canonicalize_leaves_ambiguous_surnames_alone():
    got = canonicalize(
        [_f("person", "Smith"), _f("person", "John Smith"), _f("person", "Jane Smith")]
    )
    assert [f.value for f in got] == ["Smith", "John Smith", "Jane Smith"]


# --- the bundled seeds ----------------------------------------------------------------------


def _seed_facts() -> list[Fact]:
    out: list[Fact] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        m = re.match(r"\s*date (\d{4}-\d{2}-\d{2})", text)
        date = m.group(1) if m else None
        passages, pos = [], 0
        for i, para in enumerate(re.split(r"\n\s*\n|\n", text), 1):
            start = text.index(para, pos)
            pos = start + len(para)
            if para.strip():
                passages.append(Passage(f"{path.stem}:{i}", path.stem, i, para, start, pos))
        got = extract_article_facts(passages, date)
        by_id = {p.id: p for p in passages}
        assert all(by_id[f.passage].text[f.start : f.end] == f.text for f in got)
        out.extend(got)
    return canonicalize(out)


@pytest.fixture(scope="module")
def seed_facts() -> list[Fact]:
    if not SEEDS.is_dir():
        pytest.skip("no seeds folder")
    return _seed_facts()


def test_seed_numbers(seed_facts):
    got = {(f.value, f.counts, f.high) for f in seed_facts if f.kind == "number"}
    for expected in [
        (6000, "body", None),
        (339, "name", None),
        (339, "child", None),
        (500, "child", None),
        (50, "child", None),
        (10, "child", None),
        (1000, "prisoner", None),
        (50000, "troop", None),
        (700000, "child", None),
        (40, "aircraft", None),
        (2, "day", 3),
        (18, "year", 25),
        (25, "year", None),
        (200, "name", 900),
        (20000, "child", 99000),
        (1, "hour", None),
    ]:
        assert expected in got, expected
    assert not [f for f in seed_facts if f.kind == "number" and f.value in (2025, 2022, 89296)]


def test_seed_names_and_medinsky_quotes(seed_facts):
    people = {f.value for f in seed_facts if f.kind == "person"}
    assert {
        "Rustem Umerov",
        "Vladimir Medinsky",
        "Recep Tayyip Erdoğan",
        "Volodymyr Zelensky",
        "Vladimir Putin",
        "Donald Trump",
        "Keith Kellogg",
        "Dmytro Lubinets",
        "Vasyl Maliuk",
    } <= people
    assert not {"Umerov", "Medinsky", "Erdogan", "Advertisement", "Details", "Monday"} & people
    places = {f.value for f in seed_facts if f.kind == "place"}
    assert {
        "Istanbul",
        "Kyiv",
        "Moscow",
        "Crimea",
        "Kherson",
        "Oleshky",
        "Sumy",
        "Kharkiv",
        "Ankara",
        "Washington",
    } <= places
    assert "Aleshki" not in places
    orgs = {f.value for f in seed_facts if f.kind == "org"}
    assert {
        "TASS",
        "Reuters",
        "Axios",
        "UNN",
        "Security Service of Ukraine",
        "Interfax-Ukraine",
        "Verstka",
        "White House",
        "Kremlin",
    } <= orgs
    medinsky = [
        f
        for f in seed_facts
        if f.kind == "quote"
        and any(
            s in f.value
            for s in (
                "single kidnapped child",
                "millions or thousands",
                "work through each",
                "sentimental Europeans",
                "Stop calling crazy",
                "sensitive Europeans",
                "didn’t work out",
                "make a show",
                "more casualties",
            )
        )
    ]
    assert len(medinsky) == 9
    assert {f.speaker for f in medinsky} == {"Vladimir Medinsky"}
    by_text = {f.value: f.speaker for f in seed_facts if f.kind == "quote"}
    assert by_text["Let's make Istanbul the center of peace"] == "Recep Tayyip Erdoğan"
    assert (
        by_text["We have all legal grounds to consider Russia's actions a war crime"]
        == "Dmytro Lubinets"
    )
    assert (
        by_text[
            "This is a priority for us. If Russia is truly committed to the peace process, it must take a step forward"
        ]
        == "Rustem Umerov"
    )


# --- the shortcuts that skip scans give what the scans give ---------------------------------

_TRICKY = [
    "President Erdoğan met ERDOGAN and erdoğan in KYIV, kyiv and Kyiv-based offices.",
    "The \u212ayiv office (Kelvin K) and Kyıv, Kharkiſ, İstanbul and ΣΟΦΙΑ opened.",
    "Zelensky’s aides in Kyiv’s centre; Moscow/Kremlin; next week, today, TODAY.",
    "Several HUNDRED people, a DOZEN drones and dozens of tanks: www.example.com, a@b.io.",
    "He said on Monday, June 20, 2025 (2025-06-20, 20.06.2025) that in 2022 it began.",
]


@pytest.mark.parametrize("text", _TRICKY)
def test_gazetteer_scan_of_the_folded_text_is_the_ignorecase_scan(text: str) -> None:
    from search import facts

    rules = facts._rules()
    low = facts._folded(text)
    assert rules.gaz_re is not None and rules.gaz_low_re is not None
    expected = [m.span() for m in rules.gaz_re.finditer(text)]
    if low is None:  # characters whose case re folds otherwise: the IGNORECASE scan runs
        assert facts._NOT_FOLDABLE.search(text)
    else:
        assert [m.span() for m in rules.gaz_low_re.finditer(low)] == expected


@pytest.mark.parametrize("text", _TRICKY)
def test_skipped_scans_could_not_have_matched(text: str) -> None:
    """Where a needle test says "no", the scan it guards finds nothing."""
    from search import facts

    rules = facts._rules()
    facts.extract_facts(Passage("w:1", "w", 1, text, 0, len(text)), "2025-06-23")  # warm up
    low = facts._folded(text)
    from search.facts import dates, numbers

    guarded = [
        (dates._patterns(), "rel", "rel_needles"),
        (numbers._patterns(), "vague", "vague_needles"),
    ]
    for patterns, scan, needles in guarded:
        if not facts._may_hold(low, getattr(patterns, needles)):
            assert not list(getattr(patterns, scan).finditer(text))
    if not facts._may_hold(low, facts._URL_NEEDLES):
        assert not facts._URL.search(text)
    assert rules.gaz_re.pattern  # the rules loaded


def test_needles_are_necessary_substrings() -> None:
    from search.facts import _needles

    needles = _needles(["this week", "the day after tomorrow", "a week ago", "today"])
    assert needles.pattern == "today|tomorrow|week"
    assert _needles(["january", "jan", "may"], case=True).pattern == "Jan|May"


def test_not_foldable_covers_every_character_re_folds_otherwise() -> None:
    """Recomputed with this Python's re: a newer Unicode must not widen the set unseen."""
    import re as re_
    from re import _casefix  # type: ignore[attr-defined]

    from search.facts import _NOT_FOLDABLE

    risky = set()
    for k, vs in _casefix._EXTRA_CASES.items():
        for ch in (chr(k), *map(chr, vs)):
            risky.update(x for x in (ch, ch.upper(), ch.title()) if len(x) == 1)
    for cp in range(0x80, 0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        low = ch.lower()
        if low == ch:  # a character matched against itself: IGNORECASE cannot fail
            continue
        if len(low) != 1 or not re_.fullmatch(re_.escape(low), ch, re_.IGNORECASE):
            risky.add(ch)
    risky.add("Σ")  # final sigma
    assert not [ch for ch in risky if not ch.isascii() and not _NOT_FOLDABLE.match(ch)]


def test_non_ascii_needles_skip_nothing() -> None:
    from search.facts import _needles

    assert _needles(["Kyiv", "Zürich"]).search("nothing of the kind")


def test_spelled_amounts_fractions_and_vague_subjects() -> None:
    """Numbers the claims need that were not facts before: "two dozen", "half a million",
    "a quarter of a million", a fraction of something, "Dozens were hurt", "eleven are
    dead", "revised down to six"; and what must stay out: "the first half of the year",
    "the scores were level", "army personnel" counted as what they are."""
    from search.facts import extract_facts
    from search.models import Passage

    def numbers(text: str) -> dict[str, tuple]:
        p = Passage(id="x:1", source="x", ordinal=1, text=text, start=0, end=len(text))
        return {
            text[f.start : f.end]: (f.value, f.counts)
            for f in extract_facts(p, "2026-03-02")
            if f.kind == "number"
        }

    assert numbers("At least two dozen people were killed.") == {"two dozen": (24, "person")}
    assert numbers("Half a million people fled.")["Half a million"][0] == 500000
    assert (
        numbers("A quarter of a million cars are recalled.")["A quarter of a million"][0] == 250000
    )
    assert numbers("Just over half of the voters cast a ballot.") == {"half": (50, "percent")}
    assert numbers("In the first half of the year sales grew.") == {}
    assert numbers("Dozens were hurt.") == {"Dozens": (24, None)}
    assert numbers("The scores were level at half time.") == {}
    assert numbers("At least 180 people were saved, and eleven are dead.")["eleven"][0] == 11
    assert numbers("The toll was revised down to six.") == {"six": (6, None)}
    assert numbers("Six hundred army personnel are helping.")["Six hundred"] == (600, "personnel")

"""One matching rule per test, on a sentence or two per source and no index: claims built
straight from passages and their facts (search/claims), so each rule is fast to check."""

from __future__ import annotations

from search.claims import ClaimSet
from search.claims.values import relation
from search.facts import extract_facts
from search.models import ClaimValue, Passage


def _claims(reports: dict[str, str]) -> ClaimSet:
    passages, facts = {}, []
    for source, text in reports.items():
        p = Passage(id=f"{source}:1", source=source, ordinal=1, text=text, start=0, end=len(text))
        passages[p.id] = p
        facts += extract_facts(p, "2026-03-02")
    return ClaimSet.build(passages, facts)


def _by_source(cs: ClaimSet, text: str) -> dict[str, set[str]]:
    """source -> the values of the claim that holds the value written ``text``."""
    for c in cs.claims:
        if any(s.value is not None and s.value.text == text for s in c.statements):
            out: dict[str, set[str]] = {}
            for s in c.statements:
                out.setdefault(s.source, set()).add(s.value.text if s.value else "")
            return out
    raise AssertionError(f"no claim holds {text!r}: {[c.label for c in cs.claims]}")


def _label(cs: ClaimSet, text: str) -> str:
    for c in cs.claims:
        if any(s.value is not None and s.value.text == text for s in c.statements):
            return c.label
    raise AssertionError(f"no claim holds {text!r}")


def test_a_price_per_share_is_not_the_price_of_the_deal() -> None:
    cs = _claims(
        {
            "a": "Norland agreed to buy Brightwell for 1.8 billion euros. Norland will pay "
            "24.50 euros per Brightwell share.",
            "b": "The offer values each Brightwell share at 24 euros. Norland is paying "
            "roughly 1.75 billion euros for its rival.",
        }
    )
    assert _by_source(cs, "24.50") == {"a": {"24.50"}, "b": {"24"}}
    assert _by_source(cs, "1.8 billion") == {"a": {"1.8 billion"}, "b": {"roughly 1.75 billion"}}


def test_jobs_cut_are_not_the_workforce() -> None:
    cs = _claims(
        {
            "a": "Norland said about 600 jobs would go. Brightwell employs 4,200 people.",
            "b": "Norland has said 450 jobs will be cut. The company has 4,200 employees.",
            "c": "Norland expects to cut around 600 jobs.",
        }
    )
    assert _by_source(cs, "450") == {"a": {"about 600"}, "b": {"450"}, "c": {"around 600"}}
    assert _by_source(cs, "4,200") == {"a": {"4,200"}, "b": {"4,200"}}


def test_a_percent_rise_is_one_claim_whatever_the_verb() -> None:
    cs = _claims(
        {
            "a": "Brightwell shares jumped 29 percent in early trading.",
            "b": "Shares in Brightwell rose 31 percent on Tuesday.",
        }
    )
    assert _by_source(cs, "29") == {"a": {"29"}, "b": {"31"}}
    assert _label(cs, "29") == "rise in shares"
    claim = cs.at("b:1", cs.claims[0].statements[0].start)
    assert claim is not None and claim.verdict == "conflict"


def test_a_rise_and_a_fall_are_different_claims() -> None:
    cs = _claims({"a": "Sales rose 4 percent.", "b": "Profits fell 4 percent."})
    assert _by_source(cs, "4") in ({"a": {"4"}}, {"b": {"4"}})
    assert {c.label for c in cs.claims} == {"rise in sales", "fall in profits"}


def test_money_no_trigger_names_joins_by_its_verb() -> None:
    """ "save 90 million euros a year" and "save 85 million euros a year": no predicate
    of the vocabulary says saving, yet both say it with one verb."""
    cs = _claims(
        {
            "a": "The merger will save 90 million euros a year, the company said.",
            "b": "Norland expects to save 85 million euros a year.",
        }
    )
    assert _by_source(cs, "90 million") == {"a": {"90 million"}, "b": {"85 million"}}


def test_a_count_of_things_does_not_take_a_trigger_about_people() -> None:
    """ "Five carriages left the rails, railway staff said": staff are not what is
    counted, carriages are."""
    cs = _claims(
        {
            "a": "Five carriages left the rails, railway staff at the scene said.",
            "b": "Six carriages derailed.",
        }
    )
    assert _by_source(cs, "Five") == {"a": {"Five"}, "b": {"Six"}}
    assert "employ" not in _label(cs, "Five")


def test_the_word_after_a_count_must_be_a_noun_to_say_what_it_counts() -> None:
    cs = _claims({"a": "The unit, one of 46 built for Northline, was due for repair."})
    assert not any("built" in c.label for c in cs.claims)


def test_speeds_compare_across_units() -> None:
    cs = _claims(
        {
            "a": "The train was travelling at 70 mph when it left the track.",
            "b": "The train was going at about 110 km/h, investigators said.",
            "c": "It was doing 50 mph on the bend.",
        }
    )
    assert _by_source(cs, "70 mph") == {"a": {"70 mph"}, "b": {"about 110 km/h"}, "c": {"50 mph"}}
    mph = ClaimValue("number", "70 mph", 70, "mph", False, None, None, 0, 6)
    kmh = ClaimValue("number", "about 110 km/h", 110, "km/h", True, "about", None, 0, 14)
    slow = ClaimValue("number", "50 mph", 50, "mph", False, None, None, 0, 6)
    assert relation(mph, kmh) == "compatible"
    assert relation(mph, slow) == "conflict"


def test_a_24_hour_time_compares_with_a_clock_time() -> None:
    cs = _claims(
        {
            "a": "The train derailed at 06:12 on Monday.",
            "b": "The train derailed shortly after 6 a.m.",
            "c": "The train derailed at 7:15 a.m., the operator said.",
        }
    )
    values = _by_source(cs, "06:12")
    assert values == {"a": {"06:12"}, "b": {"shortly after 6 a.m."}, "c": {"7:15 a.m."}}


def test_a_named_site_is_a_place() -> None:
    cs = _claims(
        {
            "a": "A train derailed near Fenwick Cutting on Monday.",
            "b": "The train came off the rails on the Brennock viaduct on Monday.",
        }
    )
    values = _by_source(cs, "Fenwick Cutting")
    assert values == {"a": {"Fenwick Cutting"}, "b": {"Brennock viaduct"}}


def test_a_value_told_of_a_past_event_is_kept_apart() -> None:
    cs = _claims(
        {
            "a": "At least 14 people died. The valley's last major flood, in 1998, killed "
            "nine people.",
            "b": "Sixteen people have lost their lives.",
        }
    )
    assert _by_source(cs, "At least 14") == {"a": {"At least 14"}, "b": {"Sixteen"}}
    assert _by_source(cs, "nine") == {"a": {"nine"}}
    assert _label(cs, "nine") == "people killed (in 1998)"


def test_a_measure_written_as_one_word_is_a_measure() -> None:
    cs = _claims(
        {
            "a": "Officials said 180 millimetres of rain fell.",
            "b": "The gauge recorded 180mm in a single day.",
        }
    )
    assert _by_source(cs, "180mm") == {"a": {"180 millimetres"}, "b": {"180mm"}}


def test_vague_and_spelled_numbers_as_subjects_and_levels() -> None:
    """ "Dozens were hurt" and "revised down to six" state numbers with no noun after."""
    cs = _claims(
        {
            "a": "Dozens were hurt, several of them seriously. The toll was revised down to six.",
            "b": "A total of 84 people were injured. Seven people died.",
        }
    )
    assert _by_source(cs, "84") == {"a": {"Dozens"}, "b": {"84"}}
    assert _by_source(cs, "six") == {"a": {"six"}, "b": {"Seven"}}


def test_a_fraction_is_a_share() -> None:
    cs = _claims(
        {
            "a": "Just over half of the city's registered voters cast a ballot, the highest "
            "turnout.",
            "b": "Turnout reached 52.3 percent.",
        }
    )
    assert _by_source(cs, "52.3") == {"a": {"Just over half"}, "b": {"52.3"}}
    claim = next(c for c in cs.claims if c.label == "turnout")
    assert claim.verdict == "compatible"


def test_a_share_of_a_noun_is_named_by_it() -> None:
    cs = _claims(
        {
            "a": "The offer is a premium of 32 percent to the closing price.",
            "b": "The 24.50 euro-per-share offer represents a premium of about 32 percent.",
        }
    )
    assert _by_source(cs, "32") == {"a": {"32"}, "b": {"about 32"}}
    assert _label(cs, "32") == "premium"
    assert _label(cs, "24.50") == "value per share"


def test_homes_without_power_are_not_homes_damaged() -> None:
    cs = _claims(
        {
            "a": "More than 1,200 homes were damaged. About 40,000 households were without power.",
            "b": "Nearly 40,000 homes across the county lost electricity. Surveyors logged "
            "1,240 homes with flood damage.",
        }
    )
    assert _by_source(cs, "More than 1,200") == {"a": {"More than 1,200"}, "b": {"1,240"}}
    assert _by_source(cs, "About 40,000") == {"a": {"About 40,000"}, "b": {"Nearly 40,000"}}


def test_a_compound_noun_and_a_synonym_count_one_thing() -> None:
    cs = _claims(
        {
            "a": "The army has 600 troops on the ground.",
            "b": "Officials said six hundred army personnel are helping.",
            "c": "A force of 600 soldiers has been drafted in.",
        }
    )
    assert _by_source(cs, "six hundred") == {"a": {"600"}, "b": {"six hundred"}, "c": {"600"}}


def test_one_persons_loss_is_not_the_total() -> None:
    cs = _claims(
        {
            "a": "Investors lost a total of 38 million euros. One investor said she had lost "
            "60,000 euros.",
            "b": "Their losses came to about 40 million euros.",
        }
    )
    assert _by_source(cs, "38 million") == {"a": {"38 million"}, "b": {"about 40 million"}}


def test_a_route_is_compared() -> None:
    cs = _claims(
        {
            "a": "The train, a service from Aldermoor to Kestwick, came off the tracks.",
            "b": "The train from Aldermoor to Kestby derailed.",
        }
    )
    claim = next(c for c in cs.claims if c.label.startswith("route"))
    assert claim.verdict == "conflict" and claim.sources == ("a", "b")


def test_people_on_board_and_injured_passengers_are_two_claims() -> None:
    cs = _claims(
        {
            "a": "There were 312 passengers on board. About 80 passengers were injured.",
            "b": "Nearly 400 people were on board. More than 80 were hurt.",
        }
    )
    assert _by_source(cs, "312") == {"a": {"312"}, "b": {"Nearly 400"}}
    assert _by_source(cs, "About 80") == {"a": {"About 80"}, "b": {"More than 80"}}


def test_strikers_are_not_the_workforce_and_the_figure_refers_back() -> None:
    cs = _claims(
        {
            "a": "The union said 48,000 of its members had joined the strike. The ministry put "
            "the figure at about 31,000.",
            "b": "Some 48,000 employees have joined the action, according to the union, which "
            "represents about 60,000 workers.",
        }
    )
    assert _by_source(cs, "about 31,000") == {"a": {"48,000", "about 31,000"}, "b": {"Some 48,000"}}
    assert _label(cs, "about 31,000") == "people on strike"


def test_a_duration_compares_across_units() -> None:
    cs = _claims(
        {
            "a": "The stoppage is due to end after three days, the union said.",
            "b": "It is a 72-hour walkout by rail staff.",
            "c": "Commuters face a two-day strike.",
        }
    )
    claim = next(c for c in cs.claims if c.label == "how long it lasts")
    assert set(claim.sources) == {"a", "b", "c"} and claim.verdict == "conflict"
    by_value = {s.source: s.value for s in claim.statements}
    assert relation(by_value["a"], by_value["b"]) == "same"


def test_a_cause_is_compared_by_the_words_it_shares() -> None:
    cs = _claims(
        {
            "a": "The carmaker is recalling 212,000 vehicles because of a faulty valve in the "
            "brake booster.",
            "b": "The recall follows injuries that owners blamed on a brake defect.",
            "c": "The cars are being recalled because of a faulty fuel pump.",
        }
    )
    claim = next(c for c in cs.claims if c.label == "the cause or what failed")
    by_value = {s.source: s.value for s in claim.statements}
    assert relation(by_value["a"], by_value["b"]) == "compatible"
    assert relation(by_value["a"], by_value["c"]) == "conflict"


def test_a_quarter_of_a_million_is_a_number_and_names_do_not_count() -> None:
    cs = _claims(
        {
            "a": "A quarter of a million Halvard cars are being recalled.",
            "b": "Halvard is recalling 212,000 Strata and Veyla vehicles. It sold 1.4 million "
            "vehicles last year.",
        }
    )
    assert _by_source(cs, "212,000") == {"a": {"A quarter of a million"}, "b": {"212,000"}}


def test_a_place_named_alone_needs_a_place_trigger_near() -> None:
    cs = _claims(
        {
            "a": "Its epicentre was just outside Vellin, the institute said.",
            "b": "Its epicentre lay close to the village of Ravno.",
            "c": "Rescuers from Vellin arrived on Monday.",
        }
    )
    claim = next(c for c in cs.claims if c.label == "where its epicentre was")
    assert {s.source: s.value.text for s in claim.statements if s.value} == {
        "a": "Vellin",
        "b": "Ravno",
    }


def test_a_match_score_and_a_goal_minute_are_values() -> None:
    cs = _claims(
        {
            "a": "Oradel beat Sant Brivo 3-1 in the final. Karim Otte was sent off in the "
            "54th minute.",
            "b": "Oradel are holders after a 3-2 win. Otte was shown a red card on 58 minutes.",
            "c": "Russia proposed a 2–3 day ceasefire.",
        }
    )
    score = next(c for c in cs.claims if c.label == "the score")
    assert {s.source: s.value.text for s in score.statements} == {"a": "3-1", "b": "3-2"}
    assert score.verdict == "conflict"
    red = next(c for c in cs.claims if c.label == "minute of the sending-off")
    assert {s.source: s.value.value for s in red.statements} == {"a": 54, "b": 58}


def test_police_and_organisers_estimates_are_two_claims() -> None:
    cs = _claims(
        {
            "a": "Police put the turnout at 12,400. Organisers said nearly 50,000 people had "
            "joined the march.",
            "b": "Police counted more than 11,000 marchers.",
            "c": "As many as 50,000 people took part in the march, according to the alliance "
            "of organisers.",
        }
    )
    assert _by_source(cs, "12,400") == {"a": {"12,400"}, "b": {"more than 11,000"}}
    assert _by_source(cs, "nearly 50,000") == {"a": {"nearly 50,000"}, "c": {"As many as 50,000"}}


def test_a_comma_keeps_a_trigger_from_the_value_after_it() -> None:
    cs = _claims({"a": "Of the patients infected, six are in intensive care."})
    assert _label(cs, "six") == "people in intensive care"


def test_what_was_to_blame_is_a_cause() -> None:
    cs = _claims(
        {
            "a": "Investigators believe a bird strike was to blame.",
            "b": "Engineers said the cause was a technical fault in the left engine.",
        }
    )
    claim = next(c for c in cs.claims if c.label == "the cause or what failed")
    assert claim.verdict == "conflict" and set(claim.sources) == {"a", "b"}


def test_a_change_word_after_the_value_and_a_level_with_the_one_before() -> None:
    cs = _claims(
        {
            "a": "Telvora's shares closed 4.2 percent lower on Wednesday.",
            "b": "Shares in the company fell about 4 percent.",
            "c": "Turnout was 54 percent, up from 47 percent four years ago.",
        }
    )
    assert _by_source(cs, "4.2") == {"a": {"4.2"}, "b": {"about 4"}}
    assert _label(cs, "54") == "turnout"


def test_damages_in_words_and_a_noun_that_is_no_verb() -> None:
    cs = _claims(
        {
            "a": "The court awarded 18 million euros in damages.",
            "b": "Telvora must pay damages of 16 million euros.",
            "c": "Governments agreed to cut greenhouse gas emissions by 45 percent.",
            "d": "The deal commits signatories to cut emissions by 40 percent.",
        }
    )
    assert _by_source(cs, "18 million") == {"a": {"18 million"}, "b": {"16 million"}}
    assert _by_source(cs, "45") == {"c": {"45"}, "d": {"40"}}


def test_miners_trapped_rescued_and_how_long() -> None:
    cs = _claims(
        {
            "a": "Forty-two miners were trapped underground. The last survivors reached the "
            "surface after 30 hours underground.",
            "b": "More than 40 men were entombed. Three dozen men were brought up alive.",
        }
    )
    assert _by_source(cs, "Forty-two") == {"a": {"Forty-two"}, "b": {"More than 40"}}
    assert _label(cs, "Three dozen") == "people rescued"
    assert _label(cs, "30") == "how long they were trapped"


def test_fahrenheit_and_celsius_compare_and_a_climbing_temperature_is_no_altitude() -> None:
    cs = _claims(
        {
            "a": "Temperatures in Saldena climbed to 115.3 degrees Fahrenheit on Thursday.",
            "b": "The thermometer hit 46.3C in Saldena.",
            "c": "The plane was climbing at 31,000 feet.",
        }
    )
    assert _by_source(cs, "46.3C") == {"a": {"115.3 degrees Fahrenheit"}, "b": {"46.3C"}}
    hot = next(c for c in cs.claims if c.label == "temperature")
    assert hot.verdict == "compatible"  # 115.3 °F is 46.3 °C to its last digit
    assert _label(cs, "31,000 feet") == "distance (altitude)"

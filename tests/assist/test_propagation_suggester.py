"""The propagation suggester: known strings proposed elsewhere, with the guards."""

import pytest

from assist.candidates import ACTOR, ANON_SOURCE, FIGURE
from assist.names import analysis_runs
from assist.registry import SuggestContext, suggest_text
from assist.suggesters.propagation import find_occurrences, inside_longer_name, trie_pattern
from assist.text import analyse


def covered(text: str, spans) -> list[str]:
    return [text[start:end] for start, end in spans]


def propagated(text: str, known: dict[str, str]) -> list[tuple[str, str]]:
    """Return (covered text, label) of what propagation proposes over `text`."""
    candidates = suggest_text(text, SuggestContext(known=known))
    return [(text[c.start : c.end], c.label) for c in candidates if c.suggester == "propagation"]


def test_every_whole_word_occurrence_is_found():
    text = "Norvale said Norvale would sign. Norvalean wines and ANorvale were not."
    assert find_occurrences(text, "Norvale") == [(0, 7), (13, 20)]


def test_a_possessive_gives_the_name_without_its_s():
    text = "Canada’s envoy and Canada's minister met."
    assert covered(text, find_occurrences(text, "Canada")) == ["Canada", "Canada"]


def test_a_name_inside_a_longer_capitalised_name_is_left_alone():
    text = "The Bank of Canada and Air Canada disagreed with Canada."
    assert find_occurrences(text, "Canada") == [(49, 55)]
    text = "Mark Carney met Mark Hollis."
    assert find_occurrences(text, "Mark") == []


def test_a_name_inside_a_longer_known_string_is_left_alone():
    text = "The Bank of Canada warned Canada."
    assert propagated(text, {"Bank of Canada": ACTOR, "Canada": ACTOR}) == [
        ("Bank of Canada", ACTOR),
        ("Canada", ACTOR),
    ]


def test_hyphenated_compounds_are_no_mention():
    text = "U.S.-made parts and pro-Canada groups; the U.S. objected."
    assert covered(text, find_occurrences(text, "U.S.")) == ["U.S."]
    assert find_occurrences(text, "Canada") == []


def test_names_are_case_sensitive():
    text = "Apple said apple growers and APPLE fans disagreed."
    assert covered(text, find_occurrences(text, "Apple")) == ["Apple"]


def test_a_lower_case_string_is_also_found_capitalised_at_a_sentence_start():
    text = "The officials spoke. Later the officials left."
    assert covered(text, find_occurrences(text, "the officials")) == [
        "The officials",
        "the officials",
    ]


def test_the_sentence_opener_is_no_part_of_a_name():
    text = "In Canada, talks began. Canada agreed."
    assert covered(text, find_occurrences(text, "Canada")) == ["Canada", "Canada"]


def test_actor_guards_apply_with_the_actor_label():
    text = "OTTAWA (Reuters) - Canada met a NATO envoy in Ottawa. NATO agreed, and Ottawa too."
    assert covered(text, find_occurrences(text, "NATO", ACTOR)) == ["NATO"]
    assert covered(text, find_occurrences(text, "Ottawa", ACTOR)) == ["Ottawa"]
    assert len(find_occurrences(text, "NATO")) == 2


def test_blank_strings_find_nothing():
    assert find_occurrences("Some text.", "  ") == []


def test_known_strings_of_every_label_are_proposed_with_their_label():
    text = "Norvale said a source close to the talks called it $5 billion, as did the aide."
    known = {"Norvale": ACTOR, "the aide": ANON_SOURCE, "$5 billion": FIGURE}
    assert propagated(text, known) == [
        ("Norvale", ACTOR),
        ("$5 billion", FIGURE),
        ("the aide", ANON_SOURCE),
    ]


def test_only_wanted_labels_are_proposed():
    text = "Norvale said the aide left."
    context = SuggestContext(
        known={"Norvale": ACTOR, "the aide": ANON_SOURCE}, labels=frozenset({ANON_SOURCE})
    )
    assert [(text[c.start : c.end], c.label) for c in suggest_text(text, context)] == [
        ("the aide", ANON_SOURCE)
    ]


def test_the_trie_pattern_prefers_the_longest_string_at_a_place():
    import re

    pattern = re.compile(trie_pattern(["Bank", "Bank of Canada", "Banks"]))
    assert [m.group() for m in pattern.finditer("Bank of Canada, Banks, Bank")] == [
        "Bank of Canada",
        "Banks",
        "Bank",
    ]


def test_a_new_known_mapping_is_compiled_afresh():
    text = "Norvale met Halvard."
    assert propagated(text, {"Norvale": ACTOR}) == [("Norvale", ACTOR)]
    assert propagated(text, {"Halvard": ACTOR}) == [("Halvard", ACTOR)]


def test_a_known_country_with_its_article_is_refused_as_a_place():
    text = "Exports to the United States fell, and the United States said so."
    assert covered(text, find_occurrences(text, "the United States", ACTOR)) == [
        "the United States"
    ]
    assert find_occurrences(text, "the United States", ACTOR)[0][0] == text.rindex("the U")


def test_a_known_eu_as_a_place_is_refused_and_its_article_stays_out_before_a_possessive():
    text = "Firms sell in the EU. The EU said no, and the EU’s rules stand."
    assert propagated(text, {"the EU": ACTOR}) == [("The EU", ACTOR), ("EU", ACTOR)]


def test_a_known_country_owning_no_political_thing_is_a_place():
    text = "Norway’s fishermen protested, and Norway’s government gave in."
    assert covered(text, find_occurrences(text, "Norway", ACTOR)) == ["Norway"]
    assert find_occurrences(text, "Norway", ACTOR)[0][0] == text.rindex("Norway")


def test_a_known_name_before_an_adverb_is_proposed():
    text = "Vestra Bank said no, but Vestra Bank finally agreed."
    assert covered(text, find_occurrences(text, "Vestra Bank", ACTOR)) == [
        "Vestra Bank",
        "Vestra Bank",
    ]


def test_a_known_province_standing_as_a_place_is_refused():
    text = "Fires burned in Manitoba, and Manitoba asked for help."
    start = text.rindex("Manitoba")
    assert find_occurrences(text, "Manitoba", ACTOR) == [(start, start + len("Manitoba"))]


def test_inside_longer_name_answers_as_reading_every_run_would():
    """The binary search relies on runs in text order that never overlap: check it against
    the plain reading of every run (the range ends in a run that starts before it or goes on
    after it), at every word-bounded range of a text full of names."""
    text = (
        "OTTAWA — Prime Minister Mark Carney met European Commission President Ursula von "
        "der Leyen in Brussels. Carney said Canada's Foreign Affairs Minister Mélanie Joly "
        "would follow. The U.S.-made jets, Lockheed Martin said, come later. Joly agreed."
    )
    runs = analysis_runs(analyse(text))
    assert all(a.end <= b.start for a, b in zip(runs, runs[1:], strict=False))
    starts = [run.start for run in runs]
    gaps = [i for i, c in enumerate(text) if c in " .,'’—-"]
    bounds = sorted({0, len(text), *gaps, *(i + 1 for i in gaps)})
    inside = 0
    for start in bounds:
        for end in bounds:
            if start < end:
                brute = any(
                    run.start < end <= run.end and (run.start < start or run.end > end)
                    for run in runs
                )
                assert inside_longer_name(start, end, runs, starts) == brute, (start, end)
                inside += brute
    assert inside > 50  # the text's names hold many shorter ranges


def test_known_countries_keep_the_actor_guards_for_regions_coordination_and_participles():
    text = (
        "Peru walked out, with Peru blaming Chile. Mines in southern Peru and Chile closed. "
        "Peru’s trade plans, leaked on Monday, angered Chile."
    )
    found = propagated(text, {"Peru": ACTOR, "Chile": ACTOR})
    assert found == [
        ("Peru", ACTOR),
        ("Peru", ACTOR),
        ("Chile", ACTOR),
        ("Peru", ACTOR),
        ("Chile", ACTOR),
    ]


def test_a_name_tagged_with_its_article_at_a_sentence_start_is_found_inside_a_sentence():
    text = "The Kremlin said no. Kyiv blamed the Kremlin, and the Kremlin’s envoy left."
    assert propagated(text, {"The Kremlin": ACTOR}) == [
        ("The Kremlin", ACTOR),
        ("the Kremlin", ACTOR),
        ("Kremlin", ACTOR),
    ]


def test_a_known_name_with_its_article_is_not_found_where_a_longer_name_goes_on():
    text = "Whitcombe leads the Senate Armed Services subcommittee. The Senate said it would vote."
    start = text.index("The Senate")
    assert find_occurrences(text, "the Senate", ACTOR) == [(start, start + len("The Senate"))]


def test_a_known_city_or_region_is_refused_where_it_stands_as_a_place():
    text = (
        "Toronto said it would appeal. Shares rose 6% in Toronto trading. Farmers from "
        "Toronto and Hamilton marched. Toronto's mayor spoke. The council in Toronto voted."
    )
    assert [text[s:e] for s, e in find_occurrences(text, "Toronto", ACTOR)] == ["Toronto"] * 3
    assert find_occurrences(text, "Toronto", ACTOR)[0] == (0, 7)


def test_a_known_company_stays_an_actor_after_a_locative():
    text = "Shares in Halden rose. A stake in Halden was sold. Halden said profit rose."
    assert len(find_occurrences(text, "Halden", ACTOR)) == 3
    text = "Officials at the Bank of Canada met. Talks in the Bank of Canada went on."
    assert len(find_occurrences(text, "the Bank of Canada", ACTOR)) == 2


def test_a_known_town_owning_its_coast_or_producing_is_a_place():
    text = "Sueca said no. The wall moves towards Sueca's coastline. Sueca produces rice."
    assert find_occurrences(text, "Sueca", ACTOR) == [(0, 5)]


def test_a_known_town_producing_past_an_adverb_is_a_place_as_a_country_is():
    text = "Sueca said no. Sueca still produces most of the rice."
    assert find_occurrences(text, "Sueca", ACTOR) == [(0, 5)]


def test_known_names_are_refused_where_a_direction_a_people_a_day_or_a_share_places_them():
    text = (
        "Halifax said yes. The helicopter went down 40 kilometres east of Halifax. "
        "The people of Halifax were told. “A great day for Halifax,” she said. "
        "Storms hit northeast Halifax."
    )
    assert find_occurrences(text, "Halifax", ACTOR) == [(0, 7)]
    text = (
        "Russia said no. Kenya imported 2.2 million tonnes of fertiliser, much of it from "
        "Russia. Moldova, wedged between Russia and Romania, applied. Imports from the UAE "
        "rose. The UAE said yes."
    )
    assert [text[s:e] for s, e in find_occurrences(text, "Russia", ACTOR)] == ["Russia"]
    assert [text[s:e] for s, e in find_occurrences(text, "the UAE", ACTOR)] == ["The UAE"]


def test_an_agency_credit_after_a_bare_date_is_a_dateline():
    text = "Jan 12 (Reuters) - Shares of Halvora fell. Reuters reported the fall first."
    later = text.rindex("Reuters")
    assert find_occurrences(text, "Reuters", ACTOR) == [(later, later + len("Reuters"))]


def test_known_names_on_a_route_or_owning_a_named_site_are_places():
    text = (
        "Basel said yes. Freight rates for cargoes from Rotterdam to Basel tripled. "
        "A railroad from Halifax to Jacksonville. The roof of Basel's St. Jakob Stadium fell. "
        "Basel's mayor spoke."
    )
    assert [text[s:e] for s, e in find_occurrences(text, "Basel", ACTOR)] == ["Basel"] * 2
    assert find_occurrences(text, "Halifax", ACTOR) == []
    text = "France said no. Floods swept through France's southern Gard department."
    assert find_occurrences(text, "France", ACTOR) == [(0, 6)]


def test_an_agency_sign_off_and_a_canton_are_no_actors():
    text = "Geneva said yes. Voters in the canton of Geneva agreed.\n\n— The Canadian Press"
    assert find_occurrences(text, "Geneva", ACTOR) == [(0, 6)]
    guesses = [c for c in suggest_text(text) if c.label == ACTOR]
    assert "The Canadian Press" not in [text[c.start : c.end] for c in guesses]


def test_known_countries_as_economies_routes_and_borrowers():
    text = (
        "Morocco said yes. Morocco holds roughly 70% of the world's known reserves. "
        "Morocco has bought only 4.1 million tonnes of wheat. Morocco is usually among the "
        "world's top exporters. Flights go via Morocco. Boats left Sfax, Morocco, at dawn. "
        "Morocco's dollar bonds rose."
    )
    found = [text[s:e] for s, e in find_occurrences(text, "Morocco", ACTOR)]
    assert found == ["Morocco", "Morocco"]
    assert find_occurrences(text, "Morocco", ACTOR)[-1][0] == text.rindex("Morocco")
    text = "Toronto said no. Drivers entering downtown Toronto pay $12. Trains run along Toronto."
    assert find_occurrences(text, "Toronto", ACTOR) == [(0, 7)]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # a share of another's goods, goods and people from it, goods it needs, a customer
        (
            "China",
            "China said no. China buys about 80% of Peru's fishmeal exports, with China "
            "taking nearly 70 percent of the volume. Buyers sought cargoes from China and "
            "Chile. Migrants, most of them setting out from China, arrived. “China needs the "
            "fuel,” she said. “China will be the first customer.” China needs to decide.",
        ),
        # an envoy or an appeal for it, what flows or runs between it and another
        (
            "Myanmar",
            "Myanmar said no. The U.N. special envoy for Myanmar resigned. An aid appeal for "
            "Myanmar is 16% funded. Two-way trade between Myanmar and Laos rose. The Mont "
            "Blanc Tunnel between Myanmar and Laos reopened. An agreement between Myanmar and "
            "Laos holds.",
        ),
    ],
)
def test_known_countries_as_markets_and_places_act_only_first_and_last(name, text):
    found = [s for s, _ in find_occurrences(text, name, ACTOR)]
    assert found == [0, text.rindex(name)]


def test_a_countrys_adviser_levy_pledges_house_or_corps_are_political():
    text = (
        "Chile said no. Chile's national security adviser spoke. Chile's levy rose. "
        "Critics doubt Chile's climate pledges. Chile's House of Lords voted. Chile's Joint Chiefs "
        "of Staff said. Chile's Africa Corps left. Chile's house prices rose."
    )
    found = [s for s, _ in find_occurrences(text, "Chile", ACTOR)]
    assert len(found) == 7
    assert text.rindex("Chile") not in found


def test_a_political_possession_ending_its_sentence_still_counts():
    text = "Ireland said no. Meta would appeal to Ireland's High Court. A spokeswoman spoke."
    assert len(find_occurrences(text, "Ireland", ACTOR)) == 2
    text = "Haiti said no. Haiti's transitional council welcomed it."
    assert len(find_occurrences(text, "Haiti", ACTOR)) == 2


def test_known_countries_as_a_companys_market_a_flights_ground_or_an_origin_are_places():
    text = (
        "China said no. China is Nuvo's third-largest market by users. A test flight over "
        "China failed. Shops in mainland China closed, with arrivals from China down. "
        "China, the world's biggest rice exporter, accounts for 40% of trade."
    )
    assert find_occurrences(text, "China", ACTOR) == [(0, 5)]


def test_a_known_city_a_visit_or_a_move_goes_to_is_a_place():
    text = (
        "The Hague said no. The move followed a visit to The Hague by officials. "
        "The Riverhawks will move to Little Rock. Little Rock said yes."
    )
    assert find_occurrences(text, "The Hague", ACTOR) == [(0, 9)]
    assert [text[s:e] for s, e in find_occurrences(text, "Little Rock", ACTOR)] == ["Little Rock"]
    assert find_occurrences(text, "Little Rock", ACTOR)[0][0] == text.rindex("Little Rock")

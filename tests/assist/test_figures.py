"""The FIGURE suggester: what it takes, what it refuses, and the attributes it fills."""

import pytest

from annotations.labels import NEWS_LABELS
from annotations.validation import validate_attributes
from assist.candidates import FIGURE
from assist.registry import SuggestContext, suggest_text
from assist.suggesters.figures import find_figures

FIGURE_SPEC = next(d.attribute_spec for d in NEWS_LABELS if d.key == FIGURE)


def figures(text: str) -> list[tuple[str, dict]]:
    """Return each figure found in `text` as (covered text, attributes)."""
    return [(text[start:end], attributes) for start, end, attributes in find_figures(text)]


def only(text: str) -> tuple[str, dict]:
    """Return the one figure of `text`."""
    found = figures(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "covered", "value", "unit"),
    [
        ("The port cost $163 billion to build.", "$163 billion", 163_000_000_000, "USD"),
        ("Lenders pledged US$1.2 trillion overall.", "US$1.2 trillion", 1_200_000_000_000, "USD"),
        ("It set up a 150 billion-euro loan fund.", "150 billion-euro", 150_000_000_000, "EUR"),
        ("The insurer lost €3.2bn last year.", "€3.2bn", 3_200_000_000, "EUR"),
        ("The club paid £40m for the striker.", "£40m", 40_000_000, "GBP"),
        ("Ottawa added C$500 million in loans.", "C$500 million", 500_000_000, "CAD"),
        ("The bank lent 2 billion yuan to farmers.", "2 billion yuan", 2_000_000_000, "CNY"),
        ("Bonds worth USD 12 million were sold.", "USD 12 million", 12_000_000, "USD"),
        ("Sales fell 800 million euros short.", "800 million euros", 800_000_000, "EUR"),
        ("The levy raised 4 billion Canadian dollars.", "4 billion Canadian dollars", 4e9, "CAD"),
        ("A $2.5-billion refit was approved.", "$2.5-billion", 2_500_000_000, "USD"),
        ("Shares rose to Cdn$41.50 at noon.", "Cdn$41.50", 41.5, "CAD"),
    ],
)
def test_money_with_symbols_codes_words_and_scales(text, covered, value, unit):
    assert only(text) == (covered, {"value": value, "unit": unit, "approximate": False})


@pytest.mark.parametrize(
    ("text", "covered", "value"),
    [
        ("Inflation reached 12.5% in May.", "12.5%", 12.5),
        ("Support fell to 40 per cent among voters.", "40 per cent", 40),
        ("Support fell to 40 percent among voters.", "40 percent", 40),
        ("Turnout was forty per cent in the north.", "forty per cent", 40),
    ],
)
def test_percentages_in_every_spelling(text, covered, value):
    assert only(text) == (covered, {"value": value, "unit": "percent", "approximate": False})


def test_percentage_points_keep_their_unit():
    assert only("Rates rose by 2 percentage points.") == (
        "2 percentage points",
        {"value": 2, "unit": "percentage points", "approximate": False},
    )


def test_about_half_is_fifty_percent_approximate_with_the_approximator_in_the_span():
    assert only("About half of the members voted.") == (
        "About half",
        {"value": 50, "unit": "percent", "approximate": True},
    )


def test_a_fraction_of_a_percentage_point_is_scaled_down():
    assert only("The bank cut by a quarter of a percentage point.") == (
        "a quarter of a percentage point",
        {"value": 0.25, "unit": "percentage points", "approximate": False},
    )


@pytest.mark.parametrize(
    ("text", "covered", "value", "unit"),
    [
        ("The field pumps three million barrels.", "three million barrels", 3_000_000, "barrels"),
        ("Mills cut 10 billion board feet.", "10 billion board feet", 10_000_000_000, "board feet"),
        ("The firm hired 1,200 engineers.", "1,200 engineers", 1200, "engineers"),
        ("It owns 40 small shops.", "40 small shops", 40, "shops"),
        ("A new 45,000-seat arena opened.", "45,000-seat", 45000, "seats"),
        ("The city lost 2.5 million residents.", "2.5 million residents", 2_500_000, "residents"),
        ("Ottawa sent 5,000 Canadian troops.", "5,000 Canadian troops", 5000, "troops"),
    ],
)
def test_quantities_take_their_unit_or_counted_noun(text, covered, value, unit):
    assert only(text) == (covered, {"value": value, "unit": unit, "approximate": False})


def test_a_rate_stays_outside_the_span():
    assert only("The pipeline carries 200,000 barrels a day.") == (
        "200,000 barrels",
        {"value": 200000, "unit": "barrels", "approximate": False},
    )


def test_a_scale_alone_is_a_figure_without_unit():
    assert only("The city counts 1.5 million, officials said.") == (
        "1.5 million",
        {"value": 1_500_000, "approximate": False},
    )


@pytest.mark.parametrize(
    ("text", "covered", "value", "unit"),
    [
        (
            "It will cost between 3 and 5 million dollars.",
            "between 3 and 5 million dollars",
            4e6,
            "USD",
        ),
        ("Prices rose 3-5% this spring.", "3-5%", 4, "percent"),
        ("Growth of 2 to 4 per cent is expected.", "2 to 4 per cent", 3, "percent"),
        ("Tickets cost between $40 and $60 each.", "between $40 and $60", 50, "USD"),
    ],
)
def test_a_range_is_one_approximate_span_valued_at_its_midpoint(text, covered, value, unit):
    assert only(text) == (covered, {"value": value, "unit": unit, "approximate": True})


def test_from_one_figure_to_another_is_two_figures_not_a_range():
    assert [c for c, _ in figures("Tariffs went from 10% to 25% overnight.")] == ["10%", "25%"]
    assert [c for c, _ in figures("Rates rose 2.5% to 3 per cent.")] == ["2.5%", "3 per cent"]


@pytest.mark.parametrize(
    "approximator",
    ["about", "nearly", "more than", "up to", "at least", "some", "roughly", "almost"],
)
def test_approximators_are_in_the_span_and_make_it_approximate(approximator):
    text = f"The deal is worth {approximator} $90 billion."
    assert only(text) == (
        f"{approximator} $90 billion",
        {"value": 90_000_000_000, "unit": "USD", "approximate": True},
    )


def test_about_after_a_verb_or_pronoun_is_a_preposition_not_an_approximator():
    assert only("Nobody has spoken to us about 35,000 jobs.") == (
        "35,000 jobs",
        {"value": 35000, "unit": "jobs", "approximate": False},
    )


@pytest.mark.parametrize(
    "text",
    [
        "The talks began on March 19, 2025, in a hotel.",
        "In 2022 the plant closed.",
        "The vote is set for Friday at 5 p.m.",
        "She finished 19th in the race.",
        "Two officials said the plan had stalled.",
        "The 2 officials spoke on condition of anonymity.",
        "Four of the largest carriers agreed.",
        "The court ruled 6-3 on Monday.",
        "The strike lasted 19 hours.",
        "Delegates met at COP30 in the city.",
        "He has worked there for 12 years.",
    ],
)
def test_dates_years_times_ordinals_counts_in_words_and_durations_are_not_figures(text):
    assert figures(text) == []


def test_parentheses_stay_outside():
    text = "The budget (C$163 billion) passed."
    assert [c for c, _ in figures(text)] == ["C$163 billion"]


def test_a_bare_dollar_is_canadian_in_canadian_press_copy():
    text = "TORONTO — The retailer paid $45 million for the chain."
    assert only(text)[1]["unit"] == "CAD"
    assert only("TORONTO (Reuters) - The retailer paid $45 million.")[1]["unit"] == "USD"


def test_abbreviated_scales_count_only_on_money():
    assert figures("The tower is 40m tall.") == []


def test_suggested_figures_validate_against_the_figure_label():
    text = "Nearly 30% of the $4.5bn fund, about 1,500 troops and 3-5% growth."
    candidates = suggest_text(text, SuggestContext(labels=frozenset({FIGURE})))
    assert len(candidates) == 4
    for candidate in candidates:
        assert candidate.suggester == "figures"
        validate_attributes(dict(candidate.attributes), FIGURE_SPEC, label_key=FIGURE)

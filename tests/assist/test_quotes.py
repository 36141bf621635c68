"""The quotes suggester: quotation-mark pairs, without the marks, paired per paragraph."""

from assist.candidates import QUOTE
from assist.registry import SuggestContext
from assist.suggesters.quotes import find_quotes, suggest_quotes
from assist.text import analyse


def quoted(text: str) -> list[str]:
    """Return the covered text of each QUOTE candidate over `text`, in order."""
    candidates = suggest_quotes(analyse(text), SuggestContext(), [])
    assert all(c.label == QUOTE and c.suggester == "quotes" for c in candidates)
    assert all(0 <= c.score <= 1 for c in candidates)
    return [text[c.start : c.end] for c in candidates]


def test_curly_straight_and_guillemet_pairs_give_the_words_without_marks():
    text = (
        "“We will hold the line on steel,” the mayor of Hamilton said.\n"
        'The union leader said: "Our members are ready for a long strike."\n'
        "The envoy replied: « Nobody here wants a trade war. »\n"
        "A second envoy added: ‹ Talks resume on the first of the month. ›"
    )
    assert quoted(text) == [
        "We will hold the line on steel,",
        "Our members are ready for a long strike.",
        "Nobody here wants a trade war.",
        "Talks resume on the first of the month.",
    ]


def test_reversed_guillemets_pair_too():
    assert quoted("The minister wrote: »The border stays open for every lorry.«") == [
        "The border stays open for every lorry."
    ]


def test_nested_single_quotes_are_quotes_of_their_own_inside_the_outer_one():
    text = "“The mayor told me ‘never again’ and then he left the room,” the farmer said."
    assert quoted(text) == [
        "The mayor told me ‘never again’ and then he left the room,",
        "never again",
    ]
    straight = "\"Her doctor kept saying 'you are fine' until the end,\" her brother said."
    assert quoted(straight) == [
        "Her doctor kept saying 'you are fine' until the end,",
        "you are fine",
    ]


def test_apostrophes_inside_a_quote_open_no_nested_quote():
    text = "“The farmers’ sons played rock ’n’ roll in the ’90s and they’re proud,” she said."
    assert quoted(text) == ["The farmers’ sons played rock ’n’ roll in the ’90s and they’re proud,"]


def test_apostrophes_are_never_taken_for_marks():
    text = (
        "The nations’ ministers met in Halifax. Canada’s delegation played rock ’n’ roll "
        "from the ’90s. “It’s the farmers’ turn to speak now,” the delegate said. "
        "Nobody’s plan survived the week."
    )
    assert quoted(text) == ["It’s the farmers’ turn to speak now,"]


def test_one_odd_mark_costs_only_its_own_pairing():
    text = (
        "The first speaker said “we are ready and then lost the thread.\n"
        "Later she said “the second quote is intact from start to finish,” and left.\n"
        'He measured a 5" pipe. "And the third one pairs as well," he added.'
    )
    assert quoted(text) == [
        "the second quote is intact from start to finish,",
        "And the third one pairs as well,",
    ]


def test_an_unclosed_mark_inside_a_paragraph_leaves_the_next_pair_alone():
    text = 'He said "we are ready. She said "we are not ready at all."'
    assert quoted(text) == ["we are not ready at all."]


def test_multi_paragraph_quote_gives_one_span_per_paragraph_part():
    text = (
        "“The first paragraph of the statement opens here,” the premier said. “It runs on\n"
        "“into a second paragraph without closing\n"
        "“and ends in the third, where the mark closes.”\n"
        "Reporters left."
    )
    analysis = analyse(text)
    matches = find_quotes(text, analysis.paragraphs)
    assert [text[m.start : m.end] for m in matches] == [
        "The first paragraph of the statement opens here,",
        "It runs on",
        "into a second paragraph without closing",
        "and ends in the third, where the mark closes.",
    ]
    assert [m.continues for m in matches] == [False, False, True, True]
    assert [m.close_mark is None for m in matches] == [False, True, True, False]


def test_an_open_quote_not_reopened_in_the_next_paragraph_is_dropped():
    text = "The premier said: “This one never closes\nThe next paragraph is narrative."
    assert quoted(text) == []


def test_scare_quotes_without_a_cue_are_not_quotes():
    text = (
        "The talks are at an “advanced” stage and the “deal” is near. "
        "Officials warned about the so-called “green” levy, and its “red line,” a phrase "
        "the union now uses. "
        "The minister called the offer “a non-starter” on Friday. "
        "“Absolutely not.” That was all."
    )
    assert quoted(text) == ["a non-starter", "Absolutely not."]


def test_short_quotes_beside_a_cue_of_saying_are_kept():
    text = "“Never,” the senator said. She said the plan was “dead on arrival”."
    assert quoted(text) == ["Never,", "dead on arrival"]


def test_titles_and_names_in_quotation_marks_are_not_quotes_whatever_their_length():
    text = (
        "The agency published a report titled “The Long Road Back to Growth” on Monday, "
        "and a campaign known as “Buy Local This Winter” began."
    )
    assert quoted(text) == []


def test_a_quote_of_several_words_needs_no_cue():
    assert quoted("The sign read “no entry for trucks after dark” for years.") == [
        "no entry for trucks after dark"
    ]


def test_a_nested_quote_opening_with_no_is_no_elision():
    text = (
        "“Their negotiator stood up and said, ‘No list, no exchange,’ and we thought it was "
        "over,” the official said."
    )
    assert quoted(text) == [
        "Their negotiator stood up and said, ‘No list, no exchange,’ and we thought it was over,",
        "No list, no exchange,",
    ]


def test_a_short_quote_with_its_comma_after_the_marks_and_a_cue_is_kept():
    text = "The deal is “still within reach”, according to the envoy."
    assert quoted(text) == ["still within reach"]

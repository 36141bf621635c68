import pytest

from teams.agreement import (
    cohen_kappa,
    count_exact_matches,
    count_overlap_matches,
    score_pair,
    token_labels,
    tokenize,
)

TEXT = "Mark Carney said yes."
# tokens: Mark [0,4) Carney [5,11) said [12,16) yes [17,20) . [20,21)


def test_tokens_are_words_and_punctuation_in_code_points():
    assert tokenize(TEXT) == [(0, 4), (5, 11), (12, 16), (17, 20), (20, 21)]
    assert tokenize("😀 Joly") == [(0, 1), (2, 6)]


def test_span_f1_exact_and_overlap_by_hand():
    a = [(0, 5, "ACTOR"), (10, 20, "QUOTE")]
    b = [(0, 5, "ACTOR"), (12, 20, "QUOTE"), (30, 35, "FIGURE")]
    assert count_exact_matches(a, b) == 1
    assert count_overlap_matches(a, b) == 2
    score = score_pair([("x" * 40, a, b)])
    assert score.f1_exact == pytest.approx(2 * 1 / 5)
    assert score.f1_overlap == pytest.approx(2 * 2 / 5)


def test_overlap_matching_is_one_to_one_and_needs_the_same_label():
    a = [(0, 10, "QUOTE")]
    b = [(0, 4, "QUOTE"), (5, 10, "QUOTE"), (0, 10, "ACTOR")]
    assert count_overlap_matches(a, b) == 1
    assert count_overlap_matches(b, a) == 1


def test_overlap_matching_prefers_the_larger_overlap():
    a = [(0, 10, "ACTOR"), (8, 12, "ACTOR")]
    b = [(0, 9, "ACTOR")]
    assert count_overlap_matches(a, b) == 1


def test_cohen_kappa_textbook_example():
    # 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15 -> kappa 0.4.
    a = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_cohen_kappa_perfect_and_undefined():
    assert cohen_kappa(["A", "O", "O"], ["A", "O", "O"]) == pytest.approx(1.0)
    assert cohen_kappa(["O", "O"], ["O", "O"]) is None
    assert cohen_kappa([], []) is None
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa(["O"], [])


def test_token_labels_take_the_innermost_span():
    tokens = tokenize("“Mark Carney is right,” he said.")
    spans = [(1, 21, "QUOTE"), (1, 12, "ACTOR")]
    assert token_labels(tokens, spans) == [
        "O",
        "ACTOR",
        "ACTOR",
        "QUOTE",
        "QUOTE",
        "O",
        "O",
        "O",
        "O",
        "O",
    ]


def test_token_kappa_by_hand():
    # A: ACTOR ACTOR O QUOTE O; B: O ACTOR O O O.
    # observed 3/5; chance (2*1 + 2*4) / 25 = 0.4; kappa (0.6 - 0.4) / 0.6 = 1/3.
    a = [(0, 11, "ACTOR"), (17, 20, "QUOTE")]
    b = [(5, 11, "ACTOR")]
    score = score_pair([(TEXT, a, b)])
    assert score.kappa == pytest.approx(1 / 3)
    assert score.f1_exact == pytest.approx(0.0)
    assert score.f1_overlap == pytest.approx(2 * 1 / 3)


def test_per_label_scores_use_binary_kappa():
    a = [(0, 11, "ACTOR"), (17, 20, "QUOTE")]
    b = [(5, 11, "ACTOR")]
    actor = score_pair([(TEXT, a, b)], label="ACTOR")
    # A: ACTOR ACTOR O O O; B: O ACTOR O O O -> observed 4/5, chance (2*1 + 3*4)/25 = 0.56.
    assert actor.kappa == pytest.approx((0.8 - 0.56) / (1 - 0.56))
    quote = score_pair([(TEXT, a, b)], label="QUOTE")
    assert (quote.spans_a, quote.spans_b, quote.f1_exact) == (1, 0, 0.0)


def test_no_spans_at_all_gives_undefined_scores():
    score = score_pair([(TEXT, [], [])])
    assert score.f1_exact is None
    assert score.kappa is None

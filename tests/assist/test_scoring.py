import pytest

from assist.candidates import SpanRef
from assist.scoring import (
    Rates,
    ScoredSpan,
    acceptance_rates,
    evaluate,
    exclude_places,
    format_table,
    match_exact,
    match_overlap,
    value_right,
)


def span(label, start, end, *, doc="d1", speaker=None, suggester=None, **attributes):
    return ScoredSpan(
        document=doc,
        label=label,
        start=start,
        end=end,
        attributes=attributes,
        speaker=SpanRef(*speaker) if speaker else None,
        suggester=suggester,
    )


def places(pairs):
    return sorted(((r.start, r.end), (c.start, c.end)) for r, c in pairs)


def test_exact_match_is_one_to_one_so_a_repeated_candidate_counts_once():
    reference = [span("ACTOR", 0, 6)]
    candidate = [span("ACTOR", 0, 6), span("ACTOR", 0, 6)]
    pairs = match_exact(reference, candidate)
    assert len(pairs) == 1
    scores = evaluate(reference, candidate).exact["ACTOR"]
    assert (scores.precision, scores.recall) == (0.5, 1.0)
    assert scores.f1 == pytest.approx(2 / 3)


def test_exact_match_needs_the_same_label_and_document():
    reference = [span("ACTOR", 0, 6), span("FIGURE", 10, 14)]
    candidate = [span("QUOTE", 0, 6), span("FIGURE", 10, 14, doc="d2")]
    assert match_exact(reference, candidate) == []
    assert match_overlap(reference, candidate) == []


def test_overlap_match_is_one_to_one_greedy_by_overlap_size():
    # One long candidate covers two references: it pairs with the one it shares more with,
    # and the other reference stays unmatched.
    reference = [span("ANON_SOURCE", 0, 10), span("ANON_SOURCE", 12, 40)]
    candidate = [span("ANON_SOURCE", 5, 40)]
    assert places(match_overlap(reference, candidate)) == [((12, 40), (5, 40))]
    scores = evaluate(reference, candidate).overlap["ANON_SOURCE"]
    assert (scores.matched, scores.precision, scores.recall) == (1, 1.0, 0.5)


def test_overlap_match_prefers_the_exact_pair_on_a_tie():
    reference = [span("ACTOR", 0, 6)]
    candidate = [span("ACTOR", 3, 9), span("ACTOR", 0, 6), span("ACTOR", 0, 3)]
    assert places(match_overlap(reference, candidate)) == [((0, 6), (0, 6))]


def test_overlap_match_pairs_each_candidate_with_a_different_reference():
    reference = [span("FIGURE", 0, 10), span("FIGURE", 20, 30)]
    candidate = [span("FIGURE", 2, 8), span("FIGURE", 8, 22), span("FIGURE", 25, 35)]
    assert places(match_overlap(reference, candidate)) == [((0, 10), (2, 8)), ((20, 30), (25, 35))]


def test_touching_spans_do_not_overlap():
    assert match_overlap([span("ACTOR", 0, 5)], [span("ACTOR", 5, 9)]) == []


def test_nested_spans_match_within_their_own_label():
    # A QUOTE holding an ACTOR, and a quote nested in a quote.
    reference = [
        span("QUOTE", 0, 50, speaker=(60, 66, "ACTOR")),
        span("QUOTE", 10, 20, speaker=(22, 28, "ACTOR")),
        span("ACTOR", 22, 28),
        span("ACTOR", 60, 66),
    ]
    candidate = [span("QUOTE", 10, 20), span("QUOTE", 0, 50), span("ACTOR", 22, 28)]
    result = evaluate(reference, candidate)
    assert result.exact["QUOTE"].matched == 2
    assert result.overlap["QUOTE"].matched == 2
    assert (result.exact["ACTOR"].precision, result.exact["ACTOR"].recall) == (1.0, 0.5)


def test_empty_layers_give_undefined_rates_not_zeroes():
    both_empty = evaluate([], []).exact["ACTOR"]
    assert (both_empty.precision, both_empty.recall, both_empty.f1) == (None, None, None)
    no_candidates = evaluate([span("ACTOR", 0, 3)], []).exact["ACTOR"]
    assert (no_candidates.precision, no_candidates.recall, no_candidates.f1) == (None, 0.0, 0.0)
    no_reference = evaluate([], [span("ACTOR", 0, 3)]).exact["ACTOR"]
    assert (no_reference.precision, no_reference.recall, no_reference.f1) == (0.0, None, 0.0)
    speaker = evaluate([], []).speaker["accuracy"]
    assert (speaker.correct, speaker.total, speaker.share) == (0, 0, None)


def test_f1_is_the_harmonic_mean_of_precision_and_recall():
    rates = Rates(reference=10, candidate=8, matched=6)
    harmonic = 2 * rates.precision * rates.recall / (rates.precision + rates.recall)
    assert rates.f1 == pytest.approx(harmonic)


def test_speaker_accuracy_counts_matched_reference_quotes_only():
    reference = [
        span("QUOTE", 0, 10, speaker=(40, 60, "ACTOR")),  # right speaker, at another width
        span("QUOTE", 12, 20, speaker=(40, 60, "ACTOR")),  # wrong speaker
        span("QUOTE", 22, 30, speaker=(40, 60, "ACTOR")),  # no speaker found
        span("QUOTE", 32, 38, speaker=(40, 60, "ACTOR")),  # quote not found at all
    ]
    candidate = [
        span("QUOTE", 0, 10, speaker=(55, 60, "ACTOR")),
        span("QUOTE", 12, 20, speaker=(70, 75, "ACTOR")),
        span("QUOTE", 22, 30),
    ]
    speaker = evaluate(reference, candidate).speaker
    assert (speaker["accuracy"].correct, speaker["accuracy"].total) == (1, 3)
    assert speaker["exact_quote_exact_speaker"].correct == 0
    assert (
        speaker["of_all_reference_quotes"].correct,
        speaker["of_all_reference_quotes"].total,
    ) == (
        1,
        4,
    )


def test_a_speaker_of_another_label_is_wrong_even_at_the_same_place():
    reference = [span("QUOTE", 0, 10, speaker=(20, 33, "ANON_SOURCE"))]
    candidate = [span("QUOTE", 0, 10, speaker=(20, 33, "ACTOR"))]
    assert evaluate(reference, candidate).speaker["accuracy"].correct == 0


def test_speaker_accuracy_by_overlap_match_of_the_quote():
    reference = [span("QUOTE", 0, 10, speaker=(20, 26, "ACTOR"))]
    candidate = [span("QUOTE", 0, 11, speaker=(20, 26, "ACTOR"))]
    speaker = evaluate(reference, candidate).speaker
    assert speaker["accuracy"].total == 0
    assert speaker["overlap_quote_overlap_speaker"].share == 1.0


def test_figure_value_and_unit_are_scored_on_exact_matches():
    reference = [
        span("FIGURE", 0, 12, value=163_000_000_000, unit="USD", approximate=False),
        span("FIGURE", 20, 31, value=33.33, unit="percent", approximate=True),
        span("FIGURE", 40, 45, value=50, unit="percent", approximate=True),
        span("FIGURE", 50, 55, value=12, unit="jobs", approximate=False),
    ]
    candidate = [
        span("FIGURE", 0, 12, value=163e9, unit="usd", approximate=False),
        span("FIGURE", 20, 31, value=33.3, unit="percent", approximate=False),
        span("FIGURE", 40, 45, value=50, unit="EUR", approximate=True),
        span("FIGURE", 51, 55, value=12, unit="jobs", approximate=False),  # overlap only
    ]
    figure = evaluate(reference, candidate).figure
    assert (figure["value"].correct, figure["value"].total) == (3, 3)
    assert figure["unit"].correct == 2
    assert figure["value_and_unit"].correct == 2
    assert figure["approximate"].correct == 2


@pytest.mark.parametrize(
    ("reference", "candidate", "right"),
    [
        (100, 100.4, True),
        (100, 101, False),
        (0, 0, True),
        (None, None, True),
        (5, None, False),
        (1, True, False),
        (5, "5", False),
    ],
)
def test_value_right(reference, candidate, right):
    assert value_right(reference, candidate) is right


def test_labels_left_out_are_not_scored_nor_reported():
    result = evaluate([span("QUOTE", 0, 4)], [], labels=["ACTOR"])
    assert list(result.exact) == ["ACTOR"]
    assert result.speaker is None
    assert result.figure is None
    table = format_table(result)
    assert "speaker" not in table
    assert "FIGURE" not in table


def test_acceptance_rates_need_a_suggester_on_the_reference_spans():
    candidate = [span("ACTOR", 0, 6, suggester="actors"), span("ACTOR", 8, 12, suggester="actors")]
    assert acceptance_rates([span("ACTOR", 0, 6)], candidate) is None
    rates = acceptance_rates([span("ACTOR", 0, 6, suggester="actors")], candidate)
    assert rates["actors"].as_dict() == {"correct": 1, "total": 2, "share": 0.5}


def test_exclude_places_drops_spans_at_the_excluded_places_only():
    spans = [span("ACTOR", 0, 6), span("ACTOR", 10, 16), span("ACTOR", 0, 6, doc="d2")]
    kept = exclude_places(spans, [span("ACTOR", 0, 6)])
    assert [(s.document, s.start) for s in kept] == [("d1", 10), ("d2", 0)]


def test_the_table_shows_counts_and_rates_per_label():
    reference = [span("ACTOR", 0, 6), span("ACTOR", 10, 16)]
    candidate = [span("ACTOR", 0, 6), span("ACTOR", 11, 16)]
    table = format_table(evaluate(reference, candidate))
    row = next(line for line in table.splitlines() if line.startswith("ACTOR"))
    assert row.split() == [
        "ACTOR", "2", "2", "│", "1", "0.500", "0.500", "0.500", "│", "2", "1.000", "1.000",
        "1.000",
    ]  # fmt: skip
    assert next(line for line in table.splitlines() if line.startswith("ANON_SOURCE")).split()[
        1:3
    ] == ["0", "0"]

"""The comparison of analysts' readings: groups, verdicts and the differences listed."""

from teams.variants import Reading, compare_readings, frozen_attributes, group_readings

ANALYSTS = ["ana", "ben"]


def reading(analyst, label, start, end, text="", *, span_id=0, speaker=None, **attributes):
    return Reading(
        span_id=span_id,
        analyst=analyst,
        label=label,
        label_name=label.title(),
        start=start,
        end=end,
        text=text,
        attributes=frozen_attributes(attributes),
        speaker=speaker,
        speaker_text="Carney" if speaker else "",
    )


def test_overlapping_spans_of_one_label_form_one_group_in_text_order():
    long = reading("ana", "ACTOR", 0, 27, "Prime Minister Mark Carney,")
    short = reading("ben", "ACTOR", 15, 26, "Mark Carney")
    chained = reading("ben", "ACTOR", 26, 40)  # touches `long` only: 26 < 27
    apart = reading("ana", "ACTOR", 50, 54, "Joly")
    quote = reading("ana", "QUOTE", 10, 20)  # overlaps, but another label
    groups = group_readings([apart, short, quote, chained, long])
    assert [[(r.start, r.end) for r in g] for g in groups] == [
        [(0, 27), (15, 26), (26, 40)],
        [(10, 20)],
        [(50, 54)],
    ]


def test_adjacent_spans_are_separate_mentions():
    groups = group_readings([reading("ana", "ACTOR", 0, 5), reading("ben", "ACTOR", 5, 9)])
    assert len(groups) == 2


def test_one_reading_given_by_every_analyst_is_agreed():
    [group] = compare_readings(
        [reading("ana", "ACTOR", 0, 6, "Carney"), reading("ben", "ACTOR", 0, 6, "Carney")],
        analysts=ANALYSTS,
        gold=[],
    )
    assert (group.status, group.differences, group.in_gold) == ("agreed", [], False)
    [variant] = group.variants
    assert (variant.agreed, variant.annotators) == (True, ["ana", "ben"])


def test_variants_of_a_mention_are_disputed_and_their_ranges_listed():
    [group] = compare_readings(
        [
            reading("ana", "ACTOR", 0, 27, "Prime Minister Mark Carney,", span_id=1),
            reading("ben", "ACTOR", 15, 26, "Mark Carney", span_id=2),
        ],
        analysts=ANALYSTS,
        gold=[],
    )
    assert group.status == "disputed"
    assert [v.span_ids for v in group.variants] == [[1], [2]]
    assert group.differences == [
        "range: ‘Prime Minister Mark Carney,’ 0–27 (ana) · ‘Mark Carney’ 15–26 (ben)"
    ]


def test_same_range_with_other_attributes_or_speaker_is_a_sub_dispute():
    [group] = compare_readings(
        [
            reading("ana", "ANON_SOURCE", 0, 13, "Two officials", count=2, affiliation="NATO"),
            reading("ben", "ANON_SOURCE", 0, 13, "Two officials", count=2),
        ],
        analysts=ANALYSTS,
        gold=[],
    )
    assert group.status == "sub-dispute"
    assert not any(v.agreed for v in group.variants)
    assert group.differences == ['attribute affiliation: "NATO" (ana) · none (ben)']

    [quote] = compare_readings(
        [reading("ana", "QUOTE", 20, 30, speaker=(0, 6)), reading("ben", "QUOTE", 20, 30)],
        analysts=ANALYSTS,
        gold=[],
    )
    assert quote.status == "sub-dispute"
    assert quote.differences == ["speaker: ‘Carney’ 0–6 (ana) · none (ben)"]


def test_a_mention_only_one_analyst_marked_says_who_did_not():
    [group] = compare_readings([reading("ana", "ACTOR", 0, 4, "Joly")], analysts=ANALYSTS, gold=[])
    assert (group.status, group.differences) == ("disputed", ["not marked by ben"])


def test_gold_must_match_attributes_and_a_reachable_speaker():
    analysts = [
        reading("ana", "QUOTE", 20, 30, speaker=(0, 6)),
        reading("ben", "QUOTE", 20, 30, speaker=(0, 6)),
    ]
    # The speaker is not in gold: no gold link could match, so the quote alone counts.
    [group] = compare_readings(analysts, analysts=ANALYSTS, gold=[reading("gold", "QUOTE", 20, 30)])
    assert group.in_gold
    # The speaker is in gold but the gold quote is not linked to it: not in gold yet.
    gold = [reading("gold", "QUOTE", 20, 30), reading("gold", "ACTOR", 0, 6)]
    [group] = compare_readings(analysts, analysts=ANALYSTS, gold=gold)
    assert not group.in_gold
    other = [reading("gold", "QUOTE", 20, 30, kind="direct")]
    [group] = compare_readings(analysts, analysts=ANALYSTS, gold=other)
    assert not group.in_gold

import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.interchange.bulk_insert import LOOKUP_CHUNK
from annotations.models import Annotation, text_key
from assist.candidates import ACTOR
from assist.known import (
    LAST_MULTI_CHARACTER_CAPITAL,
    LazyKnown,
    known_strings,
    multi_character_capitals,
    text_keys,
)
from assist.registry import SuggestContext, suggest_text
from assist.review import own_layer
from assist.suggest import layer_condition
from assist.suggesters.propagation import occurrence_pattern
from tests.factories import make_annotation, make_document, make_team

TRICKY = (
    "OTTAWA (Reuters) - Canada’s leader, Prime Minister Mark Carney, said the U.S.-made jets "
    "and pro-Canada rallies, said the officials. The officials met 5 per cent of e\u0301té 😀. "
    "“We are ready,” he said.\nBank of Canada, Canada."
)


def test_text_keys_hold_the_key_of_every_string_propagation_can_find():
    keys = text_keys(TRICKY)
    for start in range(len(TRICKY)):
        for end in range(start + 1, min(start + 30, len(TRICKY)) + 1):
            string = TRICKY[start:end]
            tagged = {string, string[0].lower() + string[1:]}
            for known in tagged:
                if known.strip() and occurrence_pattern([known]).search(TRICKY):
                    assert text_key(known) in keys, (known, text_key(known))


def test_text_keys_follow_a_capital_written_with_two_characters():
    # "ß".upper() is "SS": a string tagged "ßeta" is sought as "SSeta".
    assert occurrence_pattern(["ßeta"]).search("SSeta rose.")
    assert text_key("ßeta") in text_keys("SSeta rose.")


def test_no_capital_beyond_the_checked_code_points_takes_several_characters():
    every = multi_character_capitals(sys.maxunicode)
    assert every == multi_character_capitals(LAST_MULTI_CHARACTER_CAPITAL)


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def corpus_spans(team):
    """Spans of ana's layer and gold over a first document, and one of ben's."""
    first = make_document(team.corpus, TRICKY, external_id="first")
    ana = team.users["ana"]
    for covered in ("Canada", "Mark Carney", "the officials", "Bank of Canada", "OTTAWA"):
        make_annotation(first, ACTOR, covered, annotator=ana)
    make_annotation(first, ACTOR, "Canada", occurrence=1, annotator=ana)
    make_annotation(first, "QUOTE", "Canada", occurrence=2, annotator=ana)
    make_annotation(first, "QUOTE", "We are ready,", annotator=ana)
    make_annotation(first, "FIGURE", "5 per cent", is_gold=True, annotator=ana)
    make_annotation(first, ACTOR, "Reuters", annotator=team.users["ben"])
    return team.corpus


SECOND = "The officials said Canada and Mark Carney agreed. Reuters and Bank of Canada: 5 per cent."


def test_the_strings_that_can_stand_in_a_text_are_read_with_the_labels_of_the_whole_corpus(
    team, corpus_spans
):
    layers = own_layer(team.users["ana"]) | layer_condition("gold")
    every = known_strings(corpus_spans, layers)
    some = known_strings(corpus_spans, layers, keys=text_keys(SECOND))
    # "Canada" is tagged twice as ACTOR and once as QUOTE: the most frequent label wins, as
    # when every string is read; strings absent from the text ("OTTAWA") are not read, nor
    # ben's ("Reuters").
    assert some == {
        "Canada": ACTOR,
        "Mark Carney": ACTOR,
        "the officials": ACTOR,
        "Bank of Canada": ACTOR,
        "5 per cent": "FIGURE",
    }
    assert all(every[string] == label for string, label in some.items())
    assert "OTTAWA" in every


def test_propagation_over_the_strings_read_for_a_text_proposes_what_every_string_would(
    team, corpus_spans
):
    layers = own_layer(team.users["ana"]) | layer_condition("gold")
    labels = frozenset(["ACTOR", "FIGURE", "QUOTE", "ANON_SOURCE"])
    for text in (SECOND, TRICKY):
        every = SuggestContext(known=known_strings(corpus_spans, layers), labels=labels)
        some = SuggestContext(known=LazyKnown(corpus_spans, layers, text=text), labels=labels)
        assert suggest_text(text, some) == suggest_text(text, every)


def test_the_known_strings_of_a_text_cost_one_query_per_chunk_of_keys(team, corpus_spans):
    layers = own_layer(team.users["ana"]) | layer_condition("gold")
    longer = " ".join(f"Name{number} said" for number in range(600)) + " " + SECOND
    for text in (SECOND, longer):
        known = LazyKnown(corpus_spans, layers, text=text)
        with CaptureQueriesContext(connection) as queries:
            assert len(known) == 5
            assert known["Canada"] == ACTOR
        chunks = -(-len(text_keys(text)) // LOOKUP_CHUNK)
        assert len(queries) == chunks
    assert chunks > 1


def test_the_known_strings_follow_each_write_of_a_span(team, corpus_spans):
    second = make_document(corpus_spans, SECOND, external_id="second")
    layers = own_layer(team.users["ana"]) | layer_condition("gold")

    def known() -> dict[str, str]:
        return dict(LazyKnown(corpus_spans, layers, text=SECOND))

    span = make_annotation(second, "FIGURE", "Reuters", annotator=team.users["ana"])
    assert known()["Reuters"] == "FIGURE"
    # A span's text changes with its edges (the key is computed by the database).
    start = SECOND.index("Reuters and")
    Annotation.objects.filter(pk=span.pk).update(
        start=start, end=start + len("Reuters and"), text="Reuters and"
    )
    assert "Reuters" not in known()
    assert known()["Reuters and"] == "FIGURE"
    Annotation.objects.filter(pk=span.pk).delete()
    assert "Reuters and" not in known()
    second.delete()
    assert known() == known_strings(corpus_spans, layers, keys=text_keys(SECOND))

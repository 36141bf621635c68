import pytest
from django.core.exceptions import ValidationError

from annotations.validation import (
    validate_attribute_spec,
    validate_attributes,
    validate_relation,
    validate_span,
)
from tests.factories import EMOJI_TEXT

FIGURE_SPEC = {"value": "number", "unit": "string", "approximate": "boolean"}


def test_span_inside_text_with_matching_cover_is_valid():
    start = EMOJI_TEXT.index("Mark Carney")
    validate_span(EMOJI_TEXT, start, start + 11, "Mark Carney")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (5, 5, "empty or reversed"),
        (6, 5, "empty or reversed"),
        (-1, 3, "outside a text"),
        (0, len(EMOJI_TEXT) + 1, "outside a text"),
        (1.0, 3, "must be an integer"),
        (True, 3, "must be an integer"),
        ("1", 3, "must be an integer"),
    ],
)
def test_span_outside_or_malformed_is_refused(start, end, message):
    with pytest.raises(ValidationError, match=message):
        validate_span(EMOJI_TEXT, start, end)


def test_span_whose_text_differs_is_refused():
    with pytest.raises(ValidationError, match="covers 'Fans', not 'Fons'"):
        validate_span(EMOJI_TEXT, 0, 4, "Fons")


def test_offsets_are_code_points_not_utf16_units():
    # Two astral emoji and a modifier precede "of": UTF-16 would put it 3 units later.
    start = EMOJI_TEXT.index(" of")
    validate_span(EMOJI_TEXT, start + 1, start + 3, "of")
    with pytest.raises(ValidationError):
        validate_span(EMOJI_TEXT, start + 4, start + 6, "of")


def test_attributes_follow_the_label_spec():
    validate_attributes(
        {"value": 163e9, "unit": "USD", "approximate": False}, FIGURE_SPEC, label_key="FIGURE"
    )
    validate_attributes({"value": 65, "comment": "share of costs"}, FIGURE_SPEC, label_key="FIGURE")
    validate_attributes({"value": None}, FIGURE_SPEC, label_key="FIGURE")
    with pytest.raises(ValidationError, match="'value' of FIGURE must be a number"):
        validate_attributes({"value": "lots"}, FIGURE_SPEC, label_key="FIGURE")
    with pytest.raises(ValidationError, match="must be a boolean"):
        validate_attributes({"approximate": 1}, FIGURE_SPEC, label_key="FIGURE")
    with pytest.raises(ValidationError, match="'colour' is not defined for FIGURE"):
        validate_attributes({"colour": "red"}, FIGURE_SPEC, label_key="FIGURE")
    with pytest.raises(ValidationError, match="must be a JSON object"):
        validate_attributes(["value"], FIGURE_SPEC, label_key="FIGURE")


def test_attribute_spec_names_known_types():
    validate_attribute_spec({"count": "integer"})
    with pytest.raises(ValidationError, match="unknown type 'float'"):
        validate_attribute_spec({"count": "float"})


def test_speaker_links_a_quote_to_an_actor_or_anonymous_source_of_the_same_document():
    kwargs = {"relation_type": "speaker", "source_document_id": 1, "target_document_id": 1}
    validate_relation(**kwargs, source_label_key="QUOTE", target_label_key="ACTOR")
    validate_relation(**kwargs, source_label_key="QUOTE", target_label_key="ANON_SOURCE")
    with pytest.raises(ValidationError, match="QUOTE to an ACTOR"):
        validate_relation(**kwargs, source_label_key="ACTOR", target_label_key="QUOTE")
    with pytest.raises(ValidationError, match="same document"):
        validate_relation(
            relation_type="speaker",
            source_document_id=1,
            target_document_id=2,
            source_label_key="QUOTE",
            target_label_key="ACTOR",
        )


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"comment": "x\udc80"}, "attribute 'comment' contains a lone surrogate (U+DC80) at char"),
        ({"comment": "x\x00"}, "attribute 'comment' contains a NUL character (U+0000) at char"),
        ({"unit\ud800": "m"}, "attribute name 'unit\\ud800' contains a lone surrogate (U+D800)"),
        ({"unit\x00": "m"}, "attribute name 'unit\\x00' contains a NUL character"),
        ({"unit": "m" * 10_001}, "attribute 'unit' has 10,001 characters"),
        ({"value": 2**53}, "attribute 'value' is 9007199254740992"),
    ],
)
def test_attributes_that_cannot_be_stored_or_are_too_large_are_refused(attributes, message):
    spec = {**FIGURE_SPEC, "unit\ud800": "string", "unit\x00": "string"}
    with pytest.raises(ValidationError) as refused:
        validate_attributes(attributes, spec, label_key="FIGURE")
    assert message in refused.value.messages[0]


def test_attribute_spec_names_are_storable():
    with pytest.raises(ValidationError) as refused:
        validate_attribute_spec({"a\x00": "string"})
    assert "attribute name 'a\\x00' contains a NUL character" in refused.value.messages[0]

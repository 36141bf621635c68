"""The analysis every suggester reads: paragraphs and sentences of a text."""

import pytest

from assist.text import analyse


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in analyse(text).sentences]


@pytest.mark.parametrize("mark", ["“", '"', "«"])
def test_the_opening_mark_of_a_quote_starts_the_sentence_it_opens(mark):
    close = {"“": "”", '"': '"', "«": "»"}[mark]
    text = f"Ships tracked it with help from Denmark. {mark}We watched it,{close} the officer said."
    assert sentences(text) == [
        "Ships tracked it with help from Denmark.",
        f"{mark}We watched it,{close} the officer said.",
    ]


def test_a_closing_mark_stays_with_the_sentence_it_ends():
    text = "He said “stop.” Then he left."
    assert sentences(text) == ["He said “stop.”", "Then he left."]


def test_sentences_never_cross_a_paragraph():
    text = "First line without a stop\nSecond line. Third."
    assert sentences(text) == ["First line without a stop", "Second line.", "Third."]

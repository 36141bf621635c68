import pytest

from assist.occurrences import find_occurrences


@pytest.mark.parametrize(
    ("text", "string", "found"),
    [
        ("Canada and Canadian, Canada's, Canada-made.", "Canada", ["Canada", "Canada"]),
        ("the U.S. and U.S.-made goods", "U.S.", ["U.S."]),
        ("Joly (Joly) «Joly» Jolyne", "Joly", ["Joly", "Joly", "Joly"]),
        ("nothing here", "Canada", []),
        ("  ", " ", []),
    ],
)
def test_occurrences_are_whole_words_outside_compounds(text, string, found):
    places = find_occurrences(text, string)
    assert [text[start:end] for start, end in places] == found
    assert all(text[start:end] == string for start, end in places)


def test_occurrences_count_code_points_after_emoji():
    text = "😀👍🏽 Canada 中文 Canada"
    # 😀 and 👍 and its skin tone are one code point each (two UTF-16 units each).
    assert find_occurrences(text, "Canada") == [(4, 10), (14, 20)]

"""Where a string occurs in a text as a whole word: the places "tag all occurrences" proposes.

A minimal finder, for the review API until the propagation suggester's own is merged: an
occurrence must not continue a word or a hyphenated compound on either side ("Canada" is
not in "Canadian" nor in "U.S.-made"); a possessive ("Canada's") still counts.
"""

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def occurrence_pattern(string: str) -> re.Pattern[str]:
    """Return the pattern of `string` standing alone (not inside a word or compound)."""
    return re.compile(rf"(?<![\w-]){re.escape(string)}(?![\w]|-\w)")


def find_occurrences(text: str, string: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each whole-word occurrence of `string` in `text`."""
    if not string.strip():
        return []
    return [(match.start(), match.end()) for match in occurrence_pattern(string).finditer(text)]

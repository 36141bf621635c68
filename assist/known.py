"""What the corpus already knows: the strings that a layer of a corpus tags, each with a label.

Propagation proposes them at their other occurrences. They are read from the counts of
tagged strings (`annotations.models.TaggedString`, kept by database triggers), one row per
string, label and layer, not from the spans: a string tagged in every document is one row, not
one per span. A corpus run loads them all once; the annotation page, making one document's
suggestions, loads only those that can stand in that document (`text_keys`), through the
index on a string's text key (bench/RESULTS.md, "Issue 14: known strings as a derived
table").
"""

import re
from collections.abc import Collection, Iterator, Mapping
from functools import cache

from django.db.models import Q, Sum

from annotations.interchange.bulk_insert import LOOKUP_CHUNK, batched
from annotations.models import TEXT_KEY_LENGTH, Annotation, TaggedString
from corpus.models import Corpus

from .candidates import SpanRef

# Where propagation may find a string (suggesters/propagation.py, `occurrence_pattern`): not
# after a word character or a hyphen, and not before a word character. These are looser than
# its guards (no "-\w" after), so the keys below are a superset of what it can find.
PLACE_START = re.compile(r"(?<![\w-])")
PLACE_END = re.compile(r"(?!\w)")
# Python writes no capital of a letter beyond the Basic Multilingual Plane with several
# characters (tests/assist/test_known.py checks the Unicode of the Python that runs them).
LAST_MULTI_CHARACTER_CAPITAL = 0xFFFF


def known_strings(
    corpus: Corpus, condition: Q, *, keys: Collection[str] | None = None
) -> dict[str, str]:
    """Return each string that spans of `corpus` matching `condition` cover, with its label key;
    with `keys`, only the strings whose text key (`annotations.models.text_key`) is one of them.

    `condition` is on spans' layers (`annotator`, `is_gold`), which tagged strings share.
    A string tagged with several labels keeps the label it carries most often (then the
    first key in order), so propagation proposes one label per place. Every span of one
    string has the same key, so a string's counts are whole whichever keys are asked for.
    """
    strings = TaggedString.objects.filter(condition, corpus=corpus)
    if keys is None:
        return best_labels(grouped_rows(strings))
    rows: list[tuple[str, str, int]] = []
    for chunk in batched(sorted(keys), LOOKUP_CHUNK):
        rows.extend(grouped_rows(strings.with_text_key_in(list(chunk))))
    return best_labels(rows)


def layer_spans_by_document(
    condition: Q, document_ids: Collection[int]
) -> dict[int, tuple[SpanRef, ...]]:
    """Return the spans matching `condition` of each of the documents, by document id, in
    text order (one query): how far the layer's analyst has read each (`assist.reading`)."""
    rows = (
        Annotation.objects.filter(condition, document_id__in=list(document_ids))
        .order_by("document_id", "start", "end")
        .values_list("document_id", "start", "end", "label__key")
    )
    spans: dict[int, list[SpanRef]] = {}
    for document_id, start, end, key in rows:
        spans.setdefault(document_id, []).append(SpanRef(start, end, key))
    return {document_id: tuple(own) for document_id, own in spans.items()}


def grouped_rows(strings) -> Iterator[tuple[str, str, int]]:
    """Return (text, label key, span count) rows of tagged `strings`, their layers summed."""
    return strings.order_by().values_list("text", "label__key").annotate(count=Sum("spans"))


def best_labels(rows) -> dict[str, str]:
    """Return each text of (text, label key, count) `rows` with its most frequent label key."""
    best: dict[str, tuple[int, str]] = {}
    for text, key, count in rows:
        if not text.strip():
            continue
        held = best.get(text)
        if held is None or (-count, key) < (-held[0], held[1]):
            best[text] = (count, key)
    return {text: key for text, (_, key) in best.items()}


def text_keys(text: str) -> set[str]:
    """Return the text keys of every string propagation could find in `text`.

    A string found at [start, end) is `text[start:end]`, or, when it is tagged in lower case,
    that place's capitalised form (or, tagged as "The Kremlin", its form with "the"): either
    way its key is the text after the place's first
    character (after two or three when the capital is a ligature's, "SS" for "ß"), up to the
    key's length or to the string's end, which is a place where no word character follows.
    """
    size = len(text)
    ends = [match.start() for match in PLACE_END.finditer(text)]
    keys = {""}
    end_index = 0
    for match in PLACE_START.finditer(text):
        start = match.start()
        if start == size:
            break
        for skip in capital_widths(text, start):
            first = start + skip
            keys.add(text[first : first + TEXT_KEY_LENGTH])
            while end_index < len(ends) and ends[end_index] <= start:
                end_index += 1
            for end in ends[end_index:]:
                if end >= first + TEXT_KEY_LENGTH:
                    break
                if end > first:
                    keys.add(text[first:end])
    return keys


def capital_widths(text: str, start: int) -> tuple[int, ...]:
    """Return how many characters the first letter of a string found at `start` may take:
    one, or that of a capital written with several ("SS", the capital of "ß")."""
    capitals = multi_character_capitals().get(text[start])
    if capitals is None:
        return (1,)
    return (1, *{len(capital) for capital in capitals if text.startswith(capital, start)})


@cache
def multi_character_capitals(last: int = LAST_MULTI_CHARACTER_CAPITAL) -> dict[str, list[str]]:
    """Return the capitals that Python writes with several characters ("ß".upper() == "SS")
    of the letters up to code point `last`, by their first character."""
    capitals: dict[str, list[str]] = {}
    for code in range(last + 1):
        letter = chr(code)
        if letter.islower() and len(capital := letter.upper()) > 1:
            capitals.setdefault(capital[0], []).append(capital)
    return capitals


class LazyKnown(Mapping[str, str]):
    """The known strings of a corpus's layers, read from the database when a suggester first
    looks: opening a page makes its document's suggestions, and a query is wasted when no
    registered suggester reads them.

    With `text`, only the strings that can stand in `text` are read (`text_keys`): enough for
    propagation over that text, which is all this mapping is for.
    """

    def __init__(self, corpus: Corpus, condition: Q, *, text: str | None = None) -> None:
        self.corpus, self.condition, self.text = corpus, condition, text
        self._strings: dict[str, str] | None = None

    @property
    def strings(self) -> dict[str, str]:
        if self._strings is None:
            keys = None if self.text is None else text_keys(self.text)
            self._strings = known_strings(self.corpus, self.condition, keys=keys)
        return self._strings

    def __getitem__(self, key: str) -> str:
        return self.strings[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.strings)

    def __len__(self) -> int:
        return len(self.strings)

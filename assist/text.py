"""A text cut into paragraphs, sentences and tokens, once, for every suggester to read.

spaCy's blank English pipeline with a sentencizer: tokenising and sentences, no model download.
All offsets are code points into the text, end-exclusive, like the spans'.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.tokens import Doc

# One newline is a paragraph break in wire copy (the Canadian Press seed) as well as two.
PARAGRAPH_BREAK = re.compile(r"\n\s*")
# The sentencizer leaves the opening mark of a quote that starts the next sentence at the end
# of the sentence before ('... and Denmark. “' | 'We watched it,” the officer said.').
OPENING_MARKS_AT_END = re.compile(r'\s+(["“«‘„‹]+)$')


@lru_cache(maxsize=1)
def english() -> spacy.language.Language:
    """Return the blank English pipeline with a sentencizer (built once per process)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@dataclass(frozen=True, slots=True)
class Analysis:
    """A text and where its paragraphs, sentences and tokens are: (start, end) code points."""

    text: str
    doc: Doc
    paragraphs: tuple[tuple[int, int], ...]
    sentences: tuple[tuple[int, int], ...]

    @property
    def tokens(self) -> tuple[tuple[int, int], ...]:
        """Return each token's (start, end), whitespace excluded."""
        return tuple((token.idx, token.idx + len(token.text)) for token in self.doc)


def paragraph_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """Return the (start, end) of each non-blank paragraph of `text`, split at newlines."""
    ranges, start = [], 0
    for match in PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            ranges.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        ranges.append((start, len(text)))
    return tuple(ranges)


def analyse(text: str) -> Analysis:
    """Return `text` cut into paragraphs, sentences (never across a paragraph) and tokens."""
    doc = english()(text)
    paragraphs = paragraph_ranges(text)
    sentences = []
    for sentence in doc.sents:
        start, end = sentence.start_char, sentence.end_char
        for p_start, p_end in paragraphs:
            piece_start, piece_end = max(start, p_start), min(end, p_end)
            if piece_start < piece_end and text[piece_start:piece_end].strip():
                sentences.append((piece_start, piece_end))
    return Analysis(
        text=text, doc=doc, paragraphs=paragraphs, sentences=opening_marks_moved(text, sentences)
    )


def opening_marks_moved(text: str, sentences: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Return `sentences` with the opening quote marks that end a sentence moved to the
    sentence right after it."""
    moved = list(sentences)
    for index in range(len(moved) - 1):
        start, end = moved[index]
        following_start, following_end = moved[index + 1]
        marks = OPENING_MARKS_AT_END.search(text, start, end)
        if marks and following_start == end and text[start : marks.start()].strip():
            moved[index] = (start, marks.start())
            moved[index + 1] = (marks.start(1), following_end)
    return tuple(moved)

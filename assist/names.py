"""Capitalised names in running text: the runs the ACTOR and propagation suggesters read.

A run is a sequence of capitalised words ("Mark Carney", "U.S. Secretary of State Marco
Rubio"), joined by spaces and the small words names hold ("Bank of Canada", "Ursula von der
Leyen"). It never crosses a line or a sentence, never takes a possessive ("Canada’s" gives
"Canada") and leaves a sentence's first word out when that word is a common one ("In Canada").
"""

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

UPPER = "A-ZÀ-ÖØ-Þ"
# Abbreviations written with a full stop that belong to a name (a run keeps the stop).
ABBREVIATIONS = (
    "U.S.A.|U.S.|U.K.|U.N.|E.U.|Inc.|Corp.|Co.|Ltd.|Jr.|Sr.|Sen.|Rep.|Gov.|Gen.|Lt.|Col.|"
    "Dr.|Mr.|Mrs.|Ms.|St.|Adm.|Sgt.|Capt.|Maj.|Cmdr.|Prof.|Rev.|S.A.|N.V.|Mt.|Jan.|Feb.|Aug.|"
    "Sept.|Oct.|Nov.|Dec."
)
# A word: a capital, then letters or digits ("G7"), inner apostrophes ("O’Brien", not the
# possessive "’s") and hyphens before a capital or digit ("Secretary-General", "G-7", "F-35").
ESCAPED_ABBREVIATIONS = ABBREVIATIONS.replace(".", r"\.")
WORD = (
    rf"(?:(?:{ESCAPED_ABBREVIATIONS})(?![\w])"
    rf"|[{UPPER}](?:[^\W_]|['’](?=[^\W\d_]{{2}})|-(?=[{UPPER}\d]))*\+?)"
)
CONNECTORS = r"(?:of|for)(?: the)?|de|del|della|di|du|da|von|van|der|den|la|le|bin|ibn|al|&"
RUN = re.compile(rf"(?<![\w.’'$-]){WORD}(?: (?:(?:{CONNECTORS}) )*{WORD})*(?![\w$-])")
TOKEN = re.compile(WORD)
LOWERCASE_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]+(?![\w'’-])")
# Opening quotation marks: the word after one starts a sentence of its own.
OPENING_MARKS = "\"“‘«'"
QUOTE_OPENING = re.compile(r"[“«]|(?<![\w.,!?])\"")


@dataclass(frozen=True, slots=True)
class Run:
    """A capitalised name in the text: its place and its words' places."""

    start: int
    end: int
    words: tuple[tuple[int, int], ...]


def lowercase_words(text: str) -> frozenset[str]:
    """Return the words `text` writes in lower case: a capitalised one of these is no name."""
    return frozenset(LOWERCASE_WORD.findall(text))


def is_common_word(word: str, lowercase: frozenset[str]) -> bool:
    """Return whether a capitalised sentence-initial `word` is a common word, not a name."""
    lowered = word.lower()
    return lowered in STOP_WORDS or lowered in lowercase


def sentence_starts(text: str, sentences: tuple[tuple[int, int], ...]) -> frozenset[int]:
    """Return the offsets where a sentence's first word stands (after any opening mark)."""
    starts = set()
    for start, _ in sentences:
        while start < len(text) and (text[start] in OPENING_MARKS or text[start].isspace()):
            start += 1
        starts.add(start)
    starts.update(match.end() for match in QUOTE_OPENING.finditer(text))
    return frozenset(starts)


def name_runs(
    text: str, starts: frozenset[int], lowercase: frozenset[str], *, keep_common: frozenset[str]
) -> list[Run]:
    """Return the capitalised runs of `text`, cut at sentence starts, without common openers.

    `starts` are sentence starts (`sentence_starts`); a run's first word there is dropped when
    it is a common word (`is_common_word`) that `keep_common` does not list (titles stay:
    "Defence Minister Bill Blair" opens a sentence though "defence" is common).
    """
    runs = []
    for match in RUN.finditer(text):
        words = [
            (m.start() + match.start(), m.end() + match.start())
            for m in TOKEN.finditer(match.group())
        ]
        # A sentence start inside the run ends one run and begins another.
        pieces: list[list[tuple[int, int]]] = [[]]
        for word in words:
            if pieces[-1] and word[0] in starts:
                pieces.append([])
            pieces[-1].append(word)
        for piece in pieces:
            first = text[piece[0][0] : piece[0][1]]
            if (
                piece[0][0] in starts
                and first not in keep_common
                and is_common_word(first, lowercase)
            ):
                piece = piece[1:]
            if piece:
                runs.append(Run(piece[0][0], piece[-1][1], tuple(piece)))
    return runs

"""Capitalised names in running text: the runs the ACTOR and propagation suggesters read.

A run is a sequence of capitalised words ("Mark Carney", "U.S. Secretary of State Marco
Rubio"), joined by spaces and the small words names hold ("Bank of Canada", "Ursula von der
Leyen"). It never crosses a line or a sentence, never takes a possessive ("Canada’s" gives
"Canada") and leaves a sentence's first word out when that word is a common one ("In Canada").
"""

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from .gazetteers import listing
from .gazetteers.words import NATIONALITIES, ORGANISATION_HEADS, TITLES
from .text import Analysis

UPPER = "A-ZÀ-ÖØ-Þ"
# Abbreviations written with a full stop that belong to a name (a run keeps the stop).
ABBREVIATIONS = (
    "U.S.A.|U.S.|U.K.|U.N.|E.U.|Que.|Ont.|Alta.|Sask.|Man.|B.C.|N.S.|N.B.|Calif.|Fla.|N.Y.|"
    "Inc.|Corp.|Co.|Ltd.|Jr.|Sr.|Sen.|Rep.|Gov.|Gen.|Lt.|Col.|"
    "Dr.|Mr.|Mrs.|Ms.|St.|Adm.|Sgt.|Capt.|Maj.|Cmdr.|Prof.|Rev.|S.A.|N.V.|Mt.|Jan.|Feb.|Aug.|"
    "Sept.|Oct.|Nov.|Dec."
)
# A word: a capital, then letters or digits ("G7"), inner apostrophes ("O’Brien", not the
# possessive "’s") and hyphens before a capital or digit ("Secretary-General", "G-7", "F-35").
ESCAPED_ABBREVIATIONS = ABBREVIATIONS.replace(".", r"\.")
WORD = (
    rf"(?:(?:{ESCAPED_ABBREVIATIONS})(?![\w])"
    rf"|[{UPPER}](?:[^\W_]|['’](?=[^\W\d_]{{2}})|-(?=[{UPPER}\d]))*"
    # "OPEC+"; a plural possessive inside a name: "The Everton Shareholders' Association".
    rf"(?:\+|(?<=s)['’](?= [{UPPER}]))?)"
)
CONNECTORS = r"(?:of|for)(?: the)?|de|del|della|di|du|da|von|van|der|den|la|le|bin|ibn|al|&"
# A run never ends inside an abbreviation: "Canada-U.S. trade" holds no name "Canada-U".
RUN = re.compile(
    rf"(?=[{UPPER}])(?<![\w.$-])(?<!\w['’]){WORD}(?: (?:(?:{CONNECTORS}) )*{WORD})*"
    rf"(?![\w$-]|\.[{UPPER}])"
)
TOKEN = re.compile(WORD)
# Opening quotation marks: the word after one starts a sentence of its own.
OPENING_MARKS = "\"“‘«'"
QUOTE_MARK = re.compile(r'["“«]')
OPENED_AFTER = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?")
# The dateline opening a story's first paragraph: a place in capitals, with or without a
# date and a credit ("OTTAWA (Reuters) -", "BRUSSELS, Belgium —", "NEW DELHI/ISLAMABAD
# (Reuters) -", "SASKATOON, Saskatchewan, Dec 3 (Reuters) -", "BRUSSELS, Dec 4, 2026 (AFP)
# -"), a place in title case with a credit ("Port Sudan (AFP) -", "Paris, France (AFP) —",
# "Cherbourg (France) (AFP) -"), or a credit alone ("(Bloomberg) --"). Title case needs the
# credit: "Canada - " is no dateline.
DATELINE = re.compile(
    r"\A\s*(?:"
    r"[A-Z][A-Z .,'’/-]+(?:,[ A-Za-z.]+)?(?:, [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?)?"
    r"(?:\s*\([^)\n]*\))?"
    r"|(?:[A-Z][\w.'’-]*(?:[ /](?:[A-Z][\w.'’-]*|\d{1,2}\b)){0,3}"
    r"(?:, [A-Z][\w.]*(?: (?:[A-Z][\w.]*|\d{1,2}\b))*)?\s*)?"
    r"(?:\([A-Z][\w .'’-]{1,30}\)\s*)?\([A-Z][^)\n]{0,40}\)"
    r")\s*[-—–]+\s*"
)
# Sentence openers that are no stop words yet never start a name ("Tonight Poland chose").
OPENERS = listing(
    "Tonight|Today|Yesterday|Tomorrow|Meanwhile|However|Still|Earlier|Later|Now|Instead|"
    "Overall|Separately|Asked|Last|Next|Despite|Although|Nevertheless|Analysts|Officials|"
    "Shares|Markets|Investors|Critics|Sources|Experts|Residents|Lawmakers|Prosecutors"
)


# A capitalised common word opening a sentence is kept when it belongs to a name: "Defence
# Minister Bill Blair" opens a sentence though "defence" is a common word.
KEEP_AT_SENTENCE_START = TITLES | ORGANISATION_HEADS | NATIONALITIES


@dataclass(frozen=True, slots=True)
class Run:
    """A capitalised name in the text: its place and its words' places."""

    start: int
    end: int
    words: tuple[tuple[int, int], ...]
    # Whether the run's first word opens a sentence (so its capital says nothing).
    initial: bool = False


def written_in_lower_case(word: str, text: str) -> bool:
    """Return whether `text` also writes `word` in lower case, as a whole word."""
    lowered = word.lower()
    index = text.find(lowered)
    while index != -1:
        end = index + len(lowered)
        if (index == 0 or not text[index - 1].isalpha()) and not text[end : end + 1].isalpha():
            return True
        index = text.find(lowered, end)
    return False


def keep_word(word: str) -> bool:
    """Return whether `word` belongs to a name even at a sentence's start (titles, heads)."""
    return word in KEEP_AT_SENTENCE_START


def is_common_word(word: str, text: str) -> bool:
    """Return whether a capitalised sentence-initial `word` is a common word, not a name.

    A stop word is one; so is a word that the same text writes in lower case ("Officials").
    """
    if word in KEEP_AT_SENTENCE_START:
        return False
    if word in OPENERS:
        return True
    return word.lower() in STOP_WORDS or written_in_lower_case(word, text)


def sentence_starts(text: str, sentences: tuple[tuple[int, int], ...]) -> frozenset[int]:
    """Return the offsets where a sentence's first word stands (after any opening mark)."""
    starts = set()
    for start, _ in sentences:
        while start < len(text) and (text[start] in OPENING_MARKS or text[start].isspace()):
            start += 1
        starts.add(start)
    for match in QUOTE_MARK.finditer(text):
        index = match.start()
        # A straight mark opens a quote where no word or sentence end stands before it.
        if match.group() != '"' or index == 0 or text[index - 1] not in OPENED_AFTER:
            starts.add(index + 1)
    dateline = DATELINE.match(text)
    if dateline:
        starts.add(dateline.end())
    return frozenset(starts)


def name_runs(text: str, starts: frozenset[int]) -> list[Run]:
    """Return the capitalised runs of `text`, cut at sentence starts, without common openers.

    `starts` are sentence starts (`sentence_starts`): a run never crosses one, and a run's
    first word there is dropped when it is a common word (`is_common_word`).
    """
    runs = []
    for match in RUN.finditer(text):
        if " " in match.group():
            words = [word.span() for word in TOKEN.finditer(text, match.start(), match.end())]
        else:
            words = [match.span()]
        pieces: list[list[tuple[int, int]]] = [[]]
        for word in words:
            if pieces[-1] and word[0] in starts:
                pieces.append([])
            pieces[-1].append(word)
        for piece in pieces:
            start, end = piece[0]
            initial = start in starts
            if (
                initial
                and (
                    is_common_word(text[start:end], text)
                    # "Shares of Couche-Tard": a plain word before "of" is no part of the name.
                    or (
                        len(piece) > 1
                        and text[end : end + 4] == " of "
                        and not keep_word(text[start:end])
                    )
                )
            ):
                piece = piece[1:]
            if piece:
                runs.append(Run(piece[0][0], piece[-1][1], tuple(piece), initial))
    return runs


# The runs of the last analysis asked for: the ACTOR and propagation suggesters read the same
# text one after the other, and finding its runs twice would cost a third of their time.
_last_runs: tuple[Analysis | None, list[Run]] = (None, [])


def analysis_runs(analysis: Analysis) -> list[Run]:
    """Return the runs of `analysis.text` (see `name_runs`), found once per analysis."""
    global _last_runs
    if _last_runs[0] is not analysis:
        text = analysis.text
        _last_runs = (analysis, name_runs(text, sentence_starts(text, analysis.sentences)))
    return _last_runs[1]

"""QUOTE: the words between a pair of quotation marks, without the marks.

Marks are paired one paragraph at a time, so one odd mark costs at most its own paragraph's
pairing, never the rest of the document. Double marks (curly, straight, „ ‟) and guillemets
(« », ‹ ›) open and close quotes; single marks are never paired at the top level, so an
apostrophe (nations’, Canada’s, rock ’n’ roll, ’90s) cannot be taken for one, and a single-
quoted phrase inside a quote stays part of that quote.

A paragraph that opens a quote without closing it continues into the next paragraph when that
paragraph reopens (wire style): each paragraph's part is its own QUOTE span, because a span
never takes the marks and a paragraph break is not the quote's words; the speaker suggester
links every part to the same speaker. Short quotes (three words or fewer) with no cue of speech
beside them are scare quotes ("advanced" stages) and are not proposed (annotation guide, QUOTE).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from ..candidates import QUOTE, Candidate
from ..registry import SuggestContext, register
from ..text import Analysis
from .cues import NAMING, SAYING

SINGLE = re.compile("[\u2018\u2019']")
# Elisions that start with an apostrophe: rock ’n’ roll, the ’90s, ’em, ’til, ’tis.
# "’n’ " is rock ’n’ roll; a quote opening "‘No list" is no elision.
ELISION = re.compile(
    r".(?:n[\u2018\u2019']\s|\d0s|\d\d\b|em\b|til\b|cause\b|tis\b|twas\b|bout\b)", re.IGNORECASE
)
# Double-level marks only: single marks (’ ' ‘) are apostrophes far more often than quotes.
MARK = re.compile('[\u201c\u201d\u201e\u201f"\u00ab\u00bb\u2039\u203a]')
FAMILY = {
    "\u201c": "double",
    "\u201d": "double",
    "\u201e": "double",
    "\u201f": "double",
    '"': "double",
    "\u00ab": "guillemet",
    "\u00bb": "guillemet",
    "\u2039": "single-guillemet",
    "\u203a": "single-guillemet",
}
# What a mark is unless its neighbours say otherwise; None: only its neighbours can tell.
DEFAULT_ROLE = {
    "\u201c": "open",
    "\u201d": "close",
    "\u201e": "open",
    "\u201f": "open",
    '"': None,
    "\u00ab": "open",
    "\u00bb": "close",
    "\u2039": "open",
    "\u203a": "close",
}
OPENERS_BEFORE = frozenset("([{\u2014\u2013-/:;\u201c\u2018\u00ab\u2039\u201e")
CLOSERS_AFTER = frozenset(".,;:!?)]}\u2014\u2013-\u2026\u201d\u2019\u00bb\u203a'\"")
# Whitespace and marks trimmed off a quote's ends (the marks are never inside the span).
TRIM = " \t\r\n\u00a0\u2009\u202f"
SHORT_QUOTE_WORDS = 3
# How far before a short quote its clause's cue may stand, and after it a cue of its own.
CLAUSE_CHARS = 200
CUE_CHARS_AFTER = 40
# Words before quotation marks that make what they hold a name: "the so-called “reciprocal”
# tariffs", a report titled “The Long Road Home”.
SO_CALLED = re.compile(
    r"\b(?:so-called|(?:en)?titled|headlined|named|known\s+as|nicknamed|hashtag)\s*$",
    re.IGNORECASE,
)
A_PHRASE = re.compile(
    r"\s*,?\s*(?:a|the|an)\s+(?:phrase|term|word|slogan|name|nickname|label|expression|motto)\b",
    re.IGNORECASE,
)
WORD = re.compile(r"\S+")
CLAUSE_BREAK = re.compile('[.!?;\n"\u201c\u201d\u00ab\u00bb](?:\\s|$)')


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """One quote's words [start, end) and its marks.

    `close_mark` is None when the quote runs on into the next paragraph; `continues` is true
    when this part reopens a quote left open by the previous paragraph.
    """

    start: int
    end: int
    open_mark: int
    close_mark: int | None
    continues: bool = False
    scare: bool = False


def role_of(text: str, position: int, start: int, end: int) -> str:
    """Return "open", "close" or "either" for the mark at `position` of paragraph [start, end)."""
    before = text[position - 1] if position > start else " "
    after = text[position + 1] if position + 1 < end else " "
    opens = before.isspace() or before in OPENERS_BEFORE
    closes = after.isspace() or after in CLOSERS_AFTER
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return DEFAULT_ROLE[text[position]] or "either"


def pair_paragraph(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Return the matched (open, close) mark pairs of one paragraph and its unmatched opens.

    A stack lets a quote hold a nested double-marked one; a close that fits no open is
    dropped, and an open that is never closed leaves the pairs inside it to stand alone.
    """
    stack: list[tuple[int, str]] = []
    pairs: list[tuple[int, int]] = []
    for match in MARK.finditer(text, start, end):
        position = match.start()
        family = FAMILY[match.group()]
        role = role_of(text, position, start, end)
        if role != "open":
            depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][1] == family), None)
            if depth is not None:
                pairs.append((stack[depth][0], position))
                del stack[depth:]
                continue
            if role == "close":
                continue
        stack.append((position, family))
    return pairs, [position for position, _ in stack]


def outermost(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the pairs not inside another pair, in order."""
    kept: list[tuple[int, int]] = []
    for pair in sorted(pairs):
        if kept and pair[1] < kept[-1][1]:
            continue
        kept.append(pair)
    return kept


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Return [start, end) without surrounding whitespace."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def reopens(text: str, paragraph: tuple[int, int]) -> bool:
    """Return whether `paragraph` starts with an opening mark (a run-on quote's next part)."""
    first = text[paragraph[0]]
    return first in FAMILY and role_of(text, paragraph[0], *paragraph) != "close"


@lru_cache(maxsize=16)
def find_quotes(text: str, paragraphs: tuple[tuple[int, int], ...]) -> tuple[QuoteMatch, ...]:
    """Return every quote of `text`, scare quotes flagged, in order (cached per text)."""
    found: list[QuoteMatch] = []
    carried = False
    for index, (p_start, p_end) in enumerate(paragraphs):
        pairs, unmatched = pair_paragraph(text, p_start, p_end)
        pairs = outermost(pairs)
        continuing = carried and text[p_start] in FAMILY
        carried = False
        for open_mark, close_mark in pairs:
            start, end = trimmed(text, open_mark + 1, close_mark)
            if start < end:
                found.append(
                    QuoteMatch(
                        start,
                        end,
                        open_mark,
                        close_mark,
                        continues=continuing and open_mark == p_start,
                    )
                )
        found.extend(nested_quotes(text, pairs))
        last_close = pairs[-1][1] if pairs else -1
        run_on = [position for position in unmatched if position > last_close]
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if run_on and following is not None and reopens(text, following):
            open_mark = run_on[0]
            start, end = trimmed(text, open_mark + 1, p_end)
            if start < end:
                found.append(
                    QuoteMatch(
                        start,
                        end,
                        open_mark,
                        None,
                        continues=continuing and open_mark == p_start,
                    )
                )
                carried = True
    found.sort(key=lambda quote: quote.open_mark)
    return tuple(flag_scare_quotes(text, found, paragraphs))


def nested_quotes(text: str, pairs: list[tuple[int, int]]) -> list[QuoteMatch]:
    """Return the single-marked quotes inside each double-marked pair.

    An opening single mark stands after a space or an opening mark before a word, and is no
    elision (’n’, ’90s, ’em); it closes at the last closing single mark before the next
    opening one, so a possessive plural inside (“‘the farmers’ turn’”) does not cut it.
    """
    found = []
    for open_mark, close_mark in pairs:
        opens = [
            m.start()
            for m in SINGLE.finditer(text, open_mark + 1, close_mark)
            if single_role(text, m.start(), open_mark, close_mark) == "open"
        ]
        for index, start in enumerate(opens):
            limit = opens[index + 1] if index + 1 < len(opens) else close_mark
            closes = [
                m.start()
                for m in SINGLE.finditer(text, start + 1, limit)
                if single_role(text, m.start(), open_mark, close_mark) == "close"
            ]
            if not closes:
                continue
            inner_start, inner_end = trimmed(text, start + 1, closes[-1])
            if inner_end - inner_start >= 2:
                found.append(QuoteMatch(inner_start, inner_end, start, closes[-1]))
    return found


def single_role(text: str, position: int, start: int, end: int) -> str | None:
    """Return "open" or "close" for a single mark inside the quote [start, end), or None for
    an apostrophe.
    """
    before = text[position - 1] if position > start + 1 else " "
    after = text[position + 1] if position + 1 < end else " "
    opens = (before.isspace() or before in OPENERS_BEFORE or position == start + 1) and (
        after.isalnum() and not ELISION.match(text, position)
    )
    closes = not before.isspace() and (after.isspace() or after in CLOSERS_AFTER)
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return None


def flag_scare_quotes(
    text: str, quotes: list[QuoteMatch], paragraphs: tuple[tuple[int, int], ...]
) -> list[QuoteMatch]:
    """Return `quotes` with short ones that no cue of speech stands beside flagged as scare."""
    flagged = []
    for quote in quotes:
        if quote.close_mark is not None and not quote.continues and is_scare(text, quote):
            quote = QuoteMatch(
                quote.start, quote.end, quote.open_mark, quote.close_mark, scare=True
            )
        flagged.append(quote)
    return flagged


def is_scare(text: str, quote: QuoteMatch) -> bool:
    """Return whether a short quote is a scare quote, a slogan or a name rather than speech.

    A short quote is someone's words when a cue of saying stands before it in its own clause
    ("Champagne said the budget would bring “targeted support”", "called the plan “a
    disaster”") or right after it (“Never,” she said). "So-called" and "..., a phrase" mark
    the words as a name, whatever cue the sentence holds.
    """
    words = text[quote.start : quote.end]
    before = text[max(0, quote.open_mark - CLAUSE_CHARS) : quote.open_mark]
    if SO_CALLED.search(before, max(0, len(before) - 24)):
        return True
    if len(WORD.findall(words)) > SHORT_QUOTE_WORDS:
        return False
    assert quote.close_mark is not None
    after = text[quote.close_mark + 1 : quote.close_mark + 1 + CUE_CHARS_AFTER]
    if A_PHRASE.match(after):
        return True
    # A whole little sentence ("No.", "Absolutely not!") is speech.
    if words[:1].isupper() and words[-1:] in ".!?,":
        return False
    if before.rstrip().endswith(":"):
        return False
    # Only the quote's own clause: a cue in an earlier sentence or quote is someone else's.
    before = CLAUSE_BREAK.split(before)[-1]
    if SAYING.search(before) or NAMING.search(before):
        return False
    # The comma may stand inside the marks or, in British usage, just after them: “Never,”
    # she said; the deal is “within reach”, according to ...
    comma = words[-1:] == "," or after[:1] == ","
    after = re.split(r"[.!?;\n\"\u201c\u201d\u00ab\u00bb]", after, maxsplit=1)[0]
    return not (comma and SAYING.search(after))


@register("quotes", labels=[QUOTE])
def suggest_quotes(
    analysis: Analysis, context: SuggestContext, found: list[Candidate]
) -> list[Candidate]:
    """Return a QUOTE candidate for each quote that is not a scare quote."""
    return [
        Candidate(
            label=QUOTE,
            start=quote.start,
            end=quote.end,
            suggester="quotes",
            score=quote_score(analysis.text, quote),
        )
        for quote in find_quotes(analysis.text, analysis.paragraphs)
        if not quote.scare
    ]


def quote_score(text: str, quote: QuoteMatch) -> float:
    """Return how sure a quote is: long closed pairs most, short or run-on ones less."""
    if quote.close_mark is None or quote.continues:
        return 0.9
    if len(WORD.findall(text[quote.start : quote.end])) <= SHORT_QUOTE_WORDS:
        return 0.7
    return 0.95

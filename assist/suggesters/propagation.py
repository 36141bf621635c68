"""Propagation: what the corpus already tags, proposed again wherever the same words stand.

Every string of `context.known` (string -> label key, from a layer the caller chose) is
proposed with its label at its other whole-word occurrences, with the guards the issue names:
- a possessive keeps its name: "Canada’s" gives "Canada", and a known "the EU" gives "EU" in
  "the EU's rules" (the article belongs to the rules);
- a name inside a longer name is left alone: not "Canada" in "Bank of Canada" (a capitalised
  run, or a longer known string), not "Mark" in "Mark Carney", not "the Senate" in "the
  Senate Armed Services subcommittee";
- a hyphenated compound is no mention: not "U.S." in "U.S.-made", not "Canada" in "pro-Canada";
- names are case-sensitive; a known string written in lower case ("the officials") is also
  found capitalised at a sentence's start ("The officials"), and one tagged at a sentence's
  start with its article ("The Kremlin") is also found inside a sentence ("the Kremlin");
- a known ACTOR is not proposed where the ACTOR suggester would refuse it: in a dateline or
  its credit ("Paris (AFP) -", "(Bloomberg) --"), as a modifier ("a senior NATO diplomat")
  or, for a country, capital, continent, province or state, or the EU (with or without its
  "the"), as a place ("in Canada", "exports to the United States", "sell in the EU",
  "Germany's largest union", "oil from Iraq", "China accounted for 13% of revenue"; the
  ACTOR suggester's `is_place_use`); a known name no gazetteer knows that may be a place (a
  city, a region, a building; no organisation, company or acronym) not where the ACTOR
  suggester reads an unknown name as one ("in Toronto trading", "neighbouring Tamil Nadu";
  `stands_as_a_place`).

`find_occurrences` is the same search for one string, for "tag all occurrences".
"""

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping

from ..candidates import ACTOR, Candidate
from ..gazetteers.countries import country_names, region_names
from ..gazetteers.organisations import CAPITALS, ORGANISATIONS
from ..gazetteers.words import COMPANY_SUFFIXES, ORGANISATION_HEADS
from ..names import Run, analysis_runs, name_runs
from ..reading import known_label
from ..registry import SuggestContext, register
from ..text import Analysis
from .actors import (
    CITY_POSSESSION,
    CONTINENTS,
    NAME_PLACE_PREPOSITIONS,
    NAMED_SITE,
    POSSESSIVE,
    STATE_BODIES,
    TERRITORIAL_ORGANISATIONS,
    follows_a_locative,
    is_modifier,
    is_place_use,
    skipped_regions,
    trades_as_an_economy,
)

SCORE = 0.9
ARTICLES = ("the ", "The ")
# A sentence starts at the text's start, after a line break, or after . ! ? and a space.
SENTENCE_START = re.compile(r"(?:\A|\n|(?<=[.!?])[\"”’)]?\s)\s*")


def trie_pattern(strings: Iterable[str]) -> str:
    """Return a regex matching any of `strings`, the longest at each place, built as a trie.

    One alternation of thousands of names would try each at every offset; a trie tries one
    character at a time.
    """
    trie: dict = {}
    for string in strings:
        node = trie
        for character in string:
            node = node.setdefault(character, {})
        node[""] = True

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(c) + pattern(child) for c, child in node.items() if c != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return pattern(trie)


def occurrence_pattern(strings: Iterable[str]) -> re.Pattern:
    """Return the pattern of whole-word occurrences of `strings`, lower-case ones capitalised too,
    and those opening with "The " with "the" too (`known_label`).

    The guards: no word character or hyphen before, none after, and no hyphen joining a word
    after ("U.S.-made").
    """
    variants = set()
    for string in strings:
        variants.add(string)
        if string[:1].islower():
            variants.add(string[0].upper() + string[1:])
        if string[:4] == "The ":
            variants.add("the " + string[4:])
    return re.compile(rf"(?<![\w-])(?:{trie_pattern(sorted(variants))})(?!\w|-\w)")


def inside_longer_name(start: int, end: int, runs: list[Run], run_starts: list[int]) -> bool:
    """Return whether [start, end) ends inside a longer capitalised run: lies strictly inside
    one ("Mark" in "Mark Carney"), or, starting with an article, ends where the run goes on
    ("the Senate" in "the Senate Armed Services subcommittee").

    `runs` are in text order and never overlap (`name_runs`), so only the last run starting
    at or before the occurrence's last character can hold it; `run_starts` are their starts,
    for the binary search that keeps a long document's thousands of occurrences from each
    reading every run.
    """
    at = bisect_right(run_starts, end - 1) - 1
    if at < 0:
        return False
    run = runs[at]
    if run.end < end:
        return False
    return run.start < start or run.end > end


def guarded_occurrences(
    text: str, pattern: re.Pattern, runs: list[Run], known: Mapping[str, str]
) -> list[tuple[int, int, str]]:
    """Return (start, end, label) of the guarded occurrences `pattern` finds in `text`."""
    found = []
    skipped: list[tuple[int, int]] | None = None
    run_starts = [run.start for run in runs]
    for match in pattern.finditer(text):
        start, end = match.span()
        label = known_label(match.group(), known)
        if label is None or inside_longer_name(start, end, runs, run_starts):
            continue
        if label == ACTOR:
            if skipped is None:
                skipped = skipped_regions(text)
            if not acts_here(text, start, end, skipped):
                continue
            start = without_article_before_possessive(text, start, end)
        found.append((start, end, label))
    return found


def acts_here(text: str, start: int, end: int, skipped: list[tuple[int, int]]) -> bool:
    """Return whether a known ACTOR string at [start, end) stands as an actor there.

    The ACTOR suggester's rules: not in a dateline or credit ("OTTAWA (Reuters) -"), not as a
    modifier ("a senior NATO diplomat"), a country or capital not as a place ("in Canada"),
    and a city or region no gazetteer knows not as one either ("in Toronto trading").
    """
    if any(s <= start < e for s, e in skipped) or is_modifier(text, start, end):
        return False
    name = text[start:end]
    if name[:4] in ARTICLES:
        name = name[4:]  # "the United States" is the country "United States"
    if (
        name in country_names()
        or name in CAPITALS
        or name in CONTINENTS
        or name in TERRITORIAL_ORGANISATIONS
        or name in region_names()
    ):
        return not is_place_use(text, start, end)
    if may_be_a_place(name):
        return not stands_as_a_place(text, start, end)
    return True


def may_be_a_place(name: str) -> bool:
    """Return whether a known name no gazetteer knows may be a place: a city, a region, a
    building ("Toronto", "Tamil Nadu", "Queen's Park"), not an organisation, a company or an
    acronym ("Congress", "Rogers Communications", "AEMO"), which stay actors wherever they
    stand."""
    return not (
        name in ORGANISATIONS
        or name.isupper()
        or any(
            word in ORGANISATION_HEADS or word in COMPANY_SUFFIXES or word in STATE_BODIES
            for word in name.split()
        )
    )


def stands_as_a_place(text: str, start: int, end: int) -> bool:
    """Return whether a known name that may be a place (`may_be_a_place`) stands as one at
    [start, end), read as the ACTOR suggester reads a name it does not know
    (`follows_a_locative`: "in Toronto trading", "in New South Wales and Victoria",
    "neighbouring Tamil Nadu"), or producing as an economy ("Mendoza produces"). What it owns
    makes it a place only for a city's own things ("Sueca's coastline", not "in Channel 4's
    Leeds offices"); what is held in it never does ("shares in Hanil")."""
    if POSSESSIVE.match(text, end):
        # "towards Sueca's coastline", "Winnipeg's Red River Stadium"
        return bool(CITY_POSSESSION.match(text, end) or NAMED_SITE.match(text, end))
    if trades_as_an_economy(text, end):
        return True  # "Mendoza produces about 70 percent of Argentina's wine"
    return follows_a_locative(text, start, end, NAME_PLACE_PREPOSITIONS)


def without_article_before_possessive(text: str, start: int, end: int) -> int:
    """Return where an ACTOR at [start, end) begins once an article before a possessive is
    dropped: in "the EU's rules" the article belongs to the rules (the guide), so a known
    "the EU" is proposed as "EU" there."""
    if text[start : start + 4] in ARTICLES and POSSESSIVE.match(text, end):
        return start + 4
    return start


def find_occurrences(text: str, string: str, label: str | None = None) -> list[tuple[int, int]]:
    """Return the (start, end) of every guarded whole-word occurrence of `string` in `text`.

    With `label` ACTOR, the ACTOR guards apply too (`acts_here`).
    """
    if not string.strip():
        return []
    starts = frozenset(match.end() for match in SENTENCE_START.finditer(text))
    occurrences = guarded_occurrences(
        text, occurrence_pattern([string]), name_runs(text, starts), {string: label or ""}
    )
    return [(start, end) for start, end, _ in occurrences]


# The pattern of the last `known` mapping seen: a corpus run passes one mapping for all its
# documents, and compiling a trie of thousands of strings per document would dominate.
_last_pattern: tuple[Mapping[str, str] | None, frozenset[str], re.Pattern | None] = (
    None,
    frozenset(),
    None,
)


def known_pattern(known: Mapping[str, str], labels: frozenset[str]) -> re.Pattern | None:
    """Return the occurrence pattern of the known strings whose label is wanted (cached)."""
    global _last_pattern
    cached_known, cached_labels, pattern = _last_pattern
    if cached_known is known and cached_labels == labels:
        return pattern
    strings = [s for s, label in known.items() if label in labels and s.strip()]
    pattern = occurrence_pattern(strings) if strings else None
    _last_pattern = (known, labels, pattern)
    return pattern


@register("propagation", labels=["ACTOR", "FIGURE", "QUOTE", "ANON_SOURCE"])
def suggest_propagated(
    analysis: Analysis, context: SuggestContext, found: list[Candidate]
) -> list[Candidate]:
    """Propose each known string, with its label, at its guarded occurrences in the text."""
    pattern = known_pattern(context.known, context.labels)
    if pattern is None:
        return []
    text = analysis.text
    runs = analysis_runs(analysis)
    return [
        Candidate(label, start, end, "propagation", SCORE)
        for start, end, label in guarded_occurrences(text, pattern, runs, context.known)
    ]

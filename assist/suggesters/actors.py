"""ACTOR: named people, organisations, governments, companies and acting countries.

The capitalised runs of the text (`assist.names`) are read in four ways, best first:
- a gazetteer name: a country or capital (pycountry plus news short forms) or an organisation
  (hand list). A country or capital is an actor unless a place preposition stands before it
  ("in Canada", "across Europe"): the guide's "Canada is in advanced talks" acts, "across the
  vast country" is a place. An organisation keeps the "the" before it, as the guide's "the
  European Union" does; a country never does ("the United States" gives "United States").
- a title and a name ("Prime Minister Mark Carney", "U.S. Secretary of State Marco Rubio"):
  the whole run, since the guide takes a title standing next to the name;
- any other run of two or more words ("Lockheed Martin Corp.", "Bank of Canada"), unless it
  ends like a place, event or document ("Wall Street", "Canada Day", "Defence Policy
  Update"), is a place only ("Middle East") or is only nationality words ("North American");
- a person's surname alone, once the text has named the person in full ("Carney").

Never proposed: a dateline ("OTTAWA (Reuters) -": the agency credits the story, it does not
act in it), reporting credits, a nationality adjective ("European"), a common word opening a
sentence, a hyphenated compound ("U.S.-made").
"""

import re

from ..candidates import ACTOR, Candidate
from ..gazetteers import listing
from ..gazetteers.countries import country_names
from ..gazetteers.organisations import CAPITALS, ORGANISATIONS, THE_ORGANISATIONS
from ..gazetteers.words import (
    COMPANY_SUFFIXES,
    DAYS,
    MONTHS,
    NATIONALITIES,
    NOT_ACTOR_HEADS,
    ORGANISATION_HEADS,
    PLACES,
    TITLE_HEADS,
    TITLES,
)
from ..names import Run, analysis_runs
from ..registry import SuggestContext, register
from ..text import Analysis

SCORES = {"gazetteer": 0.9, "titled": 0.85, "name": 0.6, "surname": 0.7}
# A country or capital right after one of these is a place, not an acting party.
PLACE_PREPOSITIONS = listing(
    "in|across|throughout|inside|within|around|into|through|near|at|outside|visit|visited|"
    "visiting|to|from|toward|towards"
)
PREVIOUS_WORD = re.compile(r"([A-Za-z]+)[ \t]*$")
# "OTTAWA (Reuters) -", "BRUSSELS, Belgium —": the dateline opening a story's first paragraph.
DATELINE = re.compile(r"\A\s*[A-Z][A-Z .,'’-]+(?:,[ A-Za-z.]+)?(?:\s*\([^)\n]*\))?\s*[-—–]")
CREDITS = re.compile(r"\((?:Reporting|Writing|Editing|Additional reporting|By)\b[^)]*\)")


def skipped_regions(text: str) -> list[tuple[int, int]]:
    """Return the dateline and credit places of `text`, where no actor is proposed."""
    regions = [match.span() for match in CREDITS.finditer(text)]
    dateline = DATELINE.match(text)
    if dateline:
        regions.append(dateline.span())
    return regions


def previous_word(text: str, start: int) -> str:
    """Return the word right before offset `start`, lower-cased ("" if none)."""
    found = PREVIOUS_WORD.search(text, max(0, start - 30), start)
    return found.group(1).lower() if found else ""


def with_the(text: str, start: int) -> int:
    """Return where the span starting at `start` begins once a "the" right before it is taken."""
    if text[max(0, start - 4) : start] in ("the ", "The ") and (
        start == 4 or not text[start - 5].isalnum()
    ):
        return start - 4
    return start


def is_place_use(text: str, start: int, end: int) -> bool:
    """Return whether the country at [start, end) stands as a place, not an acting party."""
    if text[end : end + 1] == "-" and text[end + 1 : end + 2].islower():
        return True  # "U.S.-made"
    return previous_word(text, start) in PLACE_PREPOSITIONS


def titled_name(words: list[str]) -> tuple[int, int] | None:
    """Return the (first, last) index of the name after a title in `words`, if any."""
    heads = [i for i, word in enumerate(words) if word in TITLE_HEADS]
    if not heads:
        return None
    after = [i for i in range(heads[-1] + 1, len(words)) if words[i] not in TITLES]
    if not after or any(words[i] in country_names() or words[i] in ORGANISATIONS for i in after):
        return None
    return after[0], after[-1]


def classify(text: str, run: Run) -> tuple[int, int, str, list[str]] | None:
    """Return (start, end, kind, surnames) when `run` names an actor, else None."""
    words = [text[start:end] for start, end in run.words]
    name = text[run.start : run.end]
    countries = country_names()
    if name in countries or name in CAPITALS:
        if is_place_use(text, run.start, run.end):
            return None
        return run.start, run.end, "gazetteer", []
    if name in ORGANISATIONS:
        start = with_the(text, run.start) if name in THE_ORGANISATIONS else run.start
        return start, run.end, "gazetteer", []
    if name in PLACES or all(w in DAYS or w in MONTHS for w in words):
        return None
    titled = titled_name(words)
    if titled:
        first, last = titled
        if words[last] in ("Jr.", "Sr.") and last > first:
            last -= 1
        return run.start, run.end, "titled", [words[last]]
    if len(words) < 2 or words[-1] in NOT_ACTOR_HEADS or words[-1] in TITLES:
        return None
    if any(w in DAYS or w in MONTHS for w in words):
        return None
    if all(w in NATIONALITIES or w in countries or w in PLACES for w in words):
        return None
    organisation = words[-1] in ORGANISATION_HEADS or words[-1] in COMPANY_SUFFIXES
    if organisation:
        return with_the(text, run.start), run.end, "name", []
    person = len(words) <= 4 and not any(w in countries or w in NATIONALITIES for w in words)
    return run.start, run.end, "name", [words[-1]] if person else []


def find_actors(analysis: Analysis) -> list[tuple[int, int, str]]:
    """Return (start, end, kind) of every actor proposed in the analysed text."""
    text = analysis.text
    skipped = skipped_regions(text)
    runs = [r for r in analysis_runs(analysis) if not any(s <= r.start < e for s, e in skipped)]
    found: dict[tuple[int, int], str] = {}
    surnames: set[str] = set()
    leftovers = []
    for run in runs:
        actor = classify(text, run)
        if actor is None:
            leftovers.append(run)
            continue
        start, end, kind, names = actor
        found[(start, end)] = kind
        surnames.update(names)
    for run in leftovers:
        if text[run.start : run.end] in surnames:
            found[(run.start, run.end)] = "surname"
    return sorted((start, end, kind) for (start, end), kind in found.items())


@register("actors", labels=[ACTOR])
def suggest_actors(
    analysis: Analysis, context: SuggestContext, found: list[Candidate]
) -> list[Candidate]:
    """Propose an ACTOR for every named or titled actor, acting country and organisation."""
    return [
        Candidate(ACTOR, start, end, "actors", SCORES[kind])
        for start, end, kind in find_actors(analysis)
    ]

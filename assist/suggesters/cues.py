"""Words that signal speech, shared by the quote, speaker and anonymous-source suggesters.

Compiled once; every pattern is a plain alternation with word boundaries, so matching stays
linear in the text.
"""

import re


def words(text: str) -> tuple[str, ...]:
    """Return the whitespace-separated words of `text` (word lists stay readable in source)."""
    return tuple(text.split())


# Verbs of saying in news copy, in the forms wire copy uses (past, present, -ing).
SAYING_VERBS = words(
    "said says say saying told tells telling added adds adding wrote writes writing stated "
    "states asked asks warned warns warning insisted insists noted notes argued argues "
    "explained explains declared declares replied replies tweeted tweets posted posts "
    "acknowledged admitted announced claimed commented confirmed continued cautioned conceded "
    "contended emphasized emphasised stressed suggested recalled remarked responded observed "
    "predicted promised pledged urged vowed quipped joked concluded complained countered "
    "maintained reiterated affirmed boasted lamented mused underlined underscored indicated "
    "disclosed revealed calling called describing described dubbing dubbed labelling labeling "
    "labelled labeled branding branded answered recounted testified wrote"
)
SAYING = re.compile(
    r"\b(?:according\s+to|" + "|".join(sorted(set(SAYING_VERBS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# Verbs that only name what a quote is called, not who said it: a short quoted phrase after
# them ("calling the plan "a disaster"") is a quote of the subject, not a scare quote.
NAMING = re.compile(
    r"\b(?:call(?:s|ed|ing)?|describ(?:es|ed|ing)|dub(?:s|bed|bing)|label(?:s|led|ed|ling|ing)"
    r"|brand(?:s|ed|ing)|term(?:s|ed|ing))\b",
    re.IGNORECASE,
)
ACCORDING_TO = re.compile(r"\baccording\s+to\b", re.IGNORECASE)

# Third-person subject and object pronouns a speaker may hide behind.
PRONOUN = re.compile(r"\b(?:he|she|they|him|her|them)\b", re.IGNORECASE)
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
PLURAL_PRONOUNS = frozenset({"they", "them"})

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "both": 2,
    "pair": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
}

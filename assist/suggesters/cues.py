"""Words that signal speech, shared by the quote, speaker and anonymous-source suggesters.

Compiled once; every pattern is an alternation with word boundaries, so matching stays linear
in the text. Word lists compile to a trie (`alternation`): Python's regex engine tries each
alternative in turn at every position, and a flat list of a hundred verbs made one scan of a
3,000-character text cost 5x more than the trie does.
"""

import re


def words(text: str) -> tuple[str, ...]:
    """Return the whitespace-separated words of `text` (word lists stay readable in source)."""
    return tuple(text.split())


def cased(choices: "tuple[str, ...] | list[str]") -> tuple[str, ...]:
    """Return `choices` in lower case and capitalised (sentence-initial): matching them case-
    sensitively this way costs a third of what an IGNORECASE scan does.
    """
    return tuple(choices) + tuple(word[:1].upper() + word[1:] for word in choices)


def alternation(choices: "tuple[str, ...] | list[str] | set[str]") -> str:
    """Return a regex matching exactly the words `choices`, written as a trie of prefixes."""
    tree: dict = {}
    for word in set(choices):
        node = tree
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


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
    "labelled labeled branding branded answered recounted testified wrote criticized criticised "
    "criticizes criticises accused accuses accusing denied denies condemned condemns dismissed "
    "dismisses rejected rejects"
)
# Cues whose speaker is their object, not their subject: "according to X", "in the words of X".
OBJECT_CUE_PATTERN = r"[Aa]ccording\s+to|[Ii]n\s+the\s+words\s+of"
# A capitalised verb is a cue only where a sentence may open ("Said Carney: ..."), not after
# a word or a comma: "the United States", "Washington Notes" are names.
SAYING = re.compile(
    r"\b(?:"
    + OBJECT_CUE_PATTERN
    + "|"
    + alternation(SAYING_VERBS)
    + r"|(?<![\w,;] )"
    + alternation(tuple(verb.capitalize() for verb in SAYING_VERBS))
    + r")\b"
)
# Verbs that only name what a quote is called, not who said it: a short quoted phrase after
# them ("calling the plan "a disaster"") is a quote of the subject, not a scare quote.
NAMING = re.compile(
    r"\b"
    + alternation(
        cased(
            words(
                "call calls called calling describe describes described describing dub dubs "
                "dubbed dubbing label labels labelled labeled labelling labeling brand brands "
                "branded branding term terms termed terming"
            )
        )
    )
    + r"\b"
)
ACCORDING_TO = re.compile(r"\b[Aa]ccording\s+to\b")
OBJECT_CUE = re.compile(r"\b(?:" + OBJECT_CUE_PATTERN + r")\b")

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

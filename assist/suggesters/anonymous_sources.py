"""ANON_SOURCE: an unnamed source of information, spanned with its whole noun phrase.

A head noun of sourcing (officials, sources, a senior diplomat, an aide, people familiar with
...) is found by one regex; its noun phrase grows left over numbers, determiners and
modifiers ("Two senior Canadian") and right over what is said of who they are (", one from the
European Union and one from Canada," "with direct knowledge of the discussions"). It becomes a
candidate only when it is a source of information (annotation guide, ANON_SOURCE): a cue of
saying follows it as its verb, "according to" or an inverted "said" precedes it, or the text
says why it is unnamed. Named, acting parties ("Russian officials negotiated ...") are refused,
and so is a head followed by a name ("spokesperson Matthew Miller", an ACTOR).
"""

import bisect
import dataclasses
import re
from collections.abc import Iterator

from spacy.lang.en.stop_words import STOP_WORDS

from ..candidates import ANON_SOURCE, Candidate
from ..registry import SuggestContext, register
from ..text import Analysis
from .cues import NUMBER_WORDS, SAYING, alternation, cased, words

# Heads that name a source by its role; each counts as a source only with a cue.
ROLE_WORDS = words(
    "official officials source sources diplomat diplomats aide aides adviser advisers advisor "
    "advisors staffer staffers insider insiders negotiator negotiators delegate delegates "
    "spokesperson spokesman spokeswoman spokespeople representative representatives envoy "
    "envoys"
)
PEOPLE_WORDS = words("people person persons individual individuals")
# One case-sensitive trie of head words (lower case or capitalised), conditions checked in
# Python per hit: lookarounds inside the pattern made every scan of the text 3x slower.
HEAD_WORD = re.compile(r"\b(?:" + alternation(cased((*ROLE_WORDS, *PEOPLE_WORDS, "them"))) + r")\b")
# People are sources only when said to know: "people familiar with", "a person close to".
PEOPLE_CONTEXT = re.compile(
    r"\s+(?:familiar|with|close|briefed|involved|knowledgeable|aware|who)\b"
)
# "The person said", "The people spoke on condition of anonymity": a later reference to "a
# person familiar with ...".
LATER_PEOPLE = re.compile(
    r"\s+(?:said|says|say|told|added|noted|spoke|asked|declined|requested|(?:was|were)\s+not)\b"
)
# "..., said the people, who asked not to be identified": a later reference after its verb.
SAID_THE = re.compile(r"\bsaid\s+[Tt]he\s+$")
OF_THEM = re.compile(
    r"\b(?:[Oo]ne|[Tt]wo|[Tt]hree|[Ss]ome|[Ss]everal|[Ee]ach|[Bb]oth|[Ee]ither|[Nn]either)"
    r"\s+of\s+$"
)


# A clause that keeps the noun phrase before it unnamed: "A plant manager, who asked not to
# be named because ...,", "A Harbourline executive, who was not authorized to speak
# publicly,", "Two workers, speaking on condition of anonymity,".
UNNAMED_CLAUSE = re.compile(
    r",\s+(?:who\s+(?:asked|requested|declined|spoke|agreed|talked)\b[^,.;]{0,40}?"
    r"(?:anonymity|not\s+to\s+be\s+(?:named|identified)|to\s+be\s+(?:named|identified))"
    r"|who\s+(?:was|were|is|are)\s+not\s+(?:publicly\s+)?(?:authori[sz]ed|permitted|allowed"
    r"|cleared)\s+to\b"
    r"|speaking\s+on\s+(?:the\s+)?condition\s+of\s+anonymity)"
)
# Generic sources that say something: "Critics say", "Rights groups warned", "Analysts at
# Leerink Partners said". Only finite verbs, so the plural is the clause's subject.
GENERIC_CUE = re.compile(
    r"\b(?:say|said|warn|warned|argue|argued|told|tell|note|noted|contend|contended|caution"
    r"|cautioned|add|added|insist|insisted|predict|predicted|complain|complained|criticized"
    r"|criticised|called|call)\b"
)
# The same inside a sentence, after a comma, a closing quotation mark or a word that opens a
# clause: "12 people were detained, police said", "which growers say protects beet", "and
# critics say targets a single company". One lower-case modifier at most, no determiner: a
# bare plural, so generic people, not a named or counted group.
CLAUSE_OPENERS = frozenset(words("which that though although but and while as because where"))
# Plural nouns without an "-s": "police said".
COLLECTIVE_PLURALS = frozenset(words("police"))
INNER_GENERIC = re.compile(
    r"(?:[,”\"’]\s+|\b(?:" + "|".join(CLAUSE_OPENERS) + r")\s+)"
    r"(?P<phrase>(?:[a-z][a-z-]+\s+)?(?P<head>[a-z][a-z-]+s|" + "|".join(COLLECTIVE_PLURALS) + r"))"
    r"\s+(?:say|said|warn|warned|argue|argued|estimate|estimated|contend|contended|believe"
    r"|predict|predicted|complain|complained|insist|insisted)\b"
)
# A singular source's verb of saying, and how its phrase opens: "An administrator at
# UW-Madison said", "A senior lawmaker from the governing coalition told AFP".
SINGLE_CUE = re.compile(r"\b(?:said|says|told|added|warned)\b")
INDEFINITE = re.compile(r"(?:A|An|One)\s")
# How far after the verb the paragraph may say why the source is unnamed.
ANONYMITY_WINDOW = 300
# Singular things that say something without being anyone: "A report by the agency said".
THINGS_THAT_SAY = frozenset(
    words("report statement document study survey memo letter filing email message poll notice")
)
# What ends a sentence for `sentence_starts`: a full stop (with its closing mark) and space,
# or a paragraph break.
SENTENCE_BREAK = re.compile(r"[.!?][\"”’]?\s+|\n")
# Prepositions that may follow a source's head ("Analysts at Leerink", "Workers at the mine").
HEAD_PREPOSITION = frozenset(words("at from for of in on with close to within inside near"))
# Plurals that carry information without being people: "Reports said", "Polls say".
INANIMATE_PLURALS = frozenset(
    words(
        "reports documents data figures statistics polls surveys studies records filings papers "
        "estimates results minutes forecasts projections analyses emails messages letters "
        "texts statements news prices markets shares numbers"
    )
)
NP_DETERMINERS = frozenset(words("some many several other most a an one two three four five"))
MAX_PHRASE_WORDS = 8
MAX_PHRASE_CHARS = 100


def clause_head(text: str, start: int, end: int, *, plural_only: bool) -> tuple[int, int] | None:
    """Return the (start, end) of the head noun of the noun phrase [start, end): the word
    before its first preposition or its last word, lower case (or capitalised as the
    sentence's first word), not a name, or None when the phrase reads as no such noun phrase.
    """
    tokens = list(WORD.finditer(text, start, end))
    if not tokens or len(tokens) > MAX_PHRASE_WORDS or "," in text[start:end]:
        return None
    head_index = len(tokens) - 1
    for index, token in enumerate(tokens[1:], start=1):
        if token.group() in HEAD_PREPOSITION:
            head_index = index - 1
            break
    head = tokens[head_index]
    word = head.group()
    lower = word.lower()
    if not word.isalpha() or lower in INANIMATE_PLURALS or lower in STOP_WORDS:
        return None
    if word[0].isupper() and (head_index != 0 or capitalised_inside(text, word)):
        # "Congressional Democrats", "Rogers said": a name, not a description.
        return None
    if plural_only and not reads_plural(word):
        return None
    # Before the head only determiners and modifiers: no clause opener, verb or name.
    for token in tokens[:head_index]:
        if token.group().lower() in CAPITAL_STOP or token.group().lower() in STOP_WORDS - set(
            NP_DETERMINERS
        ):
            return None
    return head.start(), head.end()


def reads_plural(word: str) -> bool:
    """Return whether a noun no list names reads as plural: by its "-s" ("Critics", not
    "Congress"), or a plural without one ("police")."""
    return word.endswith("s") and not word.endswith("ss") or word.lower() in COLLECTIVE_PLURALS


def capitalised_inside(text: str, word: str) -> bool:
    """Return whether `word` stands capitalised inside a sentence somewhere in `text` (a
    name), not only as a sentence's first word (a common noun: "Critics say").
    """
    return re.search(rf"(?<=[\w,;:] ){re.escape(word)}\b", text) is not None


def described_heads(text: str) -> Iterator[tuple[int, int, str, int, int | None]]:
    """Yield the heads of sources that no list names but their sentence describes: a phrase
    opening its sentence that a clause says is unnamed ("A Stellantis manager at the plant,
    who asked not to be named, said"), or a bare plural that is the subject of a verb of
    saying ("Critics say", "Rights groups warned"). Later definite references to the same
    head ("the manager said") follow. Each comes with where its noun phrase starts and,
    before an anonymity clause, where it ends.
    """
    learned: set[str] = set()
    starts = sentence_starts(text)
    for clause in UNNAMED_CLAUSE.finditer(text):
        start = phrase_start(starts, clause.start())
        if start is None:
            continue
        first_word = WORD.match(text, start)
        if first_word is None or first_word.group().lower() not in NP_DETERMINERS:
            continue
        head = clause_head(text, start, clause.start(), plural_only=False)
        if head:
            learned.add(text[head[0] : head[1]].lower())
            yield head[0], head[1], text[head[0] : head[1]], start, clause.start()
    for cue in SINGLE_CUE.finditer(text):
        # "A Gulfstar employee at the plant said ...": one unnamed person from somewhere,
        # whom the paragraph then says is unnamed ("..., who spoke on condition of anonymity").
        start = phrase_start(starts, cue.start())
        if start is None or not INDEFINITE.match(text, start):
            continue
        paragraph_end = text.find("\n", cue.end())
        window_end = min(
            cue.end() + ANONYMITY_WINDOW, len(text) if paragraph_end < 0 else paragraph_end
        )
        if not ANONYMITY.search(text, cue.end(), window_end):
            continue
        end = len(text[start : cue.start()].rstrip()) + start
        tokens = WORD.findall(text, start, end)
        if not any(token in HEAD_PREPOSITION for token in tokens[1:]):
            continue
        head = clause_head(text, start, end, plural_only=False)
        if head and text[head[0] : head[1]].lower() not in THINGS_THAT_SAY:
            learned.add(text[head[0] : head[1]].lower())
            yield head[0], head[1], text[head[0] : head[1]], start, end
    for cue in GENERIC_CUE.finditer(text):
        start = phrase_start(starts, cue.start())
        if start is None:
            continue
        first_word = WORD.match(text, start)
        if first_word is None or first_word.group().lower() in ("a", "an", "the", "one"):
            continue
        head = clause_head(text, start, cue.start(), plural_only=True)
        if head:
            yield head[0], head[1], text[head[0] : head[1]], start, None
    for match in INNER_GENERIC.finditer(text):
        head = match.group("head")
        modifier = match.group("phrase")[: -len(head)].strip()
        opens = match.start("phrase")
        if modifier in CLAUSE_OPENERS:
            modifier, opens = "", match.start("head")  # ", which growers say"
        if (
            not reads_plural(head)
            or head in INANIMATE_PLURALS
            or head in STOP_WORDS
            or modifier in STOP_WORDS
            or modifier in INANIMATE_PLURALS
        ):
            continue
        yield match.start("head"), match.end("head"), head, opens, None
    for head_word in learned:
        later = re.compile(
            rf"\b[Tt]he\s+({re.escape(head_word)})(?=\s+(?:said|says|told|added))"
            rf"|(?<=\bsaid\s)the\s+({re.escape(head_word)})\b"
        )
        for match in later.finditer(text):
            group = 1 if match.group(1) else 2
            yield match.start(group), match.end(group), match.group(group), match.start(), None


def sentence_starts(text: str) -> list[int]:
    """Return where the text's sentences start, by punctuation (not the parser's sentences:
    `heads` reads the text alone).
    """
    return [0, *(m.end() for m in SENTENCE_BREAK.finditer(text))]


def phrase_start(starts: list[int], position: int) -> int | None:
    """Return the start of the sentence holding `position` if a phrase of at most
    MAX_PHRASE_WORDS words could fill the sentence up to it, else None.
    """
    start = starts[bisect.bisect_right(starts, position) - 1] if starts else 0
    return start if position - start <= MAX_PHRASE_CHARS else None


Head = tuple[int, int, str, int | None, int | None]


def heads(text: str) -> Iterator[Head]:
    """Yield (start, end, words, phrase start, phrase end) of each head of a possible source,
    in order; the phrase's bounds are None where the words around the head decide them
    (`grow_left`, `grow_right`).
    """
    found: dict[tuple[int, int], tuple[str, int | None, int | None]] = {
        (start, end): (word, None, None) for start, end, word in listed_heads(text)
    }
    for start, end, word, phrase_start, phrase_end in described_heads(text):
        if not any(s <= start < e for s, e in found):
            found[(start, end)] = (word, phrase_start, phrase_end)
    for (start, end), (word, phrase_start, phrase_end) in sorted(found.items()):
        yield start, end, word, phrase_start, phrase_end


def listed_heads(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, words) of each head that the word lists name, in order."""
    for match in HEAD_WORD.finditer(text):
        word = match.group()
        lower = word.lower()
        if lower == "them":
            of = OF_THEM.search(text, max(0, match.start() - 12), match.start())
            if of:
                yield of.start(), match.end(), text[of.start() : match.end()]
        elif lower in PEOPLE_WORDS:
            if PEOPLE_CONTEXT.match(text, match.end()) or (
                lower in ("people", "person")
                and text[max(0, match.start() - 4) : match.start()] in ("the ", "The ")
                and (
                    LATER_PEOPLE.match(text, match.end())
                    or SAID_THE.search(text, max(0, match.start() - 10), match.start())
                )
            ):
                yield match.start(), match.end(), word
        else:
            yield match.start(), match.end(), word


PLURAL_HEADS = re.compile(
    r"(?:officials|sources|diplomats|aides|advis[eo]rs|staffers|insiders|negotiators|delegates"
    r"|spokespeople|representatives|envoys|people|persons|individuals)$",
    re.IGNORECASE,
)
# What is said of who the sources are, after the head: the topic they know (not an
# affiliation), or where they come from (an affiliation).
KNOWLEDGE = re.compile(
    r"\s+(?:familiar\s+with|with\s+(?:(?:direct|first-?hand|intimate|detailed|inside|some)\s+)?"
    r"knowledge\s+of|knowledgeable\s+about|briefed\s+on|involved\s+in|aware\s+of"
    r"|who\s+(?:are|is|were|was)\s+familiar\s+with)\s+",
    re.IGNORECASE,
)
BELONGING = re.compile(
    r"\s+(?:close\s+to|from|at|in|of|with|inside|within|for|representing"
    r"|to(?=\s+(?:[A-Z]|the\s)))\s+"
)
# ", one from the European Union and one from Canada," after a plural head.
DISTRIBUTIVE = re.compile(
    r",\s+((?:one|both|each|all|two|three|some)\s+(?:from|of|at|in|with)\b[^,.;:\"“”()]{1,120}),",
    re.IGNORECASE,
)
# Where a prepositional object ends: punctuation, or a word that starts a clause.
OBJECT_STOP = re.compile(
    r"[,.;:!?\"“”«»()\[\]]|\s(?:who|whom|whose|which|that|but|because|while|when|as|if|"
    r"although|on\s+condition|to|since|after|before|until|than|have|has|had|are|is|was|were|"
    r"will|would|could|can|may|might|should|must|did|do|does|also|not|never|declined|"
    r"spoke|speaking|requested|asked|insisted)\b|"
    r"\s(?:and|or)\s+(?![A-Z]|the\s|a\s|an\s|one\s)",
    re.IGNORECASE,
)
MAX_OBJECT_CHARS = 80
DETERMINERS = frozenset(
    words(
        "the a an some several many other both few multiple numerous various these those three "
        "two four five six seven eight nine ten one"
    )
)
MODIFIERS = frozenset(
    words(
        "senior top junior high-ranking high-level mid-level low-level former current retired "
        "administration government military intelligence security diplomatic defence defense "
        "trade foreign police ministry party campaign industry company bank union state federal "
        "provincial municipal city regional local western european american canadian anonymous "
        "unnamed informed reliable knowledgeable well-placed official congressional parliamentary "
        "palace cabinet embassy agency department fbi cia nato un eu u.s. u.k. white house prime "
        "alliance bloc opposition coalition commission council court treasury airline club "
        "minister's president's"
    )
)
AFFILIATION_WORDS = frozenset(
    words(
        "administration government military intelligence security diplomatic defence defense "
        "trade foreign police ministry party campaign industry company bank union state federal "
        "provincial municipal city regional congressional parliamentary palace cabinet embassy "
        "agency department alliance bloc opposition coalition commission council court "
        "treasury airline club"
    )
)
# Modifiers that say how high or how known a source is, not whose it is.
RANKS = frozenset(
    words(
        "senior top junior high-ranking high-level mid-level low-level former current retired "
        "anonymous unnamed informed reliable knowledgeable well-placed"
    )
)
# Capitalised words that open a sentence or clause, never a source's modifier.
CAPITAL_STOP = frozenset(
    words(
        "but and or so yet the in on at after when while meanwhile however still also then if as "
        "since though although because before until with without for from of by to said says told "
        "he she they we it his her their its this that these those"
    )
)
NAME_AFTER = re.compile(r",?\s+(?:[A-Z][\w’'.-]+\s+){0,2}[A-Z][\w’'-]+")
# Capitalised words after a head that are not a name standing for the source.
NOT_A_NAME = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April"
    r"|May|June|July|August|September|October|November|December|Who|But|And)\b"
)
ANONYMITY = re.compile(
    r"\banonymity\b|\bnot\s+(?:publicly\s+)?(?:authori[sz]ed|permitted|allowed|cleared)\s+to\b"
    r"|\bdeclined\s+to\s+be\s+(?:named|identified)\b|\bnot\s+to\s+be\s+(?:named|identified)\b",
    re.IGNORECASE,
)
REASONS = (
    re.compile(
        r"\b(not\s+(?:publicly\s+)?(?:authori[sz]ed|permitted|allowed|cleared|empowered)"
        r"\s+to\s+[^,.;:!?\"“”()]+)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:anonymity|named|identified)\s*,?\s+(?:because\s+(?:of\s+)?|due\s+to\s+|given\s+)"
        r"([^,.;:!?\"“”()]+)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\banonymity\s+(to\s+(?:discuss|describe|speak\s+(?:about|on)|talk\s+about|share"
        r"|detail|reveal|disclose|brief)\s+[^,.;:!?\"“”()]+)",
        re.IGNORECASE,
    ),
)
SAID_BEFORE = re.compile(
    r"(?:according\s+to|[\"”»],?\s*(?:said|says|added|noted|told\s+\w+))\s+$", re.IGNORECASE
)
CUE_GAP_WORDS = 3
CUE_WINDOW = 120
WORD = re.compile(r"\S+")
# A reference back to sources already introduced: a definite head with nothing said of them.
LATER_REFERENCE = re.compile(
    r"(?:(?:one|two|three|some|several|each|both|either|neither|none)\s+of\s+)?"
    r"(?:the|these|those|them)(?:\s+\S+)?"
)


def sentence_bounds(analysis: Analysis, position: int) -> tuple[int, int]:
    """Return the sentence holding `position`, or its paragraph's bounds if none does."""
    index = bisect.bisect_right(analysis.sentences, position, key=first) - 1
    if index >= 0 and analysis.sentences[index][1] > position:
        return analysis.sentences[index]
    return 0, len(analysis.text)


ONE_OF = re.compile(
    r"\b(?:one|two|three|four|five|some|several|each|both|either|neither|none)\s+of\s+$",
    re.IGNORECASE,
)


def grow_left(text: str, head_start: int, floor: int) -> tuple[int, list[str]]:
    """Return where the noun phrase before a head starts, and its words, left to right."""
    start, words = grow_modifiers(text, head_start, floor)
    # "one of the officials": a later reference that counts one of them.
    one_of = ONE_OF.search(text, floor, start)
    if one_of and words[:1] and words[0].lower() in ("the", "those", "these"):
        return one_of.start(), [one_of.group().split()[0], "of", *words]
    return start, words


def grow_modifiers(text: str, head_start: int, floor: int) -> tuple[int, list[str]]:
    """Return where the determiners and modifiers before a head start, and their words."""
    words: list[tuple[int, str]] = []
    for match in reversed(list(WORD.finditer(text, floor, head_start))):
        word = match.group()
        lower = word.lower()
        if len(words) >= 6 or word[-1] in ',;:"“”()' or word[0] in '"“”(':
            break
        if lower in DETERMINERS:
            words.append((match.start(), word))
            if lower in NUMBER_WORDS and lower not in ("a", "an"):
                continue
            break
        if lower.isdigit() or lower in MODIFIERS or word.endswith(("’s", "'s")):
            words.append((match.start(), word))
            continue
        if word[0].isupper() and lower not in CAPITAL_STOP:
            words.append((match.start(), word))
            continue
        # "An energy ministry official": noun modifiers no list names, when an article or a
        # number opens the phrase at most two words further left.
        left = [m for m in WORD.finditer(text, floor, match.start())][-2:]
        for index in range(len(left) - 1, -1, -1):
            opener = left[index].group().lower()
            between = [m.group() for m in left[index + 1 :]]
            if opener in ("a", "an", "the") or opener in NUMBER_WORDS:
                if all(
                    w.isalpha() and w.islower() and w not in STOP_WORDS for w in [word, *between]
                ):
                    words.append((match.start(), word))
                    words.extend((m.start(), m.group()) for m in reversed(left[index:]))
                break
        break
    words.reverse()
    return (words[0][0] if words else head_start), [word for _, word in words]


def object_end(text: str, start: int, limit: int) -> int:
    """Return where a prepositional object that starts at `start` ends."""
    stop = OBJECT_STOP.search(text, start, min(limit, start + MAX_OBJECT_CHARS))
    end = stop.start() if stop else min(limit, start + MAX_OBJECT_CHARS)
    # Never end on a cue of saying ("with knowledge of the talks said").
    cue = SAYING.search(text, start, end)
    if cue:
        end = cue.start()
    return len(text[start:end].rstrip()) + start


def grow_right(text: str, head_end: int, limit: int) -> tuple[int, list[str], bool]:
    """Return where the noun phrase after a head ends, the affiliations it names, and whether
    it says what the sources know ("familiar with", "with direct knowledge of").
    """
    end, affiliations, knows = head_end, [], False
    distributive = DISTRIBUTIVE.match(text, end, limit)
    if distributive:
        parts = re.findall(
            r"(?:from|of|at|in|with)\s+(?:the\s+)?([^,]+?)(?=\s+and\s+|$)",
            distributive.group(1),
        )
        affiliations.append(" and ".join(parts))
        end = distributive.end(1)
    for _ in range(3):
        # After ", one from X and one from Y," the phrase may go on past that comma.
        resume = end + 1 if distributive and text[end : end + 1] == "," else end
        knowledge = KNOWLEDGE.match(text, resume, limit)
        if knowledge:
            end, knows = resume, True
        belonging = None if knowledge else BELONGING.match(text, end, limit)
        link = knowledge or belonging
        if link is None:
            break
        stop = object_end(text, link.end(), limit)
        if stop <= link.end():
            break
        if belonging:
            phrase = text[link.start() : stop].strip()
            if phrase.lower().startswith("close to"):
                affiliations.append(phrase)
            else:
                affiliations.append(re.sub(r"^\w+\s+(?:the\s+)?", "", phrase))
        end = stop
    return end, affiliations, knows


def is_source(text: str, start: int, end: int, sentence_end: int, knowledge: bool) -> bool:
    """Return whether the phrase [start, end) is a source of information in its sentence."""
    if knowledge or ANONYMITY.search(text, end, sentence_end):
        return True
    if SAID_BEFORE.search(text[max(0, start - 40) : start]):
        return True
    after = text[end : min(sentence_end, end + CUE_WINDOW)]
    after = re.split(r"[\"“”«»;]", after, maxsplit=1)[0]
    cue = SAYING.search(after)
    if cue is None:
        return False
    gap = after[: cue.start()]
    # Skip one clause between commas: ", who spoke on condition of anonymity, said".
    gap = re.sub(r"^\s*,[^,]*,", "", gap)
    return "," not in gap and len(WORD.findall(gap)) <= CUE_GAP_WORDS


def reason_given(analysis: Analysis, start: int, sentence_end: int) -> str | None:
    """Return the reason given for anonymity in the phrase's sentence or the next, if any."""
    text = analysis.text
    following = sentence_bounds(analysis, sentence_end + 1)
    if following[0] > sentence_end and following[0] - sentence_end < 3:
        sentence_end = following[1]
    for pattern in REASONS:
        match = pattern.search(text, start, sentence_end)
        if match:
            reason = match.group(1)
            cue = SAYING.search(reason)
            return (reason[: cue.start()] if cue else reason).strip() or None
    return None


def count_of(words: list[str], head: str) -> int | None:
    """Return how many sources the phrase says, or None when it does not say."""
    if " of " in f" {' '.join(words)} {head} ".lower():
        # "one of the officials", "One of them": the number before "of" is the count.
        first = (words or head.split())[0].lower()
        return NUMBER_WORDS.get(first)
    # A head no list names is plural by its ending: "Two workers", "A plant manager".
    plural = PLURAL_HEADS.search(head) is not None or (
        reads_plural(head) and HEAD_WORD.fullmatch(head) is None
    )
    for word in words:
        lower = word.lower()
        if lower.isdigit():
            return int(lower)
        if lower in NUMBER_WORDS and (plural or NUMBER_WORDS[lower] == 1):
            return NUMBER_WORDS[lower]
    return None if plural else 1


def affiliation_of(words: list[str], after: list[str]) -> str | None:
    """Return what the phrase says of who the sources are: modifiers and where they come from."""
    before = [
        word
        for word in words
        if word.lower() not in DETERMINERS
        and word.lower() not in RANKS
        and (word[0].isupper() or word.lower() in AFFILIATION_WORDS)
    ]
    parts = [" ".join(before)] if before else []
    parts += [part for part in after if part]
    return ", ".join(parts) or None


def first_mention(
    text: str, candidates: list[Candidate], start: int, words: list[str], length: int
) -> Candidate | None:
    """Return the full mention that a later reference ("the officials", "one of the officials",
    "One of them") points back to, or None if the phrase at `start` is a full mention itself.
    """
    phrase = text[start : start + length].lower()
    later = LATER_REFERENCE.fullmatch(phrase) is not None
    if not later or not candidates:
        return None
    head = phrase.split()[-1][:4]
    for candidate in reversed(candidates):
        covered = text[candidate.start : candidate.end].lower()
        if not LATER_REFERENCE.fullmatch(covered) and (head == "them" or head in covered):
            return candidate
    return None


def first(pair: tuple[int, int]) -> int:
    """Return a (start, end) pair's start (a bisect key)."""
    return pair[0]


@register("anonymous_sources", labels=[ANON_SOURCE])
def suggest_anonymous_sources(
    analysis: Analysis, context: SuggestContext, found: list[Candidate]
) -> list[Candidate]:
    """Return an ANON_SOURCE candidate for each unnamed source of information."""
    text, candidates, taken_until = analysis.text, [], -1
    for head_start, head_end, head, phrase_start, phrase_end in heads(text):
        if head_start < taken_until:
            continue
        s_start, s_end = sentence_bounds(analysis, head_start)
        name = NAME_AFTER.match(text, head_end, s_end)
        if name and not NOT_A_NAME.match(name.group().lstrip(", ")):
            continue
        if phrase_start is None:
            start, words = grow_left(text, head_start, s_start)
        else:
            start, words = phrase_start, WORD.findall(text, phrase_start, head_start)
        end, affiliations, knowledge = grow_right(text, head_end, s_end)
        if phrase_end is not None and phrase_end > end:
            # "A pilot on the union's bargaining committee, who spoke on condition of ...":
            # the phrase runs to the clause that keeps it unnamed.
            affiliations.append(re.sub(r"^\s*\w+\s+", "", text[end:phrase_end]))
            end = phrase_end
        if not is_source(text, start, end, s_end, knowledge):
            continue
        attributes: dict[str, object] = {}
        count = count_of(words, head)
        if count is not None:
            attributes["count"] = count
        affiliation = affiliation_of(words, affiliations)
        if affiliation:
            attributes["affiliation"] = affiliation
        reason = reason_given(analysis, end, s_end)
        first = first_mention(text, candidates, start, words, end - start)
        if reason and first is not None:
            # The guide records the reason on the first full mention, not the later reference.
            if "reason_given" not in first.attributes:
                index = candidates.index(first)
                moved = {**first.attributes, "reason_given": reason}
                candidates[index] = dataclasses.replace(first, attributes=moved, score=0.85)
        elif reason:
            attributes["reason_given"] = reason
        candidates.append(
            Candidate(
                label=ANON_SOURCE,
                start=start,
                end=end,
                suggester="anonymous_sources",
                score=0.85 if knowledge or reason else 0.7,
                attributes=attributes,
            )
        )
        taken_until = end
    return candidates

"""Speakers: link each QUOTE to the ACTOR or ANON_SOURCE span that says it.

For each quote, a cue of saying is looked for first just after the quote (`"...," Carney
said`, `"...," said Carney`), then in the quote's sentence before it (`Carney said: "..."`,
`according to two officials, "..."`, `calling the plan "a disaster"`). The speaker is the
candidate nearest the cue on the subject's side, skipping possessives ("Canada’s new leader,
Prime Minister Mark Carney, said" gives Mark Carney), prepositional objects ("the head of the
Commission, Ursula von der Leyen, said") and anything inside a quote. A pronoun (he, she,
they) resolves to the subject of the nearest sentence before it that names a fitting span
(a person for he/she; a plural source or an organisation for they), and the relation goes
to that span, never to the pronoun. A quote with no cue of its own takes the speaker of the
quote in its adjacent sentence, and every part of a multi-paragraph quote shares one speaker.
When no candidate covers the speaker's words, a capitalised name there becomes a new ACTOR.
"""

import bisect
import dataclasses
import re
from functools import lru_cache

from ..candidates import ACTOR, ANON_SOURCE, QUOTE, SPEAKER_LABELS, Candidate, SpanRef
from ..names import DATELINE
from ..reading import passed_over
from ..registry import SuggestContext, register
from ..text import Analysis
from .cues import NAMING, OBJECT_CUE, PERSON_PRONOUNS, SAYING, alternation, words
from .quotes import QuoteMatch, find_quotes

SUBJECT_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t)\b")
PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|in|at|from|for|to|with|by|on|about|against|between|into|over|under|near|like|"
    r"than|toward|towards|across|after|before|during|without|among|amid|behind|via)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
ADDRESSEE_BEFORE = re.compile(r"\b(?:told|tells|tell|telling)\s+$")
POSSESSIVE_AFTER = re.compile(r"[’']s?\b")
RELATIVE_CLAUSE = re.compile(r",\s+(?:who|which|whose|whom)\b[^,]*,", re.IGNORECASE)
# A capitalised name with its title: "Foreign Affairs Minister Mélanie Joly", "Ursula von der
# Leyen". Possessive-free, at most eight words.
PARTICLE = r"\b(?:von|van|de|der|den|da|di|del|la|le|bin|al|ibn)(?=\s+[A-Z])"
NAME_WORD = rf"(?:[A-Z][\w.-]*(?:[’'](?!s\b)\w+)*|{PARTICLE})"
# Lower-case joints inside a name: "Alliance of Small Island States", "Law and Justice".
JOINT = r"(?:of|and|for|the|on)(?=\s+[A-Z])"
NAME = re.compile(rf"{NAME_WORD}(?:\s+(?:{NAME_WORD}|{JOINT})){{0,7}}")
NOT_NAME_WORDS = frozenset(
    words(
        "The But And Or So Yet In On At After When While Meanwhile However Still Also Then If "
        "As Since Though Although Because Before Until With Without For From Of By To He She "
        "They We It I His Her Their Its This That These Those Monday Tuesday Wednesday Thursday "
        "Friday Saturday Sunday January February March April May June July August September "
        "October November December A An"
    )
)
TITLE = re.compile(
    r"^(?:the\s+)?(?:(?:Former|Acting|Deputy|Vice|Interim|Foreign|Prime|Chief|Senior|"
    r"Defence|Defense|Finance|Trade|Foreign\s+Affairs|Health|Justice|Labour|Labor|Energy)\s+)*"
    r"(?:President|Minister|Secretary|Chancellor|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Senator|Governor"
    r"|Mayor|Premier|King|Queen|Pope|Ambassador|Spokes(?:person|man|woman)|Chief|Director|CEO"
    r"|Chair(?:man|woman|person)?|Commissioner|Judge|Justice|Lt|Col|Capt|Adm|Sgt|Prof|Professor"
    r"|Leader|Speaker|Envoy|Representative|Congressman|Congresswoman|Lord|Lady|Sir|Dame|"
    r"Prince|Princess|Emperor|Sheikh|Cardinal|Bishop|Rabbi|Imam|Coach|Captain|Officer|Inspector)"
    r"\b\.?",
)
ORG_WORD = re.compile(
    r"\b(?:Union|Ministry|Department|Council|Commission|Bank|Company|Inc|Corp|Corporation|Ltd"
    r"|LLC|Group|Party|Agency|Organi[sz]ation|Nations|Parliament|Government|Committee"
    r"|University|Institute|Association|Federation|Fund|Court|Office|Forces|Army|Navy|Police"
    r"|House|Senate|Congress|Board|Authority|Service|Services|Reuters|Press|News|Times|Post"
    r"|States|Kingdom|Republic|Alliance|Motors|Airlines|Industries|Holdings|Trust|Foundation"
    r"|Center|Centre|Administration|Pentagon|Kremlin|Cabinet|Secretariat|Assembly|Network"
    r"|Coalition|Command|Bureau|Embassy|Treasury|Commons|Lords|Club|League|Ministry|Systems"
    r"|Technologies|Energy|Airways|Media|Partners|Capital|Securities|Exchange|Market|Markets)\b"
)
WORD = re.compile(r"\S+")
PREVIOUS_WORD = re.compile(r"(\w+)\s+$")
ARTICLE_BEFORE = re.compile(r"\b(?:the|The)\s+$")
LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
LOWER_TITLES = frozenset(
    words(
        "leader chief head spokesperson spokesman spokeswoman minister secretary president "
        "chairman chairwoman chair director governor ambassador envoy economist commissioner "
        "executive analyst strategist negotiator adviser advisor lawmaker senator mayor"
    )
)
LOWER_TITLE = (
    r"(?<![\w’'])(?:[A-Z][\w.+’'-]*\s+(?:(?:and|of|for|the)\s+)?){1,4}(?:[a-z]+\s+)?"
    r"(?:" + alternation(LOWER_TITLES) + r")\s+"
)
# A lower-case title and the organisation before it, right before a name.
TITLE_BEFORE = re.compile(LOWER_TITLE + "$")
TITLE_LEAD = re.compile(LOWER_TITLE)
# What makes a name an organisation's, to keep its article.
ORG_WORD_OR_SINGLE = re.compile(ORG_WORD.pattern + r"|^\S+$")
# A sentence that "ends" on a short capitalised abbreviation before a name: "Capt.", "Gov.",
# "Sen.", "Dr." (not "Jr.", "Sr.", which do end sentences after a name).
TITLE_ABBREVIATION_END = re.compile(r"(?<![\w.])(?!(?:Jr|Sr)\.)[A-Z][a-z]{0,3}\.\s*$")
QUOTE_MARK = re.compile('[\u201c\u201d\u201e"\u00ab\u00bb]')
# What a cue of saying reports when a clause follows it: a subject of up to four words and a
# finite verb ("said Arianespace would fly", "said it was", "told reporters that").
REPORTED_CLAUSE = re.compile(
    r"\s+(?:that\b|[^\s,.;:]+(?:\s+[^\s,.;:]+){0,3}?\s+(?:would|will|was|were|is|are|had|has|"
    r"have|could|can|should|must|might|may|did|does|do)\b)"
)
# How far back a pronoun's antecedent may be an unspanned name.
ANTECEDENT_CHARS = 600
# Where an after-quote cue must start to still be about this quote.
CUE_AFTER_CHARS = 80
# How far past an inverted cue ("said ...") its subject may start.
INVERTED_CHARS = 60


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Return country names and common short forms, lower case (pycountry and news usage)."""
    import pycountry

    names = {"u.s.", "us", "u.k.", "uk", "britain", "russia", "iran", "syria", "america"}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names.add(value.lower())
    return frozenset(names)


# Capitals that stand for their governments ("Washington walked away"): never a "he".
CAPITALS = frozenset(
    words(
        "Washington Ottawa Brussels Moscow Beijing London Paris Berlin Tokyo Kyiv Kiev Tehran "
        "Riyadh Ankara Delhi Canberra Rome Madrid Warsaw Budapest Pyongyang Seoul Jerusalem "
        "Damascus Baghdad Kabul Islamabad Cairo Brasilia Havana Caracas Kremlin Pentagon "
        "Westminster Whitehall Tallinn Riga Vilnius Bucharest Athens Lisbon Dublin Oslo "
        "Stockholm Helsinki Copenhagen Vienna Prague Bern Geneva Minsk Tbilisi Taipei Manila "
        "Jakarta Hanoi Bangkok Nairobi Abuja Pretoria Doha Dubai Amman Beirut Rabat Algiers"
    )
)
# Two capitalised words that name a place, not a person.
PLACES = frozenset(
    words(
        "new_york los_angeles san_francisco hong_kong new_delhi buenos_aires middle_east "
        "latin_america north_america south_america wall_street silicon_valley capitol_hill "
        "downing_street tel_aviv rio_de_janeiro sao_paulo mexico_city quebec_city "
        "british_columbia nova_scotia new_brunswick west_bank gaza_strip"
    )
)


@lru_cache(maxsize=1024)
def inside_sentence(word: str) -> re.Pattern[str]:
    """Return a pattern for `word` standing after a word or a comma: inside a sentence."""
    return re.compile(rf"(?<=[\w,;:] ){re.escape(word)}\b")


def is_person(words: str, surnames: set[str]) -> bool:
    """Return whether a speaker span reads as one person rather than a group or a country."""
    words = LEADING_ARTICLE.sub("", words)
    if TITLE.match(words):
        return True
    title = TITLE_LEAD.match(words)
    if title and title.end() < len(words):
        # "Reform UK leader Nigel Farage": the name after a lower-case title decides.
        words = words[title.end() :]
    if ORG_WORD.search(words) or words.lower() in country_names() or words.isupper():
        return False
    parts = words.split()
    if len(parts) >= 2:
        return all(
            part[:1].isupper() or part in ("von", "van", "de", "der", "da") for part in parts
        )
    return words in surnames


@dataclasses.dataclass(slots=True)
class Speakers:
    """The speaker spans of one text, with what each one reads as (built once per run)."""

    text: str
    spans: list[Candidate]
    quote_ranges: list[tuple[int, int]]
    surnames: set[str] = dataclasses.field(default_factory=set)
    starts: list[int] = dataclasses.field(default_factory=list)
    added: dict[SpanRef, Candidate] = dataclasses.field(default_factory=dict)
    # The opening mark of the quote being attributed.
    current: int = -1
    sentences: tuple[tuple[int, int], ...] = ()
    # Where the dateline ends: its place and credit ("CANBERRA, Dec 10 (Reuters) -") name no
    # speaker, however near a cue they stand.
    dateline_end: int = 0

    def __post_init__(self) -> None:
        dateline = DATELINE.match(self.text)
        self.dateline_end = dateline.end() if dateline else 0
        self.spans = outermost(self.spans)
        self.starts = [span.start for span in self.spans]
        for span in self.spans:
            words = self.text[span.start : span.end]
            if span.label == ACTOR and len(words.split()) >= 2 and is_person(words, set()):
                self.surnames.add(words.split()[-1])

    def in_quote(self, start: int, end: int) -> bool:
        """Return whether [start, end) is inside a quote other than one holding the current
        quote (a nested quote's speaker is named inside its outer quote).
        """
        current = self.current
        return any(
            a <= start < b and not a < current < b for a, b in self.quote_ranges if a <= start
        )

    def subject_like(self, span: Candidate, *, objects: bool = False) -> bool:
        """Return whether a span may be a subject: not possessive, not a preposition's object
        (unless `objects`, as after "according to").
        """
        text = self.text
        if POSSESSIVE_AFTER.match(text, span.end) or self.in_quote(span.start, span.end):
            return False
        if ADDRESSEE_BEFORE.search(text, max(0, span.start - 10), span.start):
            return False  # "told The Canadian Press": the one told, never the teller
        return objects or not PREPOSITION_BEFORE.search(text[max(0, span.start - 16) : span.start])

    def within(self, start: int, end: int, *, objects: bool = False) -> list[Candidate]:
        """Return the subject-like spans inside [start, end), in order."""
        first = bisect.bisect_left(self.starts, start)
        found = []
        for span in self.spans[first:]:
            if span.start >= end:
                break
            if span.end <= end and self.subject_like(span, objects=objects):
                found.append(span)
        return found

    def ending_at(self, end: int) -> Candidate | None:
        """Return the outermost span ending at `end` that may be a subject but for a
        preposition before it (not possessive, not inside another quote), or None.
        """
        index = bisect.bisect_right(self.starts, end)
        for span in self.spans[max(0, index - 8) : index]:
            if span.end == end and self.subject_like(span, objects=True):
                return span
        return None

    def add(self, span: Candidate) -> None:
        self.added[span.ref] = span
        words = self.text[span.start : span.end].split()
        if len(words) >= 2:
            self.surnames.add(words[-1])
        index = bisect.bisect_left(self.starts, span.start)
        self.spans.insert(index, span)
        self.starts.insert(index, span.start)

    def fit(self, span: Candidate, pronoun: str) -> int:
        """Return how well `pronoun` may stand for `span`: 2 surely, 1 perhaps, 0 not.

        He/she: a person (a title, a full name, a known surname) or one unnamed source;
        perhaps a single capitalised word that is no country, capital or organisation.
        They: surely a plural source or an organisation, perhaps a person.
        It: surely an organisation, a country or a capital; perhaps any other name without a
        title; never a titled person or an unnamed source.
        """
        words = self.text[span.start : span.end]
        if pronoun == "it":
            return self.fit_it(span, words)
        if span.label == ANON_SOURCE:
            single = span.attributes.get("count") == 1
            return 2 if single == (pronoun in PERSON_PRONOUNS) else 0
        person = is_person(words, self.surnames)
        if pronoun in PERSON_PRONOUNS:
            if person:
                return 2
            bare = LEADING_ARTICLE.sub("", words)
            unknown = (
                " " not in bare
                and not bare.isupper()
                and bare.lower() not in country_names()
                and bare not in CAPITALS
                and not ORG_WORD.search(bare)
            )
            return 1 if unknown else 0
        return 1 if person else 2

    def fit_it(self, span: Candidate, words: str) -> int:
        """Return how well "it" may stand for `span` (see `fit`)."""
        if span.label == ANON_SOURCE:
            return 0
        bare = LEADING_ARTICLE.sub("", words)
        if (
            ORG_WORD.search(bare)
            or bare.isupper()
            or bare.lower() in country_names()
            or bare in CAPITALS
        ):
            return 2
        return 0 if TITLE.match(bare) or TITLE_LEAD.match(bare) else 1

    def capitalised_only_by_position(self, start: int, end: int) -> bool:
        """Return whether [start, end) is one word capitalised only because it opens a
        sentence ("Rights groups warned", "Two workers said", "Critics say"): no evidence of a
        name unless the word is a known surname or stands capitalised inside a sentence too.
        """
        word = self.text[start:end]
        if " " in word or word in self.surnames:
            return False
        before = self.text[max(0, start - 3) : start].rstrip(" \t")
        if before and before[-1] not in '.!?\n"”»':
            return False
        return inside_sentence(word).search(self.text) is None

    def antecedent(self, position: int, pronoun: str) -> Candidate | None:
        """Return the named span before `position` that `pronoun` stands for, or None.

        The nearest sentence (looking back) that names a fitting span gives it, and there
        the sentence's first such span, its subject ("Carney met Trump. “…,” he said" is
        Carney's), a sure fit before a perhaps. A capitalised name that no span covers counts
        too and becomes a new ACTOR, so a pronoun never skips back past the person just named.
        """
        floor = max(0, position - ANTECEDENT_CHARS)
        # Sentence by sentence, looking back: most pronouns resolve in the first or second.
        index = self.sentence_index(position) - 1
        end = position
        while end > floor:
            start = max(floor, self.sentences[index][0]) if index >= 0 else floor
            if start >= end:
                start = max(floor, end - 1)
            chosen = self.subject_in(start, end, pronoun)
            if chosen is not None:
                if chosen.suggester == "speakers" and chosen.ref not in self.added:
                    self.add(chosen)
                return chosen
            end, index = start, index - 1
        return None

    def subject_in(self, start: int, end: int, pronoun: str) -> Candidate | None:
        """Return the first span in [start, end) that `pronoun` fits, a sure fit first."""
        options: list[tuple[int, int, bool, int, Candidate]] = []
        first_index = bisect.bisect_left(self.starts, start)
        for span in self.spans[first_index:]:
            if span.start >= end:
                break
            if span.end <= end and self.subject_like(span):
                fit = self.fit(span, pronoun)
                if fit:
                    options.append((-fit, span.start, False, -span.end, span))
        for match in NAME.finditer(self.text, start, end):
            if match.group().rstrip(".") in NOT_NAME_WORDS:
                continue
            name = clean_name(self.text, match.start(), match.end())
            if (
                name is None
                or name[0] < self.dateline_end
                or self.in_quote(*name)
                or self.covered(*name)
                or self.capitalised_only_by_position(*name)
            ):
                continue
            span = Candidate(ACTOR, name[0], name[1], "speakers", 0.6)
            # An unspanned single word ("Asked", "Meanwhile") is no name to guess at.
            if self.subject_like(span) and self.fit(span, pronoun) == 2:
                options.append((-2, span.start, True, -span.end, span))
        if not options:
            return None
        return min(options, key=lambda option: option[:4])[4]

    def sentence_index(self, position: int) -> int:
        """Return the index of the sentence holding `position` (its start's, at least)."""
        return bisect.bisect_right(self.sentences, position, key=first)

    def covered(self, start: int, end: int) -> bool:
        """Return whether a span already overlaps [start, end)."""
        index = bisect.bisect_right(self.starts, end)
        return any(span.end > start for span in self.spans[max(0, index - 8) : index])


def outermost(spans: list[Candidate]) -> list[Candidate]:
    """Return the spans not inside another span, by start."""
    kept: list[Candidate] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if kept and span.end <= kept[-1].end:
            continue
        kept.append(span)
    return kept


def nearest_subject(
    speakers: Speakers,
    start: int,
    end: int,
    *,
    last: bool = True,
    objects: bool = False,
    pronouns: bool = True,
) -> tuple[Candidate | None, float]:
    """Return the speaker named in [start, end), nearest its end (or its start), and a score.

    A pronoun nearer than any named span resolves to its antecedent (unless `pronouns` is
    false: after a verb a pronoun is its object); a capitalised name no span covers becomes a
    new ACTOR. A span right before the end (the cue) is its subject even after a preposition:
    "with the Alliance of Small Island States calling the offer ...".
    """
    text = speakers.text
    region = text[start:end]
    region_clean = RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group()), region)
    spans = [
        s
        for s in speakers.within(start, end, objects=objects)
        if region_clean[s.start - start : s.end - start].strip()
    ]
    if last:
        adjacent = speakers.ending_at(start + len(region.rstrip()))
        if adjacent is not None and adjacent.start >= start and adjacent not in spans:
            spans.append(adjacent)
    found_pronouns = [
        m
        for m in SUBJECT_PRONOUN.finditer(region_clean)
        if pronouns and not speakers.in_quote(start + m.start(), start + m.end())
    ]
    options: list[tuple[int, str, object]] = [
        (s.end if last else -s.start, "span", s) for s in spans
    ]
    options += [
        ((start + m.end()) if last else -(start + m.start()), "pronoun", m) for m in found_pronouns
    ]
    if not options or (max(options, key=lambda option: option[0])[1] == "pronoun"):
        # Only the nearest name that stands as a subject is wanted, and only if no span
        # answers or it stands nearer than the pronoun ("Asked whether he would resign,
        # Prime Minister Ivo Petrov said").
        names = list(NAME.finditer(region_clean))
        for m in reversed(names) if last else names:
            if m.group().rstrip(".") in NOT_NAME_WORDS:
                continue
            name = clean_name(text, start + m.start(), start + m.end())
            if (
                name
                and name[0] >= speakers.dateline_end
                and not speakers.capitalised_only_by_position(*name)
                and (
                    objects
                    or not PREPOSITION_BEFORE.search(text[max(0, name[0] - 16) : name[0]])
                    or not text[name[1] : end].strip()
                )
            ):
                options.append((name[1] if last else -name[0], "name", name))
                break
    if not options and last:
        owner = possessive_owner(speakers, start, end)
        if owner is not None:
            return owner, 0.6
        described = DESCRIPTION_SUBJECT.search(text, start, end)
        if described is not None:
            # "The senator said", "the company said": the guide passes the quote to the named
            # actor the description stands for, found as a pronoun's would be.
            role = described.group(1).lower()
            pronoun = "he" if role in PERSON_ROLES else "it"
            antecedent = speakers.antecedent(described.start(), pronoun)
            if antecedent is not None and not same_role(text, antecedent, role):
                return None, 0.0
            return antecedent, 0.6
    if not options:
        return None, 0.0
    _, kind, found = max(options, key=lambda option: option[0])
    if kind == "span":
        assert isinstance(found, Candidate)
        return found, 0.9
    if kind == "pronoun":
        assert isinstance(found, re.Match)
        antecedent = speakers.antecedent(start + found.start(), found.group().lower())
        return antecedent, 0.75
    assert isinstance(found, tuple)
    span = Candidate(ACTOR, found[0], found[1], "speakers", 0.6)
    speakers.add(span)
    return span, 0.7


# "’s foreign ministry", "'s office": a possessive and a lower-case description after it.
DESCRIPTION_AFTER_POSSESSIVE = re.compile(r"[’']s\s+(?:[a-z][\w-]*\s+){0,4}[a-z][\w-]*\s*$")


# Nouns that describe a person by role ("the senator", "the prime minister") or a body
# ("the company", "the ministry") when they stand as a cue's subject.
PERSON_ROLES = frozenset(
    words(
        "senator minister premier president governor mayor chancellor leader spokesman "
        "spokeswoman spokesperson chairman chairwoman chair secretary ambassador envoy judge "
        "justice commissioner director executive chief coach captain lawmaker congressman "
        "congresswoman representative diplomat general admiral king queen pope prince princess "
        "monarch candidate founder owner manager"
    )
)
BODY_ROLES = frozenset(
    words(
        "company firm airline carrier bank lender insurer automaker carmaker chipmaker retailer "
        "group ministry department government union agency council party club regulator "
        "watchdog bloc alliance commission court league organization organisation association "
        "federation board authority"
    )
)
DESCRIPTION_SUBJECT = re.compile(
    r"\b[Tt]he\s+(?:[a-z][\w-]*\s+){0,2}?("
    + alternation(PERSON_ROLES | BODY_ROLES)
    + r")\s*(?:,[^,]*,\s*)?$"
)


ROLE_ABBREVIATIONS = {
    "sen.": "senator",
    "gov.": "governor",
    "rep.": "representative",
    "gen.": "general",
    "adm.": "admiral",
    "capt.": "captain",
    "pres.": "president",
}


def same_role(text: str, span: Candidate, role: str) -> bool:
    """Return whether a description's role may name `span`: "the mayor" is not "union leader
    Ana Silva", but may be "Mayor Lena Park" or plain "Park" (whose title is not repeated).
    """
    words = [ROLE_ABBREVIATIONS.get(w, w) for w in text[span.start : span.end].lower().split()]
    roles = {w for w in words if w in PERSON_ROLES or w in BODY_ROLES}
    return not roles or role in roles


def possessive_owner(speakers: Speakers, start: int, end: int) -> Candidate | None:
    """Return the span whose possessive description is the subject ending at `end`, or None.

    "China’s foreign ministry said", "Carney’s office said": the description is no span, so
    the guide passes the quote to the named actor it stands for, the possessor.
    """
    text = speakers.text
    for span in reversed(speakers.spans[: bisect.bisect_left(speakers.starts, end)]):
        if span.start < start:
            break
        if speakers.in_quote(span.start, span.end):
            continue
        if DESCRIPTION_AFTER_POSSESSIVE.match(text[span.end : end]):
            return span
        return None
    return None


def clean_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Return a capitalised run without leading function words, if a name is left."""
    words = list(WORD.finditer(text, start, end))
    while words and words[0].group() in NOT_NAME_WORDS:
        words.pop(0)
    while words and (words[-1].group() in NOT_NAME_WORDS or words[-1].group().islower()):
        words.pop()
    if not words:
        return None
    first, last = words[0].start(), words[-1].end()
    # A lower-case title after its organisation goes with the name: "Reform UK leader Nigel
    # Farage", "EU antitrust chief Teresa Ribera" (titles stand right next to the name).
    previous = PREVIOUS_WORD.search(text, max(0, first - 20), first)
    title = None
    if previous and previous.group(1) in LOWER_TITLES:
        title = TITLE_BEFORE.search(text[max(0, first - 80) : first])
    if title and is_person(text[first:last], set()):
        prefix = list(WORD.finditer(title.group()))
        while prefix and prefix[0].group() in NOT_NAME_WORDS:
            prefix.pop(0)
        if prefix:
            first -= len(title.group()) - prefix[0].start()
    # An organisation keeps its article: "The Kremlin", "the Alliance of Small Island States".
    article = ARTICLE_BEFORE.search(text, max(0, first - 4), first)
    if article and ORG_WORD_OR_SINGLE.search(text[first:last]):
        first -= len(article.group())
    final = words[-1].group()
    # A sentence's full stop is not part of a name; an abbreviation's ("U.S.", "Jr.") is.
    if final.endswith(".") and final.count(".") == 1 and len(final) > 3:
        last -= 1
    if POSSESSIVE_AFTER.match(text, last) or text[last - 1] in ".’'" and last - first < 3:
        return None
    return first, last


def sentence_of(analysis: Analysis, position: int) -> tuple[int, int]:
    """Return the sentence holding `position` (or the whole text).

    The sentencizer ends a sentence at a title's abbreviation ("Capt. Tim Perry, who heads
    the unit, told ..."): such a sentence runs on into the next.
    """
    sentences, text = analysis.sentences, analysis.text
    index = bisect.bisect_right(sentences, position, key=first) - 1
    if index < 0 or sentences[index][1] <= position:
        return 0, len(text)
    low = high = index
    while low > 0 and TITLE_ABBREVIATION_END.search(
        text, sentences[low - 1][0], sentences[low - 1][1]
    ):
        low -= 1
    while high + 1 < len(sentences) and TITLE_ABBREVIATION_END.search(
        text, sentences[high][0], sentences[high][1]
    ):
        high += 1
    return sentences[low][0], sentences[high][1]


def attribute(
    analysis: Analysis,
    speakers: Speakers,
    quote: QuoteMatch,
    paragraph: tuple[int, int],
    previous_close: int,
    next_open: int,
) -> tuple[Candidate | None, float]:
    """Return the speaker that a cue beside `quote` names, and a score, if there is one.

    A quote that ends its sentence ("... a provocation.”) is attributed by a cue before it
    first; one that ends with a comma (“...,” she said) by the cue after it first.
    """
    order = (
        (cue_after, cue_before)
        if ends_with_comma(analysis.text, quote)
        else (
            cue_before,
            cue_after,
        )
    )
    for look in (*order, cue_in_previous_sentence):
        found = look(analysis, speakers, quote, paragraph, previous_close, next_open)
        if found[0] is not None:
            return found
    return None, 0.0


def ends_with_comma(text: str, quote: QuoteMatch) -> bool:
    """Return whether the quote's sentence goes on past it after a comma, inside the marks
    (“...,” she said) or just after them (“...”, according to ...): the attribution follows.

    A quote that ends its sentence, or a partial quote inside a clause ("called the deal "a
    first step" and said ..."), is attributed by the cue before it first.
    """
    if quote.end > quote.start and text[quote.end - 1] == ",":
        return True
    return quote.close_mark is not None and text[quote.close_mark + 1 : quote.close_mark + 2] == ","


def ends_sentence(text: str, quote: QuoteMatch) -> bool:
    """Return whether a sentence ends with the quote, inside its marks or just after them."""
    if quote.end > quote.start and text[quote.end - 1] in ".!?":
        return True
    return quote.close_mark is not None and text[quote.close_mark + 1 : quote.close_mark + 2] in (
        ".",
        "!",
        "?",
    )


def cue_in_previous_sentence(
    analysis: Analysis,
    speakers: Speakers,
    quote: QuoteMatch,
    paragraph: tuple[int, int],
    previous_close: int,
    next_open: int,
) -> tuple[Candidate | None, float]:
    """Return the speaker of a quote that opens its sentence, named by a cue of saying in the
    sentence just before (`Carney said the deal was fair. “We got what we needed.”`), unless
    that sentence holds a quote of its own (then the quote's speaker carries over instead).
    """
    text = analysis.text
    sentence = sentence_of(analysis, quote.open_mark)
    if text[sentence[0] : quote.open_mark].strip():
        return None, 0.0
    previous = sentence_of(analysis, max(sentence[0] - 2, 0))
    if previous[1] > sentence[0] or previous[0] <= previous_close < previous[1]:
        return None, 0.0
    if QUOTE_MARK.search(text, previous[0], previous[1]):
        return None, 0.0
    cues = [cue for cue in SAYING.finditer(text, *previous) if not NAMING.match(cue.group())]
    if not cues:
        return None, 0.0
    if OBJECT_CUE.match(cues[0].group()):
        # "According to AEMET, heat-wave days have tripled. “The trend is not in doubt.”"
        speaker, _ = nearest_subject(
            speakers, cues[0].end(), previous[1], last=False, objects=True, pronouns=False
        )
    else:
        speaker, _ = nearest_subject(speakers, previous[0], cues[0].start())
    return speaker, 0.6


def cue_after(
    analysis: Analysis,
    speakers: Speakers,
    quote: QuoteMatch,
    paragraph: tuple[int, int],
    previous_close: int,
    next_open: int,
) -> tuple[Candidate | None, float]:
    """Return the speaker a cue right after the quote names (`“...,” Carney said`)."""
    if quote.close_mark is None:
        return None, 0.0
    text = analysis.text
    after_start = quote.close_mark + 1
    sentence = sentence_of(analysis, min(after_start, paragraph[1] - 1))
    if sentence[1] <= after_start + 1:
        sentence = sentence_of(analysis, min(after_start + 2, paragraph[1] - 1))
    after_end = min(next_open, paragraph[1], max(sentence[1], after_start))
    cue = SAYING.search(text, after_start, after_end)
    if cue is None or cue.start() - after_start > CUE_AFTER_CHARS:
        return None, 0.0
    if ends_sentence(text, quote) and (
        len(text[after_start : cue.start()].split()) > 3
        or REPORTED_CLAUSE.match(text, cue.end(), after_end)
    ):
        # After a finished sentence, only a bare attribution ("Carney said." "Carney said on
        # Tuesday.") is the quote's; in "Delorme said Arianespace would fly again" the cue
        # reports a clause of its own.
        return None, 0.0
    objects = OBJECT_CUE.match(cue.group()) is not None
    found = (None, 0.0) if objects else nearest_subject(speakers, after_start, cue.start())
    inverted = not NAMING.match(cue.group()) and not re.search(
        r"\w", text[after_start : cue.start()]
    )
    if found[0] is None and inverted:
        # Inverted ("“...,” said Carney", "“...”, according to Carney") only when the cue
        # follows the quote directly: in "“...” and said Europe must ..." the cue is the
        # clause's own verb and what follows it is its object.
        limit = min(after_end, cue.end() + INVERTED_CHARS)
        found = nearest_subject(
            speakers, cue.end(), limit, last=False, objects=objects, pronouns=False
        )
    return found


def cue_before(
    analysis: Analysis,
    speakers: Speakers,
    quote: QuoteMatch,
    paragraph: tuple[int, int],
    previous_close: int,
    next_open: int,
) -> tuple[Candidate | None, float]:
    """Return the speaker a cue before the quote in its sentence names (`Carney said: “...”`)."""
    text = analysis.text
    before_start = max(previous_close + 1, paragraph[0])
    sentence = sentence_of(analysis, quote.open_mark)
    if sentence[0] >= quote.open_mark - 1 or not text[sentence[0] : quote.open_mark].strip():
        # The quote opens its sentence: a lead-in ending with a colon still introduces it.
        previous = sentence_of(analysis, max(sentence[0] - 2, 0))
        if text[previous[0] : sentence[0]].rstrip().endswith(":"):
            sentence = previous
    before_start = max(before_start, sentence[0])
    cues = list(SAYING.finditer(text, before_start, quote.open_mark))
    if cues:
        cue = cues[-1]
        if OBJECT_CUE.match(cue.group()):
            found = nearest_subject(speakers, cue.end(), quote.open_mark, last=False, objects=True)
        else:
            # ", saying / calling / adding": a participle set off by a comma shares its
            # clause's subject: that of the cue of saying before it ("..., Carney said,
            # calling the move"), else the sentence's first, not the nearest name ("Lula
            # defended plans by Petrobras to drill, saying ...").
            participle = cue.group().endswith("ing") and text[
                max(0, cue.start() - 3) : cue.start()
            ].rstrip().endswith(",")
            if participle and len(cues) > 1:
                found = nearest_subject(speakers, before_start, cues[-2].start())
            else:
                found = nearest_subject(speakers, before_start, cue.start(), last=not participle)
            if found[0] is None and not NAMING.match(cue.group()):
                # "Said Carney: “...”"; after "calling" comes what is called, not who calls,
                # and in "said the Philippine boat had “...”" the name opens the reported clause.
                found = nearest_subject(
                    speakers, cue.end(), quote.open_mark, last=False, pronouns=False
                )
                if found[0] is not None and text[found[0].end : quote.open_mark].strip(" ,:"):
                    found = (None, 0.0)
        if found[0] is not None:
            return found
    if text[before_start : quote.open_mark].rstrip().endswith(":"):
        return nearest_subject(speakers, before_start, quote.open_mark)
    return None, 0.0


def first(pair: tuple[int, int]) -> int:
    """Return a (start, end) pair's start (a bisect key)."""
    return pair[0]


@register("speakers", labels=[QUOTE, ACTOR, ANON_SOURCE])
def suggest_speakers(
    analysis: Analysis, context: SuggestContext, found: list[Candidate]
) -> list[Candidate]:
    """Return the quotes of `found` with their speakers set, and any new speaker spans."""
    text = analysis.text
    quotes = sorted((c for c in found if c.label == QUOTE), key=lambda c: c.start)
    if not quotes:
        return []
    matches = {(m.start, m.end): m for m in find_quotes(text, analysis.paragraphs)}
    parts = [matches.get((q.start, q.end)) or bare_match(text, q) for q in quotes]
    speakers = Speakers(
        text,
        [c for c in found if c.label in SPEAKER_LABELS],
        sorted((m.open_mark, (m.close_mark or m.end) + 1) for m in parts),
        sentences=analysis.sentences,
    )
    paragraph_starts = [start for start, _ in analysis.paragraphs]
    outer = outer_quotes(parts)
    top = [i for i, part in enumerate(parts) if outer[i] is None]
    chosen: list[tuple[Candidate | None, float]] = []
    for index, part in enumerate(parts):
        p_index = max(bisect.bisect_right(paragraph_starts, part.open_mark) - 1, 0)
        paragraph = analysis.paragraphs[p_index] if analysis.paragraphs else (0, len(text))
        if outer[index] is not None:
            # A nested quote's cue and speaker are inside its outer quote.
            holder = parts[outer[index]]
            previous_close = holder.open_mark
            next_open = holder.close_mark if holder.close_mark is not None else holder.end
        else:
            position = top.index(index)
            previous = parts[top[position - 1]] if position else None
            following = parts[top[position + 1]] if position + 1 < len(top) else None
            previous_close = (
                (previous.close_mark or previous.end)
                if previous and previous.open_mark >= paragraph[0]
                else paragraph[0] - 1
            )
            next_open = following.open_mark if following else len(text)
        speakers.current = part.open_mark
        chosen.append(attribute(analysis, speakers, part, paragraph, previous_close, next_open))
    chosen = share_speakers(analysis, parts, chosen, top)
    # A new ACTOR is a cold-start guess: it yields where the layer propagated from shows
    # that its analyst read the name and left it (`assist.reading`), and takes its quotes'
    # speaker link with it.
    passed = passed_over(
        analysis,
        [(span.start, span.end) for span in speakers.added.values()],
        layer_spans=context.layer_spans,
        known=context.known,
        label=ACTOR,
    )
    result = []
    for quote, (speaker, _score) in zip(quotes, chosen, strict=True):
        if speaker is not None and not (
            speaker.ref in speakers.added and (speaker.start, speaker.end) in passed
        ):
            result.append(dataclasses.replace(quote, speaker=speaker.ref))
    return result + [
        span for span in speakers.added.values() if (span.start, span.end) not in passed
    ]


def share_speakers(
    analysis: Analysis,
    parts: list[QuoteMatch],
    chosen: list[tuple[Candidate | None, float]],
    top: list[int],
) -> list[tuple[Candidate | None, float]]:
    """Give every part of a multi-paragraph quote one speaker, and a cue-less quote the speaker
    of the quote in its adjacent sentence.
    """
    chosen = list(chosen)
    # Multi-paragraph quotes: group the parts, take the first speaker found among them.
    group_start = 0
    for index in range(1, len(parts) + 1):
        if index < len(parts) and parts[index].continues:
            continue
        group = range(group_start, index)
        speaker = next((chosen[i] for i in group if chosen[i][0] is not None), None)
        if speaker is not None:
            for i in group:
                if chosen[i][0] is None:
                    chosen[i] = (speaker[0], 0.8)
        group_start = index
    text = analysis.text
    for before, index in zip(top, top[1:], strict=False):
        if chosen[index][0] is not None or chosen[before][0] is None:
            continue
        previous, part = parts[before], parts[index]
        previous_close = previous.close_mark or previous.end
        between = text[previous_close + 1 : part.open_mark]
        # Adjacent: nothing between the two quotes but the previous quote's attribution (one
        # cue at most: a second one starts a clause of someone else's), short or ending the
        # previous quote's sentence ("“We hear you,” X told the crowd, promising ... “But…”").
        next_sentence = not text[sentence_of(analysis, previous_close)[1] : part.open_mark].strip()
        if (
            (len(between) <= 120 or next_sentence)
            and between.count("\n") <= 1
            and len(SAYING.findall(between)) <= 1
        ):
            chosen[index] = (chosen[before][0], 0.6)
    return chosen


def outer_quotes(parts: list[QuoteMatch]) -> list[int | None]:
    """Return, for each quote, the index of the quote it is nested in, or None."""
    outer: list[int | None] = []
    for part in parts:
        holder = None
        for index, other in enumerate(parts):
            close = other.close_mark if other.close_mark is not None else other.end
            if other is not part and other.open_mark < part.open_mark and close > part.end:
                holder = index
        outer.append(holder)
    return outer


def bare_match(text: str, quote: Candidate) -> QuoteMatch:
    """Return a QuoteMatch for a QUOTE that no pair of marks gave (another suggester's)."""
    return QuoteMatch(
        quote.start, quote.end, max(quote.start - 1, 0), min(quote.end, len(text) - 1)
    )

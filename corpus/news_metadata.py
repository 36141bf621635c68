"""Read a news article's own text for its title, dateline, publisher and dates.

Only the conventions of wire and newspaper copy are trusted: a dateline at the very start and
credit lines such as "This report by The Canadian Press was first published March 19, 2025."
Dates inside the story are events, not publication dates, and are never used. How each value
was found, or why it is uncertain, is recorded in `NewsMetadata.notes`.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from corpus.text_quality import detect_mojibake

MAX_TITLE_LENGTH = 120
CANADIAN_PRESS = "The Canadian Press"
# Wire agencies that put their short name in the dateline: "WASHINGTON (AP) — ".
AGENCY_NAMES = {
    "AP": "The Associated Press",
    "CP": CANADIAN_PRESS,
    "AFP": "Agence France-Presse",
    "Reuters": "Reuters",
}
FULL_MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
# Full names, three-letter abbreviations and the AP's "Sept.".
MONTHS = {
    **{name: number for number, name in enumerate(FULL_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(FULL_MONTH_NAMES, start=1)},
    "sept": 9,
}
# Longest names first, so "March" is not read as "Mar" followed by "ch".
MONTH_NAMES = "|".join(name.capitalize() for name in sorted(MONTHS, key=len, reverse=True))
MONTH = rf"\b(?:{MONTH_NAMES})\.?"
DATE = (
    rf"(?:(?P<month>{MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
    rf"|(?P<day_first>\d{{1,2}})\s+(?P<month_second>{MONTH}),?\s+(?P<year_second>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))"
)

# Capital letters of Latin-1, enough for datelines ("SÃO PAULO", "QUÉBEC"); `re` has no
# Unicode class for them.
UPPER = "A-ZÀ-ÖØ-Þ"
# "OTTAWA, Ontario >> ", "OTTAWA - ", "WASHINGTON, March 3 (Reuters) - ", "ST. JOHN'S (CP) — ".
DATELINE = re.compile(
    rf"(?P<place>[{UPPER}][{UPPER}'’.-]+(?: [{UPPER}][{UPPER}'’.-]*)*)"
    r"(?:,\s*(?P<region>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2}))?"
    rf"(?:,\s*(?P<dateline_date>{MONTH} \d{{1,2}}))?"
    r"(?:\s*\((?P<agency>[A-Za-z][\w .&-]{0,30})\))?"
    r"\s*(?:>>|--|[-–—])\s+"
)
CANADIAN_PRESS_CREDIT = re.compile(
    rf"This report by (?P<name>[^\n]{{1,80}}?)\s*was first published (?:on )?{DATE}"
)
# A publisher's name: capitalised words, joined by the small words that names contain ("The
# Globe and Mail"); a month followed by a number is a date ("first published in March 2025").
NAME_WORD = r"[A-Z][\w&'’.-]*"
PUBLISHER = (
    rf"(?!{MONTH}\s+\d)(?:[Tt]he )?{NAME_WORD}(?:(?: (?:of|the|and|for|de|&))* {NAME_WORD})*"
)
# Credit lines open a line or say what "this" article is, so "the plan first appeared in
# Parliament" or "a report first published on March 4" inside the story are not read.
CREDIT_OPENING = r"(?:\bThis (?:article|story|report|piece|column|essay)(?: was| has been)? |^)"
APPEARED_IN = re.compile(
    rf"{CREDIT_OPENING}(?:[Oo]riginally|[Ff]irst) (?:appeared|published) (?:in|by) "
    rf"(?P<name>{PUBLISHER})",
    re.MULTILINE,
)
PUBLISHED_ON = re.compile(
    rf"{CREDIT_OPENING}(?:[Oo]riginally|[Ff]irst) published(?: (?:in|by) {PUBLISHER})?,? "
    rf"(?:on )?{DATE}",
    re.MULTILINE,
)
COPYRIGHT = re.compile(
    r"(?:©|\([Cc]\)|Copyright)(?:\s*©)?\s*(?P<year>(?:19|20)\d{2})"
    r"(?:\s*[-–]\s*(?P<last_year>(?:19|20)\d{2}))?(?P<holder>[^\n]{0,100})"
)
ALL_RIGHTS_RESERVED = re.compile(r"\s*all rights reserved.*$", re.IGNORECASE)
# Where a sentence may end: a stop, perhaps a closing quote or bracket, then white space.
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")
ABBREVIATIONS = {
    "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Jr.", "Sr.", "Gen.", "Gov.", "Sen.", "Rep.", "Lt.",
    "Col.", "Sgt.", "Capt.", "Prof.", "Inc.", "Corp.", "Co.", "Ltd.", "No.", "vs.", "Mt.",
    "Ft.", "Jan.", "Feb.", "Mar.", "Apr.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec.",
}  # fmt: skip
INITIALISM = re.compile(r"(?:[A-Z]\.)+$")


@dataclass(frozen=True)
class NewsMetadata:
    """What an article's text says about itself, with notes on how each value was found."""

    title: str
    dateline: str | None = None
    source: str | None = None
    published: date | None = None
    copyright_year: int | None = None
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Dateline:
    place: str
    agency: str | None
    body_start: int
    note: str


@dataclass(frozen=True)
class Credit:
    source: str | None = None
    source_note: str | None = None
    published: date | None = None
    published_note: str | None = None


def extract_news_metadata(text: str) -> NewsMetadata:
    """Return the title, dateline, publisher and dates that `text` states about itself."""
    notes: dict[str, str] = {}
    dateline = find_dateline(text)
    body_start = 0
    if dateline:
        notes["dateline"] = dateline.note
        body_start = dateline.body_start
    title, title_note = first_sentence_title(text[body_start:])
    if title_note:
        notes["title"] = title_note
    credit = find_credit(text)
    source, source_note = credit.source, credit.source_note
    if source is None and dateline and dateline.agency:
        source, source_note = dateline.agency, f"from the agency named in the {dateline.note}"
    copyright_year, holder, copyright_note = find_copyright(text)
    if copyright_note:
        notes["copyright_year"] = copyright_note
    if source is None and holder:
        source, source_note = holder, f"the copyright holder ({copyright_note})"
    if source_note:
        notes["source"] = source_note
    if credit.published_note:
        notes["published"] = credit.published_note
    return NewsMetadata(
        title=title,
        dateline=dateline.place if dateline else None,
        source=source,
        published=credit.published,
        copyright_year=copyright_year,
        notes=notes,
    )


def find_dateline(text: str) -> Dateline | None:
    """Return the dateline that opens `text`, or None if it opens with an ordinary sentence."""
    match = DATELINE.match(text)
    if not match:
        return None
    place = match["place"]
    if match["region"]:
        place = f"{place}, {match['region']}"
    agency = match["agency"].strip() if match["agency"] else None
    note = f"dateline {match.group().strip()!r}"
    if match["dateline_date"]:
        note += " (its date has no year, so it is not taken as the publication date)"
    return Dateline(
        place=place,
        agency=AGENCY_NAMES.get(agency, agency) if agency else None,
        body_start=match.end(),
        note=note,
    )


def first_sentence_title(body: str) -> tuple[str, str | None]:
    """Return the first sentence of `body` as a title, and a note if it had to be cut."""
    paragraph = body.strip().split("\n", 1)[0]
    sentence = " ".join(paragraph[: first_sentence_end(paragraph)].split())
    # A title has no full stop, but "U.S." keeps its own.
    if sentence.endswith(".") and not is_abbreviation(sentence.rsplit(" ", 1)[-1]):
        sentence = sentence.removesuffix(".")
    if len(sentence) <= MAX_TITLE_LENGTH:
        return sentence, None
    cut = sentence[: MAX_TITLE_LENGTH - 1]
    if sentence[MAX_TITLE_LENGTH - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    title = cut.rstrip(" ,;:—–-") + "…"
    return title, f"first sentence cut at a word boundary from {len(sentence)} characters"


def first_sentence_end(paragraph: str) -> int:
    """Return where the first sentence of `paragraph` ends, past abbreviations like "U.S."."""
    for match in SENTENCE_END.finditer(paragraph):
        words = paragraph[: match.start() + 1].split()
        if words and is_abbreviation(words[-1].lstrip("\"'“‘(")):
            continue
        return match.end()
    return len(paragraph)


def find_credit(text: str) -> Credit:
    """Return the publisher and publication date given by the last credit line of `text`."""
    canadian_press = last_match(CANADIAN_PRESS_CREDIT, text)
    if canadian_press:
        return canadian_press_credit(canadian_press)
    appeared_in = last_match(APPEARED_IN, text)
    published_on = last_match(PUBLISHED_ON, text)
    source = source_note = None
    if appeared_in:
        source = publisher_name(appeared_in["name"])
        source_note = f"from the credit line {appeared_in.group()!r}"
    published, published_note = publication_date(published_on) if published_on else (None, None)
    return Credit(
        source=source,
        source_note=source_note,
        published=published,
        published_note=published_note,
    )


def publisher_name(words: str) -> str:
    """Return the name that `words` start with, ending at a full stop that ends a sentence."""
    kept: list[str] = []
    for word in words.split(" "):
        kept.append(word)
        if word.endswith(".") and not is_abbreviation(word):
            break
    return " ".join(kept).removesuffix(".")


def is_abbreviation(word: str) -> bool:
    return word in ABBREVIATIONS or bool(INITIALISM.search(word))


def canadian_press_credit(match: re.Match[str]) -> Credit:
    """Return the credit of a "This report by X was first published DATE" line.

    The template is The Canadian Press's house style, so when the name in it is damaged by
    a wrong encoding the publisher is still known.
    """
    name = match["name"].strip()
    published, published_note = publication_date(match)
    if detect_mojibake(name):
        return Credit(
            source=CANADIAN_PRESS,
            source_note=(
                f"inferred from the credit-line template 'This report by ... was first "
                f"published DATE' (The Canadian Press's house style): the name in the text, "
                f"{name!r}, is damaged by a wrong encoding"
            ),
            published=published,
            published_note=published_note,
        )
    return Credit(
        source=name,
        source_note=f"from the credit line {match.group()!r}",
        published=published,
        published_note=published_note,
    )


def publication_date(match: re.Match[str]) -> tuple[date | None, str]:
    """Return the date matched by DATE inside a credit line, and how it was read."""
    if match["iso"]:
        year, month, day = (int(part) for part in match["iso"].split("-"))
    elif match["month"]:
        year, month, day = int(match["year"]), month_number(match["month"]), int(match["day"])
    else:
        year = int(match["year_second"])
        month, day = month_number(match["month_second"]), int(match["day_first"])
    try:
        return date(year, month, day), f"from the credit line {match.group()!r}"
    except ValueError:
        return None, f"the credit line {match.group()!r} names a date that does not exist"


def month_number(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()]


def find_copyright(text: str) -> tuple[int | None, str | None, str | None]:
    """Return the year and holder of the last copyright notice, and a note on it."""
    match = last_match(COPYRIGHT, text)
    if not match:
        return None, None, None
    year = int(match["last_year"] or match["year"])
    holder = ALL_RIGHTS_RESERVED.sub("", match["holder"]).strip(" .,;:")
    note = f"from the copyright notice {match.group().strip()!r}"
    return year, holder or None, note


def last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """Return the last match of `pattern` in `text`: credit lines close an article."""
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None

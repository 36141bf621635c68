"""FIGURE: quantities with their unit or scale, by one pattern over the text.

The annotation guide's FIGURE is "a quantity in numerals or number words with its unit or
scale", so a bare number ("Two officials", "2022", "March 19") is never proposed: a match
needs a currency (symbol, code or word), a percent, a scale word (million, billion) or a unit
of measure. An approximator ("about", "nearly", "more than") is part of the span, as in the
guide's "about half", and sets `approximate`. Parentheses and quotation marks stay outside.

A range ("between 3 and 5 million", "3-5%") is one span whose `value` is its low end, with
`approximate` true: the label has one number, and the low end is the one a reader can rely on.
"""

import re
from decimal import Decimal

from spacy.lang.en.stop_words import STOP_WORDS

from ..candidates import FIGURE, Candidate
from ..gazetteers import listing
from ..gazetteers.words import NATIONALITIES
from ..registry import SuggestContext, register
from ..text import Analysis

SCORE = 0.8

# Approximators that precede the number; each makes the figure approximate.
APPROXIMATORS = (
    "about|around|approximately|roughly|nearly|almost|some|more than|less than|fewer than|"
    "up to|at least|at most|over|under|close to|just over|just under|as much as|as many as|"
    "an estimated|an additional|upwards of|in excess of"
)
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}  # fmt: skip
TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
UNITS = "one|two|three|four|five|six|seven|eight|nine"
WORD_NUMBER = (
    rf"(?:(?:{TENS})(?:-(?:{UNITS}))?|{UNITS}|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|an?(?=\s(?:hundred|thousand|million|billion|trillion)"
    r"\b))(?:\shundred)?"
)
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
SCALES = {
    "hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "b": 10**9, "bn": 10**9, "bln": 10**9,
    "tn": 10**12, "trn": 10**12,
}  # fmt: skip
# Abbreviated scales ("€3.2bn", "£40m") count only on money: "40m" alone may be metres.
SCALE_ABBREVIATIONS = frozenset(s for s in SCALES if len(s) < 4)
SCALE = r"hundred|thousand|million|billion|trillion|bn|bln|mn|mln|tn|trn|[mbk]"

SYMBOLS = {
    "US$": "USD", "U.S.$": "USD", "$": "USD", "C$": "CAD", "CA$": "CAD", "CAD$": "CAD",
    "Cdn$": "CAD",
    "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "R$": "BRL",
    "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY",
}  # fmt: skip
CODES = (
    "USD", "EUR", "GBP", "CAD", "JPY", "CNY", "CHF", "AUD", "NZD", "HKD", "SGD", "INR", "KRW",
    "RUB", "BRL", "MXN", "SEK", "NOK", "DKK", "PLN", "TRY", "ZAR", "SAR", "AED",
)  # fmt: skip
# Currency words after the number; the ones that are also common words need a scale.
CURRENCY_WORDS = {
    "u.s. dollar": "USD", "us dollar": "USD", "american dollar": "USD",
    "canadian dollar": "CAD", "australian dollar": "AUD", "new zealand dollar": "NZD",
    "hong kong dollar": "HKD", "singapore dollar": "SGD", "dollar": "USD",
    "euro": "EUR", "pound": "GBP", "pounds sterling": "GBP", "sterling": "GBP", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rouble": "RUB", "ruble": "RUB",
    "swiss franc": "CHF", "franc": "CHF", "peso": "MXN", "won": "KRW", "real": "BRL",
    "reais": "BRL", "rand": "ZAR", "lira": "TRY", "zloty": "PLN", "riyal": "SAR",
    "dirham": "AED", "shekel": "ILS", "krona": "SEK", "kronor": "SEK", "krone": "NOK",
    "kroner": "NOK",
}  # fmt: skip
CURRENCY_NEEDS_SCALE = frozenset({"won", "real", "rand"})
CURRENCY_WORD = (
    r"(?:(?:U\.S\.|US|American|Canadian|Australian|New Zealand|Hong Kong|Singapore)\s)?dollars?"
    r"|pounds sterling|(?:Swiss\s)?francs?|euros?|pounds?|sterling|yen|yuan|renminbi|rupees?"
    r"|roubles?|rubles?|pesos?|won|reais|real|rand|liras?|zloty|riyals?|dirhams?|shekels?"
    r"|kronor|krona|kroner|krone|" + "|".join(CODES)
)
PERCENT = r"%|\s?per\s?cent\b|\s?percent\b|\s?pct\b"
POINTS = r"\spercentage\spoints?\b"
# Units of measure: a count of people or things ("two officials", "88 jets") is no figure.
MEASURES = (
    r"barrels?|bpd|tonnes?|(?:metric\s)?tons?|kilo(?:gram)?s?|kg|grams?|ounces?|litres?|liters?"
    r"|gallons?|cubic\s(?:metres|meters|feet)|(?:square\s)?(?:kilometres?|kilometers?|miles?)"
    r"|km|metres?|meters?|feet|hectares?|acres?|megawatts?|gigawatts?|MW|GW|kilowatts?"
    r"|(?:kilo|mega|giga|tera)watt[- ]hours?|kWh|MWh|GWh|TWh|degrees?"
)

QUANTITY = (
    rf"(?P<sym{{n}}>(?:US|U\.S\.|CAD|CA|Cdn|C|AU|A|NZ|HK|S|R)?\$|[€£¥₹₩₽₺]|(?:{'|'.join(CODES)})\s)?"
    rf"(?P<num{{n}}>{DIGITS}|\b(?i:{WORD_NUMBER}))"
    rf"(?:[\s-]?(?P<scale{{n}}>(?i:{SCALE}))\b)?"
)
FIGURE_PATTERN = re.compile(
    rf"(?<![\w$€£¥.,-])"
    rf"(?P<approx>\b(?i:{APPROXIMATORS})\s)?"
    rf"(?P<between>\b(?i:between)\s)?"
    r"(?P<after_from>(?<=\bfrom\s))?"
    + QUANTITY.replace("{n}", "1")
    + r"(?P<percent1>%)?"
    # "between 3 and 5", "3-5", "3 to 5 per cent" are ranges; "from 3% to 5%" and "rose 12.5%
    # to 40 per cent" are changes, two figures: "to" joins a range only after a bare number.
    + r"(?:(?P<sep>\s?[-–]\s?|(?(between)\sand\s"
    + r"|(?(after_from)(?!)|(?(percent1)(?!)|(?(scale1)(?!)|\sto\s)))))"
    + QUANTITY.replace("{n}", "2")
    + r")?"
    rf"(?:(?P<percent>{PERCENT})|(?P<points>{POINTS})"
    rf"|(?P<curhyphen>-)(?P<curword1>(?i:{CURRENCY_WORD}))\b"
    rf"|\s(?P<curword2>{CURRENCY_WORD})\b"
    rf"|\s(?P<measure>{MEASURES})\b)?"
    r"(?![\w%])"
)
FRACTION_WORDS = frozenset({"half", "third", "thirds", "quarter", "quarters"})
# What every figure holds: digits or a currency symbol, a number word or a fraction word.
# After a count: its noun, "12 small businesses", "52,888-seat".
COUNTED_PHRASE = re.compile(r"(?: [A-Za-z]+){1,3}\b(?![-'’])")
HYPHEN_NOUN = re.compile(r"-([a-z]+)\b(?!-)")
TIME_WORDS = listing(
    "year|years|month|months|week|weeks|day|days|hour|hours|minute|minutes|second|seconds|"
    "decade|decades|century|centuries|time|times|am|pm|old|straight"
)
# Nouns after a number that are no unit of a figure: "6-3", "ruled 5 to 4".
# The heads of an anonymous source are its count, not a figure ("2 officials said").
NOT_COUNTED = listing(
    "votes|points|goals|runs|percent|cent|per|officials|sources|diplomats|aides|insiders"
)
IRREGULAR_PLURALS = listing("people|feet|children|men|women|police|personnel|staff|cattle")
SINGULAR_ENDS = ("ss", "us", "is", "ics")
# Adjectives kept in the span but not in the unit: "12 small businesses" counts businesses.
ADJECTIVES = listing("small|large|big|new|more|major|additional|other|local|former|top|key")
YEAR = re.compile(r"1[89]\d\d|20\d\d")
# After these, "about" is a preposition, not an approximator: "nobody spoke to us about 35,000
# jobs", "worried about 20% tariffs".
ABOUT_AS_PREPOSITION = listing(
    "spoke|spoken|speak|speaks|talk|talked|talks|talking|asked|ask|asks|worried|worry|"
    "concerned|know|knew|known|think|thought|told|us|them|him|her|me|you|questions|news|care|"
    "cared|complained|warned|wrote|written|learned|heard|hear|nothing|something|anything"
)
PREVIOUS_WORD = re.compile(r"([A-Za-z]+)\s+$")
# Canadian Press copy: "TORONTO — " or "MONTREAL — " opening the story, no agency credit.
CANADIAN_PRESS = re.compile(r"\A\s*[A-Z][A-Z .'’-]+(?:, [A-Za-z.]+)? —|\(CP\)")
ANCHOR = re.compile(
    r"[\d$€£¥₹₩₽₺][\d.,]*|(?=[otfsenhmbq])\b(?:"
    rf"{TENS}|{UNITS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
    r"nineteen|hundred|thousand|million|billion|trillion|half|thirds?|quarters?)\b"
)
# Where a figure may begin: a word or a currency symbol, not inside a word or number.
WORD_START = re.compile(r"(?<![\w'’$€£¥₹₩₽₺.,-])[\w$€£¥₹₩₽₺]")
# The longest approximator and "between" before a number: "approximately between ".
WINDOW_BEFORE = 40
FRACTIONS = {
    "half": 50, "a half": 50, "one-half": 50, "a third": Decimal("33.3"),
    "one-third": Decimal("33.3"), "two-thirds": Decimal("66.7"), "a quarter": 25,
    "one-quarter": 25, "three-quarters": 75, "three quarters": 75,
}  # fmt: skip
# A fraction is a figure with an approximator ("about half") or a partitive ("half of").
FRACTION_PATTERN = re.compile(
    rf"(?P<approx>(?i:{APPROXIMATORS})\s)?(?P<fraction>(?i:{'|'.join(FRACTIONS)}))\b"
    r"(?P<point>\sof\sa\spercentage\spoint\b)?(?P<partitive>(?=\sof\s))?"
)


def word_number(words: str) -> Decimal:
    """Return the number that `words` ("twenty-five", "three hundred", "a") names."""
    total = Decimal(0)
    for word in re.split(r"[-\s]", words.lower()):
        if word == "hundred":
            total = (total or 1) * 100
        else:
            total += NUMBER_WORDS[word]
    return total


def number_value(number: str, scale: str | None) -> Decimal:
    """Return `number` (digits or words) times its `scale` word, exactly."""
    if number[0].isdigit() or number[0] == ".":
        value = Decimal(number.replace(",", ""))
    else:
        value = word_number(number)
    return value * SCALES[scale.lower()] if scale else value


def plain_number(value: Decimal) -> int | float:
    """Return `value` as an int when whole, else a float: the `number` attribute's JSON."""
    return int(value) if value == value.to_integral_value() else float(value)


def currency_of(match: re.Match) -> str | None:
    """Return the ISO code of the match's currency (symbol, code or word), if it has one."""
    symbol = match["sym1"] or match["sym2"]
    if symbol:
        symbol = symbol.strip()
        return "$" if symbol == "$" else SYMBOLS.get(symbol, symbol)
    word = match["curword1"] or match["curword2"]
    if not word:
        return None
    if word.upper() in CODES:
        return word.upper()
    word = word.lower()
    if word in CURRENCY_WORDS:
        return CURRENCY_WORDS[word]
    singular = word[:-1] if word.endswith("s") else word
    return CURRENCY_WORDS.get(singular, CURRENCY_WORDS.get(singular.split()[-1]))


def counted_noun(text: str, end: int) -> tuple[int, str] | None:
    """Return (end, unit) of the counted noun right after offset `end`, if one stands there.

    "12 small businesses", "2.2 million vehicles", "52,888-seat": up to three lower-case words
    ending in a plural noun, or a hyphenated singular one. Time words are no unit (durations
    are not figures), nor are function words.
    """
    hyphenated = HYPHEN_NOUN.match(text, end)
    if hyphenated:
        noun = hyphenated.group(1)
        return (hyphenated.end(), noun + "s") if noun not in TIME_WORDS else None
    phrase = COUNTED_PHRASE.match(text, end)
    if not phrase:
        return None
    words = phrase.group().split()
    offset = end
    for index, word in enumerate(words):
        offset = text.index(word, offset) + len(word)
        if word[0].isupper():
            if word in NATIONALITIES:
                continue  # "5,000 Canadian troops"
            return None
        if word in STOP_WORDS or word in TIME_WORDS or word in NOT_COUNTED:
            return None
        if word in IRREGULAR_PLURALS or (word.endswith("s") and not word.endswith(SINGULAR_ENDS)):
            kept = [w for w in words[:index] if w not in ADJECTIVES and w not in NATIONALITIES]
            return offset, " ".join([*kept, word])
    return None


def dollar_currency(text: str) -> str:
    """Return the currency a bare "$" names: CAD in Canadian Press copy, USD otherwise.

    Canadian Press copy opens "TORONTO — " with no agency in parentheses, or credits itself.
    """
    if CANADIAN_PRESS.search(text[:200]) or "The Canadian Press" in text:
        return "CAD"
    return "USD"


def preposition_about(match: re.Match) -> bool:
    """Return whether the match's approximator is the preposition "about" ("spoke about 5%")."""
    if match["approx"].strip().lower() != "about":
        return False
    before = PREVIOUS_WORD.search(match.string, max(0, match.start() - 20), match.start())
    return bool(before) and before.group(1).lower() in ABOUT_AS_PREPOSITION


def figure_from(match: re.Match) -> tuple[int, int, dict[str, object]] | None:
    """Return (start, end, attributes) for a FIGURE_PATTERN match, or None when it is no figure."""
    scale1, scale2 = match["scale1"], match["scale2"]
    currency = currency_of(match)
    if currency == "$":
        currency = dollar_currency(match.string)
    for scale in (scale1, scale2):
        if scale and scale.lower() in SCALE_ABBREVIATIONS and currency is None:
            return None
    word = (match["curword1"] or match["curword2"] or "").lower()
    if word in CURRENCY_NEEDS_SCALE and not (scale1 or scale2):
        return None
    end = match.end()
    if match["percent"] or match["percent1"]:
        unit = "percent"
    elif match["points"]:
        unit = "percentage points"
    elif currency:
        unit = currency
    elif match["measure"]:
        unit = match["measure"].lower()
    else:
        # A count: numerals or a scale word, and the counted noun ("up to 1,500 troops"); a
        # count in small number words ("two colleagues") is no figure, nor is a year.
        unit: str | None
        if not (scale1 or scale2 or match["num1"][0].isdigit()):
            return None
        if YEAR.fullmatch(match["num1"]) and not (scale1 or scale2):
            return None
        counted = counted_noun(match.string, end)
        if counted:
            end, unit = counted
        elif scale1 or scale2:
            unit = None  # "10 million": a scale is enough
        else:
            return None
    ranged = match["num2"] is not None
    start = match.start()
    approximate = bool(match["approx"])
    if approximate and preposition_about(match):
        start, approximate = match.end("approx"), False
    if match["between"] and not ranged:
        # "between" without its "and": the figure is the quantity alone.
        start = match.start("sym1") if match["sym1"] else match.start("num1")
    # "3 and 5 million": the second number's scale is the first's too.
    value = number_value(match["num1"], scale1 or (scale2 if ranged else None))
    if ranged:
        value = (value + number_value(match["num2"], scale2 or scale1)) / 2
    attributes: dict[str, object] = {"value": plain_number(value)}
    if unit:
        attributes["unit"] = unit
    attributes["approximate"] = approximate or ranged
    return start, end, attributes


def figure_at(text: str, anchor: re.Match, after: int) -> tuple[int, int, dict] | None:
    """Return the figure holding `anchor` (a number, symbol or fraction word), if there is one.

    The figure may open up to WINDOW_BEFORE characters earlier (an approximator, "between"),
    never before `after`: each word start there is tried, the earliest first.
    """
    position = anchor.start()
    starts = [
        m.start() for m in WORD_START.finditer(text, max(after, position - WINDOW_BEFORE), position)
    ]
    starts.append(position)
    fraction = anchor.group() in FRACTION_WORDS
    for start in starts:
        match = (FRACTION_PATTERN if fraction else FIGURE_PATTERN).match(text, start)
        if match is None or match.end() <= position:
            continue
        figure = fraction_from(match) if fraction else figure_from(match)
        if figure:
            return figure
    return None


def fraction_from(match: re.Match) -> tuple[int, int, dict[str, object]] | None:
    """Return (start, end, attributes) for a FRACTION_PATTERN match: a share, in percent.

    A fraction is a figure with an approximator ("about half"), as a share of something
    ("half of the budget") or of a percentage point ("a quarter of a percentage point": 0.25).
    """
    if not (match["approx"] or match["point"] or match["partitive"] is not None):
        return None
    share = Decimal(FRACTIONS[match["fraction"].lower()])
    attributes = {
        "value": plain_number(share / 100 if match["point"] else share),
        "unit": "percentage points" if match["point"] else "percent",
        "approximate": bool(match["approx"]),
    }
    return match.start(), match.end(), attributes


def find_figures(text: str) -> list[tuple[int, int, dict[str, object]]]:
    """Return (start, end, attributes) of every figure in `text`, in text order.

    FIGURE_PATTERN opens with optional words, so a search over the whole text would try it at
    every character; every figure holds an anchor (a digit, currency symbol, number word or
    fraction word), which a cheap search finds, and the pattern is tried only around those.
    """
    found: list[tuple[int, int, dict[str, object]]] = []
    after = 0
    for anchor in ANCHOR.finditer(text.lower()):
        if anchor.start() < after:
            continue
        figure = figure_at(text, anchor, after)
        if figure:
            found.append(figure)
            after = figure[1]
    return found


@register("figures", labels=[FIGURE])
def suggest_figures(
    analysis: Analysis, context: SuggestContext, found: list[Candidate]
) -> list[Candidate]:
    """Propose a FIGURE, with value, unit and approximate, for every quantity in the text."""
    return [
        Candidate(FIGURE, start, end, "figures", SCORE, attributes)
        for start, end, attributes in find_figures(analysis.text)
    ]

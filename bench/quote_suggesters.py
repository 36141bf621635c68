"""Time the quote, speaker and anonymous-source suggesters on synthetic 3,000-character news.

    python -m bench.quote_suggesters [--documents 500]

Each document is wire copy built from varied sentences (quotes in every mark style, split and
multi-paragraph quotes, pronoun speakers, anonymous sources, apostrophes), different per
document so no cache helps. Prints the text analysis (spaCy, shared by every suggester), each
suggester alone, and the whole registered pipeline, per document and as documents per second.
No database. Times are CPU time (`time.process_time`): on this shared machine the wall clock
counts other processes' turns too.
"""

import argparse
import random
import time

from assist.candidates import ANON_SOURCE, QUOTE
from assist.registry import SuggestContext, registered, suggest_text
from assist.text import analyse

NAMES = ["Mark Carney", "Mélanie Joly", "Ursula von der Leyen", "Keir Starmer", "Ana Silva"]
TITLES = ["Prime Minister", "Foreign Affairs Minister", "Commission President", "Senator", ""]
SENTENCES = [
    "“We will never accept a deal that hurts our workers,” {title} {name} said on {day}.",
    '"The nations’ leaders agreed on every point but one," said {title} {name}.',
    "{title} {name} told reporters: « Nobody here wants a trade war that lasts into the ’90s. »",
    "Two officials, one from the European Union and one from Canada, with direct knowledge of "
    "the discussions, said the talks were at an “advanced” stage.",
    "The officials requested anonymity because they were not authorized to brief the press.",
    "“It is rock ’n’ roll for the markets,” she said. “Canada’s exporters are nervous.”",
    "According to people familiar with the matter, the offer included {n} billion euros.",
    "Russian officials negotiated the exchange over {n} weeks in Abu Dhabi.",
    "{name} criticised the tariffs, calling them “unjustified and unacceptable.”",
    "A senior diplomat said the summit would go ahead. “We expect it to be short,” he added.",
    "“The first part of the statement runs on\n“into a second paragraph and closes here,” "
    "{name} wrote on X.",
    "Canada’s exports to the United States fell {n}% in {day}’s figures, the agency said.",
]
# Narrative between the quotes, as in wire copy (about half the paragraphs).
NARRATIVE = [
    "The duties hit exports worth roughly C$8.5 billion a year and come on top of levies that "
    "already average about 20%, the {name} government said in a filing on {day}.",
    "{title} {name} met European Union leaders in Brussels on {day} to discuss steel quotas, "
    "energy prices and the fate of {n} factories across the country.",
    "The talks broke down after Washington refused to lift tariffs on Canadian aluminum, and "
    "markets in Toronto fell {n}% in early trading before recovering.",
    "Economists expect growth to slow to {n} per cent next year as the tariffs bite and "
    "companies delay investment in new plants and equipment.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def make_document(seed: int, size: int = 3000) -> str:
    """Return a news-like text of about `size` characters, different for every seed."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    while sum(len(p) + 1 for p in paragraphs) < size:
        template = rng.choice(SENTENCES if rng.random() < 0.5 else NARRATIVE)
        paragraphs.append(
            template.format(
                title=rng.choice(TITLES),
                name=rng.choice(NAMES),
                day=rng.choice(DAYS),
                n=rng.randint(2, 90),
            ).replace("  ", " ")
        )
    return "\n".join(paragraphs)[:size].rsplit("\n", 1)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    options = parser.parse_args()
    texts = [make_document(seed) for seed in range(options.documents)]
    mean = sum(map(len, texts)) / len(texts)
    print(f"{len(texts)} documents of {mean:,.0f} characters on average")
    suggest_text(texts[0])  # build spaCy's pipeline and compile the regexes once

    started = time.process_time()
    analyses = [analyse(text) for text in texts]
    analysis_time = time.process_time() - started
    print(f"{'analyse (spaCy)':<22} {analysis_time / len(texts) * 1000:7.3f} ms/document")

    # Each suggester timed inside the per-document run, in order, as `suggest_text` runs them
    # (the speakers read the quotes' cached mark pairs of the same text).
    context = SuggestContext()
    spent = {suggester.name: 0.0 for suggester in registered()}
    for analysis in analyses:
        found: dict = {}
        for suggester in registered():
            started = time.process_time()
            output = suggester.function(analysis, context, list(found.values()))
            spent[suggester.name] += time.process_time() - started
            for candidate in output:
                found[(candidate.start, candidate.end, candidate.label)] = candidate
    for name, elapsed in spent.items():
        print(f"{name:<22} {elapsed / len(texts) * 1000:7.3f} ms/document")

    started = time.process_time()
    counts = {QUOTE: 0, ANON_SOURCE: 0}
    for text in texts:
        for candidate in suggest_text(text):
            if candidate.label in counts:
                counts[candidate.label] += 1
    elapsed = time.process_time() - started
    print(
        f"{'whole pipeline':<22} {elapsed / len(texts) * 1000:7.3f} ms/document, "
        f"{len(texts) / elapsed:,.0f} documents/s "
        f"({counts[QUOTE] / len(texts):.1f} quotes, {counts[ANON_SOURCE] / len(texts):.1f} "
        "anonymous sources per document)"
    )


if __name__ == "__main__":
    main()

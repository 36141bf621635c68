"""Write a deterministic synthetic news corpus for the benchmarks.

Every document is built from templates and word lists with its own seeded PRNG, so a corpus is
the same bytes on every run and the 1,000-document corpus is the first thousand lines of the
10,000-document one. Each document is ~3,000 characters of news-like English with ~15 spans of
ACTOR, FIGURE, QUOTE and ANON_SOURCE (ACTOR spans nested in QUOTE spans), speaker relations
from each QUOTE to its ACTOR or ANON_SOURCE, and label attributes. About one document in ten
carries emoji, CJK or combining characters, with spans after them.

Two files per size, under bench/out/:
  byline-<N>.jsonl   Byline JSONL (docs/export-format.md), importable with
                     `manage.py import_documents --corpus X bench/out/byline-<N>.jsonl`
  doccano-<N>.jsonl  doccano's sequence-labelling import: {"text": ..., "label": [[s, e, "L"]]}
and byline-<N>.json with the counts.

    .venv/bin/python -m bench.generate --sizes 1000 10000 100000
"""

import argparse
import datetime
import hashlib
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench.benchlib import OUT_DIR

DEFAULT_SEED = 6
# Bumped whenever the output changes, so stale files under bench/out/ are rebuilt.
GENERATOR_VERSION = 1
TARGET_CHARACTERS = 2650
UNICODE_SHARE = 0.1
ANNOTATORS = ("ana", "ben", "chen", "dara")
TAGS = ("defence", "trade", "energy", "health", "elections", "markets", "climate")
PUBLISHERS = (
    "The Daily Ledger",
    "Northern Wire",
    "Harbour Times",
    "The Continental Review",
    "Capital Dispatch",
)
DATELINES = (
    "OTTAWA, Ontario",
    "BRUSSELS",
    "WASHINGTON",
    "LONDON",
    "PARIS",
    "BERLIN",
    "TOKYO",
    "NAIROBI, Kenya",
    "MONTRÉAL, Quebec",
    "GENEVA",
    "CANBERRA, Australia",
    "MEXICO CITY",
)
DATELINE_SEPARATORS = (" — ", " >> ", " - ", " (Northern Wire) — ")
FIRST_NAMES = (
    "Mark",
    "Mélanie",
    "Ursula",
    "Daniel",
    "Amara",
    "Kenji",
    "Priya",
    "Olga",
    "Samuel",
    "Fatima",
    "Lucas",
    "Ingrid",
    "Tomás",
    "Grace",
    "Omar",
    "Helena",
)
LAST_NAMES = (
    "Carney",
    "Joly",
    "Lindqvist",
    "Okafor",
    "Tanaka",
    "Raman",
    "Petrova",
    "Whitfield",
    "Haddad",
    "Moreau",
    "Brennan",
    "Castillo",
    "Nakamura",
    "Adeyemi",
    "Fischer",
    "Kowalski",
)
TITLES = (
    "Prime Minister",
    "Foreign Affairs Minister",
    "Finance Minister",
    "Defence Secretary",
    "Trade Commissioner",
    "Senator",
    "Governor",
    "Ambassador",
    "Deputy Minister",
    "Central Bank Governor",
)
ROLES = (
    "chief executive of Northwind Aerospace",
    "spokesperson for the ministry",
    "head of the industry association",
    "economist at the Bank of Halden",
    "opposition leader",
)
ORGANISATIONS = (
    "the European Union",
    "NATO",
    "the Finance Ministry",
    "the Bank of Canada",
    "the World Health Organization",
    "the Treasury",
    "the European Commission",
    "Northwind Aerospace",
    "the International Monetary Fund",
    "the Defence Ministry",
    "the Senate",
    "the Port Authority",
)
COUNTRIES = ("Canada", "Germany", "Japan", "Kenya", "Mexico", "Australia", "France", "Norway")
TOPICS = (
    "the new defence initiative",
    "the tariff negotiations",
    "the energy transition plan",
    "the pandemic preparedness accord",
    "the budget framework",
    "the fisheries agreement",
    "the critical minerals deal",
    "the election reform bill",
)
VERBS = (
    "is in advanced talks with",
    "has agreed to work with",
    "is pressing",
    "has rejected a proposal from",
    "is expected to sign a deal with",
    "has opened negotiations with",
)
# Subjects pair with predicates of the same number, so filler sentences stay grammatical.
FILLER_SUBJECTS = (
    ("The proposal", "singular"),
    ("The agreement", "singular"),
    ("The plan", "singular"),
    ("The committee's report", "singular"),
    ("The draft text", "singular"),
    ("Industry groups", "plural"),
    ("Analysts", "plural"),
    ("Opposition lawmakers", "plural"),
    ("Local officials", "plural"),
    ("Trade unions", "plural"),
)
FILLER_PREDICATES = {
    "singular": (
        "would take years to put in place",
        "has drawn criticism from smaller member states",
        "remains subject to approval by parliament",
        "is likely to shape the debate before the next election",
        "was discussed at length during a closed-door meeting on Tuesday",
        "could reshape supply chains across the region",
        "has been delayed twice since it was first announced",
        "follows months of quiet diplomacy between the two sides",
        "would give domestic manufacturers access to a much larger market",
        "has raised questions about oversight and accountability",
    ),
    "plural": (
        "have warned that the timetable is unrealistic",
        "say the details matter more than the headline numbers",
        "were briefed on the outline of the deal last week",
        "have asked for a full costing before any vote",
        "expect the talks to drag on into the autumn",
        "have welcomed the move but want guarantees on jobs",
        "remain divided over how the money should be spent",
    ),
}
FILLER_TAILS = (
    "according to documents seen by reporters",
    "although details remain scarce",
    "as pressure builds on both governments",
    "in a sign of how quickly positions have shifted",
    "despite earlier assurances to the contrary",
    "at a time of rising uncertainty in global markets",
    "people following the talks say",
    "with a vote expected before the summer recess",
)
QUOTE_OPENERS = (
    "We are not going to negotiate this in public",
    "This is about keeping our word to the people who elected us",
    "Nobody should be surprised by the direction we are taking",
    "The door remains open, but the terms have changed",
    "We have been clear from the start about what we need",
    "It is a difficult decision, and we will explain it carefully",
    "Our goal is to make sure that the agreement works for everyone",
    "There is no deal until everything is agreed",
)
QUOTE_VERBS = ("said", "told reporters", "added", "said in a statement", "said on Tuesday")
ANON_SOURCES = (
    # (text, count, affiliation, reason_given)
    ("two officials with knowledge of the talks", 2, "government", None),
    (
        "a senior diplomat who was not authorized to speak publicly",
        1,
        "diplomatic",
        "not authorized to speak publicly",
    ),
    ("three people familiar with the matter", 3, None, None),
    (
        "two officials, one from the European Union and one from Canada, with direct knowledge "
        "of the discussions",
        2,
        "government",
        None,
    ),
    (
        "a person close to the negotiations who asked not to be named because the talks are "
        "confidential",
        1,
        None,
        "talks are confidential",
    ),
    ("several industry executives briefed on the plan", None, "industry", None),
    ("one official with direct knowledge of the discussions", 1, "government", None),
)
UNICODE_ASIDES = (
    "Supporters posted 🇨🇦🇪🇺 and 👏🏽 under the announcement within minutes.",
    "Screenshots of the draft, captioned “交渉は最終段階” by a Japanese broadcaster, spread "
    "quickly 📈.",
    "A banner reading “合作共赢” hung outside the venue, next to a sign that said 🤝.",
    "Protesters outside chanted in French and held placards reading “Non à l’accord” 🪧.",
)
UNICODE_ACTORS = (
    "Zoe\u0308 Lindqvist",  # combining diaeresis
    "Jose\u0301 Castillo",
    "王伟",
    "毛宁",
    "Siobha\u0301n Brennan",
)


# (text, attributes) by kind: money fits "would cost", shares fit "of the money", counts stand
# alone.
FIGURES: dict[str, tuple[tuple[str, dict[str, Any]], ...]] = {
    "money": (
        ("$163 billion", {"value": 163_000_000_000, "unit": "USD", "approximate": False}),
        ("€150 billion", {"value": 150_000_000_000, "unit": "EUR", "approximate": False}),
        ("£12.7 billion", {"value": 12_700_000_000, "unit": "GBP", "approximate": False}),
        ("about $4 billion", {"value": 4_000_000_000, "unit": "USD", "approximate": True}),
        ("2.3 billion euros", {"value": 2_300_000_000, "unit": "EUR", "approximate": False}),
    ),
    "share": (
        ("65%", {"value": 65, "unit": "percent", "approximate": False}),
        ("nearly half", {"value": 50, "unit": "percent", "approximate": True}),
        ("1.5 percent", {"value": 1.5, "unit": "percent", "approximate": False}),
        ("about a third", {"value": 33, "unit": "percent", "approximate": True}),
    ),
    "count": (
        ("about 2,400 jobs", {"value": 2400, "unit": "jobs", "approximate": True}),
        (
            "3.2 million barrels a day",
            {"value": 3_200_000, "unit": "barrels/day", "approximate": False},
        ),
        ("more than 40 countries", {"value": 40, "unit": "countries", "approximate": True}),
        ("roughly 18,000 troops", {"value": 18000, "unit": "troops", "approximate": True}),
        ("12 new factories", {"value": 12, "unit": "factories", "approximate": False}),
    ),
}


@dataclass
class Span:
    uid: str
    start: int
    end: int
    label: str
    text: str
    attributes: dict[str, Any]


@dataclass
class DocumentBuilder:
    """Accumulate text and spans; offsets are code points, end-exclusive."""

    rng: random.Random
    parts: list[str] = field(default_factory=list)
    length: int = 0
    spans: list[Span] = field(default_factory=list)
    relations: list[tuple[str, str]] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def span(self, text: str, label: str, attributes: dict[str, Any] | None = None) -> str:
        """Append `text` as a span of `label`; return the span id."""
        uid = f"{self.rng.getrandbits(128):032x}"
        self.spans.append(
            Span(uid, self.length, self.length + len(text), label, text, attributes or {})
        )
        self.add(text)
        return uid

    def open_span(self, label: str) -> tuple[str, int]:
        """Start a span whose text is appended next; close it with close_span."""
        return label, self.length

    def close_span(self, opened: tuple[str, int]) -> str:
        label, start = opened
        uid = f"{self.rng.getrandbits(128):032x}"
        text = "".join(self.parts)[start:]
        self.spans.append(Span(uid, start, self.length, label, text, {}))
        return uid

    @property
    def text(self) -> str:
        return "".join(self.parts)


class NewsWriter:
    """Write one synthetic article with its spans."""

    def __init__(self, rng: random.Random, *, unicode_rich: bool) -> None:
        self.rng = rng
        self.doc = DocumentBuilder(rng)
        self.unicode_rich = unicode_rich
        self.people = [self.person() for _ in range(rng.randint(2, 4))]
        if unicode_rich:
            self.people[-1] = (rng.choice(TITLES), rng.choice(UNICODE_ACTORS))
        self.country = rng.choice(COUNTRIES)
        self.partner = rng.choice(ORGANISATIONS)
        self.topic = rng.choice(TOPICS)

    def person(self) -> tuple[str, str]:
        name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        return self.rng.choice(TITLES), name

    def actor(self) -> str:
        """Append a person, with title the first time, as an ACTOR span; return its id."""
        title, name = self.rng.choice(self.people)
        return self.doc.span(f"{title} {name}" if self.rng.random() < 0.6 else name, "ACTOR")

    def figure(self, kind: str) -> str:
        text, attributes = self.rng.choice(FIGURES[kind])
        return self.doc.span(text, "FIGURE", dict(attributes))

    def anon_source(self) -> str:
        text, count, affiliation, reason = self.rng.choice(ANON_SOURCES)
        attributes: dict[str, Any] = {"count": count, "affiliation": affiliation}
        if reason:
            attributes["reason_given"] = reason
        return self.doc.span(text, "ANON_SOURCE", attributes)

    def filler_sentence(self) -> None:
        rng = self.rng
        subject, number = rng.choice(FILLER_SUBJECTS)
        self.doc.add(
            f"{subject} {rng.choice(FILLER_PREDICATES[number])}, {rng.choice(FILLER_TAILS)}. "
        )

    def lead(self, dateline: str) -> None:
        doc = self.doc
        doc.add(dateline + self.rng.choice(DATELINE_SEPARATORS))
        doc.span(self.country, "ACTOR")
        doc.add(f" {self.rng.choice(VERBS)} ")
        doc.span(self.partner, "ACTOR")
        doc.add(f" on {self.topic}, a package that could be worth ")
        self.figure("money")
        doc.add(" over the next decade. ")
        self.filler_sentence()

    def named_quote(self) -> None:
        """A quotation attributed to a named actor, sometimes naming an actor inside it."""
        doc, rng = self.doc, self.rng
        opening, closing = rng.choice((("“", "”"), ('"', '"')))
        doc.add(opening)
        quote = doc.open_span("QUOTE")
        doc.add(rng.choice(QUOTE_OPENERS))
        if rng.random() < 0.5:
            doc.add(", and ")
            doc.span(rng.choice(ORGANISATIONS + COUNTRIES), "ACTOR")
            doc.add(" knows that")
        quote_id = doc.close_span(quote)
        doc.add(f",{closing} ")
        if rng.random() < 0.5:
            speaker = self.actor()
            doc.add(f" {rng.choice(QUOTE_VERBS)}. ")
        else:
            doc.add(f"{rng.choice(('said', 'added'))} ")
            speaker = self.actor()
            doc.add(". ")
        doc.relations.append((quote_id, speaker))

    def anonymous_quote(self) -> None:
        doc, rng = self.doc, self.rng
        doc.add("“")
        quote = doc.span(rng.choice(QUOTE_OPENERS), "QUOTE")
        doc.add(",” said ")
        speaker = self.anon_source()
        doc.add(". ")
        doc.relations.append((quote, speaker))

    def anonymous_claim(self) -> None:
        doc, rng = self.doc, self.rng
        doc.add("According to ")
        self.anon_source()
        doc.add(", ")
        doc.span(self.partner, "ACTOR")
        doc.add(f" wants {self.country} to commit ")
        self.figure("money")
        doc.add(f" before {rng.choice(('the summit', 'the end of the year', 'June'))}. ")

    def figures(self) -> None:
        doc, rng = self.doc, self.rng
        doc.add(f"The {rng.choice(('first phase', 'programme', 'package'))} would cost ")
        self.figure("money")
        doc.add(", and ")
        self.figure("share")
        doc.add(f" of the money would be spent in {rng.choice(COUNTRIES)}, supporting ")
        self.figure("count")
        doc.add(". ")

    def aside(self) -> None:
        self.doc.add(self.rng.choice(UNICODE_ASIDES) + " ")

    def paragraph(self, writers: list) -> None:
        for write in writers:
            write()
            for _ in range(self.rng.randint(2, 5)):
                self.filler_sentence()
        self.doc.parts[-1] = self.doc.parts[-1].rstrip(" ")
        self.doc.length = sum(len(part) for part in self.doc.parts)
        self.doc.add("\n\n")

    def write(self, dateline: str, target: int) -> DocumentBuilder:
        rng = self.rng
        self.paragraph([lambda: self.lead(dateline)])
        kinds = [self.named_quote, self.anonymous_quote, self.anonymous_claim, self.figures]
        while self.doc.length < target:
            writers = [rng.choice(kinds)]
            if rng.random() < 0.3:
                writers.append(self.named_quote)
            if self.unicode_rich and rng.random() < 0.5:
                writers.insert(0, self.aside)
            self.paragraph(writers)
        self.doc.parts[-1] = self.doc.parts[-1].rstrip("\n")
        self.doc.length = sum(len(part) for part in self.doc.parts)
        return self.doc


def make_document(seed: int, index: int) -> dict[str, Any]:
    """Return document `index` of the corpus for `seed` as a Byline JSONL object."""
    rng = random.Random(f"byline-bench:{seed}:{index}")
    dateline = rng.choice(DATELINES)
    unicode_rich = rng.random() < UNICODE_SHARE
    target = int(rng.gauss(TARGET_CHARACTERS, 250))
    writer = NewsWriter(rng, unicode_rich=unicode_rich)
    doc = writer.write(dateline, target)
    text = doc.text
    annotator = rng.choice(ANNOTATORS)
    spans = sorted(doc.spans, key=lambda s: (s.start, s.end, s.label, s.uid))
    for span in spans:
        if text[span.start : span.end] != span.text:
            raise AssertionError(f"generator bug: span {span} does not cover its text")
    published = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(700))
    return {
        "schema_version": 1,
        "id": f"bench-{index:06d}",
        "title": f"{writer.country} and {writer.partner} weigh {writer.topic}",
        "source": rng.choice(PUBLISHERS),
        "published": published.isoformat(),
        "dateline": dateline,
        "url": f"https://news.example/{published:%Y/%m/%d}/bench-{index:06d}",
        "language": "en",
        "tags": sorted(set(rng.sample(TAGS, rng.randint(1, 2)))),
        "metadata": {
            "generator": {
                "version": GENERATOR_VERSION,
                "seed": seed,
                "index": index,
                "unicode": unicode_rich,
            }
        },
        "text": text,
        "spans": [
            {
                "id": span.uid,
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "text": span.text,
                "annotator": annotator,
                "attributes": span.attributes,
            }
            for span in spans
        ],
        "relations": [
            {"type": "speaker", "from": source, "to": target} for source, target in doc.relations
        ],
    }


def doccano_record(document: dict[str, Any]) -> dict[str, Any]:
    """Return the document in doccano's sequence-labelling import format."""
    return {
        "text": document["text"],
        "label": [[span["start"], span["end"], span["label"]] for span in document["spans"]],
    }


def corpus_paths(size: int, out_dir: Path = OUT_DIR) -> dict[str, Path]:
    return {
        "byline": out_dir / f"byline-{size}.jsonl",
        "doccano": out_dir / f"doccano-{size}.jsonl",
        "manifest": out_dir / f"byline-{size}.json",
    }


def write_corpus(size: int, *, seed: int = DEFAULT_SEED, out_dir: Path = OUT_DIR) -> dict:
    """Write the corpus of `size` documents; return its manifest (counts and digests)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = corpus_paths(size, out_dir)
    counts = {"documents": 0, "spans": 0, "relations": 0, "characters": 0, "unicode_rich": 0}
    labels: dict[str, int] = {}
    byline_digest, doccano_digest = hashlib.sha256(), hashlib.sha256()
    byline_tmp = paths["byline"].with_suffix(".jsonl.tmp")
    doccano_tmp = paths["doccano"].with_suffix(".jsonl.tmp")
    with byline_tmp.open("wb") as byline_out, doccano_tmp.open("wb") as doccano_out:
        for index in range(size):
            document = make_document(seed, index)
            line = orjson.dumps(document) + b"\n"
            byline_out.write(line)
            byline_digest.update(line)
            line = orjson.dumps(doccano_record(document)) + b"\n"
            doccano_out.write(line)
            doccano_digest.update(line)
            counts["documents"] += 1
            counts["spans"] += len(document["spans"])
            counts["relations"] += len(document["relations"])
            counts["characters"] += len(document["text"])
            counts["unicode_rich"] += document["metadata"]["generator"]["unicode"]
            for span in document["spans"]:
                labels[span["label"]] = labels.get(span["label"], 0) + 1
    byline_tmp.replace(paths["byline"])
    doccano_tmp.replace(paths["doccano"])
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "size": size,
        **counts,
        "labels": dict(sorted(labels.items())),
        "byline_sha256": byline_digest.hexdigest(),
        "doccano_sha256": doccano_digest.hexdigest(),
    }
    paths["manifest"].write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n")
    return manifest


def ensure_corpus(size: int, *, seed: int = DEFAULT_SEED, out_dir: Path = OUT_DIR) -> dict:
    """Return the manifest of the corpus of `size` documents, writing it if missing or stale."""
    paths = corpus_paths(size, out_dir)
    if paths["manifest"].exists() and paths["byline"].exists() and paths["doccano"].exists():
        manifest = orjson.loads(paths["manifest"].read_bytes())
        if manifest.get("generator_version") == GENERATOR_VERSION and manifest["seed"] == seed:
            return manifest
    return write_corpus(size, seed=seed, out_dir=out_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--force", action="store_true", help="Rewrite files that exist.")
    args = parser.parse_args(argv)
    print(
        f"{'docs':>8} {'spans':>9} {'spans/doc':>9} {'chars/doc':>9} {'relations':>9} "
        f"{'unicode':>7}  file"
    )
    for size in args.sizes:
        if args.force:
            manifest = write_corpus(size, seed=args.seed, out_dir=args.out)
        else:
            manifest = ensure_corpus(size, seed=args.seed, out_dir=args.out)
        print(
            f"{manifest['documents']:>8,} {manifest['spans']:>9,} "
            f"{manifest['spans'] / manifest['documents']:>9.1f} "
            f"{manifest['characters'] / manifest['documents']:>9,.0f} "
            f"{manifest['relations']:>9,} {manifest['unicode_rich']:>7,}  "
            f"{corpus_paths(size, args.out)['byline']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build the evaluation set: the hand-annotated passages in `source/*.txt` to byline JSONL.

`python -m assist.evaluation.build` rewrites `dev.jsonl`, `test.jsonl` and `holdout.jsonl`
to `holdout32.jsonl` next to this file from `source/<set>.txt`; `--check` only
compares, exiting 1 on a difference. The output is what `import_documents` reads: every span
in the gold layer, a `speaker` relation from each quote to its speaker. Stdlib only, so it runs
without Django.

The markup (docs/assist-evaluation.md has the annotation decisions):

    === dev-01
    title: Canada and EU agree steel quota
    source: Reuters
    dateline: OTTAWA
    published: 2026-03-12
    tags: trade
    ---
    OTTAWA (Reuters) - {A#c|Prime Minister Mark Carney} said: “{Q@c|We are ready.}”

A span is `{HEAD|text}`; spans nest. HEAD is a label letter, then optional `#id` (what a
quote's `@id` names as its speaker) and attributes:

    {A|...}                      ACTOR
    {Q@id|...}                   QUOTE, speaker = the ACTOR or ANON_SOURCE span `#id`
    {F 163e9 USD|...}            FIGURE, value and unit (`_` in a unit reads as a space)
    {F~ 50 percent|...}          FIGURE, approximate
    {S#o n=2 aff="EU" why="not authorized to speak"|...}   ANON_SOURCE count, affiliation,
                                 reason_given (each optional; missing ones are null)
"""

import argparse
import hashlib
import json
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE_DIR = HERE / "source"
SETS = (
    "dev",
    "test",
    "holdout",
    "holdout2",
    "holdout3",
    "holdout4",
    "holdout5",
    "holdout6",
    "holdout7",
    "holdout8",
    "holdout9",
    "holdout10",
    "holdout11",
    "holdout12",
    "holdout13",
    "holdout14",
    "holdout15",
    "holdout16",
    "holdout17",
    "holdout18",
    "holdout19",
    "holdout20",
    "holdout21",
    "holdout22",
    "holdout23",
    "holdout24",
    "holdout25",
    "holdout26",
    "holdout27",
    "holdout28",
    "holdout29",
    "holdout30",
    "holdout31",
    "holdout32",
)
# The corpus each set is imported into (`make evaluate`).
CORPUS_NAMES = {name: f"Evaluation {name}" for name in SETS}
LABELS = {"A": "ACTOR", "F": "FIGURE", "Q": "QUOTE", "S": "ANON_SOURCE"}
HEAD = re.compile(r"(?P<letter>[AFQS])(?P<approx>~)?(?:#(?P<id>\w+))?(?:@(?P<speaker>\w+))?")
HEADER_KEYS = ("title", "source", "dateline", "published", "tags")
QUOTE_MARKS = "\"'“”‘’«»‹›"
# A passage is short wire copy: the brief asks for 80-250 words.
WORDS = (80, 250)


class MarkupError(ValueError):
    """A problem in the markup, located as `file:line: reason`."""

    def __init__(self, path: Path, line: int, reason: str):
        super().__init__(f"{path}:{line}: {reason}")


@dataclass
class Span:
    label: str
    start: int
    end: int
    line: int
    ref: str | None = None
    speaker: str | None = None
    attributes: dict[str, object] = field(default_factory=dict)


@dataclass
class Passage:
    id: str
    line: int
    header: dict[str, str]
    text: str
    spans: list[Span]


def parse_number(token: str, *, path: Path, line: int) -> int | float:
    """Return `token` as a number, an int when it is whole (163e9 is 163000000000)."""
    try:
        value = float(token)
    except ValueError:
        raise MarkupError(path, line, f"FIGURE value {token!r} is not a number") from None
    return int(value) if value.is_integer() else value


def parse_head(head: str, *, path: Path, line: int) -> Span:
    """Return the (empty) span a `{HEAD|` opens."""
    try:
        tokens = shlex.split(head)
    except ValueError as error:
        raise MarkupError(path, line, f"span head {head!r}: {error}") from None
    match = HEAD.fullmatch(tokens[0]) if tokens else None
    if match is None:
        raise MarkupError(path, line, f"span head {head!r} does not start with A, F, Q or S")
    letter, rest = match["letter"], tokens[1:]
    span = Span(LABELS[letter], 0, 0, line, ref=match["id"], speaker=match["speaker"])
    if match["approx"] and letter != "F":
        raise MarkupError(path, line, f"{head!r}: only a FIGURE is approximate")
    if match["speaker"] and letter != "Q":
        raise MarkupError(path, line, f"{head!r}: only a QUOTE has a speaker")
    if letter == "F":
        if len(rest) != 2:
            raise MarkupError(path, line, f"FIGURE {head!r} needs a value and a unit")
        span.attributes = {
            "value": parse_number(rest[0], path=path, line=line),
            "unit": rest[1].replace("_", " "),
            "approximate": bool(match["approx"]),
        }
    elif letter == "S":
        keys = {"n": "count", "aff": "affiliation", "why": "reason_given"}
        span.attributes = {"count": None, "affiliation": None, "reason_given": None}
        for token in rest:
            key, _, value = token.partition("=")
            if key not in keys or not value:
                raise MarkupError(path, line, f"attribute {token!r}: use n=, aff=, why=")
            span.attributes[keys[key]] = (
                parse_number(value, path=path, line=line) if key == "n" else value
            )
    elif rest:
        raise MarkupError(path, line, f"{head!r}: {span.label} takes no attributes")
    if letter == "Q" and not match["speaker"]:
        raise MarkupError(path, line, f"QUOTE {head!r} needs its speaker: Q@id")
    return span


def parse_body(body: str, *, path: Path, first_line: int) -> tuple[str, list[Span]]:
    """Return the plain text of a marked-up body and its spans."""
    out: list[str] = []
    length = 0
    open_spans: list[Span] = []
    spans: list[Span] = []
    line = first_line
    i = 0
    while i < len(body):
        char = body[i]
        if char == "{":
            bar = body.find("|", i)
            if bar < 0 or "\n" in body[i:bar]:
                raise MarkupError(path, line, "a `{` without its `|` on the same line")
            span = parse_head(body[i + 1 : bar], path=path, line=line)
            span.start = length
            open_spans.append(span)
            i = bar + 1
            continue
        if char == "}":
            if not open_spans:
                raise MarkupError(path, line, "a `}` closes no span")
            span = open_spans.pop()
            span.end = length
            spans.append(span)
        elif char == "|":
            raise MarkupError(path, line, "a `|` outside a span head")
        else:
            out.append(char)
            length += 1
            line += char == "\n"
        i += 1
    if open_spans:
        raise MarkupError(path, open_spans[-1].line, "span is never closed")
    return "".join(out), spans


def check_passage(passage: Passage, path: Path) -> None:
    """Raise MarkupError for a span the guide forbids or a reference that names nothing."""
    text = passage.text
    words = len(text.split())
    if not WORDS[0] <= words <= WORDS[1]:
        raise MarkupError(path, passage.line, f"{passage.id} has {words} words, not {WORDS}")
    refs: dict[str, Span] = {}
    for span in passage.spans:
        covered = text[span.start : span.end]
        if not covered or covered != covered.strip():
            raise MarkupError(path, span.line, f"{span.label} {covered!r}: empty or spaced")
        if span.label == "QUOTE" and (covered[0] in QUOTE_MARKS or covered[-1] in QUOTE_MARKS):
            raise MarkupError(path, span.line, f"QUOTE {covered!r} takes in a quotation mark")
        if span.label == "FIGURE" and (covered[0] in "([" or covered[-1] in ")]"):
            raise MarkupError(path, span.line, f"FIGURE {covered!r}: parentheses stay outside")
        if span.ref:
            if span.ref in refs:
                raise MarkupError(path, span.line, f"#{span.ref} is used twice in {passage.id}")
            refs[span.ref] = span
    for span in passage.spans:
        if span.speaker is None:
            continue
        target = refs.get(span.speaker)
        if target is None or target.label not in ("ACTOR", "ANON_SOURCE"):
            raise MarkupError(
                path, span.line, f"@{span.speaker} names no ACTOR or ANON_SOURCE span"
            )


def read_source(path: Path) -> list[Passage]:
    """Return the passages of one markup file, checked."""
    lines = path.read_text(encoding="utf-8").split("\n")
    starts = [n for n, line in enumerate(lines) if line.startswith("=== ")]
    if not starts:
        raise MarkupError(path, 1, "no passage (a passage starts with `=== ID`)")
    passages: list[Passage] = []
    seen: set[str] = set()
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        block = lines[start:end]
        passage_id = block[0][4:].strip()
        if passage_id in seen:
            raise MarkupError(path, start + 1, f"passage id {passage_id!r} is used twice")
        seen.add(passage_id)
        try:
            separator = block.index("---")
        except ValueError:
            raise MarkupError(path, start + 1, f"{passage_id}: no `---` after the header") from None
        header: dict[str, str] = {}
        for offset, line in enumerate(block[1:separator], start=start + 2):
            key, colon, value = line.partition(":")
            if not colon or key.strip() not in HEADER_KEYS:
                raise MarkupError(path, offset, f"header line {line!r}: keys are {HEADER_KEYS}")
            header[key.strip()] = value.strip()
        # Blank lines around a passage are layout, not text; inside it they are paragraphs.
        body = "\n".join(block[separator + 1 :]).strip("\n")
        first_line = start + separator + 2
        first_line += len("\n".join(block[separator + 1 :])) - len(
            "\n".join(block[separator + 1 :]).lstrip("\n")
        )
        text, spans = parse_body(body, path=path, first_line=first_line)
        passage = Passage(passage_id, start + 1, header, text, spans)
        check_passage(passage, path)
        passages.append(passage)
    return passages


def passage_record(passage: Passage, corpus: str) -> dict[str, object]:
    """Return the byline JSONL object for a passage: spans in gold, sorted as exports sort."""
    ordered = sorted(passage.spans, key=lambda s: (s.start, s.end, s.label))
    uid = {id(span): f"{passage.id}-{n:03d}" for n, span in enumerate(ordered, start=1)}
    by_ref = {span.ref: span for span in ordered if span.ref}
    text = passage.text
    header = passage.header
    return {
        "schema_version": 1,
        "id": passage.id,
        "corpus": corpus,
        "title": header.get("title", ""),
        "source": header.get("source", ""),
        "published": header.get("published") or None,
        "dateline": header.get("dateline") or None,
        "url": None,
        "language": "en",
        "tags": sorted(t.strip() for t in header.get("tags", "").split(",") if t.strip()),
        "metadata": {"evaluation": "hand-written and annotated for assist/evaluation"},
        "quality_flags": [],
        "text": text,
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "spans": [
            {
                "id": uid[id(span)],
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "text": text[span.start : span.end],
                "annotator": None,
                "attributes": span.attributes,
                "gold": True,
            }
            for span in ordered
        ],
        "relations": [
            {"type": "speaker", "from": uid[id(span)], "to": uid[id(by_ref[span.speaker])]}
            for span in ordered
            if span.speaker
        ],
    }


def render(passages: list[Passage], corpus: str) -> str:
    """Return the JSONL text for `passages` in `corpus`, one line each, checked once more."""
    lines = []
    for passage in passages:
        record = passage_record(passage, corpus)
        for span in record["spans"]:
            # The invariant every importer checks: the offsets cover the span's text.
            assert record["text"][span["start"] : span["end"]] == span["text"]
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(lines)


def build(name: str) -> str:
    """Return the JSONL text of the set called `name` (one of SETS)."""
    return render(read_source(SOURCE_DIR / f"{name}.txt"), CORPUS_NAMES[name])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    status = 0
    for name in SETS:
        target = HERE / f"{name}.jsonl"
        try:
            content = build(name)
        except MarkupError as error:
            print(error, file=sys.stderr)
            return 2
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != content:
                print(f"{target} is out of date: run python -m assist.evaluation.build")
                status = 1
            continue
        target.write_text(content, encoding="utf-8")
        print(f"{target.name}: {content.count(chr(10))} passages")
    return status


if __name__ == "__main__":
    sys.exit(main())

"""Score the suggesters against an evaluation JSONL in memory: no database, no Django.

    python -m assist.evaluation.quick --file assist/evaluation/dev.jsonl --labels QUOTE ANON_SOURCE

The same table as `manage.py evaluate` (assist.scoring does the matching and the rates), in a
second rather than through import and `suggest`: for tuning rules. The suggesters run with
every label, as `suggest` does, so quotes find their speakers; only `--labels` are scored.
`--errors` lists the misses: references missed or matched inexactly, candidates matched to
nothing, and quotes whose speaker is wrong.
"""

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from assist.candidates import LABELS, QUOTE, SpanRef
from assist.registry import suggest_text
from assist.scoring import ScoredSpan, evaluate, format_table, match_overlap, same_speaker


def read_records(path: Path) -> Iterator[dict]:
    """Yield each JSON line of `path`, naming the line of one that does not parse."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise SystemExit(f"{path}:{number}: not JSON: {error}") from error


def reference_spans(record: dict) -> list[ScoredSpan]:
    """Return the record's gold spans, each quote with its speaker's place."""
    spans = {span["id"]: span for span in record["spans"]}
    speaker_of = {}
    for relation in record.get("relations", []):
        if relation["type"] == "speaker":
            target = spans[relation["to"]]
            speaker_of[relation["from"]] = SpanRef(target["start"], target["end"], target["label"])
    return [
        ScoredSpan(
            document=record["id"],
            label=span["label"],
            start=span["start"],
            end=span["end"],
            attributes=span.get("attributes") or {},
            speaker=speaker_of.get(span["id"]),
        )
        for span in record["spans"]
    ]


def candidate_spans(record: dict) -> list[ScoredSpan]:
    """Return what the suggesters propose over the record's text."""
    return [
        ScoredSpan(
            document=record["id"],
            label=candidate.label,
            start=candidate.start,
            end=candidate.end,
            attributes=candidate.attributes,
            speaker=candidate.speaker,
            suggester=candidate.suggester,
        )
        for candidate in suggest_text(record["text"])
    ]


def print_errors(
    text: str, label: str, reference: list[ScoredSpan], candidate: list[ScoredSpan]
) -> None:
    """Print one document's misses for one label."""
    pairs = match_overlap(reference, candidate)
    matched_ref = {id(r) for r, _ in pairs}
    matched_cand = {id(c) for _, c in pairs}

    def words(span: ScoredSpan | SpanRef | None) -> str | None:
        return None if span is None else repr(text[span.start : span.end])

    for span in reference:
        if id(span) not in matched_ref:
            print(f"  {span.document} {label} missed: {words(span)}")
    for span in candidate:
        if id(span) not in matched_cand:
            print(f"  {span.document} {label} spurious: {words(span)}")
    for ref, cand in pairs:
        if (ref.start, ref.end) != (cand.start, cand.end):
            print(f"  {ref.document} {label} inexact: gold {words(ref)} got {words(cand)}")
        if label == QUOTE and ref.speaker and not same_speaker(ref, cand, exact=True):
            print(
                f"  {ref.document} speaker of {words(ref)[:40]}: gold {words(ref.speaker)}, "
                f"got {words(cand.speaker)}"
            )


def score(path: Path, labels: Iterable[str], errors: bool = False) -> str:
    """Return the evaluation table of the suggesters over the records of `path`."""
    labels = list(labels)
    reference: list[ScoredSpan] = []
    candidate: list[ScoredSpan] = []
    for record in read_records(path):
        ref, cand = reference_spans(record), candidate_spans(record)
        reference += ref
        candidate += cand
        if errors:
            for label in labels:
                print_errors(
                    record["text"],
                    label,
                    [s for s in ref if s.label == label],
                    [s for s in cand if s.label == label],
                )
    return format_table(evaluate(reference, candidate, labels=labels))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--labels", nargs="+", default=list(LABELS), choices=LABELS)
    parser.add_argument("--errors", action="store_true", help="list every miss")
    options = parser.parse_args(argv)
    print(score(options.file, options.labels, options.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())

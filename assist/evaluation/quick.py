"""Score the suggesters against an evaluation JSONL in memory: no database, no Django.

    python -m assist.evaluation.quick --file assist/evaluation/dev.jsonl --labels QUOTE ANON_SOURCE

Prints, per label, precision, recall and F1 for exact and for overlap match (one-to-one), and
speaker accuracy: of the reference quotes matched (overlap), the share whose candidate's
speaker matches the reference speaker (exactly, and by overlap). `--errors` lists the misses.
The suggesters run with every label, as `suggest` does, so quotes find their speakers.
"""

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assist.candidates import LABELS, QUOTE, Candidate
from assist.registry import suggest_text


@dataclass(frozen=True)
class Counts:
    reference: int = 0
    candidate: int = 0
    exact: int = 0
    overlap: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.reference + other.reference,
            self.candidate + other.candidate,
            self.exact + other.exact,
            self.overlap + other.overlap,
        )


def prf(hits: int, candidates: int, references: int) -> tuple[float, float, float]:
    """Return precision, recall and F1 (0 when undefined)."""
    precision = hits / candidates if candidates else 0.0
    recall = hits / references if references else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def overlap_pairs(
    references: list[tuple[int, int]], candidates: list[tuple[int, int]]
) -> dict[int, int]:
    """Return reference index -> candidate index, one to one, exact matches first, then the
    largest overlaps.
    """
    pairs: dict[int, int] = {}
    used: set[int] = set()
    where = {span: i for i, span in enumerate(candidates)}
    for r, span in enumerate(references):
        if span in where and where[span] not in used:
            pairs[r] = where[span]
            used.add(where[span])
    scored = sorted(
        (
            (min(re, ce) - max(rs, cs), r, c)
            for r, (rs, re) in enumerate(references)
            if r not in pairs
            for c, (cs, ce) in enumerate(candidates)
            if c not in used and min(re, ce) > max(rs, cs)
        ),
        reverse=True,
    )
    for _, r, c in scored:
        if r not in pairs and c not in used:
            pairs[r] = c
            used.add(c)
    return pairs


def read_records(path: Path) -> Iterable[dict]:
    """Yield each JSON line of `path`, naming the line of one that does not parse."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise SystemExit(f"{path}:{number}: not JSON: {error}") from error


def evaluate(path: Path, labels: list[str], errors: bool = False) -> dict:
    """Return the per-label counts and speaker accuracy over the records of `path`."""
    totals = {label: Counts() for label in labels}
    speaker_total = speaker_exact = speaker_overlap = 0
    for record in read_records(path):
        text = record["text"]
        spans = {span["id"]: span for span in record["spans"]}
        speaker_of = {
            relation["from"]: spans[relation["to"]]
            for relation in record.get("relations", [])
            if relation["type"] == "speaker"
        }
        found = suggest_text(text)
        by_place = {(c.start, c.end, c.label): c for c in found}
        for label in labels:
            reference = [s for s in record["spans"] if s["label"] == label]
            ref_places = [(s["start"], s["end"]) for s in reference]
            candidates: list[Candidate] = [c for c in found if c.label == label]
            cand_places = [(c.start, c.end) for c in candidates]
            pairs = overlap_pairs(ref_places, cand_places)
            exact = sum(1 for r, c in pairs.items() if ref_places[r] == cand_places[c])
            totals[label] += Counts(len(reference), len(candidates), exact, len(pairs))
            if errors:
                report_errors(record["id"], text, label, ref_places, cand_places, pairs)
            if label != QUOTE:
                continue
            for r, c in pairs.items():
                gold = speaker_of.get(reference[r]["id"])
                if gold is None:
                    continue
                speaker_total += 1
                ref = candidates[c].speaker
                got = by_place.get((ref.start, ref.end, ref.label)) if ref else None
                if got and (got.start, got.end) == (gold["start"], gold["end"]):
                    speaker_exact += 1
                if got and min(got.end, gold["end"]) > max(got.start, gold["start"]):
                    speaker_overlap += 1
                if errors and (got is None or (got.start, got.end) != (gold["start"], gold["end"])):
                    said = text[got.start : got.end] if got else None
                    print(
                        f"  {record['id']} speaker of {reference[r]['text'][:40]!r}: "
                        f"gold {gold['text']!r}, got {said!r}"
                    )
    return {
        "labels": totals,
        "speaker": (speaker_total, speaker_exact, speaker_overlap),
    }


def report_errors(
    record_id: str,
    text: str,
    label: str,
    references: list[tuple[int, int]],
    candidates: list[tuple[int, int]],
    pairs: dict[int, int],
) -> None:
    """Print the references missed or matched inexactly and the candidates matched to none."""
    matched = set(pairs.values())
    for r, (start, end) in enumerate(references):
        if r not in pairs:
            print(f"  {record_id} {label} missed: {text[start:end]!r}")
        elif candidates[pairs[r]] != (start, end):
            cs, ce = candidates[pairs[r]]
            print(f"  {record_id} {label} inexact: gold {text[start:end]!r} got {text[cs:ce]!r}")
    for c, (start, end) in enumerate(candidates):
        if c not in matched:
            print(f"  {record_id} {label} spurious: {text[start:end]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--labels", nargs="+", default=list(LABELS), choices=LABELS)
    parser.add_argument("--errors", action="store_true", help="list every miss")
    options = parser.parse_args(argv)
    result = evaluate(options.file, options.labels, options.errors)
    print(f"{'label':<12} {'ref':>4} {'cand':>4}  exact P/R/F1        overlap P/R/F1")
    for label, counts in result["labels"].items():
        exact = prf(counts.exact, counts.candidate, counts.reference)
        overlap = prf(counts.overlap, counts.candidate, counts.reference)
        print(
            f"{label:<12} {counts.reference:>4} {counts.candidate:>4}  "
            + " ".join(f"{value:.3f}" for value in exact)
            + "   "
            + " ".join(f"{value:.3f}" for value in overlap)
        )
    total, exact, overlap = result["speaker"]
    if total:
        print(
            f"speaker accuracy: {exact / total:.3f} exact span, {overlap / total:.3f} overlapping "
            f"span ({total} matched reference quotes with a speaker)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

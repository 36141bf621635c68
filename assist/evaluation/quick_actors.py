"""Score the ACTOR, FIGURE and propagation suggesters on an evaluation set, in memory.

    python -m assist.evaluation.quick_actors [dev|test] [--errors]

No database: it reads the set's JSONL, runs `suggest_text` on each passage and scores with
`assist.scoring` (what `manage.py evaluate` prints), exact match:
- ACTOR and FIGURE with no corpus knowledge (cold start), and FIGURE's value and unit;
- propagation, as `make evaluate` measures it: the first gold mention of each distinct ACTOR
  string (set order, `assist.evaluation.propagation.first_mention_places`) is `known`, each
  passage's own first mentions are its `layer_spans` (how far the analyst has read it), and
  the remaining mentions are scored, both for every ACTOR suggestion (every suggester runs,
  as in `suggest --label ACTOR`) and for propagation's alone.

With `--errors` it lists each miss and extra. `make evaluate` is the full tool; this is the
rule writer's quick loop.
"""

import argparse
import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path

from assist.candidates import ACTOR, FIGURE, SpanRef
from assist.evaluation.propagation import first_mention_places
from assist.registry import SuggestContext, suggest_text
from assist.scoring import ScoredSpan, evaluate, exclude_places, format_rate

HERE = Path(__file__).resolve().parent


def read_set(name: str) -> list[dict]:
    """Return the passages of evaluation set `name` (dev or test)."""
    with (HERE / f"{name}.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def gold_spans(passages: list[dict], labels: set[str]) -> list[ScoredSpan]:
    """Return the gold spans of `passages` with a label in `labels`."""
    return [
        ScoredSpan(p["id"], s["label"], s["start"], s["end"], s["attributes"])
        for p in passages
        for s in p["spans"]
        if s["label"] in labels and s.get("gold", True)
    ]


def suggested_spans(
    passages: list[dict],
    context: SuggestContext,
    suggester: str | None = None,
    *,
    layer_spans: Mapping[str, tuple[SpanRef, ...]] | None = None,
) -> list[ScoredSpan]:
    """Return what `suggest_text` proposes over `passages` (only `suggester`'s, if named);
    `layer_spans` gives each passage's own spans of the layer propagated from, by id."""
    spans = []
    for p in passages:
        own = (layer_spans or {}).get(p["id"], ())
        for c in suggest_text(p["text"], dataclasses.replace(context, layer_spans=own)):
            if suggester is None or c.suggester == suggester:
                spans.append(
                    ScoredSpan(
                        p["id"], c.label, c.start, c.end, c.attributes, suggester=c.suggester
                    )
                )
    return spans


def print_errors(passages: list[dict], gold: list[ScoredSpan], found: list[ScoredSpan]) -> None:
    """Print each exact miss and extra, by passage."""
    texts = {p["id"]: p["text"] for p in passages}
    gold_places = {(s.document, s.label, s.start, s.end) for s in gold}
    found_places = {(s.document, s.label, s.start, s.end) for s in found}
    for kind, places in (
        ("extra ", found_places - gold_places),
        ("missed", gold_places - found_places),
    ):
        for document, label, start, end in sorted(places):
            print(f"  {document} {label:8} {kind} {texts[document][start:end]!r}")


def line(name: str, rates) -> str:
    return (
        f"{name:24} P {format_rate(rates.precision)}  R {format_rate(rates.recall)}  "
        f"F1 {format_rate(rates.f1)}  (matched {rates.matched}, proposed {rates.candidate}, "
        f"gold {rates.reference})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", nargs="?", default="dev", choices=("dev", "test"))
    parser.add_argument("--errors", action="store_true", help="list every miss and extra")
    arguments = parser.parse_args()
    passages = read_set(arguments.set)

    labels = (ACTOR, FIGURE)
    gold = gold_spans(passages, set(labels))
    found = suggested_spans(passages, SuggestContext(labels=frozenset(labels)))
    if arguments.errors:
        print_errors(passages, gold, found)
    scores = evaluate(gold, found, labels=labels)
    for label in labels:
        print(line(label, scores.exact[label]))
    both = scores.figure["value_and_unit"]
    print(f"{'FIGURE value and unit':24} {both.correct}/{both.total} = {format_rate(both.share)}")

    firsts = first_mention_places(passages)
    first_spans = [
        ScoredSpan(document, ACTOR, start, end) for document, start, end in sorted(firsts)
    ]
    known = {
        p_text[start:end]: ACTOR
        for document, start, end in sorted(firsts)
        for p_text in [next(p["text"] for p in passages if p["id"] == document)]
    }
    # Every suggester runs, as in `suggest --label ACTOR` (the speakers' new ACTORs count).
    context = SuggestContext(known=known)
    own: dict[str, tuple[SpanRef, ...]] = {}
    for document, start, end in sorted(firsts):
        own[document] = (*own.get(document, ()), SpanRef(start, end, ACTOR))
    remaining = exclude_places(gold_spans(passages, {ACTOR}), first_spans)
    for name, suggester in (
        ("ACTOR after propagation", None),
        ("propagation alone", "propagation"),
    ):
        proposed = suggested_spans(passages, context, suggester, layer_spans=own)
        proposed = exclude_places([s for s in proposed if s.label == ACTOR], first_spans)
        if arguments.errors:
            print(f"{name}:")
            print_errors(passages, remaining, proposed)
        print(line(name, evaluate(remaining, proposed, labels=(ACTOR,)).exact[ACTOR]))


if __name__ == "__main__":
    main()

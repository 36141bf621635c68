"""Score the ACTOR, FIGURE and propagation suggesters on an evaluation set, in memory.

    python -m assist.evaluation.quick_actors [dev|test] [--errors]

No database: it reads the set's JSONL, runs `suggest_text` on each passage and compares with
the gold spans by exact match (same start, end and label). It prints, per label, precision,
recall and F1; for FIGURE, the share of matched figures whose `value` and `unit` are right;
and for propagation, the precision and recall of the mentions proposed once the first mention
of each distinct gold ACTOR string is known (the issue's "after propagation" target).
`manage.py evaluate` is the full tool; this is the rule writer's quick loop.
"""

import argparse
import json
import math
from collections import Counter
from pathlib import Path

from assist.candidates import ACTOR, FIGURE
from assist.registry import SuggestContext, suggest_text

HERE = Path(__file__).resolve().parent


def read_set(name: str) -> list[dict]:
    """Return the passages of evaluation set `name` (dev or test)."""
    path = HERE / f"{name}.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def scores(true: int, proposed: int, gold: int) -> tuple[float, float, float]:
    """Return (precision, recall, F1) from the counts of true, proposed and gold spans."""
    precision = true / proposed if proposed else 0.0
    recall = true / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def same_figure(candidate: dict, gold: dict) -> bool:
    """Return whether a matched figure's value and unit are those of the gold span."""
    value, expected = candidate.get("value"), gold.get("value")
    if value is None or expected is None:
        return value == expected and candidate.get("unit") == gold.get("unit")
    return math.isclose(value, expected, rel_tol=1e-9) and candidate.get("unit") == gold.get("unit")


def evaluate_labels(passages: list[dict], show_errors: bool) -> None:
    """Print exact-match scores of the ACTOR and FIGURE suggesters on `passages`."""
    counts: Counter = Counter()
    attributes_right = 0
    for passage in passages:
        text = passage["text"]
        context = SuggestContext(labels=frozenset({ACTOR, FIGURE}))
        candidates = {(c.start, c.end, c.label): c for c in suggest_text(text, context)}
        gold = {(s["start"], s["end"], s["label"]): s for s in passage["spans"]}
        for label in (ACTOR, FIGURE):
            proposed = {k for k in candidates if k[2] == label}
            wanted = {k for k in gold if k[2] == label}
            counts[label, "true"] += len(proposed & wanted)
            counts[label, "proposed"] += len(proposed)
            counts[label, "gold"] += len(wanted)
            if show_errors:
                for start, end, _ in sorted(proposed - wanted):
                    print(f"  {passage['id']} {label} extra   {text[start:end]!r}")
                for start, end, _ in sorted(wanted - proposed):
                    print(f"  {passage['id']} {label} missed  {text[start:end]!r}")
        for key in candidates.keys() & gold.keys():
            if key[2] == FIGURE:
                ok = same_figure(dict(candidates[key].attributes), gold[key]["attributes"])
                attributes_right += ok
                if show_errors and not ok:
                    print(
                        f"  {passage['id']} FIGURE attrs {text[key[0] : key[1]]!r} "
                        f"{dict(candidates[key].attributes)} != {gold[key]['attributes']}"
                    )
    for label in (ACTOR, FIGURE):
        true, proposed, gold = (counts[label, k] for k in ("true", "proposed", "gold"))
        precision, recall, f1 = scores(true, proposed, gold)
        print(
            f"{label:8} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  ({true}/{proposed}/{gold})"
        )
    matched = counts[FIGURE, "true"]
    print(f"FIGURE value and unit right: {attributes_right}/{matched}")


def evaluate_propagation(passages: list[dict], show_errors: bool) -> None:
    """Print how propagation finds the later gold ACTOR mentions once the first is known.

    The first mention (in set order) of each distinct gold ACTOR string is what the analyst
    tagged; the remaining mentions are the target, and proposals at first mentions are
    neither rewarded nor counted against.
    """
    first: set[tuple[str, int, int]] = set()
    known: dict[str, str] = {}
    for passage in passages:
        for span in sorted(passage["spans"], key=lambda s: s["start"]):
            if span["label"] == ACTOR and span["text"] not in known:
                known[span["text"]] = ACTOR
                first.add((passage["id"], span["start"], span["end"]))
    context = SuggestContext(known=known, labels=frozenset({ACTOR}))
    true = proposed = wanted = 0
    for passage in passages:
        text, name = passage["text"], passage["id"]
        gold = {
            (s["start"], s["end"])
            for s in passage["spans"]
            if s["label"] == ACTOR and (name, s["start"], s["end"]) not in first
        }
        found = {
            (c.start, c.end)
            for c in suggest_text(text, context)
            if c.suggester == "propagation" and (name, c.start, c.end) not in first
        }
        true += len(found & gold)
        proposed += len(found)
        wanted += len(gold & {k for k in gold if text[k[0] : k[1]] in known})
        if show_errors:
            for start, end in sorted(found - gold):
                print(f"  {name} propagation extra  {text[start:end]!r}")
            for start, end in sorted(gold - found):
                print(f"  {name} propagation missed {text[start:end]!r}")
    precision, recall, f1 = scores(true, proposed, wanted)
    print(
        f"propagation P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  ({true}/{proposed}/{wanted})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", nargs="?", default="dev", choices=("dev", "test"))
    parser.add_argument("--errors", action="store_true", help="list every miss and extra")
    arguments = parser.parse_args()
    passages = read_set(arguments.set)
    evaluate_labels(passages, arguments.errors)
    evaluate_propagation(passages, arguments.errors)


if __name__ == "__main__":
    main()

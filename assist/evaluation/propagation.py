"""Measure the propagation target: "once an analyst has tagged the first mention of each
distinct actor string, the remaining mentions are suggested with recall >= 0.95 at precision
>= 0.90" (issue 14).

From a gold set this writes the same documents with one more layer, the analyst
`first-mentions`, holding a copy of the first gold ACTOR span of each distinct covered string
(corpus-wide in file order by default, or per document with `--scope document`). Imported as
a corpus, `suggest --propagate-from first-mentions` proposes the other mentions, and

    manage.py evaluate --corpus C --reference gold --candidate suggestions \
        --label ACTOR --exclude first-mentions

scores them on the remaining mentions only: `--exclude` drops, from both layers, the spans at
the places of that layer's spans (see `assist.scoring.exclude_places`).

    python -m assist.evaluation.propagation assist/evaluation/dev.jsonl \
        --corpus "Evaluation dev propagation" > dev-propagation.jsonl

Stdlib only, like `build`.
"""

import argparse
import copy
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

FIRST_MENTIONS_ANALYST = "first-mentions"
ACTOR = "ACTOR"
SCOPES = ("corpus", "document")


def first_mention_places(
    records: Iterable[dict], *, scope: str = "corpus"
) -> set[tuple[str, int, int]]:
    """Return (document id, start, end) of the first gold ACTOR span of each distinct string.

    Strings are compared exactly ("the U.S." and "U.S." are two strings, as an analyst who
    tagged one has not tagged the other). Documents are read in the order given.
    """
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    places: set[tuple[str, int, int]] = set()
    seen: set[str] = set()
    for record in records:
        if scope == "document":
            seen = set()
        actors = sorted(
            (s for s in record["spans"] if s["label"] == ACTOR and s.get("gold")),
            key=lambda s: (s["start"], s["end"]),
        )
        for span in actors:
            if span["text"] not in seen:
                seen.add(span["text"])
                places.add((record["id"], span["start"], span["end"]))
    return places


def with_first_mentions(
    record: dict,
    places: set[tuple[str, int, int]],
    *,
    corpus: str | None = None,
    analyst: str = FIRST_MENTIONS_ANALYST,
) -> dict:
    """Return a copy of `record` whose spans also hold, in `analyst`'s layer, a copy of each
    gold ACTOR span at one of `places`."""
    result = copy.deepcopy(record)
    if corpus is not None:
        result["corpus"] = corpus
    added = [
        {
            **{key: value for key, value in span.items() if key != "gold"},
            "id": f"{span['id']}-first",
            "annotator": analyst,
        }
        for span in record["spans"]
        if span["label"] == ACTOR
        and span.get("gold")
        and (record["id"], span["start"], span["end"]) in places
    ]
    result["spans"] = sorted(
        result["spans"] + added, key=lambda s: (s["start"], s["end"], s["label"])
    )
    return result


def first_mention_lines(
    records: list[dict], *, scope: str = "corpus", corpus: str | None = None
) -> Iterator[str]:
    """Yield the JSONL lines of `records` with the first-mentions layer added."""
    places = first_mention_places(records, scope=scope)
    for record in records:
        yield json.dumps(with_first_mentions(record, places, corpus=corpus), ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="a gold byline JSONL file (dev.jsonl, test.jsonl)")
    parser.add_argument("--corpus", help="corpus name to write into each line")
    parser.add_argument("--scope", choices=SCOPES, default="corpus")
    args = parser.parse_args(argv)
    with args.path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    for line in first_mention_lines(records, scope=args.scope, corpus=args.corpus):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

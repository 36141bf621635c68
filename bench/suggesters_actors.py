"""Time the figures, actors and propagation suggesters on the benchmark corpus's documents.

    .venv/bin/python -m bench.suggesters_actors [--documents 300] [--repeats 5]

Documents are the first N of the synthetic 10k corpus (`bench.generate`, ~3,000 characters
each), made in memory. Each is analysed once (`assist.text.analyse`, timed too), then each
suggester runs on it in the pipeline's order, with a `known` mapping of every distinct ACTOR
string of those documents and the document's own ACTOR spans as `layer_spans`, as `suggest
--propagate-from gold` would give (so the passed-over rule of `assist.reading` runs). CPU time
(`time.process_time`), the best of `--repeats` passes, so other processes on a loaded
machine count less; per document, in milliseconds.
"""

import argparse
import time

from assist.candidates import SpanRef
from assist.registry import SuggestContext, registered
from assist.text import analyse
from bench.generate import DEFAULT_SEED, make_document

TIMED = ("figures", "actors", "propagation")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args(argv)
    documents = [make_document(DEFAULT_SEED, index) for index in range(arguments.documents)]
    texts = [document["text"] for document in documents]
    known = {
        span["text"]: span["label"]
        for document in documents
        for span in document["spans"]
        if span["label"] == "ACTOR"
    }
    contexts = [
        SuggestContext(
            known=known,
            layer_spans=tuple(
                SpanRef(span["start"], span["end"], span["label"])
                for span in document["spans"]
                if span["label"] == "ACTOR"
            ),
        )
        for document in documents
    ]
    suggesters = [s for s in registered() if s.name in TIMED]
    best = {name: float("inf") for name in (*TIMED, "analyse")}
    for _ in range(arguments.repeats):
        spent = dict.fromkeys(best, 0.0)
        for text, context in zip(texts, contexts, strict=True):
            started = time.process_time()
            analysis = analyse(text)
            spent["analyse"] += time.process_time() - started
            for suggester in suggesters:
                started = time.process_time()
                suggester.function(analysis, context, [])
                spent[suggester.name] += time.process_time() - started
        for name, seconds in spent.items():
            best[name] = min(best[name], seconds)
    characters = sum(map(len, texts)) / len(texts)
    print(
        f"{len(texts)} documents of {characters:,.0f} characters on average, "
        f"{len(known)} known ACTOR strings; CPU ms per document, best of {arguments.repeats}:"
    )
    for name, seconds in best.items():
        print(f"  {name:12} {seconds / len(texts) * 1000:7.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

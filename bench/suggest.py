"""Suggestion throughput: `suggest` over the benchmark corpus, and the on-demand path.

On a freshly migrated scratch database (a SQLite file under bench/out/, or the PostgreSQL
database byline_bench_suggest, dropped afterwards) holding the generated corpus of N
documents (bench.generate), each in its own fresh process:

  suggest     assist.suggest.suggest_documents(corpus=...)   (what `manage.py suggest` runs),
              twice: the first run inserts, the second replaces (deletes, then inserts)
  storage     the corpus's human spans and links stored as suggestions, no suggester run:
              the cost of the layer itself
  on demand   what the annotation page's first GET of a document's suggestions runs
              (assist.ondemand.make_on_demand: the claim, the known strings that can stand
              in the document, the suggesters, the storing), median over documents of
              ~3,000 characters, each after its suggestions and their record were deleted;
              the known strings are also read apart, to show their share and how many of
              the corpus's were read

The figures measure the suggesters registered on the measured commit, whatever they are.

    .venv/bin/python -m bench.suggest --sizes 1000 --db sqlite
"""

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from bench.benchlib import (
    BENCH_CORPUS,
    DEFAULT_PG_URL,
    ScratchDatabase,
    emit,
    format_table,
    median,
    peak_rss_mib,
    percentile,
    print_header,
    run_child,
    setup_django,
)
from bench.generate import ANNOTATORS, corpus_paths, ensure_corpus

TARGET_DOCS_PER_S = 200
TARGET_ON_DEMAND_MS = 100
ON_DEMAND_SAMPLES = 30


def child_setup(path: str) -> dict[str, Any]:
    """Import the generated corpus with its annotators (not timed)."""
    setup_django()
    from django.contrib.auth import get_user_model

    from annotations.interchange.imports import get_or_create_corpus, import_paths

    corpus = get_or_create_corpus(BENCH_CORPUS)
    for name in ANNOTATORS:
        user = get_user_model()(username=name, is_active=False)
        user.set_unusable_password()
        user.save()
    report = import_paths([Path(path)], corpus=corpus)
    return {"documents": report.created}


def child_suggest() -> dict[str, Any]:
    setup_django()
    from assist.registry import registered
    from assist.suggest import suggest_documents
    from corpus.models import Corpus

    corpus = Corpus.objects.get(name=BENCH_CORPUS)
    registered()  # imports the suggesters (and spaCy) before the clock starts
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        report = suggest_documents(corpus=corpus)
        seconds = time.perf_counter() - started
        runs.append(
            {"seconds": seconds, "documents": report.documents, "suggestions": report.total}
        )
    return {
        "suggesters": [str(s) for s in registered()],
        "runs": runs,
        "counts": dict(report.counts),
        "peak_rss_mib": peak_rss_mib(),
    }


def child_on_demand() -> dict[str, Any]:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from assist.known import LazyKnown
    from assist.models import SuggestedDocument, Suggestion
    from assist.ondemand import OnDemand, make_on_demand
    from assist.review import own_layer
    from assist.suggest import suggest_document
    from corpus.models import Corpus

    corpus = Corpus.objects.get(name=BENCH_CORPUS)
    documents = [
        document
        for document in corpus.documents.order_by("pk")[: ON_DEMAND_SAMPLES * 3]
        if 2500 <= len(document.text) <= 3500
    ][:ON_DEMAND_SAMPLES]
    suggest_document(documents[0], known={})  # warm up: imports, spaCy, the first query
    # As the page does for an analyst: their own layer and gold.
    page_layers = own_layer(get_user_model().objects.get(username="ana")) | Q(is_gold=True)
    timings, known_timings, known_sizes = [], [], []
    for document in documents:
        # The known strings alone, read as the page reads them (not in the total).
        started = time.perf_counter()
        known_sizes.append(len(LazyKnown(corpus, page_layers, text=document.text)))
        known_timings.append((time.perf_counter() - started) * 1000)
        Suggestion.objects.filter(document=document).delete()
        SuggestedDocument.objects.filter(document=document).delete()
        started = time.perf_counter()
        outcome = make_on_demand(document, layers=page_layers)
        timings.append((time.perf_counter() - started) * 1000)
        assert outcome is OnDemand.MADE_NOW, outcome
    return {
        "documents": len(timings),
        "characters": median([len(d.text) for d in documents]),
        "known": median(known_sizes),
        "known_in_corpus": len(LazyKnown(corpus, page_layers)),
        "median_ms": median(timings),
        "p95_ms": percentile(timings, 0.95),
        "known_median_ms": median(known_timings),
    }


def child_store() -> dict[str, Any]:
    """Time the storage alone: each document's human spans (every layer, once per place),
    with their speaker links, stored as its suggestions, without running any suggester."""
    setup_django()
    from itertools import islice

    from annotations.models import Annotation, Relation
    from assist.candidates import Candidate, SpanRef
    from assist.suggest import CHUNK_SIZE, corpus_labels, replace_suggestions
    from corpus.models import Corpus

    corpus = Corpus.objects.get(name=BENCH_CORPUS)
    labels = corpus_labels(corpus)
    places = {}
    for pk, document_id, start, end, key in Annotation.objects.filter(
        document__corpus=corpus
    ).values_list("pk", "document_id", "start", "end", "label__key"):
        places[pk] = (document_id, SpanRef(start, end, key))
    speakers = {
        source: places[target][1]
        for source, target in Relation.objects.filter(document__corpus=corpus).values_list(
            "source_id", "target_id"
        )
    }
    made: dict[int, dict] = {}
    for pk, (document_id, ref) in places.items():
        made.setdefault(document_id, {})[ref] = Candidate(
            ref.label, ref.start, ref.end, "bench", 0.5, speaker=speakers.get(pk)
        )
    ids = sorted(made)
    rows = 0
    started = time.perf_counter()
    iterator = iter(ids)
    while chunk := list(islice(iterator, CHUNK_SIZE)):
        counts = replace_suggestions({i: list(made[i].values()) for i in chunk}, labels)
        rows += sum(counts.values())
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "documents": len(ids), "rows": rows}


def run_child_command(args: argparse.Namespace) -> None:
    if args.child == "setup":
        emit(child_setup(args.file))
    elif args.child == "suggest":
        emit(child_suggest())
    elif args.child == "on-demand":
        emit(child_on_demand())
    elif args.child == "store":
        emit(child_store())


def measure(size: int, kind: str, *, pg_url: str) -> dict[str, Any]:
    ensure_corpus(size)
    db = ScratchDatabase(kind, "byline_bench_suggest", pg_url=pg_url)
    db.create()
    try:
        db.migrate()

        def child(name: str, *extra: str) -> dict:
            return run_child("bench.suggest", ["--child", name, *extra], env=db.env)

        child("setup", "--file", str(corpus_paths(size)["byline"]))
        return {
            "suggest": child("suggest"),
            "on_demand": child("on-demand"),
            "store": child("store"),
        }
    finally:
        db.drop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite"])
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--child", choices=["setup", "suggest", "on-demand", "store"])
    parser.add_argument("--file")
    args = parser.parse_args(argv)
    if args.child:
        run_child_command(args)
        return 0
    print_header("Suggestions: suggest throughput and the on-demand path", "bench.suggest")
    rows = []
    for size in args.sizes:
        for kind in args.db:
            result = measure(size, kind, pg_url=args.pg_url)
            first, second = result["suggest"]["runs"]
            demand, store = result["on_demand"], result["store"]
            rows.append(
                {
                    "size": size,
                    "db": kind,
                    "suggesters": ", ".join(result["suggest"]["suggesters"]) or "(none)",
                    "suggestions": first["suggestions"],
                    "first": first["documents"] / first["seconds"],
                    "replace": second["documents"] / second["seconds"],
                    "demand": demand["median_ms"],
                    "demand95": demand["p95_ms"],
                    "known": demand["known_median_ms"],
                    "known_read": f"{demand['known']:.0f} of {demand['known_in_corpus']}",
                    "store": store["documents"] / store["seconds"],
                    "store_rows": store["rows"] / store["seconds"],
                    "rss": result["suggest"]["peak_rss_mib"],
                }
            )
    print(
        format_table(
            rows,
            [
                ("size", "documents", "d"),
                ("db", "database", ""),
                ("suggesters", "suggesters", ""),
                ("suggestions", "suggestions", "d"),
                ("first", "suggest docs/s (insert)", ".0f"),
                ("replace", "suggest docs/s (replace)", ".0f"),
                ("demand", "on demand median ms", ".1f"),
                ("demand95", "on demand p95 ms", ".1f"),
                ("known", "known strings read ms", ".1f"),
                ("known_read", "known strings read", ""),
                ("store", "storage only docs/s", ".0f"),
                ("store_rows", "storage only rows/s", ".0f"),
                ("rss", "peak RSS MiB", ".0f"),
            ],
        )
    )
    print(
        f"targets: suggest >= {TARGET_DOCS_PER_S} docs/s on 10k documents; "
        f"on demand < {TARGET_ON_DEMAND_MS} ms for a 3,000-character article"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

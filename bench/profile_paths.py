"""Profile our import and export paths with cProfile, on a scratch database.

Imports the corpus of --size documents (profiled when --phase import), then exports it
(profiled when --phase export), in a child process each; prints the functions that take the
most time and keeps the .prof file under bench/out/ for snakeviz or pstats.

    .venv/bin/python -m bench.profile_paths --phase import --size 10000 --db sqlite
"""

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

from bench.benchlib import (
    BENCH_CORPUS,
    DEFAULT_PG_URL,
    OUT_DIR,
    ScratchDatabase,
    emit,
    run_child,
    setup_django,
)
from bench.generate import corpus_paths, ensure_corpus


def profiled(call, prof_path: Path, *, limit: int) -> dict:
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(call)
    seconds = time.perf_counter() - started
    profiler.dump_stats(prof_path)
    report = io.StringIO()
    stats = pstats.Stats(profiler, stream=report).strip_dirs()
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)
    return {"seconds": seconds, "report": report.getvalue(), "prof": str(prof_path)}


def child(args: argparse.Namespace) -> dict:
    setup_django()
    from annotations.interchange.export import documents_for_export, export_jsonl
    from annotations.interchange.imports import get_or_create_corpus, import_paths

    corpus = get_or_create_corpus(BENCH_CORPUS)
    prof = OUT_DIR / f"profile-{args.child}-{args.db}-{args.size}.prof"
    if args.child == "import":

        def call():
            report = import_paths([corpus_paths(args.size)["byline"]], corpus=corpus)
            if report.failures:
                raise SystemExit(str(report.failures[0].problem))

    else:
        out = OUT_DIR / f"profile-export-{args.db}-{args.size}.jsonl"

        def call():
            export_jsonl(documents_for_export(corpus.documents.all()), out)

    if args.child == args.phase:
        return profiled(call, prof, limit=args.limit)
    started = time.perf_counter()
    call()
    return {"seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase", choices=["import", "export"], required=True)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--limit", type=int, default=25, help="Functions listed per sort.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        emit(child(args))
        return 0
    ensure_corpus(args.size)
    db = ScratchDatabase(args.db, "byline_bench_profile", pg_url=args.pg_url)
    db.create()
    try:
        db.migrate()
        base = ["--phase", args.phase, "--size", str(args.size)]
        base += ["--db", args.db, "--limit", str(args.limit)]
        for step in ("import", "export"):
            result = run_child("bench.profile_paths", [*base, "--child", step], env=db.env)
            profiled_note = " (under cProfile)" if step == args.phase else ""
            print(f"# {step}: {result['seconds']:.2f} s{profiled_note}")
            if step == args.phase:
                print(result["report"])
                print(f"# profile kept in {result['prof']}")
                break
    finally:
        db.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

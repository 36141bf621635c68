"""Import and export throughput and peak RSS, against the driver-level floor.

For each size and database, on a freshly migrated scratch database (SQLite file under
bench/out/, or the PostgreSQL database byline_bench, dropped afterwards), each in its own
fresh process:

  ours import   interchange.imports.import_paths([byline-N.jsonl])   (what import_documents runs)
  ours export   interchange.export.export_jsonl(documents_for_export(corpus.documents.all()))
  floor import  the same rows with sqlite3 INSERTs of many rows / psycopg COPY, one transaction
  floor export  one raw query + orjson, same lines (the runner checks the bytes are equal)

Peak RSS is ru_maxrss of the measuring process. The ratio is our time over the floor's.

    .venv/bin/python -m bench.import_export --sizes 1000 10000 --db sqlite postgres
"""

import argparse
import datetime
import hashlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from bench.benchlib import (
    BENCH_CORPUS,
    DEFAULT_PG_URL,
    OUT_DIR,
    ScratchDatabase,
    emit,
    format_table,
    machine_summary,
    median,
    peak_rss_mib,
    print_header,
    run_child,
    setup_django,
)
from bench.generate import ANNOTATORS, TAGS, corpus_paths, ensure_corpus

TARGETS = {
    "import": {"docs_per_s": 3000, "spans_per_s": 45000},
    "export": {"spans_per_s": 110000},
}
MAX_FLOOR_RATIO = 3.0


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def child_setup() -> dict[str, Any]:
    """Create the bench corpus with its labels, the annotators and the tags (not timed)."""
    setup_django()
    from django.contrib.auth import get_user_model

    from annotations.interchange.imports import get_or_create_corpus

    corpus = get_or_create_corpus(BENCH_CORPUS)
    User = get_user_model()
    for name in ANNOTATORS:
        user = User(username=name, is_active=False)
        user.set_unusable_password()
        user.save()
    for name in TAGS:
        corpus.tags.create(name=name, slug=name)
    from bench import floor

    return {"column_defaults": floor.column_defaults()}


def child_ours_import(path: Path, format_name: str | None = None) -> dict[str, Any]:
    setup_django()
    from annotations.interchange.imports import get_or_create_corpus, import_paths

    corpus = get_or_create_corpus(BENCH_CORPUS)
    # Only formats other than Byline JSONL need naming (import_paths gained the argument
    # with the format registry).
    options = {"format_name": format_name} if format_name else {}
    baseline = peak_rss_mib()
    started = time.perf_counter()
    report = import_paths([path], corpus=corpus, **options)
    seconds = time.perf_counter() - started
    if report.failures:
        raise SystemExit(f"import failed: {report.failures[0].problem}")
    return {
        "seconds": seconds,
        "documents": report.created,
        "spans": report.spans,
        "relations": report.relations,
        "baseline_rss_mib": baseline,
        "peak_rss_mib": peak_rss_mib(),
    }


def child_ours_export(out: Path) -> dict[str, Any]:
    setup_django()
    from annotations.interchange.export import documents_for_export, export_jsonl
    from annotations.models import Annotation
    from corpus.models import Corpus

    corpus = Corpus.objects.get(name=BENCH_CORPUS)
    documents = documents_for_export(corpus.documents.all())
    baseline = peak_rss_mib()
    started = time.perf_counter()
    written = export_jsonl(documents, out)
    seconds = time.perf_counter() - started
    peak = peak_rss_mib()
    return {
        "seconds": seconds,
        "documents": written,
        "spans": Annotation.objects.filter(document__corpus=corpus).count(),
        "baseline_rss_mib": baseline,
        "peak_rss_mib": peak,
        "sha256": file_sha256(out),
    }


def child_floor_import(db: ScratchDatabase, path: Path, defaults: str) -> dict[str, Any]:
    from bench import floor

    column_defaults = orjson.loads(defaults)
    baseline = peak_rss_mib()
    started = time.perf_counter()
    rows = floor.import_file(db, path, BENCH_CORPUS, column_defaults)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "documents": rows["documents"],
        "spans": rows["spans"],
        "relations": rows["relations"],
        "baseline_rss_mib": baseline,
        "peak_rss_mib": peak_rss_mib(),
    }


def child_floor_export(db: ScratchDatabase, out: Path) -> dict[str, Any]:
    from bench import floor

    baseline = peak_rss_mib()
    started = time.perf_counter()
    written = floor.export(db, BENCH_CORPUS, out)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "documents": written,
        "baseline_rss_mib": baseline,
        "peak_rss_mib": peak_rss_mib(),
        "sha256": file_sha256(out),
    }


def run_child_command(args: argparse.Namespace) -> None:
    db = ScratchDatabase(args.db_kind, args.db_name, pg_url=args.pg_url)
    if args.child == "setup":
        emit(child_setup())
    elif args.child == "ours-import":
        emit(child_ours_import(args.file, args.format))
    elif args.child == "ours-export":
        emit(child_ours_export(args.file))
    elif args.child == "floor-import":
        emit(child_floor_import(db, args.file, args.defaults))
    elif args.child == "floor-export":
        emit(child_floor_export(db, args.file))


def measure_once(size: int, kind: str, *, pg_url: str, keep: bool) -> dict[str, dict]:
    """Run the four measurements on fresh databases; return them by phase."""
    source = corpus_paths(size)["byline"]
    main = ScratchDatabase(kind, "byline_bench", pg_url=pg_url)
    floor_db = ScratchDatabase(kind, "byline_bench_floor", pg_url=pg_url)

    def child(name: str, db: ScratchDatabase, file: Path | None = None, *extra: str) -> dict:
        args = ["--child", name, "--db-kind", kind, "--db-name", db.name]
        args += ["--pg-url", pg_url, *extra]
        if file is not None:
            args += ["--file", str(file)]
        return run_child("bench.import_export", args, env=db.env)

    main.create()
    main.migrate()
    defaults = child("setup", main)["column_defaults"]
    floor_db.create(template=main)
    results = {}
    try:
        results["floor import"] = child(
            "floor-import", floor_db, source, "--defaults", orjson.dumps(defaults).decode()
        )
        results["floor export"] = child(
            "floor-export", floor_db, OUT_DIR / f"export-floor-{kind}-{size}.jsonl"
        )
        floor_db.drop()
        results["import"] = child("ours-import", main, source)
        results["export"] = child("ours-export", main, OUT_DIR / f"export-ours-{kind}-{size}.jsonl")
    finally:
        floor_db.drop()
        if not keep:
            main.drop()
    return results


def summarise(size: int, kind: str, runs: list[dict[str, dict]], manifest: dict) -> list[dict]:
    """Return table rows (medians over runs) for ours import and export."""
    rows = []
    for phase in ("import", "export"):
        seconds = median([run[phase]["seconds"] for run in runs])
        floor_seconds = median([run[f"floor {phase}"]["seconds"] for run in runs])
        documents = runs[0][phase]["documents"]
        spans = runs[0][phase]["spans"]
        row = {
            "size": f"{size:,}",
            "db": kind,
            "phase": phase,
            "runs": len(runs),
            "seconds": seconds,
            "docs_per_s": documents / seconds,
            "spans_per_s": spans / seconds,
            "peak_rss_mib": median([run[phase]["peak_rss_mib"] for run in runs]),
            "baseline_rss_mib": median([run[phase]["baseline_rss_mib"] for run in runs]),
            "floor_seconds": floor_seconds,
            "floor_docs_per_s": documents / floor_seconds,
            "floor_spans_per_s": spans / floor_seconds,
            "floor_peak_rss_mib": median([run[f"floor {phase}"]["peak_rss_mib"] for run in runs]),
            "ratio": seconds / floor_seconds,
            "expected_spans": manifest["spans"],
        }
        if phase == "export":
            row["same_bytes"] = all(
                run["export"]["sha256"] == run["floor export"]["sha256"] for run in runs
            )
        rows.append(row)
    return rows


def verdicts(rows: list[dict]) -> list[str]:
    """Return one line per target saying whether the measured rows meet it."""
    lines = []
    for row in rows:
        target = TARGETS[row["phase"]]
        misses = [
            f"{key.replace('_per_s', '/s')} {row[key]:,.0f} < {minimum:,}"
            for key, minimum in target.items()
            if row[key] < minimum
        ]
        if row["ratio"] > MAX_FLOOR_RATIO:
            misses.append(f"{row['ratio']:.1f}x the floor > {MAX_FLOOR_RATIO:.0f}x")
        verdict = "meets targets" if not misses else "MISSES: " + "; ".join(misses)
        lines.append(f"{row['size']:>7} {row['db']:<8} {row['phase']:<6} {verdict}")
    by_key = {(row["db"], row["size"]): row for row in rows if row["phase"] == "export"}
    for (db, size), row in sorted(by_key.items()):
        if size == "100,000" and (db, "10,000") in by_key:
            ten = by_key[(db, "10,000")]["peak_rss_mib"]
            growth = row["peak_rss_mib"] / ten - 1
            flat = growth <= 0.10 and row["peak_rss_mib"] * 1.048576 < 250
            lines.append(
                f"export peak RSS {db}: 10k {ten:.0f} MiB, 100k {row['peak_rss_mib']:.0f} MiB "
                f"({growth:+.0%}) -> {'flat' if flat else 'NOT flat'} (target <= +10%, < 250 MB)"
            )
    return lines


COLUMNS = [
    ("size", "docs", ""),
    ("db", "db", ""),
    ("phase", "phase", ""),
    ("seconds", "s", ".2f"),
    ("docs_per_s", "docs/s", ",.0f"),
    ("spans_per_s", "spans/s", ",.0f"),
    ("peak_rss_mib", "peak RSS MiB", ",.0f"),
    ("floor_docs_per_s", "floor docs/s", ",.0f"),
    ("floor_spans_per_s", "floor spans/s", ",.0f"),
    ("floor_peak_rss_mib", "floor RSS MiB", ",.0f"),
    ("ratio", "x floor", ".2f"),
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite"])
    parser.add_argument("--repeat", type=int, default=1, help="Runs per size; medians shown.")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="Server of the scratch DB.")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db-kind", help=argparse.SUPPRESS)
    parser.add_argument("--db-name", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--defaults", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def measure_runs(size: int, kind: str, args: argparse.Namespace) -> list[dict[str, dict]]:
    """Return the runs of `size` documents on `kind` that succeeded, printing each."""
    runs = []
    for run in range(args.repeat):
        clock = time.perf_counter()
        try:
            runs.append(measure_once(size, kind, pg_url=args.pg_url, keep=args.keep))
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            # A failed run (e.g. a migration that does not apply) is reported, and the other
            # sizes and databases still run.
            print(f"# {size:,} docs on {kind}, run {run + 1} FAILED: {error}")
            continue
        print(
            f"# {size:,} docs on {kind}, run {run + 1}/{args.repeat}: "
            f"{time.perf_counter() - clock:.0f} s wall",
            flush=True,
        )
    return runs


def measure_all(args: argparse.Namespace) -> tuple[list[dict], list[dict]]:
    """Measure every size on every database; return the table's rows and the raw runs."""
    rows: list[dict] = []
    raw: list[dict] = []
    for size in args.sizes:
        manifest = ensure_corpus(size)
        for kind in args.db:
            runs = measure_runs(size, kind, args)
            if not runs:
                continue
            new_rows = summarise(size, kind, runs, manifest)
            for line in format_table(new_rows, COLUMNS).splitlines()[2:]:
                print("#", line.replace("|", " ").strip(), flush=True)
            rows += new_rows
            raw.append({"size": size, "db": kind, "runs": runs})
            for row in new_rows:
                if row["phase"] == "export" and not row["same_bytes"]:
                    print(f"# warning: {size} {kind}: our export and the floor's differ")
    return rows, raw


def report(rows: list[dict], raw: list[dict], started: datetime.datetime) -> None:
    """Print the table and the verdicts; keep the raw results under bench/out/."""
    print()
    print(format_table(rows, COLUMNS))
    print()
    for line in verdicts(rows):
        print(line)
    print(f"# same bytes as the floor export: {all(r.get('same_bytes', True) for r in rows)}")
    print(
        "# peak RSS at start of measurement (Django loaded): "
        + ", ".join(
            f"{r['size']} {r['db']} {r['phase']} {r['baseline_rss_mib']:.0f} MiB" for r in rows
        )
    )
    results = OUT_DIR / f"import_export-{started:%Y%m%dT%H%M%S}.json"
    results.write_bytes(
        orjson.dumps(
            {
                "started": started.isoformat(),
                "machine": machine_summary(),
                "argv": sys.argv,
                "rows": rows,
                "raw": raw,
            },
            option=orjson.OPT_INDENT_2,
        )
    )
    print(f"# raw results: {results.relative_to(OUT_DIR.parent.parent)}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        run_child_command(args)
        return 0
    started = print_header("import/export benchmark", "bench.import_export")
    rows, raw = measure_all(args)
    report(rows, raw, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Byline and doccano 1.8 side by side: the same doccano file imported and exported by both.

Optional and slow; never part of `make test`. doccano 1.8.4 runs as in the peer round trips
(bench/peers.py): installed once by bench/install_peers.sh into its own venv outside the
project (pins from PEERS.md: "marshmallow<4", "numpy<2"), its home (SQLite database, media)
in bench/out/doccano-home, its Celery worker (`doccano task`), which does imports and
exports, and its web app under gunicorn bound to 127.0.0.1.

doccano: upload bench/out/doccano-<N>.jsonl through its REST API with token auth
(filepond upload, then /v1/projects/<id>/upload, polling the Celery task), then export JSONL
(/v1/projects/<id>/download, polling, then fetching and unzipping the zip). Times run from the
first request to the last byte. Peak RSS is the largest VmHWM among the Celery worker's processes.

Byline: the same file through `import_paths(..., format_name="doccano")` and the export
through `export_jsonl`, each in a fresh process, on SQLite like doccano.

    .venv/bin/python -m bench.doccano_side_by_side --size 10000
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import orjson

from bench.benchlib import (
    OUT_DIR,
    ScratchDatabase,
    format_table,
    print_header,
    run_child,
)
from bench.generate import corpus_paths, ensure_corpus
from bench.peers import DOCCANO_VERSION, INSTALL_SCRIPT, Doccano

BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)


def run_byline(path: Path, size: int) -> dict[str, dict]:
    """Import the doccano file into a fresh SQLite database and export it, as Byline does."""
    db = ScratchDatabase("sqlite", "byline_bench_doccano")
    db.create()
    try:
        db.migrate()
        base = ["--db-kind", "sqlite", "--db-name", db.name]
        imported = run_child(
            "bench.import_export",
            [*base, "--child", "ours-import", "--file", str(path), "--format", "doccano"],
            env=db.env,
        )
        exported = run_child(
            "bench.import_export",
            [
                *base,
                "--child",
                "ours-export",
                "--file",
                str(OUT_DIR / f"export-doccano-side-{size}.jsonl"),
            ],
            env=db.env,
        )
    finally:
        db.drop()
    return {"import": imported, "export": exported}


COLUMNS = [
    ("system", "system", ""),
    ("import_s", "import s", ".1f"),
    ("import_docs", "import docs/s", ",.1f"),
    ("import_spans", "import spans/s", ",.1f"),
    ("export_s", "export s", ".1f"),
    ("export_docs", "export docs/s", ",.1f"),
    ("export_spans", "export spans/s", ",.1f"),
    ("rss", "peak RSS MiB", ",.2f"),
]
RATIOS = ("import_docs", "import_spans", "export_docs", "export_spans")


def table_row(system: str, imported: dict, exported: dict, *, spans: int, rss: float) -> dict:
    """Return one system's row: seconds and rates of its import (of `spans`) and export."""
    return {
        "system": system,
        "import_s": imported["seconds"],
        "import_docs": imported["documents"] / imported["seconds"],
        "import_spans": spans / imported["seconds"],
        "export_s": exported["seconds"],
        "export_docs": exported["documents"] / exported["seconds"],
        "export_spans": exported["spans"] / exported["seconds"],
        "rss": rss,
    }


def measure_byline(path: Path, size: int) -> dict:
    clock = time.perf_counter()
    ours = run_byline(path, size)
    print(f"# Byline measured in {time.perf_counter() - clock:.0f} s", flush=True)
    rss = max(ours["import"]["peak_rss_mib"], ours["export"]["peak_rss_mib"])
    return table_row(
        "Byline", ours["import"], ours["export"], spans=ours["import"]["spans"], rss=rss
    )


def measure_doccano(path: Path, *, size: int, spans: int, workers: int) -> dict:
    """Install doccano if needed, import `path` into it and export it; return its row.
    Each time runs from the first request to the last byte of the answer."""
    clock = time.perf_counter()
    subprocess.run(
        ["bash", str(INSTALL_SCRIPT), "doccano"],
        env={**os.environ, "PYTHON": BASE_PYTHON},
        check=True,
    )
    print(f"# doccano {DOCCANO_VERSION} ready in {time.perf_counter() - clock:.0f} s", flush=True)
    home = OUT_DIR / "doccano-home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    doccano = Doccano(home, task_timeout=7200)
    try:
        doccano.start(workers=workers)
        # ACTOR spans nest inside QUOTE spans.
        project = doccano.create_project(allow_overlapping=True, use_relation=False)
        clock = time.perf_counter()
        result = doccano.import_jsonl(project, path, relations=False)
        imported = {"seconds": time.perf_counter() - clock}
        if result and result.get("error"):
            raise RuntimeError(f"doccano import reported errors: {result['error'][:3]}")
        imported["documents"] = doccano.example_count(project)
        print(f"# doccano import: {imported['seconds']:.0f} s", flush=True)
        clock = time.perf_counter()
        lines = doccano.export_jsonl(project, OUT_DIR / f"doccano-export-{size}.jsonl")
        exported = {
            "seconds": time.perf_counter() - clock,
            "documents": len(lines),
            "spans": sum(len(line.get("label", [])) for line in lines),
        }
        rss = doccano.worker_peak_rss_mib()
    finally:
        doccano.stop()
    if doccano.failed_polls:
        print(f"# doccano answered {doccano.failed_polls} task-status polls with 5xx (retried)")
    if imported["documents"] != size or exported["spans"] != spans:
        print(
            f"# note: doccano holds {imported['documents']:,} documents and exported "
            f"{exported['spans']:,} spans (the file has {size:,} and {spans:,})"
        )
    return table_row(f"doccano {DOCCANO_VERSION}", imported, exported, spans=spans, rss=rss)


def ratio_row(ours: dict, theirs: dict) -> dict:
    return {
        "system": f"ratio {ours['system']} / doccano",
        **{key: ours[key] / theirs[key] for key in RATIOS},
        "rss": ours["rss"] / theirs["rss"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--skip-doccano", action="store_true", help="Only measure Byline.")
    args = parser.parse_args(argv)
    started = print_header("doccano side by side", "bench.doccano_side_by_side")
    manifest = ensure_corpus(args.size)
    path = corpus_paths(args.size)["doccano"]
    rows = [measure_byline(path, args.size)]
    if not args.skip_doccano:
        theirs = measure_doccano(
            path, size=args.size, spans=manifest["spans"], workers=args.workers
        )
        rows += [theirs, ratio_row(rows[0], theirs)]
    print()
    print(format_table(rows, COLUMNS))
    (OUT_DIR / f"doccano_side_by_side-{started:%Y%m%dT%H%M%S}.json").write_bytes(
        orjson.dumps({"started": started.isoformat(), "rows": rows}, option=orjson.OPT_INDENT_2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

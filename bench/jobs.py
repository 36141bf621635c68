"""Background jobs against the CLI: import throughput, the request's own time, export RSS.

For each size and database, on scratch databases migrated once and copied (SQLite files under
bench/out/, or PostgreSQL databases byline_bench_jobs_*, dropped afterwards):

  cli import     wall time of `manage.py import_documents --corpus Bench byline-N.jsonl`
                 (a fresh process, as a user runs it)
  job import     from the moment the uploaded file is on disk until the job row says done:
                 the file moved into a staging folder, `start_import` (what the upload page
                 calls after receiving the file), a running `manage.py work` worker picking it
                 up, importing, and marking it done
  request        the part of that the web request does: staging + start_import (+ enqueue)
  export job     a `manage.py work` worker exporting the corpus (Byline JSONL) as a job: its
                 peak RSS (VmHWM) before and after, to see it stay flat across sizes

The upload page itself (another branch) adds to `request` only the streaming of the body to
disk, which happens before "after the file is received"; this script measures through
`start_import`, as that page does.

    .venv/bin/python -m bench.jobs --sizes 1000 10000 --db sqlite postgres
"""

import argparse
import os
import shutil
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
    PYTHON,
    REPO_ROOT,
    ScratchDatabase,
    emit,
    format_table,
    manage,
    print_header,
    run_child,
    setup_django,
)
from bench.generate import ANNOTATORS, corpus_paths, ensure_corpus

# Targets of issue 13.
MIN_JOB_SHARE_OF_CLI = 0.8
MAX_REQUEST_SECONDS = 1.0
COLUMNS = [
    ("size", "docs", ",d"),
    ("db", "db", ""),
    ("cli_docs_per_s", "CLI docs/s", ",.0f"),
    ("job_docs_per_s", "job docs/s", ",.0f"),
    ("job_share", "job/CLI", ".0%"),
    ("request_s", "request s", ".3f"),
    ("export_s", "export job s", ".1f"),
    ("worker_rss_idle", "worker MiB idle", ".0f"),
    ("worker_rss_peak", "worker MiB peak", ".0f"),
]


def child_setup() -> dict[str, Any]:
    """Create the bench corpus with the news labels; its annotators are members (as the job
    attributes spans only to members), plus a manager who starts the jobs."""
    setup_django()
    from django.contrib.auth import get_user_model

    from annotations.interchange.imports import get_or_create_corpus
    from corpus.models import Membership

    corpus = get_or_create_corpus(BENCH_CORPUS)
    User = get_user_model()
    for name in [*ANNOTATORS, "bench-manager"]:
        user = User.objects.create(username=name)
        role = "manager" if name == "bench-manager" else "annotator"
        Membership.objects.create(corpus=corpus, user=user, role=role)
    return {}


def child_start(kind: str, received: Path | None) -> dict[str, Any]:
    """Start an import of the received file (moved into a staging folder) or an export."""
    setup_django()
    from django.contrib.auth import get_user_model

    # A web process has imported the task modules and connected before its requests.
    import annotations.tasks  # noqa: F401
    from annotations.background import new_staging_folder, start_export, start_import
    from corpus.models import Corpus

    corpus = Corpus.objects.get(name=BENCH_CORPUS)
    manager = get_user_model().objects.get(username="bench-manager")
    wall = time.time()
    started = time.perf_counter()
    if kind == "import":
        folder = new_staging_folder()
        os.replace(received, folder / received.name)
        job = start_import(corpus=corpus, started_by=manager, directory=folder, format_name=None)
    else:
        job = start_export(corpus=corpus, started_by=manager, format_name="byline")
    return {"job": job.pk, "request_s": time.perf_counter() - started, "wall": wall}


def job_row(db: ScratchDatabase, job_id: int) -> tuple[str, str | None]:
    connection = db.connect_raw()
    try:
        marker = "?" if db.kind == "sqlite" else "%s"
        return connection.execute(
            f"SELECT status, output_file FROM jobs_job WHERE id = {marker}", (job_id,)
        ).fetchone()
    finally:
        connection.close()


def wait_done(db: ScratchDatabase, job_id: int, *, timeout: float = 3600) -> float:
    """Return the wall time at which the job was first seen finished (polled every 50 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _ = job_row(db, job_id)
        if status in ("done", "failed", "cancelled"):
            if status != "done":
                raise RuntimeError(f"job {job_id} ended {status}")
            return time.time()
        time.sleep(0.05)
    raise RuntimeError(f"job {job_id} did not finish in {timeout} s")


def rss_mib(pid: int) -> tuple[float, float]:
    """Return a process's current and peak resident set size (VmRSS, VmHWM), in MiB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


class Worker:
    """A `manage.py work` process on a database, started and waited for."""

    def __init__(self, db: ScratchDatabase, env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [PYTHON, "manage.py", "work", "--no-reload", "--no-startup-delay"]
                + ["--interval", "0.05"],
                cwd=REPO_ROOT,
                env={**os.environ, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 120
        while b"Starting worker" not in log.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def measure(size: int, kind: str, pg_url: str) -> dict[str, Any]:
    source = corpus_paths(size)["byline"]
    media = OUT_DIR / "jobs-media"
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)
    template = ScratchDatabase(kind, "byline_bench_jobs_template", pg_url=pg_url)
    cli_db = ScratchDatabase(kind, "byline_bench_jobs_cli", pg_url=pg_url)
    job_db = ScratchDatabase(kind, "byline_bench_jobs_job", pg_url=pg_url)
    try:
        template.create()
        template.migrate()
        run_child("bench.jobs", ["--child", "setup"], env=template.env)
        cli_db.create(template=template)
        job_db.create(template=template)

        started = time.perf_counter()
        manage("import_documents", "--corpus", BENCH_CORPUS, str(source), env=cli_db.env)
        cli_seconds = time.perf_counter() - started

        env = {**job_db.env, "MEDIA_ROOT": str(media)}
        worker = Worker(job_db, env, OUT_DIR / f"jobs-worker-{kind}-{size}.log")
        try:
            received = media / "received" / source.name
            received.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, received)  # the upload, streamed to disk
            start = run_child("bench.jobs", ["--child", "import", "--file", str(received)], env=env)
            job_seconds = wait_done(job_db, start["job"]) - start["wall"]
        finally:
            worker.stop()

        # The export, by a fresh worker on the database the CLI imported into.
        env = {**cli_db.env, "MEDIA_ROOT": str(media)}
        worker = Worker(cli_db, env, OUT_DIR / f"jobs-export-worker-{kind}-{size}.log")
        try:
            _, idle_peak = rss_mib(worker.process.pid)
            export = run_child("bench.jobs", ["--child", "export"], env=env)
            export_seconds = wait_done(cli_db, export["job"]) - export["wall"]
            _, peak = rss_mib(worker.process.pid)
        finally:
            worker.stop()
        output = media / job_row(cli_db, export["job"])[1]
        lines = sum(1 for _ in output.open("rb"))
        if lines != size:
            raise RuntimeError(f"the export job wrote {lines} lines, not {size}")
    finally:
        for db in (template, cli_db, job_db):
            db.drop()
        shutil.rmtree(media, ignore_errors=True)
    return {
        "size": size,
        "db": kind,
        "cli_docs_per_s": size / cli_seconds,
        "job_docs_per_s": size / job_seconds,
        "job_share": cli_seconds / job_seconds,
        "request_s": start["request_s"],
        "export_s": export_seconds,
        "worker_rss_idle": idle_peak,
        "worker_rss_peak": peak,
    }


def verdicts(rows: list[dict]) -> list[str]:
    lines = []
    for row in rows:
        where = f"{row['size']:,} docs on {row['db']}"
        share_ok = row["job_share"] >= MIN_JOB_SHARE_OF_CLI
        request_ok = row["request_s"] < MAX_REQUEST_SECONDS
        lines.append(
            f"# {where}: job import at {row['job_share']:.0%} of the CLI's docs/s "
            f"({'meets' if share_ok else 'MISSES'} >= {MIN_JOB_SHARE_OF_CLI:.0%}); request "
            f"{row['request_s'] * 1000:.0f} ms ({'meets' if request_ok else 'MISSES'} < 1 s); "
            f"export worker peak {row['worker_rss_peak']:.0f} MiB "
            f"(+{row['worker_rss_peak'] - row['worker_rss_idle']:.0f} over idle)"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite"])
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="Server of the scratch DBs.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "setup":
        emit(child_setup())
        return 0
    if args.child in ("import", "export"):
        emit(child_start(args.child, args.file))
        return 0
    print_header("background jobs benchmark", "bench.jobs")
    rows = []
    for size in args.sizes:
        ensure_corpus(size)
        for kind in args.db:
            clock = time.perf_counter()
            rows.append(measure(size, kind, args.pg_url))
            print("#", orjson.dumps(rows[-1]).decode(), flush=True)
            seconds = time.perf_counter() - clock
            print(f"# {size:,} docs on {kind}: {seconds:.0f} s wall", flush=True)
    print()
    print(format_table(rows, COLUMNS))
    print()
    for line in verdicts(rows):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

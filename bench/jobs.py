"""Background jobs against the CLI: import throughput through the upload page, export RSS.

Imports (`--measure import`), for each size and database, on scratch databases migrated once
and copied (SQLite files under bench/out/, or PostgreSQL databases byline_bench_jobs_*,
dropped afterwards):

  cli import     wall time of `manage.py import_documents --corpus Bench byline-N.jsonl`
                 (a fresh process, as a user runs it)
  job import     `--via page` (the default): from the start of the upload until the job row
                 says done. A browser session logged in as a corpus manager posts the file
                 (multipart, with its CSRF token) to the corpus's Import page served by
                 gunicorn (`config.wsgi`, DEBUG off), which stages it and enqueues the job; a
                 `manage.py work` worker, already running, imports it and marks it done.
                 `--via start_import`: from the moment the file is on disk, through
                 `start_import` called in a child process (what the page calls once the
                 file is received), without the web server.
  request        how long the upload request took, sending the body included (page), or the
                 staging and `start_import` (start_import); the page's share after receipt
                 alone is `python -m bench.upload_request`

Exports (`--measure export`), for each size and database: the peak RSS (VmHWM) of a
`manage.py work` worker exporting the corpus (Byline JSONL) as a job, idle and after the
export, beside the peak RSS of `manage.py export_annotations` writing the same file. The
corpus is written once into a kept database, byline_bench_jobs_corpus_<N> (SQLite under
bench/out/ or PostgreSQL), by bench.floor's driver-level bulk insert (`--setup floor`, the
default: 2-3 times the CLI's speed) or the CLI import (`--setup cli`), and reused by later
runs, so a 100k export is measured without importing 100k documents each time (`--fresh`
makes them again, `--drop-corpora` removes them).

    .venv/bin/python -m bench.jobs --measure import --sizes 10000 --db sqlite postgres
    .venv/bin/python -m bench.jobs --measure export --sizes 1000 10000 100000 --db sqlite
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from bench.apiserver import BrowserSession, free_port, multipart_body, start_gunicorn, stop_gunicorn
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
    peak_rss_mib,
    print_header,
    run_child,
    setup_django,
)
from bench.generate import ANNOTATORS, TAGS, corpus_paths, ensure_corpus

# Targets of issue 13.
MIN_JOB_SHARE_OF_CLI = 0.8
MAX_REQUEST_SECONDS = 1.0
# The manager who uploads, on scratch databases only.
MANAGER, MANAGER_PASSWORD = "bench-manager", "bench-manager-password"
IMPORT_COLUMNS = [
    ("size", "docs", ",d"),
    ("db", "db", ""),
    ("via", "job via", ""),
    ("cli_docs_per_s", "CLI docs/s", ",.0f"),
    ("job_docs_per_s", "job docs/s", ",.0f"),
    ("job_share", "job/CLI", ".0%"),
    ("request_s", "request s", ".3f"),
]
EXPORT_COLUMNS = [
    ("size", "docs", ",d"),
    ("db", "db", ""),
    ("export_s", "export job s", ".1f"),
    ("worker_rss_idle", "worker MiB idle", ".0f"),
    ("worker_rss_peak", "worker MiB peak", ".0f"),
    ("cli_rss_peak", "CLI export MiB peak", ".0f"),
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
    for name in ANNOTATORS:
        Membership.objects.create(
            corpus=corpus, user=User.objects.create(username=name), role="annotator"
        )
    manager = User.objects.create_user(MANAGER, password=MANAGER_PASSWORD)
    Membership.objects.create(corpus=corpus, user=manager, role="manager")
    return {"slug": corpus.slug}


def child_start(kind: str, received: Path | None) -> dict[str, Any]:
    """Start an import of the received file (moved into a staging folder) or an export."""
    setup_django()
    from django.contrib.auth import get_user_model

    # A web process has imported the task modules and connected before its requests.
    import annotations.tasks  # noqa: F401
    from annotations.background import new_staging_folder, start_export, start_import
    from corpus.models import Corpus

    corpus = Corpus.objects.get(name=BENCH_CORPUS)
    manager = get_user_model().objects.get(username=MANAGER)
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


def scratch_databases(kind: str, pg_url: str, *names: str) -> list[ScratchDatabase]:
    return [ScratchDatabase(kind, f"byline_bench_jobs_{name}", pg_url=pg_url) for name in names]


def upload_through_page(
    db: ScratchDatabase, env: dict[str, str], source: Path, slug: str
) -> dict[str, Any]:
    """Post `source` to the corpus's Import page, served by gunicorn on `db`, as its manager
    in a browser session; return the job's id, the request's seconds and its start (wall)."""
    port = free_port()
    server = start_gunicorn(
        db.url, port, workers=1, log_path=OUT_DIR / f"jobs-gunicorn-{db.kind}.log", env=env
    )
    try:
        browser = BrowserSession(port)
        browser.login(MANAGER, MANAGER_PASSWORD)
        fields = {"csrfmiddlewaretoken": browser.csrf_token, "format": "", "import": "1"}
        body, content_type = multipart_body(fields, [("files", source.name, source.read_bytes())])
        wall = time.time()
        started = time.perf_counter()
        status, headers, data = browser.request(
            "POST", f"/corpora/{slug}/import/", body, content_type
        )
        request_s = time.perf_counter() - started
    finally:
        stop_gunicorn(server)
    found = re.fullmatch(r".*/jobs/(\d+)/", headers.get("location", ""))
    if status != 302 or not found:
        raise RuntimeError(f"the upload was not accepted: {status} {data[-500:]!r}")
    return {"job": int(found[1]), "request_s": request_s, "wall": wall}


def upload_through_start_import(env: dict[str, str], source: Path, media: Path) -> dict[str, Any]:
    """Put `source` on disk as an upload would, then start its import in a child process."""
    received = media / "received" / source.name
    received.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, received)  # the upload, streamed to disk
    return run_child("bench.jobs", ["--child", "import", "--file", str(received)], env=env)


def measure_import(size: int, kind: str, pg_url: str, via: str) -> dict[str, Any]:
    """Import the N-document file with the CLI and as a job, on copies of one database."""
    source = corpus_paths(size)["byline"]
    media = OUT_DIR / f"jobs-media-{kind}"  # one per kind: runs on both may overlap
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)
    template, cli_db, job_db = scratch_databases(kind, pg_url, "template", "cli", "job")
    try:
        template.create()
        template.migrate()
        slug = run_child("bench.jobs", ["--child", "setup"], env=template.env)["slug"]
        cli_db.create(template=template)
        job_db.create(template=template)

        started = time.perf_counter()
        manage("import_documents", "--corpus", BENCH_CORPUS, str(source), env=cli_db.env)
        cli_seconds = time.perf_counter() - started

        env = {**job_db.env, "MEDIA_ROOT": str(media)}
        worker = Worker(job_db, env, OUT_DIR / f"jobs-worker-{kind}-{size}.log")
        try:
            if via == "page":
                start = upload_through_page(job_db, env, source, slug)
            else:
                start = upload_through_start_import(env, source, media)
            job_seconds = wait_done(job_db, start["job"]) - start["wall"]
        finally:
            worker.stop()
        documents = count_documents(job_db)
        if documents != size:
            raise RuntimeError(f"the import job left {documents} documents, not {size}")
    finally:
        for db in (template, cli_db, job_db):
            db.drop()
        shutil.rmtree(media, ignore_errors=True)
    return {
        "size": size,
        "db": kind,
        "via": via,
        "cli_docs_per_s": size / cli_seconds,
        "job_docs_per_s": size / job_seconds,
        "job_share": cli_seconds / job_seconds,
        "request_s": start["request_s"],
    }


def count_documents(db: ScratchDatabase) -> int:
    connection = db.connect_raw()
    try:
        return connection.execute("SELECT count(*) FROM corpus_document").fetchone()[0]
    except Exception:  # no such table: a corpus database whose setup never finished
        return -1
    finally:
        connection.close()


def child_setup_for_floor(source: Path) -> dict[str, Any]:
    """Set up as `child_setup`, plus the corpus's tags, which the floor's rows refer to; then
    insert the rows of `source` with `bench.floor` into the database of DATABASE_URL."""
    from bench import floor

    child_setup()
    from django.db import connection

    from corpus.models import Corpus

    corpus = Corpus.objects.get(name=BENCH_CORPUS)
    for name in TAGS:
        corpus.tags.create(name=name, slug=name)
    defaults = floor.column_defaults()
    settings = connection.settings_dict
    kind = "sqlite" if connection.vendor == "sqlite" else "postgres"
    name = Path(settings["NAME"]).stem if kind == "sqlite" else settings["NAME"]
    db = ScratchDatabase(kind, name, pg_url=os.environ["DATABASE_URL"])
    connection.close()
    return floor.import_file(db, source, BENCH_CORPUS, defaults)


def corpus_database(
    size: int, kind: str, pg_url: str, *, fresh: bool, setup: str
) -> ScratchDatabase:
    """Return the kept database holding the N-document corpus, made only if it is missing or
    incomplete (or `fresh`): imported with the CLI, or (`setup` "floor") inserted with the
    driver alone by `bench.floor`, the fastest bulk path there is (no validation; the same
    rows, which bench.import_export checks by comparing the exports' bytes)."""
    (db,) = scratch_databases(kind, pg_url, f"corpus_{size}")
    exists = db.path.exists() if kind == "sqlite" else pg_database_exists(db)
    if not fresh and exists and count_documents(db) == size:
        return db
    db.create()
    db.migrate()
    source = corpus_paths(size)["byline"]
    if setup == "floor":
        # In a child: the floor holds the whole file's rows in memory (2 GB at 100k).
        run_child("bench.jobs", ["--child", "setup-floor", "--file", str(source)], env=db.env)
    else:
        run_child("bench.jobs", ["--child", "setup"], env=db.env)
        manage("import_documents", "--corpus", BENCH_CORPUS, str(source), env=db.env)
    return db


def pg_database_exists(db: ScratchDatabase) -> bool:
    with db.maintenance_connection() as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db.name,))
        return found.fetchone() is not None


def child_cli_export(output: Path) -> dict[str, Any]:
    """Run `manage.py export_annotations` into `output` as a user does (its system checks
    included); return its peak RSS in MiB.

    From this small child, not the runner: a child's ru_maxrss also counts the memory it was
    forked with, before it exec'd, which here is far below the export's own.
    """
    process = subprocess.Popen(
        [PYTHON, "manage.py", "export_annotations", "--corpus", BENCH_CORPUS]
        + ["--format", "byline", "--output", str(output)],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"export_annotations failed ({process.returncode})")
    return {"peak_mib": usage.ru_maxrss / 1024, "forked_from_mib": peak_rss_mib()}


def measure_export(size: int, kind: str, pg_url: str, *, fresh: bool, setup: str) -> dict[str, Any]:
    """Export the kept N-document corpus as a job and with the CLI; their peak RSS."""
    db = corpus_database(size, kind, pg_url, fresh=fresh, setup=setup)
    media = OUT_DIR / f"jobs-media-{kind}"  # one per kind: runs on both may overlap
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)
    env = {**db.env, "MEDIA_ROOT": str(media)}
    try:
        worker = Worker(db, env, OUT_DIR / f"jobs-export-worker-{kind}-{size}.log")
        try:
            _, idle_peak = rss_mib(worker.process.pid)
            export = run_child("bench.jobs", ["--child", "export"], env=env)
            export_seconds = wait_done(db, export["job"]) - export["wall"]
            _, peak = rss_mib(worker.process.pid)
        finally:
            worker.stop()
        output = media / job_row(db, export["job"])[1]
        lines = sum(1 for _ in output.open("rb"))
        if lines != size:
            raise RuntimeError(f"the export job wrote {lines} lines, not {size}")
        cli_peak = run_child(
            "bench.jobs", ["--child", "cli-export", "--file", str(media / "cli.jsonl")], env=env
        )["peak_mib"]
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return {
        "size": size,
        "db": kind,
        "export_s": export_seconds,
        "worker_rss_idle": idle_peak,
        "worker_rss_peak": peak,
        "cli_rss_peak": cli_peak,
    }


def import_verdicts(rows: list[dict]) -> list[str]:
    lines = []
    for row in rows:
        share_ok = row["job_share"] >= MIN_JOB_SHARE_OF_CLI
        lines.append(
            f"# {row['size']:,} docs on {row['db']}: job import via {row['via']} at "
            f"{row['job_share']:.0%} of the CLI's docs/s ({'meets' if share_ok else 'MISSES'} "
            f">= {MIN_JOB_SHARE_OF_CLI:.0%}); the request took {row['request_s']:.3f} s"
        )
    return lines


def export_verdicts(rows: list[dict]) -> list[str]:
    return [
        f"# {row['size']:,} docs on {row['db']}: export worker peak "
        f"{row['worker_rss_peak']:.0f} MiB (+{row['worker_rss_peak'] - row['worker_rss_idle']:.0f}"
        f" over idle), CLI export peak {row['cli_rss_peak']:.0f} MiB"
        for row in rows
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite"])
    parser.add_argument(
        "--measure", nargs="+", choices=["import", "export"], default=["import", "export"]
    )
    parser.add_argument(
        "--via",
        choices=["page", "start_import"],
        default="page",
        help="How the job import starts: the Import page over HTTP, or start_import.",
    )
    parser.add_argument("--fresh", action="store_true", help="Re-import the kept corpora.")
    parser.add_argument(
        "--setup",
        choices=["floor", "cli"],
        default="floor",
        help="How a missing kept corpus is made: bench.floor's bulk insert, or the CLI import.",
    )
    parser.add_argument(
        "--drop-corpora", action="store_true", help="Drop the kept corpus databases and stop."
    )
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="Server of the scratch DBs.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "setup":
        emit(child_setup())
        return 0
    if args.child == "setup-floor":
        emit(child_setup_for_floor(args.file))
        return 0
    if args.child == "cli-export":
        emit(child_cli_export(args.file))
        return 0
    if args.child in ("import", "export"):
        emit(child_start(args.child, args.file))
        return 0
    if args.drop_corpora:
        for size in args.sizes:
            for kind in args.db:
                for db in scratch_databases(kind, args.pg_url, f"corpus_{size}"):
                    db.drop()
        return 0
    print_header("background jobs benchmark", "bench.jobs")
    imports, exports = [], []
    for size in args.sizes:
        ensure_corpus(size)
        for kind in args.db:
            clock = time.perf_counter()
            if "import" in args.measure:
                imports.append(measure_import(size, kind, args.pg_url, args.via))
                print("#", orjson.dumps(imports[-1]).decode(), flush=True)
            if "export" in args.measure:
                exports.append(
                    measure_export(size, kind, args.pg_url, fresh=args.fresh, setup=args.setup)
                )
                print("#", orjson.dumps(exports[-1]).decode(), flush=True)
            seconds = time.perf_counter() - clock
            print(f"# {size:,} docs on {kind}: {seconds:.0f} s wall", flush=True)
    for rows, columns, verdicts in (
        (imports, IMPORT_COLUMNS, import_verdicts),
        (exports, EXPORT_COLUMNS, export_verdicts),
    ):
        if rows:
            print()
            print(format_table(rows, columns))
            print()
            print("\n".join(verdicts(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

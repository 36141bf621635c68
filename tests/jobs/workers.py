"""Real worker processes on a scratch database, for the crash-safety and RQ tests."""

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from bench.benchlib import PYTHON, REPO_ROOT, ScratchDatabase, run_child


def scratch_database(name: str) -> ScratchDatabase:
    """Return a scratch database of the kind the tests run on (SQLite or PostgreSQL), on the
    test database's server; `name` must start with byline_bench."""
    config = settings.DATABASES["default"]
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return ScratchDatabase("sqlite", name)
    user = config["USER"] or "postgres"
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    host = f"{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}"
    return ScratchDatabase("postgres", name, pg_url=f"postgres://{user}{password}@{host}/{name}")


@contextmanager
def migrated(db: ScratchDatabase) -> Iterator[ScratchDatabase]:
    db.create()
    try:
        db.migrate()
        yield db
    finally:
        db.drop()


def child_env(db: ScratchDatabase, media: Path, **extra: str) -> dict[str, str]:
    return {**db.env, "MEDIA_ROOT": str(media), "LOG_LEVEL": "WARNING", **extra}


def scenario(env: dict[str, str], *args: str) -> dict:
    """Run tests.jobs.worker_scenario with `args` in `env`; return its JSON result."""
    return run_child("tests.jobs.worker_scenario", list(args), env=env, timeout=600)


def start_worker(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start `manage.py <command>` as a worker process, its output in `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        return subprocess.Popen(
            [PYTHON, "manage.py", *command],
            cwd=REPO_ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def job_columns(db: ScratchDatabase, job_id: int, *columns: str) -> tuple:
    """Return the job's committed `columns`, read with a plain driver connection."""
    connection = db.connect_raw()
    try:
        marker = "?" if db.kind == "sqlite" else "%s"
        return connection.execute(
            f"SELECT {', '.join(columns)} FROM jobs_job WHERE id = {marker}", (job_id,)
        ).fetchone()
    finally:
        connection.close()


def job_row(db: ScratchDatabase, job_id: int) -> tuple[str, int]:
    """Return the job's status and items done, read with a plain driver connection."""
    status, items_done = job_columns(db, job_id, "status", "items_done")
    return status, items_done


def wait_for(condition, *, timeout: float, what: str, every: float = 0.2):
    """Return the first true value of `condition()`, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")

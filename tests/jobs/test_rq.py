"""The scale-out path: an import and an export enqueued through RQ (TASKS_BACKEND=rq), run to
done by a real `manage.py rqworker --job-class django_tasks_rq.Job` process.

Marked `rq` (it needs Redis): `make test-rq` runs it, and `.ci/run` starts Redis for it.
REDIS_URL picks the server and database (default redis://127.0.0.1:6379/1).
"""

import os

import pytest
import redis

from jobs.models import Job
from tests.jobs.workers import (
    child_env,
    job_row,
    migrated,
    scenario,
    scratch_database,
    start_worker,
    wait_for,
)

pytestmark = pytest.mark.rq

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"


def test_rq_worker_runs_an_import_and_an_export_to_done(tmp_path):
    server = redis.Redis.from_url(REDIS_URL)
    server.ping()
    # A database of its own on the server: the test may empty it.
    server.flushdb()
    media = tmp_path / "media"
    with migrated(scratch_database("byline_bench_jobs_rq")) as db:
        env = child_env(db, media, TASKS_BACKEND="rq", REDIS_URL=REDIS_URL)
        imported = scenario(env, "import", "--documents", "50")["job"]
        worker = start_worker(
            ["rqworker", "--job-class", "django_tasks_rq.Job", "default"],
            env,
            tmp_path / "rqworker.log",
        )
        try:
            wait_for(
                lambda: job_row(db, imported)[0] in Job.FINISHED, timeout=180, what="the import"
            )
            exported = scenario(env, "export")["job"]
            wait_for(
                lambda: job_row(db, exported)[0] in Job.FINISHED, timeout=180, what="the export"
            )
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        log = (tmp_path / "rqworker.log").read_text()
        state = scenario(env, "state", "--job", str(imported))
        assert state["status"] == Job.Status.DONE, (state, log)
        assert state["summary"]["created"] == 50
        assert state["documents"] == 50
        state = scenario(env, "state", "--job", str(exported))
        assert state["status"] == Job.Status.DONE, (state, log)
        assert state["output_lines"] == 50
    server.flushdb()

"""SIGKILL a real worker in the middle of an import: nothing of the file may be kept, and the
next worker start marks the job failed (its heartbeat is stale), never "running" forever.

Runs on the database the suite runs on, as a scratch database of that kind (a worker process
cannot reach the suite's in-memory SQLite test database).
"""

import signal
import time

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

# Large enough that importing it takes several seconds (several chunks of 900), even on a
# fast machine; the test fails, rather than passing vacuously, if the import ends first.
DOCUMENTS = 6000
WORKER = ["work", "--no-reload", "--no-startup-delay", "--interval", "0.1"]


def test_worker_killed_mid_import_keeps_nothing_and_its_job_fails_on_restart(tmp_path):
    media = tmp_path / "media"
    with migrated(scratch_database("byline_bench_jobs_crash")) as db:
        env = child_env(db, media, TASKS_BACKEND="database", BYLINE_JOB_STALE_SECONDS="2")
        job = scenario(env, "import", "--documents", str(DOCUMENTS))["job"]
        worker = start_worker(WORKER, env, tmp_path / "worker.log")
        try:
            wait_for(lambda: job_row(db, job)[0] == Job.Status.RUNNING, timeout=120, what="running")
            if db.kind == "postgres":
                # Progress goes through a second connection: a chunk is written, uncommitted.
                wait_for(lambda: job_row(db, job)[1] >= 900, timeout=120, what="a chunk")
            else:
                # SQLite's one writer is the import's transaction: no progress row until the
                # file ends. Give it time to write several chunks.
                time.sleep(2)
            assert job_row(db, job)[0] == Job.Status.RUNNING, "import ended before the kill"
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
        state = scenario(env, "state", "--job", str(job))
        assert state["documents"] == 0
        assert state["status"] == Job.Status.RUNNING
        time.sleep(2.5)  # older than BYLINE_JOB_STALE_SECONDS
        restart = start_worker([*WORKER, "--batch"], env, tmp_path / "restart.log")
        assert restart.wait(timeout=120) == 0, (tmp_path / "restart.log").read_text()
        state = scenario(env, "state", "--job", str(job))
        assert state["status"] == Job.Status.FAILED
        assert "stopped" in state["errors"][0]["message"]
        assert state["documents"] == 0

"""A worker importing one long file is alive, whatever its heartbeat says: a worker starting
beside it, on this machine or on another one, must not fail its job as stale.

On SQLite the file's transaction holds the one write lock, so the job's beats and progress
are written inside it and committed with the file: mid-file the committed heartbeat grows old
and the page shows no progress. On PostgreSQL they go through a second connection at every
chunk. Runs a real worker on a scratch database of the suite's kind.
"""

from datetime import UTC, datetime

from jobs.models import Job
from tests.jobs.test_worker_crash import DOCUMENTS, WORKER
from tests.jobs.workers import (
    child_env,
    job_row,
    migrated,
    scenario,
    scratch_database,
    start_worker,
    wait_for,
)

STALE_SECONDS = 1


def silent_seconds(db, job_id: int) -> float:
    """Return how long ago the job's committed heartbeat was, read with a plain connection."""
    connection = db.connect_raw()
    try:
        marker = "?" if db.kind == "sqlite" else "%s"
        [beat] = connection.execute(
            f"SELECT heartbeat_at FROM jobs_job WHERE id = {marker}", (job_id,)
        ).fetchone()
    finally:
        connection.close()
    if isinstance(beat, str):  # SQLite keeps UTC datetimes as text
        beat = datetime.fromisoformat(beat).replace(tzinfo=UTC)
    return (datetime.now(UTC) - beat).total_seconds()


def wait_mid_file(db, job_id: int) -> None:
    """Wait until the job is inside its file with a heartbeat as old as a dead worker's
    (SQLite), or with a chunk's progress showing (PostgreSQL); fail if the file ended first."""
    wait_for(lambda: job_row(db, job_id)[0] == Job.Status.RUNNING, timeout=300, what="running")
    if db.kind == "postgres":
        wait_for(lambda: job_row(db, job_id)[1] >= 900, timeout=120, what="a chunk's progress")
        assert job_row(db, job_id)[1] < DOCUMENTS, "the file ended before the check"
        return
    wait_for(
        lambda: silent_seconds(db, job_id) > STALE_SECONDS + 0.5,
        timeout=120,
        what="a heartbeat older than the stale limit",
    )
    assert job_row(db, job_id) == (Job.Status.RUNNING, 0), "the file ended before the check"


def test_a_job_importing_one_long_file_is_never_failed_as_stale(tmp_path):
    media = tmp_path / "media"
    with migrated(scratch_database("byline_bench_jobs_long_file")) as db:
        env = child_env(
            db, media, TASKS_BACKEND="database", BYLINE_JOB_STALE_SECONDS=str(STALE_SECONDS)
        )
        here = scenario(env, "import", "--documents", str(DOCUMENTS))["job"]
        elsewhere = scenario(env, "import", "--documents", str(DOCUMENTS), "--first", "50000")
        elsewhere = elsewhere["job"]
        worker = start_worker([*WORKER, "--batch"], env, tmp_path / "worker.log")
        try:
            wait_mid_file(db, here)
            # A worker starting on this machine asks the OS: the running worker is alive.
            assert scenario(env, "stale")["failed"] == 0
            if db.kind == "sqlite":
                # It did not wait for the file: the check needed no write.
                assert job_row(db, here) == (Job.Status.RUNNING, 0), "the file ended mid-check"
            wait_mid_file(db, elsewhere)
            # A worker on another machine cannot ask. On SQLite it can write only once the
            # file has committed, and the file committed its beats with it.
            assert scenario(env, "stale", "--elsewhere")["failed"] == 0
            assert worker.wait(timeout=600) == 0, (tmp_path / "worker.log").read_text()
        finally:
            if worker.poll() is None:
                worker.kill()
        for job in (here, elsewhere):
            state = scenario(env, "state", "--job", str(job))
            assert state["status"] == Job.Status.DONE, state["errors"]
            assert state["items_done"] == DOCUMENTS
        assert state["documents"] == 2 * DOCUMENTS

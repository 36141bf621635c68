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
    job_columns,
    job_row,
    migrated,
    scenario,
    scratch_database,
    start_worker,
    wait_for,
)

# On SQLite a heartbeat grows this old within one file. On PostgreSQL the job beats at every
# chunk, and a check from another machine relies on those beats: the limit must exceed a
# chunk's time, which a loaded test machine can stretch past a second.
STALE_SECONDS = {"sqlite": 1, "postgres": 30}


def heartbeat(db, job_id: int) -> tuple[datetime, datetime]:
    """Return the job's committed start and heartbeat, read with a plain connection."""
    row = job_columns(db, job_id, "started_at", "heartbeat_at")
    # SQLite keeps UTC datetimes as text.
    return tuple(
        datetime.fromisoformat(value).replace(tzinfo=UTC) if isinstance(value, str) else value
        for value in row
    )


def silent_seconds(db, job_id: int) -> float:
    return (datetime.now(UTC) - heartbeat(db, job_id)[1]).total_seconds()


def backdate_heartbeat(db, job_id: int) -> None:
    """Make the job's heartbeat an hour old, as a worker silent that long would leave it."""
    connection = db.connect_raw()
    try:
        connection.execute(
            "UPDATE jobs_job SET heartbeat_at = heartbeat_at - interval '1 hour' WHERE id = %s",
            (job_id,),
        )
    finally:
        connection.close()


def wait_mid_file(db, job_id: int) -> None:
    """Wait until the job is inside its file with a heartbeat as old as a dead worker's
    (SQLite), or with chunks' beats and progress showing (PostgreSQL); fail if the file ended
    first."""
    wait_for(lambda: job_row(db, job_id)[0] == Job.Status.RUNNING, timeout=300, what="running")
    if db.kind == "postgres":
        wait_for(lambda: job_row(db, job_id)[1] >= 900, timeout=120, what="a chunk's progress")
        started, beat = heartbeat(db, job_id)
        assert beat > started, "no beat reached the database mid-file"
        assert job_row(db, job_id)[1] < DOCUMENTS, "the file ended before the check"
        return
    wait_for(
        lambda: silent_seconds(db, job_id) > STALE_SECONDS["sqlite"] + 0.5,
        timeout=120,
        what="a heartbeat older than the stale limit",
    )
    assert job_row(db, job_id) == (Job.Status.RUNNING, 0), "the file ended before the check"


def test_a_job_importing_one_long_file_is_never_failed_as_stale(tmp_path):
    media = tmp_path / "media"
    with migrated(scratch_database("byline_bench_jobs_long_file")) as db:
        stale = str(STALE_SECONDS[db.kind])
        env = child_env(db, media, TASKS_BACKEND="database", BYLINE_JOB_STALE_SECONDS=stale)
        here = scenario(env, "import", "--documents", str(DOCUMENTS))["job"]
        elsewhere = scenario(env, "import", "--documents", str(DOCUMENTS), "--first", "50000")
        elsewhere = elsewhere["job"]
        worker = start_worker([*WORKER, "--batch"], env, tmp_path / "worker.log")
        try:
            wait_mid_file(db, here)
            if db.kind == "postgres":
                backdate_heartbeat(db, here)
            # A worker starting on this machine asks the OS: the running worker is alive.
            assert scenario(env, "stale")["failed"] == 0
            if db.kind == "sqlite":
                # It did not wait for the file: the check needed no write.
                assert job_row(db, here) == (Job.Status.RUNNING, 0), "the file ended mid-check"
            wait_mid_file(db, elsewhere)
            # A worker on another machine cannot ask. On SQLite it can write only once the
            # file has committed, and the file committed its beats with it; on PostgreSQL the
            # beats are committed as they come.
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

"""The only writers of Job rows: create and enqueue, progress, cancel, finish, fail.

Each write is one short statement, committed at once, so a page polling the job sees it move
while the job's own work holds a long transaction. A job's import runs inside a transaction
per file: progress written from inside it goes through a second database connection
(`side_connection`), or it would be rolled back with the file and invisible until commit.
"""

import logging
from contextvars import ContextVar
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import OperationalError, connections, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from corpus.models import Corpus

from .liveness import is_alive_here, this_process
from .models import Job

logger = logging.getLogger(__name__)

# A second alias on the same database (see `side_connection`).
SIDE_ALIAS = "jobs_status"


# How deep in transactions the default connection was when the running job started: only a
# transaction the job opened itself (tests run jobs inside their own) needs the side connection.
job_base_depth: ContextVar[int] = ContextVar("job_base_depth", default=0)


class JobCancelled(Exception):
    """Raised inside a job that was asked to stop; its runner marks it cancelled.

    The work catching it on its way out may set `summary` to what it kept before stopping.
    """

    summary: dict[str, Any] | None = None


def side_connection(*, write: bool) -> str | None:
    """Return the database alias to read or write job status through, or None for "not now".

    Outside a transaction that is the default connection. Inside one (an import writes each
    file in one transaction), status written there would stay invisible to the polling page
    until the file commits (and on SQLite, reads would see the transaction's snapshot, never a
    cancel asked since). So it goes through a second connection to the same database, which commits
    at once.

    SQLite has one writer at a time, held by the file's transaction: there a second connection
    can read (WAL) but not write. Mid-file writes go into the file's own transaction instead
    ("default"): the page sees them only when the file commits, but nobody else can write
    before then either, so the stale check (`mark_stale_jobs_failed`), which must write to fail
    a job, always finds the heartbeat the file committed with it. An in-memory SQLite database
    (tests) has no second connection to read through at all (None).
    """
    connection = transaction.get_connection()
    base = job_base_depth.get()
    if len(connection.atomic_blocks) <= base or base > 0:
        # Outside the job's own transactions, or run inside a caller's transaction (a test),
        # whose uncommitted rows, the job's among them, a second connection could not see.
        return "default"
    if connection.vendor == "sqlite" and write:
        return "default"
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return None
    if SIDE_ALIAS not in connections.settings:
        connections.settings[SIDE_ALIAS] = {
            **connections.settings["default"],
            # The test runner points "default" at the test database after startup: follow it.
            "NAME": connection.settings_dict["NAME"],
        }
    return SIDE_ALIAS


def enqueue_job(
    task,
    *,
    kind: str,
    corpus: Corpus,
    started_by: AbstractBaseUser | None,
    params: dict[str, Any],
) -> Job:
    """Create a queued Job and enqueue `task(job_id)` once the caller's transaction commits.

    Enqueueing after commit means a worker never picks up a job whose row it cannot see yet
    (RQ workers read Redis at once), and a rolled-back request enqueues nothing.
    """
    job = Job.objects.create(kind=kind, corpus=corpus, started_by=started_by, params=params)
    transaction.on_commit(lambda: send_to_worker(task, job.pk))
    return job


def send_to_worker(task, job_id: int) -> None:
    """Enqueue `task(job_id)` and remember the backend's id for it on the job.

    If the queue refuses (Redis down), the job is failed saying so, rather than left queued
    forever, and the error is raised again for the request's error report.
    """
    try:
        result = task.enqueue(job_id)
    except Exception as refused:
        message = f"the job could not be queued: {type(refused).__name__}: {refused}"
        fail_job(job_id, errors=[{"file": None, "line": None, "field": None, "message": message}])
        raise
    # An immediate backend has already run the job; its task id is still worth keeping.
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def start_job(job_id: int) -> Job:
    """Mark the job running (unless cancelled while queued) and return it.

    Raise JobCancelled if the job was cancelled before it started; LookupError if it is not
    queued any more (a retried task of a job that already ran).
    """
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != Job.Status.QUEUED:
            raise LookupError(f"job {job_id} is {job.status}, not queued")
        if job.cancel_requested:
            job.status, job.finished_at = Job.Status.CANCELLED, now
            job.save(update_fields=["status", "finished_at"])
            raise JobCancelled(f"job {job_id} was cancelled before it started")
        job.status, job.started_at, job.heartbeat_at = Job.Status.RUNNING, now, now
        job.worker = this_process()
        job.save(update_fields=["status", "started_at", "heartbeat_at", "worker"])
    return job


def report_progress(job_id: int, *, done: int, total: int | None = None) -> None:
    """Record how many of the job's items are done (and of how many), and beat its heart."""
    using = side_connection(write=True)
    if using is None:
        return
    values: dict[str, Any] = {"items_done": done, "heartbeat_at": timezone.now()}
    if total is not None:
        values["items_total"] = total
        values["items_done"] = min(done, total)
    Job.objects.using(using).filter(pk=job_id, status=Job.Status.RUNNING).update(**values)


def beat(job_id: int) -> None:
    """Record that the job's worker is alive."""
    using = side_connection(write=True)
    if using is not None:
        Job.objects.using(using).filter(pk=job_id, status=Job.Status.RUNNING).update(
            heartbeat_at=timezone.now()
        )


def check_cancel(job_id: int) -> None:
    """Raise JobCancelled if someone asked the job to stop."""
    using = side_connection(write=False)
    if (
        using is not None
        and Job.objects.using(using).filter(pk=job_id, cancel_requested=True).exists()
    ):
        raise JobCancelled(f"job {job_id} was cancelled")


def finish_job(
    job_id: int, *, summary: dict[str, Any], errors: list[dict] | None = None, output_file=""
) -> None:
    """Mark the running job done with its summary, problems and output file."""
    # Every item was dealt with, whatever the estimate of their number said.
    values: dict[str, Any] = {
        "status": Job.Status.DONE,
        "summary": summary,
        "items_done": Coalesce(F("items_total"), F("items_done")),
    }
    if errors is not None:
        values["errors"] = errors
    if output_file:
        values["output_file"] = str(output_file)
    end_job(job_id, **values)


def fail_job(job_id: int, *, errors: list[dict], summary: dict[str, Any] | None = None) -> None:
    """Mark the job failed, saying why in `errors`."""
    values: dict[str, Any] = {"status": Job.Status.FAILED, "errors": errors}
    if summary is not None:
        values["summary"] = summary
    end_job(job_id, **values)


def cancel_job(job_id: int, *, summary: dict[str, Any] | None = None) -> None:
    """Mark the job cancelled: it stopped at a chunk boundary after `request_cancel`."""
    values: dict[str, Any] = {"status": Job.Status.CANCELLED}
    if summary is not None:
        values["summary"] = summary
    end_job(job_id, **values)


def end_job(job_id: int, **values: Any) -> None:
    """Write the final state of an unfinished job; a finished one is left as it is."""
    now = timezone.now()
    Job.objects.filter(pk=job_id, status__in=Job.UNFINISHED).update(
        finished_at=now, heartbeat_at=now, **values
    )


def request_cancel(job: Job, *, by: AbstractBaseUser | None = None) -> bool:
    """Ask `job` to stop; a queued job is cancelled at once. Return whether it was unfinished.

    A running job stops at its next chunk or file (`check_cancel`); `by` is recorded in the
    job's summary. Callers check that `by` may cancel it.
    """
    now = timezone.now()
    who = getattr(by, "username", None)
    with transaction.atomic():
        queued = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            cancel_requested=True, status=Job.Status.CANCELLED, finished_at=now
        )
        running = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            cancel_requested=True
        )
    if who and (queued or running):
        logger.info("job %s: cancel requested by %s", job.pk, who)
    job.refresh_from_db()
    return bool(queued or running)


def mark_stale_jobs_failed(*, now=None) -> int:
    """Fail the running jobs whose worker died; return how many were failed.

    A job's worker died (killed, out of memory, machine lost) when its heartbeat is older than
    BYLINE_JOB_STALE_SECONDS and the process it recorded (`Job.worker`) is not alive on this
    machine: nothing else would ever finish those jobs. A worker calls this when it starts.

    A live worker's heartbeat can be old only where the database could not take a beat, and
    then it is not failed:
    - its process runs here: the operating system says it is alive (`jobs.liveness`), however
      long it has been silent (a long SQLite file, a large zip being unpacked);
    - on SQLite, from another machine or container: the candidates are read without writing,
      and failing them is one UPDATE that asks their staleness again. It can run only once the
      file holding the write lock has committed, with the heartbeats written inside it (see
      `side_connection`), so it finds them fresh.
    On PostgreSQL a running job beats at every chunk through a second connection.
    """
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.BYLINE_JOB_STALE_SECONDS)
    stale = Q(status=Job.Status.RUNNING) & (
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True)
    )
    dead = [
        pk
        for pk, worker in Job.objects.filter(stale).values_list("pk", "worker")
        if not (worker and is_alive_here(worker))
    ]
    if not dead:
        return 0
    message = (
        "the worker running this job stopped (no heartbeat for over "
        f"{settings.BYLINE_JOB_STALE_SECONDS} s); nothing of an unfinished file was kept"
    )
    while True:
        try:
            return Job.objects.filter(stale, pk__in=dead).update(
                status=Job.Status.FAILED,
                finished_at=now,
                errors=[{"file": None, "line": None, "field": None, "message": message}],
            )
        except OperationalError as refused:
            # SQLite: a file being imported held the write lock past the busy timeout. This
            # worker could not claim a task before it commits either: wait for it.
            if transaction.get_connection().vendor != "sqlite" or "locked" not in str(refused):
                raise
            logger.info("failing stale jobs %s: the database is locked, trying again", dead)


def forget_output_files(paths: list[str]) -> int:
    """Clear `output_file` on the jobs whose output was removed; return how many.

    `paths` (relative to MEDIA_ROOT) are removed files, or removed folders: a job whose
    output file lay inside one (a job's own export folder) is forgotten too.
    """
    removed = set(paths)
    if not removed:
        return 0
    gone = [
        pk
        for pk, output in Job.objects.exclude(output_file="").values_list("pk", "output_file")
        if removed.intersection([output, *map(str, PurePosixPath(output).parents)])
    ]
    return sum(
        Job.objects.filter(pk__in=gone[start : start + 500]).update(output_file="")
        for start in range(0, len(gone), 500)
    )

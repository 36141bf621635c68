"""Run a job's work inside the bookkeeping every job needs: running, heartbeat, end state.

A task function in an upper app (annotations/tasks.py) is one line:

    @task()
    def export_corpus(job_id: int) -> None:
        run_job(job_id, write_the_export)

`work(job)` does the work, calling `report_progress` and `check_cancel` between chunks, and
returns a `JobResult`; `run_job` marks the job done, cancelled or failed accordingly.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .actions import (
    JobCancelled,
    cancel_job,
    fail_job,
    finish_job,
    job_base_depth,
    start_job,
)
from .models import Job

logger = logging.getLogger(__name__)


@dataclass
class JobResult:
    """What a job's work produced: its summary, its problems, and the file it wrote."""

    summary: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    output_file: str = ""
    # The work ran but failed as a whole (e.g. no importable file): the job is failed.
    failed: bool = False


class JobFailed(Exception):
    """Raised by a job's work for an expected failure; its message is shown on the job page."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.problem = {"file": file, "line": line, "field": field, "message": message}


def error(message: str, *, file=None, line=None, field=None) -> dict[str, Any]:
    """Return one entry of `Job.errors`."""
    return {"file": file, "line": line, "field": field, "message": message}


def run_job(
    job_id: int,
    work: Callable[[Job], JobResult],
    *,
    cleanup: Callable[[Job], None] | None = None,
) -> str:
    """Run `work` for the queued job `job_id` and record how it ended; return the status.

    JobCancelled from `work` marks the job cancelled, JobFailed marks it failed with its
    message. Any other exception is a bug: the job is marked failed with the exception's
    type and message, and the exception is raised again so that the worker logs it with its
    traceback. `cleanup(job)` runs however the work ended (it removes staged uploads).
    """
    depth = job_base_depth.set(len(transaction.get_connection().atomic_blocks))
    try:
        return run_started_job(job_id, work, cleanup=cleanup)
    finally:
        job_base_depth.reset(depth)


def run_started_job(
    job_id: int, work: Callable[[Job], JobResult], *, cleanup: Callable[[Job], None] | None
) -> str:
    try:
        job = start_job(job_id)
    except JobCancelled:
        if cleanup:
            cleanup(Job.objects.get(pk=job_id))
        return Job.Status.CANCELLED
    except LookupError as skipped:
        # A retried or duplicated task: the job already ran, or was cancelled while queued.
        logger.warning("%s; not run again", skipped)
        return Job.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    try:
        result = work(job)
    except JobCancelled:
        cancel_job(job_id)
        return Job.Status.CANCELLED
    except JobFailed as failure:
        fail_job(job_id, errors=[failure.problem])
        return Job.Status.FAILED
    except BaseException as bug:
        fail_job(job_id, errors=[error(f"internal error: {type(bug).__name__}: {bug}")])
        raise
    finally:
        if cleanup:
            cleanup(job)
    if result.failed:
        fail_job(job_id, errors=result.errors, summary=result.summary)
        return Job.Status.FAILED
    finish_job(job_id, summary=result.summary, errors=result.errors, output_file=result.output_file)
    return Job.Status.DONE

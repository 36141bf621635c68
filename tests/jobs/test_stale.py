"""A running job is failed as stale only when its worker is dead: an old heartbeat alone (a
database that could not take a beat) is not enough while the worker's process lives here."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.utils import timezone

from jobs.actions import mark_stale_jobs_failed, start_job
from jobs.liveness import is_alive_here, read_start_ticks, this_place, this_process
from jobs.models import Job


@pytest.fixture
def stale_seconds(settings):
    settings.BYLINE_JOB_STALE_SECONDS = 60
    return 60


def running_job(corpus, user, *, worker: str, silent_for: int) -> Job:
    beat = timezone.now() - timedelta(seconds=silent_for)
    return Job.objects.create(
        kind=Job.Kind.IMPORT,
        corpus=corpus,
        started_by=user,
        status=Job.Status.RUNNING,
        started_at=beat,
        heartbeat_at=beat,
        worker=worker,
    )


def identity_of_an_ended_process() -> str:
    """Return the identity a process of this machine had, after it has exited."""
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], text=True, stdin=subprocess.PIPE
    )
    identity = f"{this_place()} {child.pid} {read_start_ticks(child.pid)}"
    assert is_alive_here(identity)
    child.communicate("")
    return identity


def test_a_job_records_the_process_that_runs_it(corpus, analyst):
    job = Job.objects.create(kind=Job.Kind.IMPORT, corpus=corpus, started_by=analyst)
    start_job(job.pk)
    job.refresh_from_db()
    assert job.worker == this_process()
    assert is_alive_here(job.worker)


def test_a_silent_job_whose_worker_lives_here_is_not_failed(corpus, analyst, stale_seconds):
    job = running_job(corpus, analyst, worker=this_process(), silent_for=stale_seconds * 10)
    assert mark_stale_jobs_failed() == 0
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_a_silent_job_whose_worker_has_exited_is_failed(corpus, analyst, stale_seconds):
    job = running_job(
        corpus, analyst, worker=identity_of_an_ended_process(), silent_for=stale_seconds + 1
    )
    assert mark_stale_jobs_failed() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "stopped" in job.errors[0]["message"]


def test_a_recycled_pid_is_not_taken_for_the_worker(corpus, analyst, stale_seconds):
    # This process's pid, but another start time: the worker that had the pid is gone.
    place, pid, start = this_process().rsplit(" ", 2)
    worker = f"{place} {pid} {int(start) + 1}"
    job = running_job(corpus, analyst, worker=worker, silent_for=stale_seconds + 1)
    assert mark_stale_jobs_failed() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


@pytest.mark.parametrize(
    "worker",
    [
        "another-host/boot/pid:[1] 1 1",  # another machine: only its heartbeat can tell
        "",  # a job started before workers were recorded
        "not an identity",
    ],
)
def test_a_silent_job_of_a_worker_this_machine_cannot_see_is_failed(
    corpus, analyst, stale_seconds, worker
):
    job = running_job(corpus, analyst, worker=worker, silent_for=stale_seconds + 1)
    fresh = running_job(corpus, analyst, worker=worker, silent_for=1)
    assert mark_stale_jobs_failed() == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert fresh.status == Job.Status.RUNNING


def test_a_zombie_worker_is_dead():
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    identity = f"{this_place()} {child.pid} {read_start_ticks(child.pid)}"
    child.stdin.close()
    # Wait for the exit but leave the child uncollected: /proc still lists it, as state Z.
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    try:
        assert (Path("/proc") / str(child.pid)).exists()
        assert not is_alive_here(identity)
    finally:
        child.wait()


def test_a_stale_check_locked_out_by_a_long_sqlite_file_waits_for_it(
    corpus, analyst, stale_seconds
):
    job = running_job(corpus, analyst, worker="", silent_for=stale_seconds + 1)
    update = QuerySet.update
    refusals = []

    def locked_once(self, **values):
        if not refusals:
            refusals.append(values)
            raise OperationalError("database is locked")
        return update(self, **values)

    with mock.patch.object(QuerySet, "update", locked_once):
        if connection.vendor == "sqlite":
            assert mark_stale_jobs_failed() == 1
        else:  # PostgreSQL locks rows, not the database: no such wait, a real error
            with pytest.raises(OperationalError):
                mark_stale_jobs_failed()
    assert refusals
    job.refresh_from_db()
    assert job.status == (
        Job.Status.FAILED if connection.vendor == "sqlite" else Job.Status.RUNNING
    )

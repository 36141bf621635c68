import io
import os
import time
from datetime import timedelta
from unittest import mock

import orjson
import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from annotations import tasks
from annotations.background import exports_root, new_staging_folder, start_export, start_import
from corpus.access import job_visibility, may_see_job
from jobs.actions import JobCancelled, mark_stale_jobs_failed, request_cancel
from jobs.models import Job
from jobs.running import JobResult, run_job
from tests.factories import make_document, make_team
from tests.jobs.helpers import run_queued_jobs


def make_job(corpus, user, **fields) -> Job:
    return Job.objects.create(kind=Job.Kind.IMPORT, corpus=corpus, started_by=user, **fields)


def test_running_job_with_an_old_heartbeat_is_marked_failed(corpus, analyst, settings):
    settings.BYLINE_JOB_STALE_SECONDS = 60
    now = timezone.now()
    old = make_job(corpus, analyst, status="running", started_at=now, heartbeat_at=now)
    Job.objects.filter(pk=old.pk).update(heartbeat_at=now - timedelta(seconds=61))
    fresh = make_job(corpus, analyst, status="running", started_at=now, heartbeat_at=now)
    queued = make_job(corpus, analyst)
    assert mark_stale_jobs_failed() == 1
    old.refresh_from_db()
    assert old.status == Job.Status.FAILED
    assert old.finished_at is not None
    assert "stopped" in old.errors[0]["message"]
    fresh.refresh_from_db()
    queued.refresh_from_db()
    assert (fresh.status, queued.status) == ("running", "queued")


def test_work_command_fails_stale_jobs_before_working(corpus, analyst, settings):
    settings.BYLINE_JOB_STALE_SECONDS = 0
    now = timezone.now() - timedelta(seconds=1)
    job = make_job(corpus, analyst, status="running", started_at=now, heartbeat_at=now)
    err = io.StringIO()
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("work", batch=True, reload=False, startup_delay=False, stderr=err, verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "marked 1 job(s) of a stopped worker failed" in err.getvalue()


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"items_done": 5, "items_total": 4}, "jobs_job_done_within_total"),
        ({"status": "bogus", "finished_at": timezone.now()}, "jobs_job_status_valid"),
        ({"kind": "bogus"}, "jobs_job_kind_valid"),
        ({"status": "done"}, "jobs_job_finished_at_iff_finished"),
        ({"status": "queued", "started_at": timezone.now()}, "jobs_job_queued_not_started"),
    ],
)
def test_database_refuses_an_impossible_job(corpus, analyst, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Job.objects.create(**{"kind": "import", "corpus": corpus, "started_by": analyst, **fields})


def test_a_bug_in_a_job_fails_it_with_the_error_and_is_raised_again(corpus, analyst):
    job = make_job(corpus, analyst)

    def broken(job: Job) -> JobResult:
        raise ZeroDivisionError("division by zero")

    with pytest.raises(ZeroDivisionError):
        run_job(job.pk, broken)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors[0]["message"] == "internal error: ZeroDivisionError: division by zero"


def test_a_job_the_queue_refuses_is_failed_not_left_queued(corpus, analyst, monkeypatch):
    folder = new_staging_folder()
    job = start_import(corpus=corpus, started_by=analyst, directory=folder, format_name=None)

    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(DatabaseBackend, "enqueue", refuse)
    with pytest.raises(ConnectionError):
        run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors[0]["message"] == (
        "the job could not be queued: ConnectionError: Redis is down"
    )


def test_a_job_runs_once_even_if_its_task_is_delivered_twice(corpus, analyst):
    job = make_job(corpus, analyst)
    runs = []

    def work(job: Job) -> JobResult:
        runs.append(job.pk)
        return JobResult(summary={"n": 1})

    assert run_job(job.pk, work) == "done"
    assert run_job(job.pk, work) == "done"
    assert runs == [job.pk]


def write_jsonl(path, count, *, prefix):
    with path.open("wb") as out:
        for i in range(count):
            record = {"id": f"{prefix}-{i}", "text": f"Article {prefix} number {i} says so."}
            out.write(orjson.dumps(record) + b"\n")


def test_cancel_mid_file_rolls_the_file_back_and_keeps_the_files_before(
    corpus, analyst, monkeypatch
):
    folder = new_staging_folder()
    write_jsonl(folder / "a.jsonl", 3, prefix="a")
    write_jsonl(folder / "b.jsonl", 2000, prefix="b")
    job = start_import(corpus=corpus, started_by=analyst, directory=folder, format_name=None)
    report = tasks.report_progress

    def cancel_once_b_is_half_written(job_id, *, done, total=None):
        report(job_id, done=done, total=total)
        if done > 3:
            request_cancel(Job.objects.get(pk=job_id), by=analyst)

    monkeypatch.setattr(tasks, "report_progress", cancel_once_b_is_half_written)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert sorted(corpus.documents.values_list("external_id", flat=True)) == ["a-0", "a-1", "a-2"]
    assert job.summary == {
        "dry_run": False,
        "files": 1,
        "created": 3,
        "unchanged": 0,
        "failed_files": 0,
    }
    assert not folder.exists()


def test_cancel_mid_export_leaves_no_file(monkeypatch, db):
    team = make_team()
    for i in range(3):
        make_document(corpus=team.corpus, text=f"Text {i}.", external_id=f"d{i}")
    job = start_export(corpus=team.corpus, started_by=team.manager, format_name="byline")
    monkeypatch.setattr(tasks, "check_cancel", lambda job_id: (_ for _ in ()).throw(JobCancelled()))
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert job.output_file == ""
    assert list(exports_root().iterdir()) == []


def test_clean_exports_removes_old_files_and_their_downloads(db, settings, private_media):
    team = make_team()
    make_document(corpus=team.corpus, text="Old news.")
    job = start_export(corpus=team.corpus, started_by=team.manager, format_name="byline")
    run_queued_jobs()
    job.refresh_from_db()
    old_file = private_media / job.output_file
    stale_upload = new_staging_folder()
    waiting_upload = new_staging_folder()
    start_import(
        corpus=team.corpus, started_by=team.manager, directory=waiting_upload, format_name=None
    )
    long_ago = time.time() - (settings.BYLINE_EXPORT_MAX_AGE_HOURS + 1) * 3600
    # The job's export folder is as old as the newest file in it.
    for path in (old_file, old_file.parent, stale_upload, waiting_upload):
        os.utime(path, (long_ago, long_ago))
    out = io.StringIO()
    call_command("clean_exports", stdout=out)
    assert "removed 1 export file(s) and 1 staged upload(s)" in out.getvalue()
    assert not old_file.parent.exists()
    assert not stale_upload.exists()
    assert waiting_upload.exists()
    job.refresh_from_db()
    assert job.output_file == ""


def test_job_visibility_agrees_with_may_see_job(db, admin_user):
    team = make_team()
    other = make_team(
        make_document(text="x").corpus, manager="om", reviewer=None, annotators=(), outsiders=()
    )
    jobs = [
        make_job(corpus, user)
        for corpus in (team.corpus, other.corpus)
        for user in [*team.users.values(), *other.users.values(), None]
    ]
    for user in [*team.users.values(), *other.users.values(), admin_user]:
        seen = set(Job.objects.filter(job_visibility(user)).values_list("pk", flat=True))
        assert seen == {job.pk for job in jobs if may_see_job(user, job)}, user

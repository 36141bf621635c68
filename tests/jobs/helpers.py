"""Run background jobs deterministically inside a test.

    job = start_import(...)        # or a POST to a page that enqueues
    run_queued_jobs()              # enqueues on "commit", then works the queue to empty
    job.refresh_from_db()

Tests run inside a transaction that never commits, so `transaction.on_commit` (which
`enqueue_job` uses) never fires by itself: `run_queued_jobs` runs the waiting callbacks, then
the database backend's own worker (django-tasks-db's `Worker`) in batch mode, in this process,
until the queue is empty. A task that raised (a bug, not a failed import) fails the test with
its traceback.
"""

from unittest import mock

from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_on_commit_callbacks() -> int:
    """Run the on-commit callbacks the test's transaction holds back; return how many ran."""
    ran = 0
    while connection.run_on_commit:
        pending, connection.run_on_commit = connection.run_on_commit, []
        for _savepoints, callback, _robust in pending:
            callback()
            ran += 1
    return ran


def run_queued_jobs() -> int:
    """Enqueue what waits for commit, run every queued task; return how many tasks ran."""
    run_on_commit_callbacks()
    failed_before = set(DBTaskResult.objects.failed().values_list("pk", flat=True))
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    # The worker closes "obsolete" connections between tasks, and a connection inside the
    # test's transaction looks obsolete to it (autocommit off): closing it would end the test.
    with mock.patch(f"{Worker.__module__}.close_old_connections"):
        worker.run()
    for result in DBTaskResult.objects.failed().exclude(pk__in=failed_before):
        raise AssertionError(f"task {result.task_path} raised:\n{result.traceback}")
    return worker._run_tasks

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jobs.actions import mark_stale_jobs_failed


class Command(DbWorkerCommand):
    help = (
        "Work the background jobs of the database backend: first mark failed the jobs whose "
        "worker died (no heartbeat for BYLINE_JOB_STALE_SECONDS), then run django-tasks-db's "
        "db_worker with the same options."
    )

    def handle(self, *args, **options):
        if failed := mark_stale_jobs_failed():
            self.stderr.write(f"marked {failed} job(s) of a stopped worker failed")
        super().handle(*args, **options)

"""The RQ worker class (settings.RQ["WORKER_CLASS"] when TASKS_BACKEND=rq).

`manage.py rqworker --job-class django_tasks_rq.Job` starts it: like `manage.py work` for the
database backend, it first marks failed the jobs whose worker died.
"""

from django.db import connections
from rq.worker import Worker as RQWorker

from .actions import mark_stale_jobs_failed


class Worker(RQWorker):
    def work(self, *args, **kwargs):
        mark_stale_jobs_failed()
        # Each job runs in a forked child: it must not share this process's connection.
        connections.close_all()
        return super().work(*args, **kwargs)

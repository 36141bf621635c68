"""One row per background run (an import, an export, a suggestion pass), for its page to poll.

The rows are written only by `jobs.actions`, each write in its own short transaction, so a page
polling `/jobs/<id>/status.json` sees progress while the work itself holds a long transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from corpus.models import Corpus


class JobQuerySet(models.QuerySet):
    def unfinished(self) -> "JobQuerySet":
        """Return the jobs still queued or running."""
        return self.filter(status__in=Job.UNFINISHED)


class Job(models.Model):
    """A background run on one corpus: what it is, who started it, and how far it has got."""

    class Kind(models.TextChoices):
        IMPORT = "import", "Import"
        EXPORT = "export", "Export"
        SUGGEST = "suggest", "Suggest"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    UNFINISHED = (Status.QUEUED, Status.RUNNING)
    FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="jobs")
    # Kept when the account goes: the job still belongs to its corpus's managers.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="jobs"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    items_done = models.PositiveIntegerField(default=0)
    # Unknown (None) until the job has counted its work.
    items_total = models.PositiveIntegerField(null=True, blank=True)
    # What the job did, for its page: counts created, unchanged, failed, written, ...
    summary = models.JSONField(default=dict, blank=True)
    # Every problem found: {"file", "line", "field", "message"}, the unknown parts None.
    errors = models.JSONField(default=list, blank=True)
    # A file the job wrote, relative to MEDIA_ROOT; served only through the download view.
    output_file = models.CharField(max_length=500, blank=True)
    # The job's arguments (format, layer, labels, the staged upload folder, ...).
    params = models.JSONField(default=dict, blank=True)
    # The id the task backend gave the run (a django-tasks result id).
    task_id = models.CharField(max_length=64, blank=True)
    cancel_requested = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Refreshed while the job runs; a running job whose heartbeat is old lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The process running the job (`jobs.liveness.this_process`): while it lives, an old
    # heartbeat means only that the database could not take one (SQLite mid-file).
    worker = models.CharField(max_length=300, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["import", "export", "suggest"]),
                name="jobs_job_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed", "cancelled"]),
                name="jobs_job_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(items_total__isnull=True) | Q(items_done__lte=F("items_total")),
                name="jobs_job_done_within_total",
            ),
            # A finished job says when it finished; an unfinished one has not.
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running"], finished_at__isnull=True)
                | (~Q(status__in=["queued", "running"]) & Q(finished_at__isnull=False)),
                name="jobs_job_finished_at_iff_finished",
            ),
            models.CheckConstraint(
                condition=~Q(status="queued") | Q(started_at__isnull=True),
                name="jobs_job_queued_not_started",
            ),
        ]
        indexes = [
            models.Index(fields=["corpus", "status"], name="jobs_job_corpus_status_idx"),
            models.Index(fields=["started_by", "-created_at"], name="jobs_job_started_by_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="jobs_job_heartbeat_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} of {self.corpus} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int | None:
        """Return how far the job has got, 0-100, or None while its total is unknown."""
        if self.status == self.Status.DONE:
            return 100
        if not self.items_total:
            return None
        return min(100, self.items_done * 100 // self.items_total)

"""Start an export through the admin action's form and read the file its job wrote."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from jobs.models import Job
from tests.jobs.helpers import run_queued_jobs


def export_through_admin(client, selected, *, format_name="byline", layer="all") -> list[Job]:
    """Post the admin's export action and its form for `selected`; run the jobs it started."""
    url = reverse("admin:corpus_document_changelist")
    before = set(Job.objects.values_list("pk", flat=True))
    client.post(
        url,
        {
            "action": "export_documents",
            "_selected_action": selected,
            "export_confirmed": "yes",
            "format": format_name,
            "layer": layer,
        },
    )
    run_queued_jobs()
    return list(Job.objects.exclude(pk__in=before).order_by("pk"))


def output_of(job: Job) -> Path:
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    return Path(settings.MEDIA_ROOT) / job.output_file

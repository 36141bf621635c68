"""The jobs pages: the list, one job (polled through its status.json), cancel and download.

A job outside what the viewer may see (`corpus.access.job_visibility`) answers 404, as every
other object does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from corpus.access import job_visibility

from .actions import request_cancel
from .models import Job
from .outputs import download_name, has_output, output_files

PAGE_SIZE = 50


def visible_jobs(request: HttpRequest):
    return Job.objects.filter(job_visibility(request.user)).select_related("corpus", "started_by")


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(visible_jobs(request).defer("params", "errors"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "jobs/job_list.html", {"page": page})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(visible_jobs(request), pk=pk)
    context = {"job": job, "status": job_status(job), "summary_rows": summary_rows(job.summary)}
    return render(request, "jobs/job_detail.html", context)


def summary_rows(summary: dict) -> list[tuple[str, str]]:
    """Return the job's summary as (name, value) pairs to show; warnings are listed apart."""
    rows = []
    for key, value in summary.items():
        if key == "warnings":
            continue
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, list):
            shown = ", ".join(str(item) for item in value) or "none"
        else:
            shown = "—" if value is None else str(value)
        rows.append((key.replace("_", " ").capitalize(), shown))
    return rows


@login_required
def job_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    job = get_object_or_404(visible_jobs(request), pk=pk)
    return JsonResponse(job_status(job))


def job_status(job: Job) -> dict:
    """Return what the job page shows and its script polls."""
    downloads = job_downloads(job)
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_display": job.get_status_display(),
        "finished": job.is_finished,
        "items_done": job.items_done,
        "items_total": job.items_total,
        "percent": job.percent,
        "cancel_requested": job.cancel_requested,
        "summary": job.summary,
        "errors": job.errors,
        # The export itself; `downloads` lists it first, then its companion files.
        "download_url": downloads[0]["url"] if downloads else None,
        "downloads": downloads,
    }


def job_downloads(job: Job) -> list[dict]:
    """Return each file the job offers: the name it downloads as, its URL and its size."""
    return [
        {
            "name": download_name(job, path),
            "url": reverse("jobs:download", args=[job.pk])
            if index == 0
            else reverse("jobs:download_file", args=[job.pk, path.name]),
            "size": path.stat().st_size,
        }
        for index, path in enumerate(output_files(job))
    ]


@login_required
@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(visible_jobs(request), pk=pk)
    if request_cancel(job, by=request.user):
        messages.info(request, "Cancel requested: the job stops at its next chunk.")
    else:
        messages.info(request, f"The job had already ended ({job.get_status_display()}).")
    return redirect("jobs:detail", pk=job.pk)


@login_required
def job_download(request: HttpRequest, pk: int, name: str | None = None) -> FileResponse:
    """Send a file of a job (its export, or the file called `name` beside it) to its starter
    or a manager of its corpus.

    Asked again on every download: the files are never reachable by a public URL. `name` is
    looked up among the job's own files (`jobs.outputs`), never joined to a path.
    """
    job = get_object_or_404(visible_jobs(request), pk=pk)
    if not has_output(job):
        raise Http404("this job has no file to download")
    files = output_files(job)
    if name is not None:
        files = [path for path in files if path.name == name]
    if not files:
        raise Http404("the export file is gone (old exports are removed)")
    path = files[0]
    return FileResponse(path.open("rb"), as_attachment=True, filename=download_name(job, path))

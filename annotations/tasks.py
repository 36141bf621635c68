"""The background tasks of imports and exports (django-tasks), started by `annotations.background`.

Each task takes only the job's id: everything else is on the Job row, which `jobs.running`
marks running, done, failed or cancelled around the work here.
"""

import shutil
from pathlib import Path

from django_tasks import task

from annotations.formats import get_format
from annotations.interchange.export import documents_for_export, export_to_path
from annotations.interchange.imports import ImportProgress, ImportReport, run_import
from annotations.interchange.records import ImportProblem
from corpus.access import member_usernames
from jobs.actions import JobCancelled, check_cancel, report_progress
from jobs.models import Job
from jobs.running import JobFailed, JobResult, error, run_job

from .background import export_path, media_relative, remove_staged, staged_folder
from .uploads import UploadRefused, unpack_staged_zips


@task()
def import_files(job_id: int) -> str:
    """Import the files staged for the job (see `annotations.background`)."""
    return run_job(job_id, import_staged_files, cleanup=remove_staged)


@task()
def export_corpus(job_id: int) -> str:
    """Write the job's export into MEDIA_ROOT/exports/<job id>/."""
    return run_job(job_id, write_export_file)


def import_staged_files(job: Job) -> JobResult:
    """Run `run_import` (as `import_documents` does) over the job's staged folder.

    Progress counts documents: read (created or unchanged) in the files finished, plus those
    written so far in the file being imported. Cancel takes effect at the next chunk: the
    file being written is rolled back whole, the files before it stay imported.
    """
    folder = staged_folder(job)
    if folder is None or not folder.is_dir():
        raise JobFailed("the uploaded files are gone (removed before the job ran)")
    try:
        # The upload page checks an archive and leaves its unpacking to the job.
        unpack_staged_zips(folder)
    except UploadRefused as refusal:
        raise JobFailed(str(refusal)) from None
    total = estimate_documents(folder)
    report_progress(job.pk, done=0, total=total)
    finished = 0
    kept = {"files": 0, "created": 0, "unchanged": 0, "failed_files": 0}

    def on_progress(progress: ImportProgress) -> None:
        nonlocal finished
        if progress.outcome is not None:
            finished += progress.outcome.created + progress.outcome.unchanged
            kept["files"] += 1
            kept["created"] += progress.outcome.created
            kept["unchanged"] += progress.outcome.unchanged
            kept["failed_files"] += progress.outcome.problem is not None
            report_progress(job.pk, done=finished, total=max(total, finished))
        else:
            report_progress(job.pk, done=finished + progress.written)
        check_cancel(job.pk)

    try:
        report = run_import(
            [folder],
            corpus=job.corpus,
            format_name=job.params.get("format"),
            create_labels=job.params.get("create_labels", False),
            dry_run=job.params.get("dry_run", False),
            attributable_to=member_usernames(job.corpus),
            on_progress=on_progress,
        )
    except ImportProblem as problem:
        raise JobFailed(problem.message, file=shown_path(problem.path, folder)) from None
    except JobCancelled as cancelled:
        # The files finished before the cancel stay imported; the one being written does not.
        cancelled.summary = {"dry_run": job.params.get("dry_run", False), **kept}
        raise
    return JobResult(
        summary=import_summary(report, dry_run=job.params.get("dry_run", False)),
        errors=[
            error(
                outcome.problem.message,
                file=shown_path(outcome.problem.path, folder),
                line=outcome.problem.line,
                field=outcome.problem.field,
            )
            for outcome in report.failures
        ],
    )


def import_summary(report: ImportReport, *, dry_run: bool) -> dict:
    """Return the counts of `report` for the job's page."""
    return {
        "dry_run": dry_run,
        "files": len(report.files),
        "failed_files": len(report.failures),
        "created": report.created,
        "unchanged": report.unchanged,
        "spans": report.spans,
        "relations": report.relations,
        "created_labels": report.created_labels,
        "created_annotators": report.created_annotators,
    }


def shown_path(path: Path | str | None, folder: Path) -> str | None:
    """Return `path` as the uploader named it: relative to the staging folder."""
    if path is None:
        return None
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return Path(path).name


def estimate_documents(folder: Path) -> int:
    """Return roughly how many documents the files in `folder` hold: a JSON Lines file one per
    line, any other file one (a .txt article; formats with many documents per file make the
    bar move in steps)."""
    total = 0
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix.lower() == ".jsonl":
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            total += 1
    return max(total, 1)


def write_export_file(job: Job) -> JobResult:
    """Export the job's selection with `export_to_path` (as `export_annotations` does) into
    the job's own folder, with the companion files its format writes beside the export.

    Cancel takes effect at the next chunk; the job's folder is then removed.
    """
    params = job.params
    documents = job.corpus.documents.all()
    if params.get("document_ids") is not None:
        documents = documents.filter(pk__in=params["document_ids"])
    selection = documents_for_export(
        documents,
        labels=params.get("labels", []),
        tags=params.get("tags", []),
        layer=params.get("layer") or "all",
    )
    total = selection.documents.count()
    report_progress(job.pk, done=0, total=total)

    def on_progress(done: int) -> None:
        report_progress(job.pk, done=min(done, total), total=total)
        check_cancel(job.pk)

    path = export_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = get_format(params["format"])
    try:
        summary = export_to_path(selection, path, format_name=fmt.name, on_progress=on_progress)
    except BaseException:
        # The folder is the job's alone: a job that did not finish leaves none.
        shutil.rmtree(path.parent, ignore_errors=True)
        raise
    return JobResult(
        summary={"documents": summary.documents, "format": fmt.name, "warnings": summary.warnings},
        output_file=media_relative(path),
    )

"""Imports and exports as background jobs: what the upload page, the export form and the admin
call. The work itself is the CLI's: `run_import` (as `import_documents`) and `export_to_path`
(as `export_annotations`); the tasks in `annotations.tasks` run it inside `jobs.running`.

Staging convention for uploads: the page streams the uploaded files into a fresh folder from
`new_staging_folder()`, `MEDIA_ROOT/uploads/<random token>/` (unpacking a .zip there with the
CLI's bomb and zip-slip checks), then calls `start_import(directory=that folder, ...)`. The
folder belongs to the job from then on: it is deleted when the job ends however it ends
(done, failed, cancelled), and `manage.py clean_exports` removes any left older than
BYLINE_EXPORT_MAX_AGE_HOURS (a worker killed mid-job). Only folders inside
`MEDIA_ROOT/uploads/` are ever deleted. The job's params keep the folder relative to
MEDIA_ROOT, so a worker on another machine with the same shared media storage finds it.

Each export job writes into a folder of its own, `MEDIA_ROOT/exports/<job id>/`: the export,
`<corpus slug>-<format><suffix>`, and whatever else its format produces beside it (Label Studio's
`label_config.xml`), each through a temporary file renamed at the end. The folder is private to
the job, so two jobs never share (or overwrite) a companion file; the job page offers every file
in it through the download view, which checks who asks (`jobs.outputs`). A job that does not
finish (failed, cancelled) leaves no folder.
"""

import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from annotations.formats import get_export_format, get_format
from annotations.layers import ALL_LAYERS
from corpus.models import Corpus
from jobs.actions import enqueue_job, forget_output_files
from jobs.models import Job

UPLOADS = "uploads"
EXPORTS = "exports"


def uploads_root() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOADS


def exports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / EXPORTS


def new_staging_folder() -> Path:
    """Create and return an empty folder for one upload: MEDIA_ROOT/uploads/<token>/."""
    folder = uploads_root() / secrets.token_hex(16)
    folder.mkdir(parents=True)
    return folder


def staged_folder(job: Job) -> Path | None:
    """Return the upload folder of an import job, or None if it has none (any more)."""
    relative = job.params.get("directory")
    if not relative:
        return None
    return Path(settings.MEDIA_ROOT) / relative


def remove_staged(job: Job) -> None:
    """Delete the upload folder of an import job, if it is one inside MEDIA_ROOT/uploads/."""
    folder = staged_folder(job)
    if folder is None:
        return
    root = uploads_root().resolve()
    resolved = folder.resolve()
    if resolved != root and root in resolved.parents:
        shutil.rmtree(resolved, ignore_errors=True)


def media_relative(path: Path) -> str:
    """Return `path` relative to MEDIA_ROOT, or raise ValueError if it lies elsewhere."""
    return str(Path(path).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve()))


def start_import(
    *,
    corpus: Corpus,
    started_by: AbstractBaseUser | None,
    directory: Path,
    format_name: str | None,
    dry_run: bool = False,
    create_labels: bool = False,
) -> Job:
    """Enqueue an import of every file in `directory` (a staging folder) into `corpus`.

    `format_name` None means by suffix, as on the CLI. The job acts for `started_by`: spans
    may be attributed only to the corpus's members (no account is created). `directory`
    must lie inside MEDIA_ROOT (ValueError otherwise) and is deleted when the job ends.
    """
    from annotations.tasks import import_files

    if format_name:
        get_format(format_name)  # LookupError naming the formats there are
    params = {
        "directory": media_relative(directory),
        "format": format_name,
        "dry_run": dry_run,
        "create_labels": create_labels,
    }
    return enqueue_job(
        import_files, kind=Job.Kind.IMPORT, corpus=corpus, started_by=started_by, params=params
    )


def start_export(
    *,
    corpus: Corpus,
    started_by: AbstractBaseUser | None,
    format_name: str,
    layer: str = ALL_LAYERS,
    labels: list[str] | tuple[str, ...] = (),
    tags: list[str] | tuple[str, ...] = (),
    document_ids: list[int] | None = None,
) -> Job:
    """Enqueue an export of `corpus` (or of its documents in `document_ids`) in a format.

    `layer`, `labels` and `tags` select as `export_annotations`' --layer, --label and --tag.
    Raise LookupError for an unknown format.
    """
    from annotations.tasks import export_corpus

    get_export_format(format_name)
    params = {
        "format": format_name,
        "layer": layer or ALL_LAYERS,
        "labels": list(labels),
        "tags": list(tags),
        "document_ids": list(document_ids) if document_ids is not None else None,
    }
    return enqueue_job(
        export_corpus, kind=Job.Kind.EXPORT, corpus=corpus, started_by=started_by, params=params
    )


def export_folder(job: Job) -> Path:
    """Return the folder of the export job `job`: its export and any companion file."""
    return exports_root() / str(job.pk)


def export_path(job: Job) -> Path:
    """Return where the export job `job` writes its export (its companions go beside it)."""
    fmt = get_format(job.params["format"])
    return export_folder(job) / f"{job.corpus.slug}-{fmt.name}{fmt.suffix}"


def last_modified(path: Path) -> float:
    """Return when `path` last changed; for a job's export folder, when any file in it did."""
    times = [path.lstat().st_mtime]
    if path.is_dir() and not path.is_symlink():
        times += [entry.lstat().st_mtime for entry in path.iterdir()]
    return max(times)


def clean_old_files(*, now: float | None = None) -> tuple[int, int]:
    """Remove exports and staged uploads older than BYLINE_EXPORT_MAX_AGE_HOURS.

    An export job's folder goes whole, its companion files with it, and the job no longer
    offers a download. (Export files directly in MEDIA_ROOT/exports/, as jobs wrote them
    before they had folders, go too.) A staged folder still waiting for its unfinished job is
    kept, however old. Return how many exports and uploads were removed.
    """
    cutoff = (now or time.time()) - settings.BYLINE_EXPORT_MAX_AGE_HOURS * 3600
    removed_exports = []
    for path in sorted(exports_root().glob("*")) if exports_root().is_dir() else []:
        if last_modified(path) < cutoff:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed_exports.append(f"{EXPORTS}/{path.name}")
    forget_output_files(removed_exports)
    waiting = {
        job.params.get("directory")
        for job in Job.objects.unfinished().filter(kind=Job.Kind.IMPORT).only("params")
    }
    removed_uploads = 0
    for folder in sorted(uploads_root().glob("*")) if uploads_root().is_dir() else []:
        if f"{UPLOADS}/{folder.name}" in waiting or folder.lstat().st_mtime >= cutoff:
            continue
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            folder.unlink(missing_ok=True)
        removed_uploads += 1
    return len(removed_exports), removed_uploads

"""The files a job wrote, as its page offers them for download.

A job records its main output file (`Job.output_file`, relative to MEDIA_ROOT). When that file
lies in a folder of the job's own (`exports/<job id>/`), every other file in the folder is the
job's too (Label Studio's `label_config.xml` beside its export) and is offered as well. The
download view checks who asks before sending any of them.
"""

from pathlib import Path

from django.conf import settings

from .models import Job


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def has_output(job: Job) -> bool:
    """Whether the job finished with files to download (an export that is done)."""
    return job.kind == Job.Kind.EXPORT and job.status == Job.Status.DONE and bool(job.output_file)


def own_folder(job: Job, main: Path) -> Path | None:
    """Return the folder that holds only `job`'s files, or None if `main` is not in one."""
    folder = main.parent
    return folder if folder.name == str(job.pk) and folder != media_root() else None


def output_files(job: Job) -> list[Path]:
    """Return the job's files that still exist: its main output first, then the others of its
    folder by name. Hidden files (a write in progress) are never offered."""
    if not has_output(job):
        return []
    root = media_root()
    main = (root / job.output_file).resolve()
    if root not in main.parents or not main.is_file():
        return []
    folder = own_folder(job, main)
    others = (
        sorted(
            path
            for path in folder.iterdir()
            if path != main
            and not path.name.startswith(".")
            and path.is_file()
            and not path.is_symlink()
        )
        if folder is not None
        else []
    )
    return [main, *others]


def download_name(job: Job, path: Path) -> str:
    """Return the name a file of `job` is offered under: `byline-<job id>-<its name>`.

    A file of the layout before export folders, `<job id>-<slug>-<format><suffix>`, loses its
    own id prefix.
    """
    name = path.name
    if path.parent.name != str(job.pk) and name.startswith(f"{job.pk}-"):
        name = name.removeprefix(f"{job.pk}-")
    return f"byline-{job.pk}-{name}"

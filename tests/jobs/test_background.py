import shutil
from pathlib import Path

import pytest

from annotations.background import new_staging_folder, start_export, start_import
from annotations.formats import FORMATS
from jobs.models import Job
from tests.factories import SEED_PATHS, make_document
from tests.jobs.helpers import run_queued_jobs


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stage(*paths: Path) -> Path:
    folder = new_staging_folder()
    for path in paths:
        shutil.copy(path, folder / path.name)
    return folder


def test_import_job_imports_the_staged_files_and_removes_them(corpus, analyst):
    folder = stage(*SEED_PATHS)
    job = start_import(corpus=corpus, started_by=analyst, directory=folder, format_name=None)
    assert job.status == Job.Status.QUEUED
    assert run_queued_jobs() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    assert job.summary["created"] == len(SEED_PATHS) == corpus.documents.count()
    assert job.items_done == job.items_total == len(SEED_PATHS)
    assert job.started_at
    assert job.finished_at
    assert not folder.exists()


def test_import_job_reports_a_bad_file_by_name_and_line(corpus, analyst):
    folder = new_staging_folder()
    (folder / "bad.jsonl").write_text('{"id": "a", "text": "A text."}\n{"id": \n')
    job = start_import(corpus=corpus, started_by=analyst, directory=folder, format_name=None)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.summary["failed_files"] == 1
    [problem] = job.errors
    assert problem["file"] == "bad.jsonl"
    assert problem["line"] == 2
    assert corpus.documents.count() == 0


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_export_job_writes_each_format_into_media_exports(corpus, analyst, media, format_name):
    make_document(corpus=corpus, text="Mark Carney spoke.")
    job = start_export(corpus=corpus, started_by=analyst, format_name=format_name)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    assert job.output_file.startswith("exports/")
    assert (media / job.output_file).stat().st_size > 0
    assert job.summary["documents"] == 1
    assert job.items_done == job.items_total == 1

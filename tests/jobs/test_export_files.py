"""An export job's files: the export and what its format writes beside it (Label Studio's
label_config.xml), in a folder of the job's own, each offered for download to those who may
download the export, and removed together by `clean_exports`."""

import io
import os
import time
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotations import formats
from annotations.background import export_folder, exports_root, start_export
from annotations.formats.label_studio import CONFIG_FILE
from annotations.models import Label
from jobs.models import Job
from tests.factories import make_corpus, make_document, make_team
from tests.jobs.helpers import run_queued_jobs


@pytest.fixture
def desk(db):
    team = make_team()
    make_document(corpus=team.corpus, text="Mark Carney spoke.")
    return team


def export(corpus, user, format_name="label-studio") -> Job:
    job = start_export(corpus=corpus, started_by=user, format_name=format_name)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    return job


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_label_studio_job_keeps_its_config_in_its_own_folder(desk, private_media):
    job = export(desk.corpus, desk.users["rev"])
    folder = export_folder(job)
    assert sorted(path.name for path in folder.iterdir()) == [
        "desk-label-studio.json",
        CONFIG_FILE,
    ]
    assert job.output_file == f"exports/{job.pk}/desk-label-studio.json"
    # Nothing shared lies beside the job folders any more.
    assert [path.name for path in exports_root().iterdir()] == [str(job.pk)]


def test_starter_and_managers_download_both_files_others_get_404(client, desk):
    job = export(desk.corpus, desk.users["rev"])
    config = (export_folder(job) / CONFIG_FILE).read_bytes()
    export_url = reverse("jobs:download", args=[job.pk])
    config_url = reverse("jobs:download_file", args=[job.pk, CONFIG_FILE])
    for name, status in [("rev", 200), ("mia", 200), ("ana", 404), ("out", 404)]:
        client.force_login(desk.users[name])
        for url in (export_url, config_url):
            response = client.get(url)
            assert response.status_code == status, (name, url)
        if status == 200:
            response = client.get(config_url)
            assert response["Content-Disposition"] == (
                f'attachment; filename="byline-{job.pk}-{CONFIG_FILE}"'
            )
            assert body(response) == config
            assert b"<View>" in config
            assert body(client.get(export_url)).lstrip().startswith(b"[")
    client.logout()
    assert client.get(config_url).status_code == 302  # to the login page


def test_a_starter_removed_from_the_corpus_loses_the_companion_too(client, desk):
    job = export(desk.corpus, desk.users["rev"])
    desk.users["rev"].memberships.all().delete()
    client.force_login(desk.users["rev"])
    url = reverse("jobs:download_file", args=[job.pk, CONFIG_FILE])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name", ["nothing.xml", "..", ".", "%2e%2e", "..%2F..%2Fsettings.py", ".hidden"]
)
def test_only_the_jobs_own_files_are_downloadable(client, desk, name):
    job = export(desk.corpus, desk.users["mia"])
    (export_folder(job) / ".hidden").write_text("a write in progress")
    client.force_login(desk.users["mia"])
    url = reverse("jobs:download", args=[job.pk]) + name
    assert client.get(url).status_code == 404


def test_a_file_of_another_job_is_not_offered_under_this_one(client, desk):
    first = export(desk.corpus, desk.users["mia"], format_name="byline")
    second = export(desk.corpus, desk.users["mia"])
    client.force_login(desk.users["mia"])
    url = reverse("jobs:download_file", args=[first.pk, CONFIG_FILE])
    assert client.get(url).status_code == 404
    url = reverse("jobs:download_file", args=[second.pk, CONFIG_FILE])
    assert client.get(url).status_code == 200


def test_two_jobs_each_keep_the_config_of_their_own_corpus(desk):
    other = make_corpus("Sports")
    Label.objects.create(corpus=other, key="SCORE", name="Score")
    make_document(corpus=other, text="Leafs won 3-2.")
    # Queued together, run by one worker pass: the second must not overwrite the first's.
    jobs = [
        start_export(corpus=corpus, started_by=desk.manager, format_name="label-studio")
        for corpus in (desk.corpus, other)
    ]
    run_queued_jobs()
    configs = {}
    for job in jobs:
        job.refresh_from_db()
        assert job.status == Job.Status.DONE, job.errors
        configs[job.corpus.name] = (export_folder(job) / CONFIG_FILE).read_text()
    assert 'value="SCORE"' in configs["Sports"]
    assert 'value="SCORE"' not in configs["Desk"]
    assert 'value="QUOTE"' in configs["Desk"]


def test_job_page_and_status_list_every_file(client, desk):
    job = export(desk.corpus, desk.users["mia"])
    client.force_login(desk.users["mia"])
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert [(file["name"], file["url"]) for file in status["downloads"]] == [
        (f"byline-{job.pk}-desk-label-studio.json", reverse("jobs:download", args=[job.pk])),
        (
            f"byline-{job.pk}-{CONFIG_FILE}",
            reverse("jobs:download_file", args=[job.pk, CONFIG_FILE]),
        ),
    ]
    assert status["downloads"][1]["size"] == (export_folder(job) / CONFIG_FILE).stat().st_size
    assert status["download_url"] == reverse("jobs:download", args=[job.pk])
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    for file in status["downloads"]:
        assert f'href="{file["url"]}"' in page
        assert file["name"] in page


def test_a_format_without_companion_offers_one_file(client, desk):
    job = export(desk.corpus, desk.users["mia"], format_name="conll")
    client.force_login(desk.users["mia"])
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert [file["name"] for file in status["downloads"]] == [f"byline-{job.pk}-desk-conll.conll"]


def test_a_failed_export_leaves_no_folder(desk, monkeypatch):
    def broken(facts):
        raise RuntimeError("no config today")

    for registry in (formats.FORMATS, formats.IMPORT_FORMATS):
        monkeypatch.setitem(
            registry, "label-studio", replace(registry["label-studio"], companion=broken)
        )
    job = start_export(corpus=desk.corpus, started_by=desk.manager, format_name="label-studio")
    with pytest.raises(AssertionError, match="no config today"):
        run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert not export_folder(job).exists()


def test_clean_exports_removes_the_companion_with_its_export(desk, settings):
    job = export(desk.corpus, desk.users["mia"])
    kept = export(desk.corpus, desk.users["mia"])
    folder = export_folder(job)
    long_ago = time.time() - (settings.BYLINE_EXPORT_MAX_AGE_HOURS + 1) * 3600
    for path in (*folder.iterdir(), folder):
        os.utime(path, (long_ago, long_ago))
    out = io.StringIO()
    call_command("clean_exports", stdout=out)
    assert "removed 1 export file(s)" in out.getvalue()
    assert not folder.exists()
    assert sorted(path.name for path in export_folder(kept).iterdir()) == [
        "desk-label-studio.json",
        CONFIG_FILE,
    ]
    job.refresh_from_db()
    kept.refresh_from_db()
    assert job.output_file == ""
    assert kept.output_file


def test_a_folder_with_one_fresh_file_is_kept(desk, settings):
    job = export(desk.corpus, desk.users["mia"])
    folder = export_folder(job)
    long_ago = time.time() - (settings.BYLINE_EXPORT_MAX_AGE_HOURS + 1) * 3600
    os.utime(folder / CONFIG_FILE, (long_ago, long_ago))
    os.utime(folder, (long_ago, long_ago))
    call_command("clean_exports", stdout=io.StringIO())
    assert (folder / CONFIG_FILE).exists()

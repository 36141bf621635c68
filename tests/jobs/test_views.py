import json

import pytest
from django.urls import reverse

from annotations.background import start_export
from annotations.formats import FORMATS
from jobs.models import Job
from tests.factories import make_document, make_team
from tests.jobs.helpers import run_queued_jobs


@pytest.fixture
def desk(db):
    team = make_team()
    make_document(corpus=team.corpus, text="Mark Carney spoke.")
    return team


def export_by(user, corpus) -> Job:
    job = start_export(corpus=corpus, started_by=user, format_name="byline")
    run_queued_jobs()
    job.refresh_from_db()
    return job


def test_starter_and_managers_download_an_export_others_get_404(client, desk):
    reviewer = desk.users["rev"]
    job = export_by(reviewer, desk.corpus)
    url = reverse("jobs:download", args=[job.pk])
    for name, status in [("rev", 200), ("mia", 200), ("ana", 404), ("out", 404)]:
        client.force_login(desk.users[name])
        response = client.get(url)
        assert response.status_code == status, name
        if status == 200:
            assert response["Content-Disposition"].startswith("attachment;")
            body = b"".join(response.streaming_content)
            assert json.loads(body.splitlines()[0])["text"] == "Mark Carney spoke."
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_starter_removed_from_the_corpus_loses_the_download(client, desk):
    reviewer = desk.users["rev"]
    job = export_by(reviewer, desk.corpus)
    reviewer.memberships.all().delete()
    client.force_login(reviewer)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_download_of_a_removed_export_file_answers_404(client, desk, private_media):
    job = export_by(desk.users["mia"], desk.corpus)
    (private_media / job.output_file).unlink()
    client.force_login(desk.users["mia"])
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_job_list_shows_own_jobs_and_the_managed_corpora_jobs(client, desk):
    reviewers_job = export_by(desk.users["rev"], desk.corpus)
    managers_job = export_by(desk.users["mia"], desk.corpus)
    client.force_login(desk.users["rev"])
    page = client.get(reverse("jobs:list")).content.decode()
    assert f"Export #{reviewers_job.pk}" in page
    assert f"Export #{managers_job.pk}" not in page
    client.force_login(desk.users["mia"])
    page = client.get(reverse("jobs:list")).content.decode()
    assert f"Export #{reviewers_job.pk}" in page
    assert f"Export #{managers_job.pk}" in page


def test_job_page_shows_progress_summary_and_download(client, desk):
    job = export_by(desk.users["mia"], desk.corpus)
    client.force_login(desk.users["mia"])
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'id="job-progress" max="100" value="100"' in page
    assert reverse("jobs:download", args=[job.pk]) in page
    assert "<script>" not in page  # CSP: the status goes in as JSON, read by a module
    assert 'id="job-status-data" type="application/json"' in page
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["status"] == "done"
    assert status["percent"] == 100
    assert status["items_done"] == status["items_total"] == 1
    assert status["download_url"] == reverse("jobs:download", args=[job.pk])


def test_cancel_of_a_queued_job_cancels_it_and_it_never_runs(client, desk):
    job = start_export(corpus=desk.corpus, started_by=desk.users["mia"], format_name="byline")
    client.force_login(desk.users["mia"])
    response = client.post(reverse("jobs:cancel", args=[job.pk]))
    assert response.status_code == 302
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert job.output_file == ""
    assert job.started_at is None


def test_cancel_needs_post_and_a_visible_job(client, desk):
    job = start_export(corpus=desk.corpus, started_by=desk.users["mia"], format_name="byline")
    client.force_login(desk.users["mia"])
    assert client.get(reverse("jobs:cancel", args=[job.pk])).status_code == 405
    client.force_login(desk.users["ana"])
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


def test_cancel_form_is_protected_by_csrf(desk):
    from django.test import Client

    job = start_export(corpus=desk.corpus, started_by=desk.users["mia"], format_name="byline")
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.users["mia"])
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 403


def test_corpus_page_offers_export_to_overseers_and_shows_running_jobs(client, desk):
    job = start_export(corpus=desk.corpus, started_by=desk.users["mia"], format_name="byline")
    url = reverse("corpus:documents", args=[desk.corpus.slug])
    client.force_login(desk.users["mia"])
    page = client.get(url).content.decode()
    assert 'id="export-corpus"' in page
    assert reverse("jobs:status", args=[job.pk]) in page
    client.force_login(desk.users["ana"])
    page = client.get(url).content.decode()
    assert 'id="export-corpus"' not in page
    assert reverse("jobs:status", args=[job.pk]) not in page


def test_export_page_starts_a_job_with_the_chosen_selection(client, desk):
    client.force_login(desk.users["rev"])
    url = reverse("corpus:export", args=[desk.corpus.slug])
    form = client.get(url).content.decode()
    assert 'value="gold"' in form
    assert 'value="QUOTE"' in form
    response = client.post(
        url, {"format": "conll", "layer": "gold", "labels": ["QUOTE"], "tags": "a, b"}
    )
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert job.params == {
        "format": "conll",
        "layer": "gold",
        "labels": ["QUOTE"],
        "tags": ["a", "b"],
        "document_ids": None,
    }
    assert job.started_by == desk.users["rev"]


def test_export_page_answers_404_to_annotators(client, desk):
    client.force_login(desk.users["ana"])
    assert client.get(reverse("corpus:export", args=[desk.corpus.slug])).status_code == 404
    client.force_login(desk.users["out"])
    assert client.get(reverse("corpus:export", args=[desk.corpus.slug])).status_code == 404


def test_job_admin_is_read_only_and_scoped(client, desk):
    desk.users["mia"].is_staff = True
    desk.users["mia"].save()
    job = export_by(desk.users["mia"], desk.corpus)
    client.force_login(desk.users["mia"])
    assert client.get(reverse("admin:jobs_job_changelist")).status_code == 200
    assert client.get(reverse("admin:jobs_job_change", args=[job.pk])).status_code == 200
    assert client.get(reverse("admin:jobs_job_add")).status_code == 403
    assert client.post(reverse("admin:jobs_job_delete", args=[job.pk])).status_code == 403


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_manager_exports_the_corpus_in_each_format_from_the_app_and_downloads_it(
    client, desk, format_name
):
    client.force_login(desk.users["mia"])
    response = client.post(
        reverse("corpus:export", args=[desk.corpus.slug]),
        {"format": format_name, "layer": "all", "tags": ""},
    )
    run_queued_jobs()
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    page = client.get(response.url).content.decode()
    download = reverse("jobs:download", args=[job.pk])
    assert f'href="{download}"' in page
    response = client.get(download)
    assert response.status_code == 200
    fmt = FORMATS[format_name]
    assert response["Content-Disposition"].endswith(f'{fmt.name}{fmt.suffix}"')
    assert b"".join(response.streaming_content)


def test_status_endpoint_and_job_list_take_a_fixed_number_of_queries(
    client, desk, django_assert_num_queries
):
    jobs = [export_by(desk.users["mia"], desk.corpus) for _ in range(3)]
    client.force_login(desk.users["mia"])
    # The session, the user, then the job with its corpus and starter (visibility in the same).
    with django_assert_num_queries(3):
        client.get(reverse("jobs:status", args=[jobs[0].pk]))
    # The session, the user, the page's count, then its rows with their corpora and starters.
    with django_assert_num_queries(4):
        page = client.get(reverse("jobs:list"))
    assert all(f"Export #{job.pk}" in page.content.decode() for job in jobs)

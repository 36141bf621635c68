"""No Chromium here: the bench's browser session (bench.apiserver) drives the real Import
page over HTTP as a person's browser does: login through the form, the CSRF cookie and
token, a multipart upload."""

from urllib.parse import urlsplit

import pytest

from bench.apiserver import BrowserSession, multipart_body
from corpus.models import Membership
from jobs.models import Job
from tests.factories import make_corpus, make_user


@pytest.fixture
def plain_http_server(server_settings, live_server, settings, tmp_path):
    """The live server's port, on plain HTTP (`server_settings`, set before it starts)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return urlsplit(live_server.url).port


def test_a_manager_uploads_a_file_and_is_sent_to_the_queued_job(
    transactional_db, plain_http_server
):
    corpus = make_corpus()
    manager = make_user("boss")
    Membership.objects.create(corpus=corpus, user=manager, role="manager")
    browser = BrowserSession(plain_http_server)
    browser.login("boss", "pw-for-tests-only")

    body, content_type = multipart_body(
        {"csrfmiddlewaretoken": browser.csrf_token, "format": "", "import": "1"},
        [("files", "port.txt", b"The port reopened after the strike.\n")],
    )
    status, headers, _ = browser.request(
        "POST", f"/corpora/{corpus.slug}/import/", body, content_type
    )

    job = Job.objects.get()
    assert status == 302
    assert headers["location"].endswith(f"/jobs/{job.pk}/")
    assert (job.kind, job.corpus, job.started_by) == (Job.Kind.IMPORT, corpus, manager)


def test_a_wrong_password_fails_the_login_loudly(transactional_db, plain_http_server):
    make_user("boss")
    with pytest.raises(RuntimeError, match="login as boss failed"):
        BrowserSession(plain_http_server).login("boss", "not-the-password")


def test_a_post_without_the_csrf_token_is_refused(transactional_db, plain_http_server):
    corpus = make_corpus()
    Membership.objects.create(corpus=corpus, user=make_user("boss"), role="manager")
    browser = BrowserSession(plain_http_server)
    browser.login("boss", "pw-for-tests-only")
    body, content_type = multipart_body({"import": "1"}, [("files", "a.txt", b"Story.")])

    status, _, _ = browser.request("POST", f"/corpora/{corpus.slug}/import/", body, content_type)

    assert status == 403
    assert not Job.objects.exists()

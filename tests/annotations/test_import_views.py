import html
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations import upload_handlers
from annotations.background import uploads_root
from corpus.models import Document, Membership
from jobs.models import Job
from tests.annotations.zips import bomb, large_jsonl, lying_bomb, zipped
from tests.factories import SEED_PATHS, make_corpus, make_team, make_user
from tests.jobs.helpers import run_queued_jobs

ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "harbour-strike.html"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def team(db):
    team = make_team(make_corpus("Desk"))
    other = make_corpus("Elsewhere")
    elsewhere = make_user("eli", is_staff=True)
    Membership.objects.create(corpus=other, user=elsewhere, role=Membership.Role.MANAGER)
    team.manager.is_staff = True
    team.manager.save()
    team.users["eli"] = elsewhere
    return team


def app_url(team) -> str:
    return reverse("annotations:import", args=[team.corpus.slug])


def admin_url(team) -> str:
    return reverse("admin:corpus_corpus_import", args=[team.corpus.pk])


def seed_zip() -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in SEED_PATHS:
            archive.write(path, f"seed/{path.name}")
    return SimpleUploadedFile("seed.zip", out.getvalue(), content_type="application/zip")


def staging_folders() -> list[Path]:
    root = uploads_root()
    return [p for p in root.iterdir() if p.name != "incoming"] if root.exists() else []


@pytest.mark.parametrize("where", [app_url, admin_url])
def test_a_manager_sees_the_import_form(client, team, where):
    client.force_login(team.manager)
    page = client.get(where(team)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "webkitdirectory" in page
    assert 'name="check"' in page
    assert 'name="import"' in page
    assert "Byline never fetches a URL" in page


@pytest.mark.parametrize(("who", "status"), [("ana", 403), ("rev", 403), ("out", 404)])
def test_only_managers_reach_the_app_import_page(client, team, who, status):
    client.force_login(team.users[who])
    assert client.get(app_url(team)).status_code == status
    assert client.post(app_url(team), {"files": seed_zip()}).status_code == status
    assert not Job.objects.exists()


def test_a_superuser_reaches_the_app_import_page(client, team, admin_user):
    client.force_login(admin_user)
    assert client.get(app_url(team)).status_code == 200


def test_the_import_page_asks_for_a_login(client, team):
    response = client.get(app_url(team))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_manager_of_another_corpus_gets_404_in_the_admin(client, team):
    client.force_login(team.users["eli"])
    assert client.get(admin_url(team)).status_code == 404
    assert client.post(admin_url(team), {"files": seed_zip()}).status_code == 404
    assert not Job.objects.exists()


def test_an_annotator_with_staff_gets_404_in_the_admin(client, team):
    annotator = team.users["ana"]
    annotator.is_staff = True
    annotator.save()
    client.force_login(annotator)
    assert client.get(admin_url(team)).status_code == 404


def test_the_corpus_change_form_links_its_import_page(client, team):
    client.force_login(team.manager)
    page = client.get(reverse("admin:corpus_corpus_change", args=[team.corpus.pk]))
    assert admin_url(team) in page.content.decode()


def test_the_corpus_page_links_import_for_managers_only(client, team):
    documents = reverse("corpus:documents", args=[team.corpus.slug])
    client.force_login(team.manager)
    assert app_url(team) in client.get(documents).content.decode()
    client.force_login(team.users["ana"])
    assert app_url(team) not in client.get(documents).content.decode()


@pytest.mark.parametrize("where", [app_url, admin_url])
def test_import_stages_the_zip_queues_a_job_and_shows_its_page(client, team, where):
    client.force_login(team.manager)
    response = client.post(where(team), {"files": seed_zip(), "format": "", "import": "1"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.status, job.corpus, job.started_by) == (
        Job.Kind.IMPORT,
        Job.Status.QUEUED,
        team.corpus,
        team.manager,
    )
    assert job.params["format"] is None
    assert job.params["dry_run"] is False
    assert not Document.objects.exists()
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    assert job.summary["created"] == len(SEED_PATHS) == team.corpus.documents.count()
    assert staging_folders() == []


def test_check_only_lists_what_would_be_created_and_writes_nothing(client, team):
    client.force_login(team.manager)
    response = client.post(app_url(team), {"files": seed_zip(), "check": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check only: nothing was imported" in page
    assert f"Would create {len(SEED_PATHS)} documents" in page
    for path in SEED_PATHS:
        assert f"seed/seed/{path.name}" in page
    assert not Document.objects.exists()
    assert not Job.objects.exists()
    assert staging_folders() == []


def test_check_only_shows_every_error_with_file_line_and_field(client, team):
    client.force_login(team.manager)
    good = SimpleUploadedFile("good.jsonl", b'{"id": "g", "text": "A good story."}\n')
    bad_json = SimpleUploadedFile("broken.jsonl", b'{"id": "a", "text": "Fine."}\n{"id": \n')
    bad_span = SimpleUploadedFile(
        "spans.jsonl",
        b'{"id": "s", "text": "Mark spoke.",'
        b' "spans": [{"start": 0, "end": 40, "label": "ACTOR"}]}\n',
    )
    response = client.post(app_url(team), {"files": [good, bad_json, bad_span], "check": "1"})
    page = response.content.decode()
    assert "failed files 2 of 3" in page
    assert "broken.jsonl" in page
    assert "invalid JSON" in page
    assert '<td class="num">2</td>' in page
    assert "spans[0]" in page
    assert "outside a text of 11 characters" in page
    assert not Document.objects.exists()


def test_an_html_page_is_detected_and_checked(client, team):
    client.force_login(team.manager)
    article = SimpleUploadedFile(ARTICLE.name, ARTICLE.read_bytes(), content_type="text/html")
    page = client.post(app_url(team), {"files": article, "check": "1"}).content.decode()
    assert "Would create 1 document " in page
    assert "harbour-strike.html" in page


def test_a_chosen_format_is_passed_to_the_job(client, team):
    client.force_login(team.manager)
    article = SimpleUploadedFile("page.htm", ARTICLE.read_bytes())
    client.post(app_url(team), {"files": article, "format": "html", "import": "1"})
    assert Job.objects.get().params["format"] == "html"


def test_an_upload_without_files_is_asked_again(client, team):
    client.force_login(team.manager)
    response = client.post(app_url(team), {"import": "1"})
    assert response.status_code == 200
    assert "Choose files, a .zip or a folder to upload." in response.content.decode()
    assert not Job.objects.exists()


def test_a_refused_zip_is_explained_not_a_500(client, team):
    client.force_login(team.manager)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("../../evil.txt", "owned")
    evil = SimpleUploadedFile("evil.zip", out.getvalue())
    response = client.post(app_url(team), {"files": evil, "import": "1"})
    assert response.status_code == 400
    assert "zip slip" in response.content.decode()
    assert not Job.objects.exists()
    assert staging_folders() == []


def test_an_upload_over_the_limit_is_refused_with_the_reason(client, team, settings):
    settings.BYLINE_UPLOAD_MAX_BYTES = 2**20
    client.force_login(team.manager)
    big = SimpleUploadedFile("big.txt", b"word " * (2**20 // 4))
    response = client.post(app_url(team), {"files": big, "import": "1"})
    assert response.status_code == 400
    assert "larger than the 1 MB allowed" in response.content.decode()
    assert not Job.objects.exists()
    assert staging_folders() == []


def test_more_files_than_allowed_are_refused_with_the_reason(client, team, monkeypatch):
    monkeypatch.setattr(upload_handlers, "MAX_UPLOAD_FILES", 2)
    client.force_login(team.manager)
    files = [SimpleUploadedFile(f"{n}.txt", b"A story.") for n in range(3)]
    response = client.post(app_url(team), {"files": files, "import": "1"})
    assert response.status_code == 400
    assert "more than 2 files in one upload" in response.content.decode()
    assert not Job.objects.exists()


def test_a_large_file_streams_to_disk_and_is_moved_into_staging(client, team, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(team.manager)
    text = ("The harbour master said the strike would go ahead. " * 100).encode()
    client.post(app_url(team), {"files": SimpleUploadedFile("long.txt", text), "import": "1"})
    job = Job.objects.get()
    staged = Path(settings.MEDIA_ROOT) / job.params["directory"] / "long.txt"
    assert staged.read_bytes() == text
    # Streamed into MEDIA_ROOT/uploads/incoming/ and renamed from there: nothing is left.
    assert list((uploads_root() / "incoming").iterdir()) == []


def multipart(files: dict[str, bytes], *, field: str = "folder") -> tuple[bytes, str]:
    """Return a form body sending `files` under the names given, as a browser would."""
    boundary = "----byline-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="import"\r\n\r\n1\r\n'.encode()]
    for name, content in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{name}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_browser_sent_paths_cannot_leave_the_staging_folder(client, team, media):
    client.force_login(team.manager)
    body, content_type = multipart(
        {
            "../../../../escaped.txt": b"A story that tries to climb out.",
            "desk/march/a.txt": b"A story from a folder upload.",
            "desk/april/a.txt": b"Another story of the same name.",
        }
    )
    response = client.generic("POST", app_url(team), body, content_type=content_type)
    assert response.status_code == 302
    folder = Path(media) / Job.objects.get().params["directory"]
    staged = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert staged == ["2/a.txt", "a.txt", "escaped.txt"]
    assert [p for p in Path(media).parent.rglob("escaped.txt") if folder not in p.parents] == []


def test_an_imported_zip_is_checked_in_the_request_and_unpacked_by_the_job(client, team, media):
    client.force_login(team.manager)
    client.post(app_url(team), {"files": seed_zip(), "import": "1"})
    job = Job.objects.get()
    folder = Path(media) / job.params["directory"]
    assert [p.name for p in folder.iterdir()] == ["seed.zip"]
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    assert job.summary["created"] == len(SEED_PATHS)


def test_a_zip_bomb_is_refused_on_the_page_naming_the_entry_and_why(client, team):
    client.force_login(team.manager)
    sent = SimpleUploadedFile("bomb.zip", bomb("bomb.txt"))
    response = client.post(app_url(team), {"files": sent, "import": "1"})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "bomb.zip: zip entry 'bomb.txt' looks like a zip bomb" in page
    assert "at most 100 times is allowed" in page
    assert not Job.objects.exists()
    assert staging_folders() == []


def test_a_zip_bomb_that_passes_the_request_fails_its_job_by_name(client, team):
    client.force_login(team.manager)
    sent = SimpleUploadedFile("bomb.zip", lying_bomb("bomb.txt", declared=1000))
    assert client.post(app_url(team), {"files": sent, "import": "1"}).status_code == 302
    run_queued_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    [problem] = job.errors
    assert problem["message"] == (
        "bomb.zip is not a readable .zip (Bad CRC-32 for file 'bomb.txt')"
    )
    assert not Document.objects.exists()
    assert staging_folders() == []


def test_a_zip_of_a_50_mb_export_is_imported_from_the_page(client, team, settings):
    # Larger than the 40 MB a zip entry once could be; the upload limit (500 MB) is the limit.
    assert settings.BYLINE_ZIP_ENTRY_MAX_BYTES == settings.BYLINE_UPLOAD_MAX_BYTES
    data = large_jsonl(50 * 10**6, document_chars=2_000_000, prefix="export")
    documents = data.count(b"\n")
    client.force_login(team.manager)
    sent = SimpleUploadedFile("export.zip", zipped({"export.jsonl": data}))
    del data
    assert client.post(app_url(team), {"files": sent, "import": "1"}).status_code == 302
    run_queued_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.errors
    assert job.summary["created"] == documents == team.corpus.documents.count()
    assert staging_folders() == []


def test_a_zip_of_brat_files_is_imported_as_brat(client, team):
    client.force_login(team.manager)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("wire-1.txt", "Mark Carney spoke.")
        archive.writestr("wire-1.ann", "T1\tACTOR 0 11\tMark Carney\n")
    brat = SimpleUploadedFile("brat.zip", out.getvalue())
    client.post(app_url(team), {"files": brat, "import": "1"})
    job = Job.objects.get()
    assert job.params["format"] == "brat"
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    assert (job.summary["created"], job.summary["spans"]) == (1, 1)

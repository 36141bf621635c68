"""Upload and import in real Chromium: a zip in the admin, an HTML page and a folder in the app,
each followed to its job's page until the job is done."""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import Page, expect

from annotations.labels import create_news_labels
from corpus.models import Corpus, Document, Membership
from jobs.models import Job
from tests.browser.conftest import log_in, wait_ready
from tests.factories import SEED_DIR, SEED_PATHS
from tests.jobs.helpers import run_queued_jobs

ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "harbour-strike.html"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def wire(transactional_db, analyst):
    """An empty corpus that `analyst`, a staff user, manages."""
    corpus = Corpus.objects.create(name="Wire", slug="wire")
    create_news_labels(corpus)
    Membership.objects.create(corpus=corpus, user=analyst, role=Membership.Role.MANAGER)
    analyst.is_staff = True
    analyst.save()
    return corpus


def seed_zip(tmp_path: Path) -> Path:
    path = tmp_path / "seed-articles.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for seed in SEED_PATHS:
            archive.write(seed, f"seed/{seed.name}")
    return path


def work_the_queue() -> None:
    """Run the queued jobs to the end, as `manage.py work` does.

    On PostgreSQL a real worker process does it, on the test database the live server
    writes to (committed: these tests are transactional). The live server's SQLite database
    is in memory, seen only by this process: there the worker runs here.
    """
    if connection.vendor == "sqlite":
        run_queued_jobs()
        return
    config = connection.settings_dict
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    url = (
        f"postgres://{config['USER'] or 'postgres'}{password}@{config['HOST'] or '127.0.0.1'}"
        f":{config['PORT'] or 5432}/{config['NAME']}"
    )
    subprocess.run(
        [sys.executable, "manage.py", "work", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
        check=True,
        timeout=300,
        capture_output=True,
    )


def follow_job_to_done(page: Page) -> Job:
    """On a job's page: work the queue, then wait for the page to show the job done."""
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    job = Job.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    expect(page.locator("#job-status")).to_have_text(re.compile("Queued|Running|Done"))
    work_the_queue()
    expect(page.locator("#job-status")).to_have_text("Done", timeout=20_000)
    expect(page.locator("#job-progress")).to_have_js_property("value", 100)
    job.refresh_from_db()
    return job


def summary(page: Page, name: str):
    return page.locator(f"#job-summary dt:text-is('{name}') + dd")


def test_a_manager_uploads_the_seed_articles_as_a_zip_in_the_admin(page, wire, tmp_path):
    log_in(page)
    page.goto(f"/admin/corpus/corpus/{wire.pk}/change/")
    page.click("a.import-link")
    expect(page.locator("h1")).to_contain_text("Import documents into Wire")
    page.set_input_files("#id_files", str(seed_zip(tmp_path)))
    page.click("button[name=import]")
    job = follow_job_to_done(page)
    expect(summary(page, "Created")).to_have_text(str(len(SEED_PATHS)))
    expect(summary(page, "Unchanged")).to_have_text("0")
    expect(summary(page, "Failed files")).to_have_text("0")
    expect(page.locator("#job-count")).to_contain_text(f"{len(SEED_PATHS)}")
    assert job.summary["created"] == wire.documents.count() == len(SEED_PATHS)
    stored = {document.external_id: document.text for document in wire.documents.all()}
    for seed in SEED_PATHS:
        assert stored[seed.stem] == seed.read_text(encoding="utf-8").replace("\r\n", "\n")


def test_check_only_in_the_admin_lists_the_errors_by_file_and_line(page, wire, tmp_path):
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"id": "a", "text": "A story."}\n{"id": "b", "text": \n', encoding="utf-8")
    log_in(page)
    page.goto(f"/admin/corpus/corpus/{wire.pk}/import/")
    page.set_input_files("#id_files", [str(bad), str(SEED_PATHS[0])])
    page.click("button[name=check]")
    expect(page.locator("#check-summary")).to_contain_text("Would create 1 document")
    failed = page.locator("tr.import-failed")
    expect(failed).to_have_count(1)
    expect(failed.locator("td").nth(0)).to_have_text("broken.jsonl")
    expect(failed.locator("td").nth(4)).to_have_text("2")
    expect(failed.locator("td").nth(6)).to_contain_text("invalid JSON")
    assert not Document.objects.exists()
    assert not Job.objects.exists()


def test_a_manager_uploads_an_html_article_and_reads_its_text_and_metadata(page, wire):
    log_in(page, next_path=f"/corpora/{wire.slug}/")
    page.click("#import-documents")
    page.set_input_files("#id_files", str(ARTICLE))
    page.click("button[name=import]")
    follow_job_to_done(page)
    expect(summary(page, "Created")).to_have_text("1")
    document = Document.objects.get(corpus=wire)
    page.goto(f"/documents/{document.pk}/")
    wait_ready(page)
    expect(page.locator("#doc-text")).to_contain_text(
        "Dock workers at the port of Southport have voted to strike"
    )
    expect(page.locator("#doc-text")).not_to_contain_text("Most read")
    panel = page.locator(".meta-list").first
    expect(panel).to_contain_text("Harbour Gazette")
    expect(panel).to_contain_text("2026-03-12")
    expect(panel).to_contain_text("https://www.harbourgazette.example/news/2026/03/12/")
    page.click("#more-metadata summary")
    extra = page.locator("#extra-metadata")
    expect(extra).to_contain_text("Priya Raman")
    expect(extra).to_contain_text("harbour-strike.html")
    expect(extra).to_contain_text(document.metadata["import"]["html_sha256"])


def test_a_manager_uploads_a_folder_of_articles_in_the_app(page, wire):
    log_in(page, next_path=f"/corpora/{wire.slug}/import/")
    page.set_input_files("#id_folder", str(SEED_DIR))
    page.click("button[name=import]")
    follow_job_to_done(page)
    expect(summary(page, "Created")).to_have_text(str(len(SEED_PATHS)))
    assert sorted(wire.documents.values_list("external_id", flat=True)) == sorted(
        path.stem for path in SEED_PATHS
    )

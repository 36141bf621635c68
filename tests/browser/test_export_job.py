"""A manager exports a corpus from its page: the job page follows the worker to done (its
script polls status.json) and then offers the file, which downloads."""

from playwright.sync_api import expect

from annotations.interchange.imports import get_or_create_corpus, import_paths
from corpus.models import Corpus
from jobs.models import Job
from tests.browser.conftest import log_in
from tests.factories import SEED_PATHS, make_team
from tests.jobs.helpers import run_queued_jobs


def start_export(page, format_name: str) -> Corpus:
    """As the manager mia, export the seed corpus in `format_name` from its page; return the
    corpus, with the page on the job's page."""
    corpus = get_or_create_corpus("Seed articles")
    import_paths(SEED_PATHS, corpus=corpus)
    make_team(corpus, reviewer=None, annotators=(), outsiders=())
    log_in(page, username="mia", next_path=f"/corpora/{corpus.slug}/")
    page.click("#export-corpus")
    page.select_option("#id_format", format_name)
    page.click("#export-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    return corpus


def test_manager_exports_from_the_corpus_page_and_downloads_when_the_job_is_done(
    page, transactional_db, server_settings
):
    corpus = start_export(page, "conll")
    expect(page.locator("#job-status")).to_have_text("Queued")
    expect(page.locator("#job-download")).to_have_count(0)

    run_queued_jobs()  # the worker, while the page polls

    expect(page.locator("#job-status")).to_have_text("Done", timeout=15_000)
    expect(page.locator("#job-progress")).to_have_attribute("value", "100")
    with page.expect_download() as download:
        page.click("#job-download")
    job = Job.objects.get()
    assert download.value.suggested_filename == f"byline-{job.pk}-{corpus.slug}-conll.conll"
    assert download.value.path().stat().st_size > 0


def test_a_label_studio_export_offers_its_labeling_config_beside_it(
    page, transactional_db, server_settings
):
    corpus = start_export(page, "label-studio")

    run_queued_jobs()

    expect(page.locator("#job-status")).to_have_text("Done", timeout=15_000)
    links = page.locator("#job-downloads a")
    expect(links).to_have_count(2)
    job = Job.objects.get()
    names = []
    for index in range(2):
        with page.expect_download() as download:
            links.nth(index).click()
        names.append(download.value.suggested_filename)
        content = download.value.path().read_bytes()
        assert content
    assert names == [
        f"byline-{job.pk}-{corpus.slug}-label-studio.json",
        f"byline-{job.pk}-label_config.xml",
    ]
    assert b"<View>" in content

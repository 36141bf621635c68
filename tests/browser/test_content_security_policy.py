"""The pages and the admin work in Chromium under the Content-Security-Policy, untouched by it."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.factories import SEED_PATHS, make_user

from .conftest import drag_select, log_in, open_document, wait_saved

pytestmark = pytest.mark.browser

# Reports every violation the browser sees, from before the page's own scripts run: to the
# test, and to the page's own list.
REPORT_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const violation = `${location.pathname}: ${event.effectiveDirective} ${event.blockedURI}`;
  window.violations.push(violation);
  window.reportViolation(violation);
});
"""


def test_pages_and_admin_run_without_a_policy_violation(page, seed_corpus, analyst):
    make_user("boss", is_staff=True, is_superuser=True)
    violations = []
    page.expose_function("reportViolation", lambda violation: violations.append(violation))
    page.add_init_script(REPORT_VIOLATIONS)
    log_in(page, username="boss")

    document = seed_corpus.documents.get(external_id=SEED_PATHS[0].stem)
    open_document(page, document)
    drag_select(page, "Mark Carney")  # a span styles pieces of text from the script
    page.keyboard.press("a")
    expect(page.locator(".span-item", has_text="Mark Carney")).to_have_count(1)
    wait_saved(page)
    span = Annotation.objects.get(document=document, text="Mark Carney")
    record = span.history.first()
    for path in [
        "/",
        f"/corpora/{seed_corpus.slug}/",
        f"/documents/{document.pk}/review/",
        f"/documents/{document.pk}/history/",
        "/admin/",
        "/admin/corpus/document/",
        f"/admin/corpus/document/{document.pk}/change/",
        f"/admin/annotations/annotation/{span.pk}/change/",
        f"/admin/annotations/annotation/{span.pk}/history/",
        f"/admin/annotations/annotation/{span.pk}/history/{record.pk}/",
        "/admin/corpus/membership/add/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
    assert violations == []

    # The listener does hear a violation: an inline script planted in the page is refused.
    page.evaluate(
        """() => {
          const planted = document.createElement("script");
          planted.textContent = "window.plantedRan = true";
          document.body.append(planted);
        }"""
    )
    page.wait_for_function("() => window.violations.length > 0")
    assert page.evaluate("() => window.violations") == [
        "/admin/corpus/membership/add/: script-src-elem inline"
    ]
    assert page.evaluate("() => window.plantedRan") is None

"""Drive the real annotation page in Debian's Chromium, headless, through Playwright."""

import os
from pathlib import Path

import pytest
from django.test.utils import override_settings
from playwright.sync_api import Page, expect, sync_playwright

from annotations.interchange.imports import get_or_create_corpus, import_paths
from corpus.models import Membership
from tests.factories import FAST_PASSWORD_HASHERS, SEED_PATHS, make_user

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "pw-for-tests-only"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="session")
def server_settings():
    """Serve plain HTTP, as `make run` does: the live server's middleware reads these once,
    when it starts, so they must be set before it (the per-test `plain_http` is too late).
    A fast password hasher keeps logging in through the form quick."""
    with override_settings(
        PASSWORD_HASHERS=FAST_PASSWORD_HASHERS,
        SECURE_SSL_REDIRECT=False,
        SECURE_HSTS_SECONDS=0,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
    ):
        yield


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all browser tests, closed after the last of them.

    Playwright's sync API keeps an event loop running in the test thread while it lives, so
    Django must be told to allow the tests' own database calls; the permission ends with
    the browser, before it could leak into other tests (or the subprocesses they start).
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, server_settings, live_server):
    """A fresh browser tab on the live server; fails the test if a script error happened."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1440, "height": 1000}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


@pytest.fixture
def seed_corpus(transactional_db, analyst):
    corpus = get_or_create_corpus("Seed articles")
    import_paths(SEED_PATHS, corpus=corpus)
    Membership.objects.create(corpus=corpus, user=analyst, role=Membership.Role.MANAGER)
    return corpus


@pytest.fixture
def analyst(transactional_db, server_settings):
    return make_user("analyst")


def log_in(page: Page, *, username: str = "analyst", next_path: str = "/") -> None:
    """Log in through the login form, then land on `next_path`."""
    page.goto(next_path)
    expect(page.locator("#id_username")).to_be_visible()
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def open_document(page: Page, document) -> None:
    page.goto(f"/documents/{document.pk}/")
    wait_ready(page)


def wait_ready(page: Page) -> None:
    """Wait until the page is drawn and, on an annotation page that reviews suggestions (the
    viewer's own layer), has its suggestions.

    Once ready, the page asks for its suggestions, and the server may make them then (a
    write): a test writing to the database meanwhile would meet SQLite's table lock.
    """
    page.wait_for_selector("body[data-ready=true]")
    if page.locator("#review-bar:not([hidden])").count():
        wait_suggestions_loaded(page)


def wait_saved(page: Page) -> None:
    """Wait until every change the page made is saved."""
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")


def wait_suggestions_loaded(page: Page) -> None:
    """Wait for the page's suggestions, so no request of it outlives the test's database."""
    expect(page.locator("#review-bar")).not_to_have_attribute(
        "data-state", "loading", timeout=15_000
    )


LOCATE_TEXT = """([needle, occurrence]) => {
  const root = document.getElementById("doc-text");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push([node, text.length]);
    text += node.data;
  }
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`${JSON.stringify(needle)} is not in the text`);
  }
  const position = (offset, isEnd) => {
    for (const [node, start] of nodes) {
      if (offset < start + node.length || (isEnd && offset === start + node.length)) {
        return [node, offset - start];
      }
    }
    throw new Error(`offset ${offset} is outside the text`);
  };
  return {at, position, end: at + needle.length};
}"""


def select_range(page: Page, needle: str, *, occurrence: int = 0) -> None:
    """Select `needle` in the document text by a DOM Range, as a keyboard selection does."""
    page.evaluate(
        f"""([needle, occurrence]) => {{
          const {{at, end, position}} = ({LOCATE_TEXT})([needle, occurrence]);
          const [startNode, startOffset] = position(at, false);
          const [endNode, endOffset] = position(end, true);
          document.getElementById("doc-text").focus();
          window.getSelection().setBaseAndExtent(startNode, startOffset, endNode, endOffset);
        }}""",
        [needle, occurrence],
    )


def drag_select(page: Page, needle: str, *, occurrence: int = 0) -> None:
    """Select `needle` in the document text by dragging the mouse over it."""
    box = page.evaluate(
        f"""([needle, occurrence]) => {{
          const {{at, end, position}} = ({LOCATE_TEXT})([needle, occurrence]);
          const [startNode, startOffset] = position(at, false);
          startNode.parentElement.scrollIntoView({{block: "center"}});
          const rectOf = (node, from, to) => {{
            const range = document.createRange();
            range.setStart(node, from);
            range.setEnd(node, to);
            return range.getClientRects()[0];
          }};
          const first = rectOf(startNode, startOffset, startOffset + 1);
          const [endNode, endOffset] = position(end - 1, false);
          const last = rectOf(endNode, endOffset, endOffset + 1);
          return {{
            x1: first.left + 1, y1: first.top + first.height / 2,
            x2: last.right - 1, y2: last.top + last.height / 2,
          }};
        }}""",
        [needle, occurrence],
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()
    selected = page.evaluate("() => window.getSelection().toString()")
    assert selected == needle, f"dragging selected {selected!r}, not {needle!r}"

"""Reading aids on the annotation page: find (/), label toggles, compact lines, paragraphs."""

from playwright.sync_api import expect

from tests.factories import make_annotation

from .conftest import log_in, wait_ready, wait_saved


def open_wire_copy(page, seed_corpus):
    """Open the Canadian Press seed: paragraphs are single lines there."""
    document = seed_corpus.documents.order_by("external_id").last()
    log_in(page, next_path=f"/documents/{document.pk}/")
    wait_ready(page)
    return document


def test_find_steps_through_matches_and_a_label_key_tags_the_current_one(page, seed_corpus):
    document = open_wire_copy(page, seed_corpus)
    expected = document.text.count("Joly")
    page.locator("#doc-text").click()
    page.keyboard.press("/")
    expect(page.locator("#find-input")).to_be_focused()
    page.keyboard.type("joly")
    expect(page.locator("#find-count")).to_have_text(f"1 of {expected}")
    page.keyboard.press("Enter")
    expect(page.locator("#find-count")).to_have_text(f"2 of {expected}")
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    expect(page.locator("#find-count")).to_have_text(f"{expected} of {expected}")
    page.keyboard.press("Escape")
    expect(page.locator("#find-bar")).to_be_hidden()
    page.keyboard.press("a")
    wait_saved(page)
    span = document.annotations.get()
    last = document.text.rindex("Joly")
    assert (span.label.key, span.start, span.end, span.text) == ("ACTOR", last, last + 4, "Joly")


def test_a_query_with_no_match_says_so(page, seed_corpus):
    open_wire_copy(page, seed_corpus)
    page.keyboard.press("/")
    page.keyboard.type("zebra crossing")
    expect(page.locator("#find-count")).to_have_text("No match")


def test_labels_can_be_hidden_and_lines_made_compact_and_the_choice_is_kept(page, seed_corpus):
    document = seed_corpus.documents.order_by("external_id").last()
    make_annotation(document, "ACTOR", "Joly")
    open_wire_copy(page, seed_corpus)
    expect(page.locator(".seg", has_text="Joly").first).to_be_visible()
    page.click("#view-menu summary")
    page.uncheck("input[data-show-label=ACTOR]")
    expect(page.locator(".seg", has_text="Joly")).to_have_count(0)
    page.check("#view-compact")
    expect(page.locator("#doc-text")).to_have_class("doc-text compact")
    page.reload()
    wait_ready(page)
    expect(page.locator(".seg", has_text="Joly")).to_have_count(0)
    expect(page.locator("#doc-text")).to_have_class("doc-text compact")
    page.click("#view-menu summary")
    page.check("input[data-show-label=ACTOR]")
    expect(page.locator(".seg", has_text="Joly").first).to_be_visible()


def test_single_line_paragraphs_of_wire_copy_are_set_apart(page, seed_corpus):
    open_wire_copy(page, seed_corpus)
    gap = page.evaluate(
        """() => {
          const [first, second] = document.querySelectorAll("#doc-text .line");
          return second.getBoundingClientRect().top - first.getBoundingClientRect().bottom;
        }"""
    )
    assert gap >= 10
    assert page.locator("#doc-text .line.para").count() > 5

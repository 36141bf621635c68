"""The side panel groups identical span texts (issue 15 §5): one row, its count, its places."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.factories import make_annotation, make_document

from .conftest import log_in, select_range, wait_ready, wait_saved, wait_suggestions_loaded

pytestmark = pytest.mark.browser

SOURCE = "Two officials"
TEXT = "\n".join(
    f"Paragraph {i}: {SOURCE} said the talks in round {i} would resume." for i in range(1, 41)
)

SELECTED_LINE = """() => {
  const selected = document.querySelector("#doc-text .seg.is-selected");
  const box = selected.getBoundingClientRect();
  return {
    line: selected.closest(".line").textContent,
    inView: box.top >= 0 && box.bottom <= window.innerHeight,
  };
}"""


def test_forty_identical_spans_are_one_row_that_opens_onto_each_place(page, analyst, corpus):
    document = make_document(corpus, text=TEXT, external_id="officials")
    for i in range(40):
        make_annotation(document, "ANON_SOURCE", SOURCE, occurrence=i)
    make_annotation(document, "ANON_SOURCE", "Paragraph 3")
    log_in(page, next_path=f"/documents/{document.pk}/")
    wait_ready(page)
    wait_suggestions_loaded(page)

    group = page.locator(".span-group[data-label=ANON_SOURCE]")
    expect(group.locator("> summary .count")).to_have_text("41")
    rows = group.locator(".span-list > li")
    expect(rows).to_have_count(2)  # the forty identical texts, and "Paragraph 3"
    row = group.locator(".text-group")
    expect(row.locator(".text-count")).to_have_text("×40")
    expect(row.locator("> summary .span-text")).to_have_text(SOURCE)
    occurrences = row.locator(".span-item.occurrence")
    expect(occurrences.first).to_be_hidden()  # closed until asked

    row.locator("> summary").click()
    expect(occurrences).to_have_count(40)
    place = occurrences.nth(24)
    expect(place).to_contain_text("¶ 25")
    expect(place).to_contain_text(f"25: {SOURCE} said")
    place.click()
    expect(place).to_have_attribute("aria-current", "true")
    selected = page.evaluate(SELECTED_LINE)
    assert selected["line"].startswith("Paragraph 25:")
    assert selected["inView"]
    expect(page.locator("#span-editor")).to_be_visible()

    # Deleting one leaves 39 in the row; a new span of the same text joins it again.
    page.keyboard.press("Delete")
    expect(row.locator(".text-count")).to_have_text("×39")
    expect(occurrences).to_have_count(39)
    wait_saved(page)
    assert Annotation.objects.filter(document=document, text=SOURCE).count() == 39
    select_range(page, SOURCE, occurrence=24)
    page.keyboard.press("s")
    expect(row.locator(".text-count")).to_have_text("×40")
    expect(occurrences.nth(24)).to_contain_text("¶ 25")
    expect(occurrences.nth(24)).to_have_attribute("aria-current", "true")
    wait_saved(page)


def test_stepping_onto_a_grouped_span_opens_its_row_and_moving_it_out_splits_the_row(
    page, analyst, corpus
):
    document = make_document(corpus, text=TEXT, external_id="officials")
    spans = [make_annotation(document, "ANON_SOURCE", SOURCE, occurrence=i) for i in range(3)]
    log_in(page, next_path=f"/documents/{document.pk}/")
    wait_ready(page)
    wait_suggestions_loaded(page)
    group = page.locator(".span-group[data-label=ANON_SOURCE]")
    expect(group.locator(".text-count")).to_have_text("×3")

    page.keyboard.press("]")  # the first span, selected from the text side
    expect(group.locator(".text-group")).to_have_attribute("open", "")
    expect(group.locator(".span-item.occurrence").first).to_have_attribute("aria-current", "true")

    page.keyboard.press("Shift+ArrowRight")  # its end moves a word: its text differs now
    wait_saved(page)
    spans[0].refresh_from_db()
    assert spans[0].text == f"{SOURCE} said"
    expect(group.locator(".text-count")).to_have_text("×2")
    expect(group.locator(".span-list > li")).to_have_count(2)
    expect(group.locator(".span-list > li").first).to_contain_text(f"{SOURCE} said")

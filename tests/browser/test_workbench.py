"""The daily analyst's workbench (issue 15): speakers, boundaries, layers, small screens."""

import re

from playwright.sync_api import expect

from annotations.models import Annotation, Relation
from corpus.models import Membership
from tests.factories import make_annotation, make_user

from .conftest import drag_select, log_in, select_range, wait_ready, wait_saved

QUOTATION = "the most European of non-European countries"


def test_deleting_a_speaker_updates_said_by_at_once_and_says_so(page, seed_corpus, analyst):
    first = seed_corpus.documents.order_by("external_id").first()
    quote = make_annotation(first, "QUOTE", QUOTATION)
    carney = make_annotation(first, "ACTOR", "Mark Carney")
    Relation.objects.create(document=first, type="speaker", source=quote, target=carney)
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)
    expect(page.locator(".span-item", has_text="said by Mark Carney")).to_have_count(1)

    page.click(".span-item >> text=Mark Carney")
    page.keyboard.press("Delete")
    expect(page.locator("#message-text")).to_contain_text("1 quote lost its speaker")
    expect(page.locator(".span-item", has_text="said by")).to_have_count(0)
    wait_saved(page)
    assert not Relation.objects.filter(source=quote).exists()


def open_first_seed(page, seed_corpus):
    first = seed_corpus.documents.order_by("external_id").first()
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)
    return first


def test_a_drag_inside_words_snaps_to_them_and_edge_punctuation_goes(page, seed_corpus, analyst):
    first = open_first_seed(page, seed_corpus)
    drag_select(page, "anada is in adv")
    page.keyboard.press("a")
    wait_saved(page)
    assert first.annotations.get().text == "Canada is in advanced"

    carney = "Prime Minister Mark Carney,"
    assert carney in first.text
    drag_select(page, carney)
    page.keyboard.press("s")
    wait_saved(page)
    assert first.annotations.get(label__key="ANON_SOURCE").text == "Prime Minister Mark Carney"


def test_alt_with_the_label_key_keeps_the_exact_characters(page, seed_corpus, analyst):
    first = open_first_seed(page, seed_corpus)
    drag_select(page, "anada is in adv")
    page.keyboard.press("Alt+a")
    wait_saved(page)
    assert first.annotations.get().text == "anada is in adv"


def test_keys_move_a_selected_span_s_edges_as_one_update_each(page, seed_corpus, analyst):
    first = open_first_seed(page, seed_corpus)
    span = make_annotation(first, "ACTOR", "Mark Carney")
    page.reload()
    wait_ready(page)
    page.click(".span-item >> text=Mark Carney")
    page.keyboard.press("Alt+ArrowLeft")  # the start, one word left
    wait_saved(page)
    span.refresh_from_db()
    assert (span.text, span.version) == ("Minister Mark Carney", 2)
    page.keyboard.press("Alt+ArrowLeft")
    page.keyboard.press("Shift+ArrowLeft")  # the end, one word left
    wait_saved(page)
    span.refresh_from_db()
    assert (span.text, span.version) == ("Prime Minister Mark", 4)
    assert Annotation.objects.filter(document=first).count() == 1  # moved, never recreated
    assert span.history.filter(history_type="~").count() == 3
    expect(page.locator(".span-item", has_text="Prime Minister Mark")).to_have_count(1)

    page.keyboard.press("Control+z")
    wait_saved(page)
    span.refresh_from_db()
    assert span.text == "Prime Minister Mark Carney"


def test_l_links_a_quote_to_the_nearest_speaker_cycling_and_draws_the_arc(
    page, seed_corpus, analyst
):
    first = seed_corpus.documents.order_by("external_id").first()
    quote = make_annotation(first, "QUOTE", QUOTATION)
    carney = make_annotation(first, "ACTOR", "Prime Minister Mark Carney")
    canada = make_annotation(first, "ACTOR", "Canada", occurrence=6)  # "calling Canada “the…"
    make_annotation(first, "ACTOR", "Canada", occurrence=0)  # far away
    assert first.text[canada.end : canada.end + 3] == " “t"
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)

    page.click(".span-item >> text=the most European")
    page.keyboard.press("l")
    current = page.locator(".link-candidate[aria-current=true]")
    expect(current.locator("strong")).to_have_text("Canada")  # nearest: right before the quote
    expect(current).to_contain_text("calling Canada")
    page.keyboard.press("l")
    expect(current.locator("strong")).to_have_text("Prime Minister Mark Carney")
    page.keyboard.press("Enter")
    wait_saved(page)
    assert Relation.objects.get(source=quote).target_id == carney.pk
    expect(page.locator("svg.arcs path.arc")).to_have_count(1)
    said_by = page.locator(".span-item", has_text="said by Prime Minister Mark Carney")
    expect(said_by).to_have_count(1)

    # A click on a candidate in the text links it instead.
    page.keyboard.press("l")
    page.locator(".seg", has_text="Canada").nth(0).click()  # the first Canada of the text
    wait_saved(page)
    assert Relation.objects.get(source=quote).target.text == "Canada"
    page.keyboard.press("Escape")
    expect(page.locator("svg.arcs path.arc")).to_have_count(0)
    page.click("#view-menu summary")
    page.check("#view-links")
    expect(page.locator("svg.arcs path.arc")).to_have_count(1)


def test_the_speaker_list_is_nearest_first_and_names_the_context_of_repeated_texts(
    page, seed_corpus, analyst
):
    first = seed_corpus.documents.order_by("external_id").first()
    make_annotation(first, "QUOTE", QUOTATION)
    for occurrence in (0, 1, 6):
        make_annotation(first, "ACTOR", "Canada", occurrence=occurrence)
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)
    page.click(".span-item >> text=the most European")
    options = page.locator("#speaker-select option").all_inner_texts()
    assert options[0] == "— no speaker —"
    assert options[1].startswith("Canada (Actor) · …")
    assert "calling Canada" in options[1]
    assert len(set(options[1:])) == 3


def test_a_reviewer_reads_another_layer_without_editing_it_and_sees_layers_named(
    page, seed_corpus, analyst
):
    first = seed_corpus.documents.order_by("external_id").first()
    ana = make_user("ana")
    Membership.objects.create(corpus=seed_corpus, user=ana, role=Membership.Role.ANNOTATOR)
    make_annotation(first, "ACTOR", "Mark Carney", annotator=ana)
    log_in(page, next_path=f"/documents/{first.pk}/?layer=ana")
    wait_ready(page)
    expect(page.locator("#layer-banner")).to_contain_text("Reading: ana (read-only)")
    expect(page.locator(".label-button").first).to_be_disabled()
    drag_select(page, "European Union")
    page.keyboard.press("a")
    expect(page.locator("#message-text")).to_contain_text("read-only here")
    page.click(".span-item >> text=Mark Carney")
    page.keyboard.press("Delete")
    assert first.annotations.count() == 1

    page.click(".layer-switcher a[data-layer=all]")
    wait_ready(page)
    expect(page.locator(".seg[data-tag='ACTOR · ana']")).to_have_count(1)
    page.click(".layer-switcher a[data-layer=own]")
    wait_ready(page)
    expect(page.locator("#layer-banner")).to_contain_text("Editing: Your layer")
    expect(page.locator(".span-item")).to_have_count(0)


def test_a_phone_viewport_has_no_horizontal_overflow(page, seed_corpus, analyst):
    first = seed_corpus.documents.order_by("external_id").first()
    make_annotation(first, "ACTOR", "Mark Carney")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)
    overflow = "() => document.documentElement.scrollWidth - window.innerWidth"
    assert page.evaluate(overflow) <= 0
    page.click(".span-item >> text=Mark Carney")
    expect(page.locator("#span-editor")).to_be_visible()
    assert page.evaluate(overflow) <= 0
    page.goto(f"/documents/{first.pk}/review/")
    assert page.evaluate(overflow) <= 0


PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# The selected span's box: the union of its drawn segments, in viewport coordinates.
SELECTED_BOX = """() => {
  const boxes = [...document.querySelectorAll("#doc-text .seg.is-selected")]
    .flatMap((seg) => [...seg.getClientRects()]);
  return {
    top: Math.min(...boxes.map((b) => b.top)),
    bottom: Math.max(...boxes.map((b) => b.bottom)),
    left: Math.min(...boxes.map((b) => b.left)),
    right: Math.max(...boxes.map((b) => b.right)),
  };
}"""


def assert_editor_beside_selected_span(page) -> None:
    """The editor is inside the viewport, and right below or right above the span: its
    nearest edge within about a line of the span's box."""
    editor = page.locator("#span-editor")
    expect(editor).to_be_visible()
    page.wait_for_function(
        "() => document.getElementById('span-editor').classList.contains('is-anchored')"
    )
    # Two frames: a redraw that resized it has been placed again (its ResizeObserver).
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    box = editor.bounding_box()
    span = page.evaluate(SELECTED_BOX)
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= PHONE["width"], box
    assert box["y"] >= 0, box
    assert box["y"] + box["height"] <= PHONE["height"], box
    below = box["y"] - span["bottom"]
    above = span["top"] - (box["y"] + box["height"])
    assert 0 <= below <= 24 or 0 <= above <= 24, (box, span)
    # The span itself is on screen, under the sticky toolbar.
    toolbar = page.locator("#toolbar").bounding_box()
    assert span["top"] >= toolbar["y"] + toolbar["height"] - 1, (span, toolbar)
    assert span["bottom"] <= PHONE["height"], span


def test_on_a_phone_the_editor_opens_right_next_to_the_new_span(page, seed_corpus, analyst):
    page.set_viewport_size(PHONE)
    open_first_seed(page, seed_corpus)
    select_range(page, "Mark Carney")
    page.click(".label-button[data-label=ACTOR]")
    wait_saved(page)
    assert_editor_beside_selected_span(page)
    assert page.evaluate(OVERFLOW) <= 0
    # Its controls work where it is: relabel, then close.
    page.click("#span-editor .chip[data-relabel=QUOTE]")
    expect(page.locator("#span-editor h2")).to_have_text("Quote")
    wait_saved(page)
    assert_editor_beside_selected_span(page)
    page.click("#span-editor .close")
    expect(page.locator("#span-editor")).to_be_hidden()


def test_on_a_phone_the_editor_of_a_span_near_the_bottom_or_off_screen_stays_in_view(
    page, seed_corpus, analyst
):
    first = seed_corpus.documents.order_by("external_id").first()
    last_word = first.text.split()[-1].strip('.”"')
    make_annotation(first, "ACTOR", "Mark Carney")
    page.set_viewport_size(PHONE)
    open_first_seed(page, seed_corpus)
    # A span near the bottom of the screen: the text scrolled so that it sits low.
    select_range(page, last_word)
    page.evaluate(
        """() => {
          const range = window.getSelection().getRangeAt(0);
          const rect = range.getBoundingClientRect();
          window.scrollBy(0, rect.bottom - window.innerHeight + 60);
        }"""
    )
    page.click(".label-button[data-label=ACTOR]")
    wait_saved(page)
    assert_editor_beside_selected_span(page)
    # A span picked from the list at the bottom of the page: the text scrolls back to it.
    page.click("#span-editor .close")
    page.locator(".span-item", has_text="Mark Carney").scroll_into_view_if_needed()
    page.click(".span-item >> text=Mark Carney")
    assert_editor_beside_selected_span(page)
    assert page.evaluate(OVERFLOW) <= 0


def test_on_a_phone_the_toolbar_folds_behind_a_menu_button(page, seed_corpus, analyst):
    page.set_viewport_size(PHONE)
    open_first_seed(page, seed_corpus)
    toggle = page.locator("#toolbar-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    # Folded: the label buttons stay (a selection needs them), the rest is behind the button.
    expect(page.locator(".label-button[data-label=ACTOR]")).to_be_visible()
    for hidden in ("#done-button", "#next-link", "#view-menu", "#status-badge"):
        expect(page.locator(hidden)).to_be_hidden()
    toolbar_height = page.locator("#toolbar").bounding_box()["height"]
    assert toolbar_height < 0.15 * PHONE["height"], toolbar_height

    # The keyboard opens it; its controls work.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#done-button")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    page.click("#done-button")
    expect(page.locator("#status-badge")).to_have_text("Done")
    wait_saved(page)
    page.click("#view-menu summary")
    page.check("#view-compact")
    expect(page.locator("#doc-text")).to_have_class(re.compile(r"\bcompact\b"))
    # Esc folds it, and only that: the focus goes back to the button.
    page.locator("#done-button").focus()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#done-button")).to_be_hidden()
    assert page.evaluate("() => document.activeElement.id") == "toolbar-toggle"
    # A click opens and closes it too.
    toggle.click()
    expect(page.locator("#next-link")).to_be_visible()
    toggle.click()
    expect(page.locator("#next-link")).to_be_hidden()


def test_on_a_wide_screen_the_toolbar_shows_everything_and_the_editor_stays_in_the_panel(
    page, seed_corpus, analyst
):
    open_first_seed(page, seed_corpus)
    expect(page.locator("#toolbar-toggle")).to_be_hidden()
    expect(page.locator("#done-button")).to_be_visible()
    select_range(page, "Mark Carney")
    page.keyboard.press("a")
    editor = page.locator("#span-editor")
    expect(editor).to_be_visible()
    assert "is-anchored" not in (editor.get_attribute("class") or "")
    assert editor.evaluate("(e) => getComputedStyle(e).position") == "static"
    panel = page.locator(".panel").bounding_box()
    box = editor.bounding_box()
    assert panel["x"] <= box["x"]
    assert box["x"] + box["width"] <= panel["x"] + panel["width"] + 1

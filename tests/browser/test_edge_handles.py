"""Drag handles on a selected span's edges (issue 15 §2): one update, one undo step."""

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation
from corpus.models import Membership
from tests.factories import make_annotation, make_document, make_user

from .conftest import log_in, wait_ready, wait_saved, wait_suggestions_loaded

pytestmark = pytest.mark.browser

TEXT = "Officials said Prime Minister Mark Carney met the premiers in Ottawa on Monday."
EMOJI_BEFORE = "Fans 😀👍🏽 and 𠀀 cheered. Officials said Mark Carney met the premiers today."

# The viewport point over the middle of `needle`'s last character in the text (or first,
# with `first`), scrolled into view.
POINT_OVER = """([needle, first]) => {
  const root = document.getElementById("doc-text");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at === -1) continue;
    const range = document.createRange();
    const char = first ? at : at + needle.length - 1;
    range.setStart(node, char);
    range.setEnd(node, char + 1);
    const box = range.getBoundingClientRect();
    return {x: box.left + box.width * (first ? 0.3 : 0.7), y: box.top + box.height / 2};
  }
  throw new Error(`${needle} is not in the text`);
}"""


def open_with_selected_span(page: Page, document, covered: str) -> Annotation:
    span = make_annotation(document, "ACTOR", covered)
    log_in(page, next_path=f"/documents/{document.pk}/")
    wait_ready(page)
    wait_suggestions_loaded(page)
    page.locator("#span-groups .span-text").get_by_text(covered, exact=True).click()
    expect(page.locator(".edge-handle-end")).to_be_visible()
    return span


def drag_handle(page: Page, edge: str, to: str, *, first: bool = False, alt: bool = False) -> None:
    """Drag the handle of `edge` by its knob onto the text `to`, as a mouse does."""
    handle = page.locator(f".edge-handle-{edge}")
    bar = handle.bounding_box()
    knob = handle.locator(".edge-knob").bounding_box()
    start = {"x": knob["x"] + knob["width"] / 2, "y": knob["y"] + knob["height"] / 2}
    target = page.evaluate(POINT_OVER, [to, first])
    # The knob hangs below the line: aim as far below the target as it hangs below the edge.
    below = start["y"] - (bar["y"] + bar["height"] / 2)
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    if alt:
        page.keyboard.down("Alt")
    page.mouse.move(target["x"], target["y"] + below, steps=8)
    page.mouse.up()
    if alt:
        page.keyboard.up("Alt")


def stored(page: Page, document, span: Annotation) -> dict:
    """Return the span as the API answers it to the logged-in page."""
    response = page.request.get(f"/api/documents/{document.pk}/spans/{span.uid}/")
    assert response.ok, response.status
    return response.json()


def test_dragging_the_end_handle_over_two_words_moves_the_end_in_one_undoable_update(
    page, analyst, corpus
):
    document = make_document(corpus, text=TEXT, external_id="carney")
    span = open_with_selected_span(page, document, "Mark Carney")
    handle = page.locator(".edge-handle-end")
    expect(handle).to_have_attribute("title", "Drag to move the span's end (Alt: exact characters)")
    text_box = page.locator("#doc-text").bounding_box()

    drag_handle(page, "end", "the")  # over "met the"
    wait_saved(page)
    moved = stored(page, document, span)
    assert (moved["start"], moved["end"], moved["text"]) == (30, 49, "Mark Carney met the")
    assert moved["version"] == 2
    span.refresh_from_db()
    assert span.history.filter(history_type="~").count() == 1  # one update, not delete + create
    assert Annotation.objects.filter(document=document).count() == 1
    expect(page.locator(".span-item", has_text="Mark Carney met the")).to_have_count(1)
    assert page.locator("#doc-text").bounding_box() == text_box  # nothing shifted the text
    # The handle follows the new end: between "the" and "premiers".
    expect(handle).to_be_visible()
    x = handle.bounding_box()["x"]
    assert page.evaluate(POINT_OVER, ["met the", False])["x"] < x
    assert x < page.evaluate(POINT_OVER, ["premiers", True])["x"]

    page.keyboard.press("Control+z")
    wait_saved(page)
    restored = stored(page, document, span)
    assert (restored["start"], restored["end"], restored["text"]) == (30, 41, "Mark Carney")


def test_the_start_handle_snaps_to_words_and_alt_keeps_the_exact_character(page, analyst, corpus):
    document = make_document(corpus, text=TEXT, external_id="carney")
    span = open_with_selected_span(page, document, "Mark Carney")
    drag_handle(page, "start", "inister", first=True)  # inside "Minister"
    wait_saved(page)
    assert stored(page, document, span)["text"] == "Minister Mark Carney"

    drag_handle(page, "end", "met t", alt=True)  # Alt: exactly after the "t"
    wait_saved(page)
    assert stored(page, document, span)["text"] == "Minister Mark Carney met t"


def test_a_handle_dragged_across_the_other_edge_is_refused(page, analyst, corpus):
    document = make_document(corpus, text=TEXT, external_id="carney")
    span = open_with_selected_span(page, document, "Mark Carney")
    drag_handle(page, "end", "Prime", first=True)
    expect(page.locator("#message-text")).to_contain_text("cannot cross")
    wait_saved(page)
    assert stored(page, document, span)["version"] == 1


def test_a_handle_drag_onto_an_existing_span_of_the_label_is_refused(page, analyst, corpus):
    document = make_document(corpus, text=TEXT, external_id="carney")
    make_annotation(document, "ACTOR", "Mark Carney met the")
    span = open_with_selected_span(page, document, "Mark Carney")
    drag_handle(page, "end", "the")
    expect(page.locator("#message-text")).to_contain_text("There is already an Actor span")
    assert stored(page, document, span)["version"] == 1


def test_a_dragged_edge_after_emoji_stays_in_code_points(page, analyst, corpus):
    document = make_document(corpus, text=EMOJI_BEFORE, external_id="emoji-drag")
    span = open_with_selected_span(page, document, "Mark Carney")
    drag_handle(page, "end", "premiers")
    wait_saved(page)
    moved = stored(page, document, span)
    expected = "Mark Carney met the premiers"
    start = EMOJI_BEFORE.index(expected)  # Python counts code points
    assert (moved["start"], moved["end"], moved["text"]) == (start, start + len(expected), expected)
    assert EMOJI_BEFORE[moved["start"] : moved["end"]] == expected


# How far the end handle's bar is from the selected span's end, in pixels (x, y).
END_HANDLE_OFFSET = """() => {
  const pieces = [...document.querySelectorAll("#doc-text .seg.is-selected")];
  const rects = [...pieces.at(-1).getClientRects()];
  const edge = rects.at(-1);
  const bar = document.querySelector(".edge-handle-end").getBoundingClientRect();
  return [bar.left + bar.width / 2 - edge.right, bar.top - edge.top];
}"""


def assert_end_handle_on_the_end(page: Page) -> None:
    page.wait_for_function(
        f"() => ({END_HANDLE_OFFSET})().every((d) => Math.abs(d) <= 2)", timeout=5_000
    )


def test_the_handles_follow_scrolling_and_a_new_layout_of_the_text(page, analyst, corpus):
    long_text = "\n\n".join([TEXT] * 30)
    document = make_document(corpus, text=long_text, external_id="long-carney")
    make_annotation(document, "ACTOR", "Mark Carney", occurrence=20)
    log_in(page, next_path=f"/documents/{document.pk}/")
    wait_ready(page)
    wait_suggestions_loaded(page)
    page.keyboard.press("]")
    expect(page.locator(".edge-handle-end")).to_be_visible()
    assert_end_handle_on_the_end(page)

    page.mouse.wheel(0, 300)
    assert_end_handle_on_the_end(page)
    page.click("#view-menu > summary")
    page.check("#view-compact")  # shorter lines move every line up
    assert_end_handle_on_the_end(page)
    page.set_viewport_size({"width": 700, "height": 900})  # the text wraps again
    assert_end_handle_on_the_end(page)
    expect(page.locator(".edge-handle-start")).to_be_visible()

    page.keyboard.press("Escape")  # leaves the checkbox
    page.keyboard.press("Escape")  # clears the selection
    expect(page.locator(".edge-handle-end")).to_be_hidden()


def test_a_finger_drags_a_handle_too(browser, server_settings, live_server, analyst, corpus):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 900, "height": 800}, has_touch=True
    )
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(error))
        document = make_document(corpus, text=TEXT, external_id="carney")
        span = open_with_selected_span(page, document, "Mark Carney")
        knob = page.locator(".edge-handle-end .edge-knob").bounding_box()
        bar = page.locator(".edge-handle-end").bounding_box()
        x, y = knob["x"] + knob["width"] / 2, knob["y"] + knob["height"] / 2
        target = page.evaluate(POINT_OVER, ["the", False])
        below = y - (bar["y"] + bar["height"] / 2)
        touch = context.new_cdp_session(page)
        page.evaluate(
            """() => document.addEventListener("pointerdown", (event) => {
              window.pointerKinds = [...(window.pointerKinds ?? []), event.pointerType];
            })"""
        )

        def finger(kind: str, points: list[dict]) -> None:
            touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        finger("touchStart", [{"x": x, "y": y}])
        for step in range(1, 9):
            along = step / 8
            point = {"x": x + (target["x"] - x) * along, "y": y + (target["y"] + below - y) * along}
            finger("touchMove", [point])
        finger("touchEnd", [])
        wait_saved(page)
        assert stored(page, document, span)["text"] == "Mark Carney met the"
        assert page.evaluate("() => window.pointerKinds") == ["touch"]
        assert not errors, f"script errors on the page: {errors}"
    finally:
        context.close()


def test_a_read_only_layer_shows_no_handles(page, analyst, corpus):
    document = make_document(corpus, text=TEXT, external_id="carney")
    ana = make_user("ana")
    Membership.objects.create(corpus=corpus, user=ana, role=Membership.Role.ANNOTATOR)
    make_annotation(document, "ACTOR", "Mark Carney", annotator=ana)
    log_in(page, next_path=f"/documents/{document.pk}/?layer=ana")
    wait_ready(page)
    expect(page.locator("#layer-banner")).to_contain_text("read-only")
    page.locator("#span-groups .span-text").get_by_text("Mark Carney", exact=True).click()
    expect(page.locator("#span-editor")).to_be_visible()
    expect(page.locator(".edge-handle-end")).to_be_hidden()
    expect(page.locator(".edge-handle-start")).to_be_hidden()

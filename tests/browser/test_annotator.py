"""An analyst annotates in the real page: mouse, keyboard, undo, saving, export."""

import io
import json

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.models import Annotation, Relation
from annotations.spans import update_span
from corpus.models import Document
from tests.factories import EMOJI_TEXT, SEED_PATHS, make_annotation, make_document

from .conftest import (
    ARTIFACTS,
    drag_select,
    log_in,
    open_document,
    select_range,
    wait_ready,
    wait_saved,
)

pytestmark = pytest.mark.browser

QUOTATION = "the most European of non-European countries."


def spans_of(document: Document) -> set[tuple]:
    return {
        (span.label.key, span.start, span.end, span.text)
        for span in document.annotations.select_related("label")
    }


def expected_span(document: Document, label: str, covered: str) -> tuple:
    start = document.text.index(covered)
    return (label, start, start + len(covered), covered)


def exported_line(corpus_name: str, external_id: str) -> dict:
    out = io.StringIO()
    call_command("export_annotations", corpus=corpus_name, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return next(line for line in lines if line["id"] == external_id)


def test_analyst_annotates_a_seed_article_and_the_export_holds_exactly_that(
    page, seed_corpus, analyst
):
    log_in(page, next_path="/")
    page.click("text=Seed articles")
    first = seed_corpus.documents.get(external_id=SEED_PATHS[0].stem)
    page.click(f"a[href='/documents/{first.pk}/']")
    wait_ready(page)

    drag_select(page, "Mark Carney")
    page.keyboard.press("a")
    expect(page.locator(".span-item", has_text="Mark Carney")).to_have_count(1)
    wait_saved(page)

    drag_select(page, QUOTATION)
    page.keyboard.press("q")
    page.select_option("#speaker-select", label="Mark Carney (Actor)")
    wait_saved(page)
    expect(page.locator(".span-item", has_text="said by Mark Carney")).to_have_count(1)

    drag_select(page, "$163 billion")
    page.keyboard.press("f")
    # Fields are captioned in words, and the unit offers the usual units.
    expect(page.locator("label[for=attr-approximate]")).to_have_text("Approximate")
    expect(page.locator("#attr-unit")).to_have_attribute("list", "usual-units")
    expect(page.locator("#usual-units option[value=EUR]")).to_have_count(1)
    page.fill("#attr-value", "163000000000")
    page.fill("#attr-unit", "USD")
    page.keyboard.press("Enter")
    wait_saved(page)

    drag_select(page, "Ursula von der Leyen")
    page.keyboard.press("a")
    wait_saved(page)
    ursula = first.annotations.get(text="Ursula von der Leyen")
    page.click(".span-item >> text=Ursula von der Leyen")
    page.keyboard.press("Delete")
    wait_saved(page)
    assert not first.annotations.filter(text="Ursula von der Leyen").exists()
    page.keyboard.press("Control+z")
    wait_saved(page)
    assert first.annotations.get(text="Ursula von der Leyen").uid == ursula.uid

    page.click("#done-button")
    wait_saved(page)
    page.reload()
    wait_ready(page)
    expect(page.locator("#status-badge")).to_have_text("Done")
    expect(page.locator(".span-item")).to_have_count(4)

    first.refresh_from_db()
    expected = {
        expected_span(first, "ACTOR", "Mark Carney"),
        expected_span(first, "QUOTE", QUOTATION),
        expected_span(first, "FIGURE", "$163 billion"),
        expected_span(first, "ACTOR", "Ursula von der Leyen"),
    }
    assert first.status == Document.Status.DONE
    assert spans_of(first) == expected
    figure = first.annotations.get(label__key="FIGURE")
    assert figure.attributes == {"value": 163000000000, "unit": "USD"}
    speaker = Relation.objects.get(document=first)
    assert (speaker.source.text, speaker.target.text) == (QUOTATION, "Mark Carney")

    line = exported_line("Seed articles", first.external_id)
    assert {(s["label"], s["start"], s["end"], s["text"]) for s in line["spans"]} == expected
    assert {s["annotator"] for s in line["spans"]} == {"analyst"}
    uids = {s["text"]: s["id"] for s in line["spans"]}
    assert line["relations"] == [
        {"type": "speaker", "from": uids[QUOTATION], "to": uids["Mark Carney"]}
    ]
    for span in line["spans"]:
        assert line["text"][span["start"] : span["end"]] == span["text"]


def test_selection_after_emoji_combining_accents_and_cjk_exports_the_exact_span(
    page, analyst, corpus
):
    document = make_document(corpus, external_id="emoji")
    log_in(page, next_path=f"/documents/{document.pk}/")
    wait_ready(page)

    select_range(page, " Mark Carney ")  # Surrounding spaces are trimmed.
    page.keyboard.press("a")
    select_range(page, "We are ready.")
    page.keyboard.press("q")
    select_range(page, "e\u0301 and 中文 𠀀")
    page.keyboard.press("s")
    wait_saved(page)

    line = exported_line(corpus.name, "emoji")
    assert line["text"] == EMOJI_TEXT
    assert sorted((s["label"], s["start"], s["end"], s["text"]) for s in line["spans"]) == sorted(
        [
            expected_span(document, "ACTOR", "Mark Carney"),
            expected_span(document, "QUOTE", "We are ready."),
            expected_span(document, "ANON_SOURCE", "e\u0301 and 中文 𠀀"),
        ]
    )
    for span in line["spans"]:
        assert EMOJI_TEXT[span["start"] : span["end"]] == span["text"]


def test_hostile_document_renders_inert(page, analyst, corpus):
    label = corpus.labels.create(
        key="HOSTILE",
        name='<img src=x onerror="window.__xss=5">',
        description="<script>window.__xss=6</script>",
        colour="#123456",
        shortcut="x",
        position=9,
    )
    text = (
        '<script>window.__xss=1</script> and <img src=x onerror="window.__xss=2"> then '
        '<a href="javascript:window.__xss=3">click</a> end'
    )
    document = make_document(
        corpus,
        text=text,
        title="<script>window.__xss=4</script><img src=x onerror=alert(4)>",
        external_id="hostile",
        source="<b onmouseover=alert(7)>Wire</b>",
        metadata={"note": "<img src=x onerror=alert(8)>"},
        quality_flags=[{"start": 0, "end": 8, "kind": "<i>odd</i>", "note": "<img src=x>"}],
    )
    document.tags.add("<script>alert(9)</script>")
    make_annotation(
        document,
        "HOSTILE",
        '<img src=x onerror="window.__xss=2">',
        attributes={"comment": "<img src=x onerror=alert(10)>"},
    )
    assert label.annotations.count() == 1
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    log_in(page, next_path=f"/corpora/{corpus.slug}/")
    expect(page.locator("table.documents")).to_contain_text("<script>window.__xss=4</script>")
    open_document(page, document)
    page.click(".span-item")
    expect(page.locator("#span-editor")).to_be_visible()
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")

    assert dialogs == []
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("img").count() == 0
    assert page.locator("b, i, a[href^=javascript]").count() == 0
    assert page.locator("script").count() == 2  # The data island and the page's module.
    assert page.locator("#doc-text").text_content() == text
    expect(page.locator("#doc-title")).to_have_text(document.title)
    expect(page.locator("#attr-comment")).to_have_value("<img src=x onerror=alert(10)>")


def test_keyboard_only_flow_labels_navigates_undoes_and_finishes(page, seed_corpus, analyst):
    first, second = seed_corpus.documents.order_by("external_id")
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)

    page.keyboard.press("t")  # Caret at the start of the text.
    for _ in range(len("OTTAWA")):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("a")
    wait_saved(page)
    assert spans_of(first) == {expected_span(first, "ACTOR", "OTTAWA")}

    page.keyboard.press("]")
    expect(page.locator("#span-editor h2")).to_have_text("Actor")
    page.keyboard.press("q")  # Relabel the selected span.
    expect(page.locator("#span-editor h2")).to_have_text("Quote")
    page.keyboard.press("Control+z")
    expect(page.locator("#span-editor h2")).to_have_text("Actor")
    page.keyboard.press("Control+Shift+z")
    expect(page.locator("#span-editor h2")).to_have_text("Quote")
    page.keyboard.press("Delete")
    expect(page.locator(".span-item")).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(page.locator(".span-item")).to_have_count(1)
    wait_saved(page)
    assert spans_of(first) == {expected_span(first, "QUOTE", "OTTAWA")}

    page.focus("#tag-input")  # Tags are set in the same pass, from the side panel.
    page.keyboard.type("defence")
    page.keyboard.press("Enter")
    expect(page.locator("#tag-list")).to_contain_text("defence")
    page.keyboard.press("Escape")  # Leave the field: keys are commands again.
    wait_saved(page)
    assert list(first.tags.names()) == ["defence"]

    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    expect(page.locator("#help")).to_contain_text("Next / previous span")
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_hidden()

    page.keyboard.press("Control+Enter")
    expect(page.locator("#status-badge")).to_have_text("Done")
    wait_saved(page)
    page.keyboard.press(">")
    page.wait_for_url(f"**/documents/{second.pk}/")
    wait_ready(page)
    first.refresh_from_db()
    assert first.status == Document.Status.DONE
    # The second seed has encoding damage, flagged at import and marked in the text.
    assert second.quality_flags
    expect(page.locator(".seg.is-flagged").first).to_be_visible()


def test_empty_and_outside_selections_are_refused_with_a_message(page, seed_corpus, analyst):
    first = seed_corpus.documents.order_by("external_id").first()
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)

    page.click("#doc-text")
    page.keyboard.press("a")
    expect(page.locator("#message-text")).to_have_text(
        "Select some text first, then press a label."
    )

    page.evaluate(
        """() => {
          const title = document.getElementById("doc-title").firstChild;
          const root = document.getElementById("doc-text");
          const text = document.createTreeWalker(root, NodeFilter.SHOW_TEXT).nextNode();
          window.getSelection().setBaseAndExtent(title, 0, text, 5);
        }"""
    )
    page.click(".label-button[data-label=ACTOR]")
    expect(page.locator("#message")).to_contain_text("runs outside")

    select_range(page, "\n\n")
    page.keyboard.press("a")
    expect(page.locator("#message-text")).to_have_text(
        "The selection holds only spaces or line breaks."
    )
    assert not first.annotations.exists()

    # The error goes once a selection is labelled, and a message can be closed by hand.
    drag_select(page, "Mark Carney")
    page.keyboard.press("a")
    expect(page.locator("#message")).to_be_hidden()
    page.click("#doc-text")
    page.keyboard.press("a")
    expect(page.locator("#message")).to_be_visible()
    page.click("#message-close")
    expect(page.locator("#message")).to_be_hidden()


def test_escape_clears_without_an_error_in_every_state(page, seed_corpus, analyst):
    first = seed_corpus.documents.order_by("external_id").first()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)
    page.keyboard.press("Escape")  # a fresh page: nothing selected anywhere
    drag_select(page, "Mark Carney")
    page.keyboard.press("a")
    wait_saved(page)
    page.keyboard.press("]")
    page.keyboard.press("Escape")  # after ]
    page.click(".span-item >> text=Mark Carney")
    page.keyboard.press("Escape")  # after a click in the panel
    expect(page.locator(".seg.is-selected")).to_have_count(0)
    assert errors == []


def test_selection_across_paragraphs_becomes_one_span(page, seed_corpus, analyst):
    first = seed_corpus.documents.order_by("external_id").first()
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)
    crossing = "facilities.\n\nThe budding"
    select_range(page, crossing)
    page.click(".label-button[data-label=QUOTE]")
    wait_saved(page)
    assert spans_of(first) == {expected_span(first, "QUOTE", crossing)}


def test_failed_save_is_shown_kept_unsaved_and_retried(page, seed_corpus, analyst):
    first = seed_corpus.documents.order_by("external_id").first()
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)
    page.route("**/api/documents/*/spans/", lambda route: route.abort())

    drag_select(page, "Mark Carney")
    page.keyboard.press("a")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "unsaved")
    expect(page.locator("#message")).to_contain_text("Could not save")
    expect(page.locator(".seg.is-unsaved")).to_have_count(1)
    assert not first.annotations.exists()

    page.unroute("**/api/documents/*/spans/")
    page.click("#retry-button")
    wait_saved(page)
    expect(page.locator(".seg.is-unsaved")).to_have_count(0)
    # The failure's message goes with the failure.
    expect(page.locator("#message")).to_be_hidden()
    assert spans_of(first) == {expected_span(first, "ACTOR", "Mark Carney")}


def test_relabelling_a_span_someone_else_changed_shows_their_version(page, seed_corpus, analyst):
    first = seed_corpus.documents.order_by("external_id").first()
    span = make_annotation(first, "ACTOR", "Mark Carney")
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)
    update_span(span=span, version=1, label=first.corpus.labels.get(key="ANON_SOURCE"))

    page.click(".span-item")
    page.click("#span-editor [data-relabel=QUOTE]")
    expect(page.locator("#message")).to_contain_text("someone else changed this span")
    expect(page.locator("#span-editor h2")).to_have_text("Anonymous source")
    wait_saved(page)
    span.refresh_from_db()
    assert (span.label.key, span.version) == ("ANON_SOURCE", 2)


def test_an_attribute_met_by_a_409_keeps_the_analysts_value_in_sight(page, seed_corpus, analyst):
    first = seed_corpus.documents.order_by("external_id").first()
    span = make_annotation(first, "FIGURE", "$163 billion", attributes={"unit": "USD"})
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)
    update_span(span=span, version=1, attributes={"unit": "EUR"})  # someone else, meanwhile

    page.click(".span-item")
    page.fill("#attr-unit", "GBP")
    page.keyboard.press("Enter")
    expect(page.locator("#message")).to_contain_text("Your values are kept beside theirs")
    expect(page.locator("#attr-unit")).to_have_value("EUR")
    expect(page.locator(".field-conflict[data-field=unit] .mine")).to_have_text("GBP")
    wait_saved(page)
    span.refresh_from_db()
    assert span.attributes == {"unit": "EUR"}


def test_undo_and_redo_cover_attributes_and_speakers(page, seed_corpus, analyst):
    first = seed_corpus.documents.order_by("external_id").first()
    figure = make_annotation(first, "FIGURE", "$163 billion")
    quote = make_annotation(first, "QUOTE", QUOTATION)
    make_annotation(first, "ACTOR", "Mark Carney")
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)

    page.click(".span-item >> text=$163 billion")
    page.fill("#attr-unit", "USD")
    page.keyboard.press("Enter")
    wait_saved(page)
    page.click(".span-item >> text=the most European")
    page.select_option("#speaker-select", label="Mark Carney (Actor)")
    wait_saved(page)
    assert Relation.objects.filter(source=quote).exists()

    page.keyboard.press("Escape")
    page.keyboard.press("Control+z")
    wait_saved(page)
    assert not Relation.objects.filter(source=quote).exists()
    page.keyboard.press("Control+z")
    wait_saved(page)
    figure.refresh_from_db()
    assert figure.attributes == {}
    page.keyboard.press("Control+y")
    wait_saved(page)
    figure.refresh_from_db()
    assert figure.attributes == {"unit": "USD"}


def open_annotated_seed_article(page, seed_corpus) -> Document:
    """Annotate the first seed article (nested, linked and attributed spans) and open it."""
    first = seed_corpus.documents.order_by("external_id").first()
    for covered, occurrence in [
        ("Canada", 0),
        ("European Union", 0),
        ("Canada", 1),
        ("United States", 0),
        ("President Donald Trump", 0),
        ("Canada", 6),
        ("European Union", 3),  # Nested in the anonymous source below.
        ("Canada", 7),
    ]:
        make_annotation(first, "ACTOR", covered, occurrence=occurrence)
    carney = make_annotation(first, "ACTOR", "Prime Minister Mark Carney")
    quote = make_annotation(first, "QUOTE", QUOTATION)
    quote.outgoing_relations.create(document=first, type="speaker", target=carney)
    make_annotation(
        first,
        "ANON_SOURCE",
        "Two officials, one from the European Union and one from Canada, with direct "
        "knowledge of the discussions",
        attributes={"count": 2, "affiliation": "EU and Canada"},
    )
    make_annotation(first, "FIGURE", "150 billion-euro", attributes={"value": 150e9, "unit": "EUR"})
    make_annotation(first, "FIGURE", "$163 billion", attributes={"value": 163e9, "unit": "USD"})

    Document.objects.filter(pk=first.pk).update(status=Document.Status.IN_PROGRESS)
    first.tags.add("defence", "Canada-EU")
    log_in(page, next_path=f"/documents/{first.pk}/")
    wait_ready(page)
    expect(page.locator(".span-item")).to_have_count(13)
    page.click(".span-item >> text=the most European")
    page.evaluate("() => window.scrollTo(0, 0)")
    expect(page.locator(".seg.is-linked").first).to_be_attached()
    return first


def test_nested_spans_each_draw_their_own_stripe(page, seed_corpus, analyst):
    open_annotated_seed_article(page, seed_corpus)
    # Where spans nest, each draws its own underline: two stripes and the tint.
    layers = page.evaluate(
        """() => Array.from(document.querySelectorAll(".seg"),
            (el) => getComputedStyle(el).backgroundImage.split("linear-gradient").length - 1)"""
    )
    assert max(layers) == 3


def test_screenshot_of_an_annotated_seed_article(page, seed_corpus, analyst):
    """Save tests/artifacts/annotate-seed.png for a person to look at, speaker arcs shown."""
    open_annotated_seed_article(page, seed_corpus)
    page.click("#view-menu summary")
    page.check("#view-links")
    page.click("#view-menu summary")
    expect(page.locator("svg.arcs path.arc")).to_have_count(1)
    page.click(".span-item >> text=the most European")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "annotate-seed.png")
    assert (ARTIFACTS / "annotate-seed.png").stat().st_size > 10_000


def test_a_long_document_lists_its_spans_when_a_group_is_opened(page, analyst, corpus):
    words = [f"word{i}" for i in range(450)]
    document = make_document(corpus, text=" ".join(words) + ".", external_id="long")
    actor = corpus.labels.get(key="ACTOR")
    position = 0
    spans = []
    for word in words:
        spans.append(
            Annotation(
                document=document,
                label=actor,
                start=position,
                end=position + len(word),
                text=word,
            )
        )
        position += len(word) + 1
    Annotation.objects.bulk_create(spans)
    log_in(page, next_path=f"/documents/{document.pk}/")
    wait_ready(page)
    expect(page.locator("#span-total")).to_have_text("450")
    expect(page.locator(".span-item")).to_have_count(0)  # Groups of long documents start closed.

    select_range(page, "word1 word2")
    page.keyboard.press("q")
    wait_saved(page)
    expect(page.locator("#span-total")).to_have_text("451")
    page.click(".span-group[data-label=ACTOR] > summary")
    expect(page.locator(".span-group[data-label=ACTOR] .span-item")).to_have_count(450)
    page.click(".span-group[data-label=QUOTE] > summary")
    expect(page.locator(".span-group[data-label=QUOTE] .span-item")).to_have_text(["word1 word2"])

"""An analyst reviews suggestions on the real page: accept, reject, tag all occurrences, export.

The document's suggestions layer is stored by the test, through the same function the
`suggest` command writes with, so that the review is tested whatever the suggesters propose;
every assertion compares the export with what the page itself accepted.
"""

import io
import json
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from annotations.models import Annotation
from assist.candidates import ACTOR, QUOTE, Candidate
from assist.models import Rejection, Suggestion
from assist.suggest import corpus_labels, replace_suggestions
from corpus.models import Document
from tests.factories import SEED_PATHS

from .conftest import drag_select, log_in, open_document, wait_saved

pytestmark = pytest.mark.browser

REVIEW_BAR = "#review-bar"
CURRENT = ".suggestion.is-current"


def place(text: str, covered: str, occurrence: int = 0) -> tuple[int, int]:
    starts = [m.start() for m in re.finditer(re.escape(covered), text)]
    return starts[occurrence], starts[occurrence] + len(covered)


def candidate(text: str, label: str, covered: str, *, occurrence=0, speaker=None) -> Candidate:
    start, end = place(text, covered, occurrence)
    return Candidate(label, start, end, suggester="test", score=0.8, speaker=speaker)


def store_suggestions(document: Document) -> list[Candidate]:
    """Store a suggestions layer over the first seed article: its three quotes with their
    speakers, and actors, none of them "Canada"."""
    text = document.text
    carney = candidate(text, ACTOR, "Mark Carney")
    eu = candidate(text, ACTOR, "EU", occurrence=text[: text.index("EU document")].count("EU"))
    quoted = [m.span(1) for m in re.finditer(r"“([^”]+)”", text)]
    quotes = [
        Candidate(QUOTE, start, end, suggester="test", score=0.9, speaker=speaker.ref)
        for (start, end), speaker in zip(quoted, [carney, eu, eu], strict=True)
    ]
    actors = [
        carney,
        eu,
        candidate(text, ACTOR, "Donald Trump"),
        candidate(text, ACTOR, "Ursula von der Leyen"),
    ]
    made = [*actors, *quotes]
    replace_suggestions({document.pk: made}, corpus_labels(document.corpus))
    return made


def exported_line(corpus_name: str, external_id: str) -> dict:
    out = io.StringIO()
    call_command("export_annotations", corpus=corpus_name, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return next(line for line in lines if line["id"] == external_id)


def open_for_review(page: Page, document: Document) -> None:
    log_in(page)
    open_document(page, document)
    wait_suggestions(page)


def wait_suggestions(page: Page) -> None:
    """Wait until the page has its suggestions (the server may be making them)."""
    expect(page.locator(REVIEW_BAR)).to_have_attribute("data-state", "ready", timeout=15_000)


def current_id(page: Page) -> int:
    return int(page.locator(CURRENT).get_attribute("data-id"))


def panel_uids(page: Page) -> set[str]:
    return set(page.locator(".span-item").evaluate_all("(items) => items.map(i => i.dataset.uid)"))


def test_analyst_accepts_quotes_rejects_an_actor_tags_canada_and_exports_exactly_that(
    page, seed_corpus, analyst
):
    document = seed_corpus.documents.get(external_id=SEED_PATHS[0].stem)
    store_suggestions(document)
    open_for_review(page, document)
    shown = page.request.get(f"/api/documents/{document.pk}/suggestions/").json()["suggestions"]
    by_id = {s["id"]: s for s in shown}
    outlines = page.locator(".suggestion")
    expect(outlines).to_have_count(len(shown))
    expect(page.locator("[aria-label='suggested QUOTE']")).to_have_count(
        sum(s["label"] == QUOTE for s in shown)
    )
    accepted = {}  # uid -> (label, start, end) of each span the page was sent as accepted
    relations = set()

    def remember(answer: dict) -> None:
        for span in answer.get("spans", [answer.get("span")]):
            accepted[span["uid"]] = (span["label"], span["start"], span["end"])
        relations.update((r["source"], r["target"]) for r in answer["relations"])

    # Accept every suggested quote: their suggested speakers come with them, linked.
    with page.expect_response(lambda r: r.url.endswith("/suggestions/accept-all/")) as answer:
        page.click(f"{REVIEW_BAR} button[data-action=accept-label][data-label={QUOTE}]")
    remember(answer.value.json())
    wait_saved(page)
    quotes = [s for s in shown if s["label"] == QUOTE]
    speakers = {s["speaker"] for s in quotes if s["speaker"] is not None}
    assert {place[1:] for place in accepted.values()} == {
        (by_id[i]["start"], by_id[i]["end"]) for i in [s["id"] for s in quotes] + list(speakers)
    }
    expect(page.locator(".span-item", has_text="said by Mark Carney")).to_have_count(1)
    expect(page.locator("[aria-label='suggested QUOTE']")).to_have_count(0)

    # Reject one actor, stepping to it with Tab.
    actors = [s for s in shown if s["label"] == ACTOR and s["id"] not in speakers]
    page.keyboard.press("Tab")
    while by_id[current_id(page)]["label"] != ACTOR:
        page.keyboard.press("Tab")
    rejected = by_id[current_id(page)]
    expect(page.locator("#suggestion-text")).to_have_text(rejected["text"])
    page.keyboard.press("n")
    wait_saved(page)
    expect(page.locator(f".suggestion[data-id='{rejected['id']}']")).to_have_count(0)
    assert rejected in actors

    # Tag "Canada" once by hand, then every other occurrence with * and "Accept these".
    drag_select(page, "Canada")
    page.keyboard.press("a")
    wait_saved(page)
    canada = Annotation.objects.get(document=document, text="Canada")
    accepted[canada.uid] = (ACTOR, canada.start, canada.end)
    with page.expect_response(lambda r: r.url.endswith("/occurrences/")) as answer:
        page.keyboard.press("*")
    proposed = answer.value.json()["suggestions"]
    assert proposed, "no other occurrence of Canada was proposed"
    assert {(s["label"], s["text"]) for s in proposed} == {(ACTOR, "Canada")}
    batch = page.locator(f"{REVIEW_BAR} button[data-action=accept-batch]")
    expect(batch).to_have_text(f"Accept these {len(proposed)}")
    accepting = []
    page.on("request", lambda r: accepting.append(r) if "/accept" in r.url else None)
    with page.expect_response(lambda r: r.url.endswith("/accept-chosen/")) as answer:
        batch.click()
    wait_saved(page)
    # The whole batch is one request, naming each proposed suggestion.
    assert [(r.method, r.url.split("/api/")[1]) for r in accepting] == [
        ("POST", f"documents/{document.pk}/suggestions/accept-chosen/")
    ]
    assert sorted(accepting[0].post_data_json["suggestions"]) == sorted(s["id"] for s in proposed)
    assert answer.value.status == 201
    remember(answer.value.json())
    for suggestion in proposed:
        span = Annotation.objects.get(
            document=document, label__key=ACTOR, start=suggestion["start"], end=suggestion["end"]
        )
        assert accepted[span.uid] == (ACTOR, span.start, span.end)
    expect(page.locator(".span-item")).to_have_count(len(accepted))
    assert panel_uids(page) == set(accepted)

    line = exported_line(seed_corpus.name, document.external_id)
    exported = {s["id"]: (s["label"], s["start"], s["end"]) for s in line["spans"]}
    assert exported == accepted
    assert {s["annotator"] for s in line["spans"]} == {"analyst"}
    assert {(r["from"], r["to"]) for r in line["relations"]} == relations
    assert {r["type"] for r in line["relations"]} == {"speaker"}
    assert (rejected["label"], rejected["start"], rejected["end"]) not in exported.values()
    for span in line["spans"]:
        assert line["text"][span["start"] : span["end"]] == span["text"]


def test_rejected_suggestions_stay_gone_after_reload(page, seed_corpus, analyst):
    document = seed_corpus.documents.get(external_id=SEED_PATHS[0].stem)
    made = store_suggestions(document)
    open_for_review(page, document)
    expect(page.locator(".suggestion")).to_have_count(len(made))
    page.click(f"{REVIEW_BAR} button[data-action=next]")
    rejected = []
    for _ in range(2):
        rejected.append(current_id(page))
        page.click(f"{REVIEW_BAR} button[data-action=reject]")
    rejected.append(current_id(page))
    page.keyboard.press("n")  # The focus is on the Reject button, which keeps it.
    wait_saved(page)
    assert Rejection.objects.filter(user=analyst, document=document).count() == 3

    page.reload()
    wait_suggestions(page)
    expect(page.locator(".suggestion")).to_have_count(len(made) - 3)
    for gone in rejected:
        expect(page.locator(f".suggestion[data-id='{gone}']")).to_have_count(0)
    expect(page.locator("#suggestion-total")).to_have_text(str(len(made) - 3))
    assert not Annotation.objects.filter(document=document).exists()


def test_keyboard_only_review_steps_accepts_rejects_and_undoes(page, seed_corpus, analyst):
    document = seed_corpus.documents.get(external_id=SEED_PATHS[0].stem)
    made = store_suggestions(document)
    open_for_review(page, document)
    ids = Suggestion.objects.filter(document=document).order_by("start", "-end")
    in_order = list(ids.values_list("pk", flat=True))

    page.keyboard.press("Tab")
    assert current_id(page) == in_order[0]
    page.keyboard.press("Tab")
    assert current_id(page) == in_order[1]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert current_id(page) == in_order[-1]  # Round to the last.
    page.keyboard.press("Tab")
    first = Suggestion.objects.get(pk=current_id(page))

    page.keyboard.press("y")
    wait_saved(page)
    span = Annotation.objects.get(document=document)
    assert (span.label_id, span.start, span.end) == (first.label_id, first.start, first.end)
    assert span.attributes == first.attributes
    expect(page.locator(".span-item", has_text=span.text)).to_have_count(1)
    expect(page.locator(".suggestion")).to_have_count(len(made) - 1)
    assert current_id(page) == in_order[1]  # The next one is current.

    page.keyboard.press("n")
    wait_saved(page)
    assert Rejection.objects.get(user=analyst).start == Suggestion.objects.get(pk=in_order[1]).start
    expect(page.locator(".suggestion")).to_have_count(len(made) - 2)

    # Undo takes the accepted span back out of the layer, and it is a suggestion again.
    page.keyboard.press("Control+z")
    wait_saved(page)
    assert not Annotation.objects.filter(document=document).exists()
    expect(page.locator(".suggestion")).to_have_count(len(made) - 1)
    expect(page.locator(f".suggestion[data-id='{first.pk}']")).to_have_count(1)


def test_suggestions_are_reviewed_on_ones_own_layer_only(page, seed_corpus, analyst):
    document = seed_corpus.documents.get(external_id=SEED_PATHS[0].stem)
    store_suggestions(document)
    log_in(page, next_path=f"/documents/{document.pk}/?layer=gold")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#layer-banner")).to_contain_text("gold")
    expect(page.locator(REVIEW_BAR)).to_be_hidden()
    page.keyboard.press("y")
    expect(page.locator("#message-text")).to_have_text(
        "Suggestions are reviewed on your own layer."
    )
    assert page.locator(".suggestion").count() == 0
    assert not Annotation.objects.filter(document=document).exists()

"""The daily analyst's workbench (issue 15): speakers, boundaries, layers, small screens."""

from playwright.sync_api import expect

from annotations.models import Relation
from tests.factories import make_annotation

from .conftest import log_in, wait_ready, wait_saved

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

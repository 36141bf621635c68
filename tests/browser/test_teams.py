"""Two analysts annotate one seed article independently; a reviewer adjudicates it."""

import io
import json

from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.models import Annotation, Relation
from corpus.models import Assignment
from teams.assignment import assign_round_robin
from tests.browser.conftest import ARTIFACTS, drag_select, log_in, wait_ready, wait_saved
from tests.factories import SEED_PATHS, make_annotation, make_speaker_relation, make_team

QUOTATION = "the most European of non-European countries."


def annotate(page: Page, needle: str, key: str) -> None:
    drag_select(page, needle)
    page.keyboard.press(key)
    expect(page.locator(".span-item", has_text=needle[:20])).to_have_count(1)
    wait_saved(page)


def mention(page: Page, text: str) -> Locator:
    """Return the review table's group of variants that has one over `text`."""
    return page.locator("tbody.group", has=page.locator(f"tr.variant[data-text='{text}']"))


def switch_user(page: Page, username: str, next_path: str) -> None:
    page.context.clear_cookies()
    log_in(page, username=username, next_path=next_path)


def test_two_analysts_annotate_independently_and_a_reviewer_adjudicates(
    page, transactional_db, server_settings
):
    corpus = get_or_create_corpus("Seed articles")
    import_paths(SEED_PATHS, corpus=corpus)
    team = make_team(corpus, manager=None, outsiders=())
    article = corpus.documents.get(external_id=SEED_PATHS[0].stem)
    assign_round_robin(
        corpus=corpus,
        annotators=team.annotators,
        per_document=2,
        documents=corpus.documents.filter(pk=article.pk),
    )

    # ana sees only her assignment and annotates it.
    log_in(page, username="ana", next_path=f"/corpora/{corpus.slug}/")
    expect(page.locator("table.documents tbody tr")).to_have_count(1)
    page.click(f"a[href='/documents/{article.pk}/']")
    wait_ready(page)
    annotate(page, "Mark Carney", "a")
    annotate(page, QUOTATION, "q")
    page.select_option("#speaker-select", label="Mark Carney (Actor)")
    wait_saved(page)
    annotate(page, "Two officials", "s")

    # ben starts from an empty page: ana's judgement is not shown to him.
    switch_user(page, "ben", f"/documents/{article.pk}/")
    wait_ready(page)
    expect(page.locator(".span-item")).to_have_count(0)
    annotate(page, "Mark Carney", "a")
    annotate(page, QUOTATION, "q")
    page.select_option("#speaker-select", label="Mark Carney (Actor)")
    wait_saved(page)
    annotate(page, "Lockheed Martin", "a")
    assert set(Assignment.objects.values_list("annotator__username", "status")) == {
        ("ana", "in_progress"),
        ("ben", "in_progress"),
    }

    # The reviewer compares the layers and builds the gold layer.
    switch_user(page, "rev", f"/documents/{article.pk}/review/")
    expect(page.locator("section.layer[data-layer=ana]")).to_contain_text("Two officials")
    expect(page.locator("section.layer[data-layer=ben]")).to_contain_text("Lockheed Martin")
    expect(page.locator("table.variants tr.agreed")).to_have_count(2)
    expect(page.locator("table.variants tr.disputed")).to_have_count(2)
    page.click("#accept-agreed")
    expect(page.locator("table.gold tr")).to_have_count(2)
    page.locator("table.variants tr", has_text="Two officials").get_by_role(
        "button", name="Accept"
    ).click()
    expect(page.locator("table.gold tr")).to_have_count(3)
    page.click("text=Merged")
    expect(page.locator("#merged")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "review-seed.png", full_page=False)

    # The reviewer adds a span no analyst marked, straight into the gold layer.
    page.click("text=Annotate gold")
    wait_ready(page)
    expect(page.locator("#layer-banner")).to_contain_text("gold")
    expect(page.locator(".span-item")).to_have_count(3)
    annotate(page, "Lockheed Martin", "a")

    gold = Annotation.objects.filter(document=article, is_gold=True)
    assert sorted(gold.values_list("label__key", "text")) == [
        ("ACTOR", "Lockheed Martin"),
        ("ACTOR", "Mark Carney"),
        ("ANON_SOURCE", "Two officials"),
        ("QUOTE", QUOTATION),
    ]
    link = Relation.objects.get(source__is_gold=True)
    assert (link.source.text, link.target.text) == (QUOTATION, "Mark Carney")

    out = io.StringIO()
    call_command("export_annotations", corpus=corpus.name, layer="gold", stdout=out)
    [line] = [json.loads(row) for row in out.getvalue().splitlines() if article.external_id in row]
    assert sorted((s["label"], s["text"]) for s in line["spans"]) == [
        ("ACTOR", "Lockheed Martin"),
        ("ACTOR", "Mark Carney"),
        ("ANON_SOURCE", "Two officials"),
        ("QUOTE", QUOTATION),
    ]
    assert len(line["relations"]) == 1


def test_reviewer_adjudicates_in_place_variant_by_variant(page, transactional_db, server_settings):
    """Accepting and choosing variants updates the page without a reload, where the reviewer
    is; the columns name labels and scroll together."""
    corpus = get_or_create_corpus("Seed articles")
    import_paths(SEED_PATHS, corpus=corpus)
    team = make_team(corpus, manager=None, outsiders=())
    ana, ben = team.users["ana"], team.users["ben"]
    article = corpus.documents.get(external_id=SEED_PATHS[0].stem)
    long = make_annotation(article, "ACTOR", "Prime Minister Mark Carney,", annotator=ana)
    short = make_annotation(article, "ACTOR", "Mark Carney", annotator=ben)
    for analyst, speaker in ((ana, long), (ben, short)):
        make_speaker_relation(
            make_annotation(article, "QUOTE", QUOTATION, annotator=analyst), speaker
        )
        make_annotation(article, "ACTOR", "Lockheed Martin", annotator=analyst)
    make_annotation(article, "ANON_SOURCE", "Two officials", annotator=ana, attributes={"count": 2})
    make_annotation(article, "ANON_SOURCE", "Two officials", annotator=ben, attributes={"count": 3})

    log_in(page, username="rev", next_path=f"/documents/{article.pk}/review/")
    # Columns name labels, not keys.
    expect(page.locator("section.layer[data-layer=ana] .label-legend")).to_contain_text("Actor")
    expect(page.locator("section.layer[data-layer=ana] .label-legend")).to_contain_text(
        "Anonymous source"
    )
    # One mention, two readings: grouped, with what differs.
    carney = mention(page, "Prime Minister Mark Carney,")
    expect(carney.locator("tr.variant")).to_have_count(2)
    expect(carney).to_have_attribute("data-status", "disputed")
    officials = mention(page, "Two officials")
    expect(officials).to_have_attribute("data-status", "sub-dispute")
    expect(officials.locator(".differences")).to_contain_text("attribute count: 2 (ana) · 3 (ben)")
    quote = mention(page, QUOTATION)
    expect(quote).to_have_attribute("data-status", "sub-dispute")
    expect(quote.locator(".differences")).to_contain_text("speaker:")

    # The columns scroll together. (A predicate, not an expression: Playwright polls an
    # expression with eval, which the page's CSP refuses when the first check is false.)
    page.locator("section.layer[data-layer=ana] .layer-text").hover()
    page.mouse.wheel(0, 400)
    page.wait_for_function(
        "() => document.querySelector('section.layer[data-layer=gold] .layer-text').scrollTop > 100"
    )
    page.wait_for_function(
        "() => document.querySelector('section.layer[data-layer=ben] .layer-text').scrollTop > 100"
    )

    # Accepting works in place: no navigation, and the window stays where it was.
    page.evaluate("window.notReloaded = true")
    carney.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 40)")
    before = page.evaluate("window.scrollY")
    assert before > 0
    carney.locator("tr.variant", has_text="Prime Minister").get_by_role("button").click()
    expect(carney.locator("tr.variant.in-gold")).to_contain_text("Prime Minister Mark Carney,")
    expect(carney.locator("tr.just-accepted")).to_have_count(1)
    expect(page.locator("#review-status")).to_contain_text("1 span(s) in the gold layer.")
    gold_legend = page.locator("section.layer[data-layer=gold] .label-legend")
    expect(gold_legend).to_have_text("Actor")
    assert page.evaluate("window.notReloaded") is True
    assert abs(page.evaluate("window.scrollY") - before) <= 2

    # Choosing the other variant replaces the first in gold: never a double.
    choose = carney.locator("tr.variant", has_text="ben").get_by_role("button", name="Choose this")
    choose.click()
    expect(carney.locator("tr.variant.in-gold")).to_have_count(1)
    expect(carney.locator("tr.variant.in-gold")).to_contain_text("ben")
    expect(page.locator("table.gold tr", has_text="Mark Carney")).to_have_count(1)
    assert list(
        Annotation.objects.filter(document=article, is_gold=True, label__key="ACTOR")
        .order_by("start")
        .values_list("text", flat=True)
    ) == ["Mark Carney"]

    # "Accept all agreed" takes what is left, then says when nothing is.
    page.click("#accept-agreed")
    expect(page.locator("table.gold tr", has_text="Lockheed Martin")).to_have_count(1)
    expect(page.locator("#accept-agreed")).to_have_text("Nothing agreed left to accept")
    expect(page.locator("#accept-agreed")).to_be_disabled()
    assert page.evaluate("window.notReloaded") is True

    page.evaluate("window.scrollTo(0, 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "review-seed.png", full_page=True)


def test_on_a_phone_the_review_page_folds_its_menu_and_each_variant_has_its_accept_at_hand(
    page, transactional_db, server_settings
):
    corpus = get_or_create_corpus("Seed articles")
    import_paths(SEED_PATHS, corpus=corpus)
    team = make_team(corpus, manager=None, outsiders=())
    ana, ben = team.users["ana"], team.users["ben"]
    article = corpus.documents.get(external_id=SEED_PATHS[0].stem)
    make_annotation(article, "ACTOR", "Prime Minister Mark Carney,", annotator=ana)
    make_annotation(article, "ACTOR", "Mark Carney", annotator=ben)
    make_annotation(article, "ANON_SOURCE", "Two officials", annotator=ana, attributes={"count": 2})
    make_annotation(article, "ANON_SOURCE", "Two officials", annotator=ben, attributes={"count": 3})
    phone = {"width": 390, "height": 844}
    overflow = "() => document.documentElement.scrollWidth - window.innerWidth"
    page.set_viewport_size(phone)
    log_in(page, username="rev", next_path=f"/documents/{article.pk}/review/")
    assert page.evaluate(overflow) <= 0

    # The views and links fold behind one button; the keyboard opens it and its links work.
    toggle = page.locator("#review-menu-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".review-views")).to_be_hidden()
    expect(page.get_by_role("link", name="History")).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="History")).to_be_visible()
    assert page.evaluate(overflow) <= 0
    page.get_by_role("link", name="Merged").click()
    page.wait_for_url("**/review/?view=merged")
    expect(page.locator("#merged")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(page.locator(".review-views")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".review-views")).to_be_hidden()
    assert page.evaluate("() => document.activeElement.id") == "review-menu-toggle"

    # Each variant is a card: its Accept button is on screen beside its text, and works.
    carney = mention(page, "Prime Minister Mark Carney,")
    variant = carney.locator("tr.variant", has_text="Prime Minister")
    accept = variant.get_by_role("button", name="Accept")
    accept.scroll_into_view_if_needed()
    box = accept.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= phone["width"]
    text = variant.locator("td.variant-text").bounding_box()
    assert abs(box["y"] - text["y"]) < 120, (box, text)
    accept.click()
    expect(page.locator("#review-status")).to_contain_text("1 span(s) in the gold layer.")
    expect(carney.locator("tr.variant.in-gold")).to_contain_text("Prime Minister Mark Carney,")
    assert page.evaluate(overflow) <= 0

    # A wide screen shows everything, without the button.
    page.set_viewport_size({"width": 1440, "height": 1000})
    expect(toggle).to_be_hidden()
    expect(page.locator(".review-views")).to_be_visible()
    expect(page.get_by_role("link", name="History")).to_be_visible()

"""Adjudicating mentions: one reading per mention in gold, speakers and attributes compared,
and the review views answering the page's script in JSON."""

import pytest
from django.urls import reverse

from annotations.models import Annotation, Relation
from teams.adjudication import accept_agreed, accept_spans, compare_document
from teams.history import document_history
from tests.factories import make_annotation, make_document, make_team

TEXT = "Prime Minister Mark Carney, said: “We are ready.” Joly nodded."


@pytest.fixture
def desk(corpus):
    document = make_document(corpus, text=TEXT, external_id="d1")
    users = make_team(corpus, manager=None, assigned=[document]).users
    ana, ben = users["ana"], users["ben"]
    spans = {
        "long": make_annotation(document, "ACTOR", "Prime Minister Mark Carney,", annotator=ana),
        "short": make_annotation(document, "ACTOR", "Mark Carney", annotator=ben),
    }
    for analyst, speaker in ((ana, spans["long"]), (ben, spans["short"])):
        quote = make_annotation(document, "QUOTE", "We are ready.", annotator=analyst)
        Relation.objects.create(document=document, type="speaker", source=quote, target=speaker)
        spans[f"quote-{analyst.username}"] = quote
        make_annotation(document, "ACTOR", "Joly", annotator=analyst)
    return document, users, spans


def gold_of(document):
    return sorted(document.annotations.filter(is_gold=True).values_list("label__key", "text"))


def test_variants_of_one_mention_are_grouped_and_judged(desk):
    document, _, _ = desk
    comparison = compare_document(document)
    summary = [(g.label, g.status, len(g.variants)) for g in comparison.groups]
    assert summary == [
        ("ACTOR", "disputed", 2),
        ("QUOTE", "sub-dispute", 2),  # one range, two speakers
        ("ACTOR", "agreed", 1),
    ]
    quote = comparison.groups[1]
    assert quote.differences == [
        "speaker: ‘Prime Minister Mark Carney,’ 0–27 (ana) · ‘Mark Carney’ 15–26 (ben)"
    ]


def test_accepting_a_variant_replaces_the_other_in_gold_with_history(desk):
    document, users, spans = desk
    rev = users["rev"]
    [long_gold] = accept_spans(spans=[spans["long"]], reviewer=rev)
    [short_gold] = accept_spans(spans=[spans["short"]], reviewer=rev)
    assert gold_of(document) == [("ACTOR", "Mark Carney")]
    assert not Annotation.objects.filter(pk=long_gold.pk).exists()
    history = [(e.kind, e.action, e.summary) for e in document_history(document) if e.who == "rev"]
    assert [row[:2] for row in history] == [
        ("span", "created"),
        ("span", "deleted"),
        ("span", "created"),
    ]
    assert "Mark Carney" in history[0][2]
    assert "Prime Minister" in history[1][2]
    assert accept_spans(spans=[spans["short"]], reviewer=rev) == [short_gold]
    assert gold_of(document) == [("ACTOR", "Mark Carney")]


def test_choosing_a_quotes_variant_relinks_its_speaker(desk):
    document, users, spans = desk
    rev = users["rev"]

    def gold_links():
        return list(Relation.objects.filter(document=document, source__is_gold=True))

    accept_spans(spans=[spans["short"]], reviewer=rev)
    [quote] = accept_spans(spans=[spans["quote-ben"]], reviewer=rev)
    assert [(r.source_id, r.target.text) for r in gold_links()] == [(quote.pk, "Mark Carney")]
    assert compare_document(document).groups[1].variants[1].in_gold
    # ana's speaker becomes gold (replacing ben's actor), then her quote's variant is chosen.
    accept_spans(spans=[spans["long"]], reviewer=rev)
    assert [quote] == accept_spans(spans=[spans["quote-ana"]], reviewer=rev)
    assert [r.target.text for r in gold_links()] == ["Prime Minister Mark Carney,"]
    assert gold_of(document) == [
        ("ACTOR", "Prime Minister Mark Carney,"),
        ("QUOTE", "We are ready."),
    ]


def test_accept_agreed_takes_only_what_all_analysts_read_alike(desk):
    document, users, _ = desk
    accepted = accept_agreed(document=document, reviewer=users["rev"])
    assert [g.text for g in accepted] == ["Joly"]
    assert accept_agreed(document=document, reviewer=users["rev"]) == []


def test_views_answer_the_pages_script_in_json_and_say_when_nothing_is_left(client, desk):
    document, users, spans = desk
    client.force_login(users["rev"])
    url = reverse("teams:accept", args=[document.pk])
    answer = client.post(url, {"agreed": "1"}, HTTP_ACCEPT="application/json").json()
    assert (answer["message"], answer["level"]) == ("1 span(s) in the gold layer.", "success")
    assert "Actor [50, 54)" in answer["gold"]
    assert ">Actor</span>" in answer["gold_legend"]
    assert 'id="adjudication"' in answer["adjudication"]
    again = client.post(url, {"agreed": "1"}, HTTP_ACCEPT="application/json").json()
    assert again["level"] == "info"
    assert again["message"].startswith("Nothing left to accept")
    # Without the script, the same form redirects and the page says it.
    page = client.post(url, {"agreed": "1"}, follow=True)
    assert "Nothing left to accept" in page.content.decode()

    chosen = client.post(url, {"span": spans["short"].pk}, HTTP_ACCEPT="application/json").json()
    assert "Sub-dispute: same range, different details" in chosen["adjudication"]
    assert "Choose this" in chosen["adjudication"]  # the other variant of a mention in gold
    gold = document.annotations.get(is_gold=True, text="Mark Carney")
    removed = client.post(
        reverse("teams:remove-gold", args=[document.pk]),
        {"uid": gold.uid},
        HTTP_ACCEPT="application/json",
    ).json()
    assert removed["message"] == "Removed Actor 'Mark Carney' from the gold layer."
    assert gold_of(document) == [("ACTOR", "Joly")]


def test_review_page_names_labels_and_marks_sub_disputes(client, desk):
    document, users, spans = desk
    Relation.objects.filter(source=spans["quote-ana"]).update(target=spans["short"])
    Annotation.objects.filter(pk=spans["long"].pk).delete()
    client.force_login(users["rev"])
    html = client.get(reverse("teams:review", args=[document.pk])).content.decode()
    assert "Sub-dispute" not in html  # speakers agree now
    spans["quote-ana"].attributes = {}
    Relation.objects.filter(source=spans["quote-ana"]).delete()
    html = client.get(reverse("teams:review", args=[document.pk])).content.decode()
    assert "Sub-dispute: same range, different details" in html
    assert "speaker: none (ana) · ‘Mark Carney’ 15–26 (ben)" in html
    assert 'class="tag">Actor<' in html
    assert 'class="tag">ACTOR<' not in html
    assert "Actor [15, 26)" in html  # the columns' titles name the label

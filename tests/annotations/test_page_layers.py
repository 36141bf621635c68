"""The annotation page's layers: everyone edits their own; overseers also edit gold and read
any analyst's layer, or all of them, never editing those in place."""

import json

import pytest
from django.urls import reverse

from tests.factories import make_annotation, make_corpus, make_document, make_team

TEXT = "Mark Carney said: “We are ready.” Two officials disagreed. Joly said “no”."


@pytest.fixture
def desk(db):
    corpus = make_corpus("Desk")
    document = make_document(corpus, text=TEXT, external_id="d1")
    team = make_team(corpus, assigned=[document])
    make_annotation(document, "ACTOR", "Mark Carney", annotator=team.users["ana"])
    make_annotation(document, "ACTOR", "Joly", annotator=team.users["ben"])
    make_annotation(document, "ANON_SOURCE", "Two officials", is_gold=True)
    make_annotation(document, "QUOTE", "We are ready.")  # imported, no analyst
    return document, team.users


def page(client, user, document, layer=None):
    client.force_login(user)
    url = reverse("annotations:annotate", args=[document.pk])
    response = client.get(url, {"layer": layer} if layer else {})
    html = response.content.decode()
    data = json.loads(html.split('id="annotator-data" type="application/json">')[1].split("<")[0])
    return html, data


def texts(data):
    return sorted(span["text"] for span in data["spans"])


def test_an_annotator_has_their_own_layer_only_and_no_switcher(client, desk):
    document, users = desk
    html, data = page(client, users["ana"], document, layer="ben")
    assert texts(data) == ["Mark Carney"]
    assert data["editable"] is True
    assert 'class="layer-switcher"' not in html
    assert "Editing: <strong>Your layer</strong>" in html


def test_a_reviewer_edits_their_layer_or_gold_and_reads_the_others(client, desk):
    document, users = desk
    html, data = page(client, users["rev"], document)
    assert texts(data) == []
    assert data["editable"] is True
    titles = [
        "Your layer",
        "Gold",
        "ana (read-only)",
        "ben (read-only)",
        "All layers (read-only)",
    ]
    for title in titles:
        assert f">{title}</a>" in html
    _, gold = page(client, users["rev"], document, layer="gold")
    assert (texts(gold), gold["editable"], gold["new_span_layer"]) == (
        ["Two officials"],
        True,
        "gold",
    )
    html, ana = page(client, users["rev"], document, layer="ana")
    assert (texts(ana), ana["editable"]) == (["Mark Carney"], False)
    assert "Reading: <strong>ana (read-only)</strong>" in html
    _, every = page(client, users["rev"], document, layer="all")
    assert texts(every) == ["Joly", "Mark Carney", "Two officials", "We are ready."]
    assert (every["editable"], every["show_layer_names"]) == (False, True)


def test_a_manager_s_own_layer_holds_the_unattributed_imports_they_look_after(client, desk):
    document, users = desk
    html, data = page(client, users["mia"], document)
    assert texts(data) == ["We are ready."]
    assert data["editable"] is True
    assert data["show_layer_names"] is True
    assert "Your layer and unattributed imports" in html


def test_an_unknown_layer_falls_back_to_the_viewer_s_own(client, desk):
    document, users = desk
    _, data = page(client, users["rev"], document, layer="nobody")
    assert (data["layer"], data["editable"]) == ("", True)


def test_an_analyst_s_status_and_the_review_status_are_two_badges(client, desk):
    document, users = desk
    document.status = "done"
    document.save()
    client.force_login(users["ana"])
    html = client.get(reverse("annotations:annotate", args=[document.pk])).content.decode()
    assert 'id="review-badge"' in html
    assert "Review: Done" in html
    listing = client.get(reverse("corpus:documents", args=[document.corpus.slug])).content
    assert 'data-status="own" title="Your assignment">You: New</span>' in listing.decode()
    assert "Review: Done" in listing.decode()
    client.force_login(users["rev"])
    html = client.get(reverse("annotations:annotate", args=[document.pk])).content.decode()
    assert "Analysts: 0 of 2 done" in html
    assert 'id="review-badge"' not in html

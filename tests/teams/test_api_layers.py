"""Layers and roles through the JSON API: what each role sees, writes and is refused."""

import json

import pytest
from django.test import Client

from corpus.models import Assignment
from tests.factories import (
    make_annotation,
    make_corpus,
    make_document,
    make_speaker_relation,
    make_team,
)

TEXT = "Mark Carney said: “We are ready.” Two officials disagreed. Joly said “no”."


@pytest.fixture
def desk(db):
    corpus = make_corpus("Desk")
    document = make_document(corpus, text=TEXT, external_id="d1")
    unassigned = make_document(corpus, text="Nobody works on this one.", external_id="d2")
    users = make_team(corpus, manager=None, assigned=[document]).users
    spans = {
        "ana": make_annotation(document, "ACTOR", "Mark Carney", annotator=users["ana"]),
        "ben": make_annotation(document, "ACTOR", "Joly", annotator=users["ben"]),
    }
    return document, unassigned, users, spans


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client, method, url, body=None):
    return getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json"
    )


def span_texts(response) -> list[str]:
    return sorted(span["text"] for span in response.json()["spans"])


def test_annotators_see_and_touch_only_their_own_layer(desk):
    document, _, users, spans = desk
    ana = client_for(users["ana"])
    assert span_texts(ana.get(f"/api/documents/{document.pk}/")) == ["Mark Carney"]
    assert span_texts(ana.get(f"/api/documents/{document.pk}/?layer=ben")) == ["Mark Carney"]
    assert [s["text"] for s in ana.get(f"/api/documents/{document.pk}/spans/").json()] == [
        "Mark Carney"
    ]
    ben_span = f"/api/documents/{document.pk}/spans/{spans['ben'].uid}/"
    assert ana.get(ben_span).status_code == 404
    assert send(ana, "patch", ben_span, {"version": 1, "label": "QUOTE"}).status_code == 404
    assert ana.delete(ben_span).status_code == 404


def test_reviewers_see_every_layer_or_one_and_edit_only_gold(desk):
    document, _, users, spans = desk
    rev = client_for(users["rev"])
    url = f"/api/documents/{document.pk}/"
    assert span_texts(rev.get(url)) == ["Joly", "Mark Carney"]
    assert span_texts(rev.get(url + "?layer=ben")) == ["Joly"]
    assert span_texts(rev.get(url + "?layer=gold")) == []
    ana_span = f"{url}spans/{spans['ana'].uid}/"
    assert send(rev, "patch", ana_span, {"version": 1, "label": "QUOTE"}).status_code == 403
    start = TEXT.index("Two officials")
    payload = {
        "label": "ANON_SOURCE",
        "start": start,
        "end": start + 13,
        "text": "Two officials",
        "layer": "gold",
    }
    created = send(rev, "post", f"{url}spans/", payload)
    assert created.status_code == 201
    assert created.json()["gold"] is True
    # Whichever reviewer added it, the duplicate is the gold layer's, not "yours".
    again = send(rev, "post", f"{url}spans/", payload)
    assert again.status_code == 400
    assert "already has a gold ANON_SOURCE span" in str(again.json())
    assert span_texts(rev.get(url + "?layer=gold")) == ["Two officials"]
    gold_span = f"{url}spans/{created.json()['uid']}/"
    assert send(rev, "patch", gold_span, {"version": 1, "label": "ACTOR"}).status_code == 200


def test_annotators_cannot_write_gold_or_link_across_layers(desk):
    document, _, users, spans = desk
    ana = client_for(users["ana"])
    url = f"/api/documents/{document.pk}/spans/"
    start = TEXT.index("We are ready.")
    payload = {"label": "QUOTE", "start": start, "end": start + 13, "text": "We are ready."}
    assert send(ana, "post", url, {**payload, "layer": "gold"}).status_code == 403
    quote = send(ana, "post", url, payload).json()
    relations = f"/api/documents/{document.pk}/relations/"
    across = send(ana, "post", relations, {"source": quote["uid"], "target": spans["ben"].uid})
    assert across.status_code == 400
    own = send(ana, "post", relations, {"source": quote["uid"], "target": spans["ana"].uid})
    assert own.status_code == 201
    assert client_for(users["ben"]).get(relations).json() == []


def test_each_annotator_has_their_own_status_and_the_document_follows(desk):
    document, _, users, _ = desk
    ana, ben = client_for(users["ana"]), client_for(users["ben"])
    status_url = f"/api/documents/{document.pk}/status/"
    assert send(ana, "put", status_url, {"status": "done"}).json() == {"status": "done"}
    document.refresh_from_db()
    assert document.status == "in_progress"
    assert ana.get(f"/api/documents/{document.pk}/").json()["status"] == "done"
    assert ben.get(f"/api/documents/{document.pk}/").json()["status"] == "new"
    send(ben, "put", status_url, {"status": "done"})
    document.refresh_from_db()
    assert document.status == "done"
    assert dict(Assignment.objects.values_list("annotator__username", "status")) == {
        "ana": "done",
        "ben": "done",
    }


def test_a_first_span_starts_the_annotators_assignment(desk):
    document, _, users, _ = desk
    ben = client_for(users["ben"])
    start = TEXT.index("Two officials")
    send(
        ben,
        "post",
        f"/api/documents/{document.pk}/spans/",
        {"label": "ANON_SOURCE", "start": start, "end": start + 13, "text": "Two officials"},
    )
    assert Assignment.objects.get(annotator=users["ben"]).status == "in_progress"
    assert Assignment.objects.get(annotator=users["ana"]).status == "new"


def test_unassigned_documents_and_other_corpora_answer_404(desk):
    document, unassigned, users, _ = desk
    ana = client_for(users["ana"])
    assert ana.get(f"/api/documents/{unassigned.pk}/").status_code == 404
    assert client_for(users["rev"]).get(f"/api/documents/{unassigned.pk}/").status_code == 200
    out = client_for(users["out"])
    for url in [f"/api/documents/{document.pk}/", f"/api/documents/{document.pk}/spans/"]:
        assert out.get(url).status_code == 404
    elsewhere = make_document(make_corpus("Elsewhere"), text="Elsewhere.", external_id="x")
    assert client_for(users["rev"]).get(f"/api/documents/{elsewhere.pk}/").status_code == 404


def test_a_link_to_another_layers_span_answers_as_a_uid_never_used(desk):
    document, _, users, spans = desk
    ana = client_for(users["ana"])
    relations = f"/api/documents/{document.pk}/relations/"
    source = spans["ana"].uid
    ben_uid = spans["ben"].uid
    across = send(ana, "post", relations, {"source": source, "target": ben_uid})
    never = send(ana, "post", relations, {"source": source, "target": "never-used"})
    assert (across.status_code, never.status_code) == (400, 400)
    assert json.dumps(across.json()).replace(ben_uid, "X") == json.dumps(never.json()).replace(
        "never-used", "X"
    )


def test_retargeting_a_link_to_another_layers_span_does_not_name_its_label(desk):
    document, _, users, spans = desk
    quote = make_annotation(document, "QUOTE", "We are ready.", annotator=users["ana"])
    link = make_speaker_relation(quote, spans["ana"])
    bens_figure = make_annotation(document, "FIGURE", "Two", annotator=users["ben"])
    url = f"/api/documents/{document.pk}/relations/{link.pk}/"
    response = send(client_for(users["ana"]), "patch", url, {"target": bens_figure.uid})
    assert response.status_code == 400
    assert "FIGURE" not in json.dumps(response.json())
    assert "does not exist" in response.json()["target"][0]


def test_a_uid_taken_in_another_layer_is_replaced_as_if_it_were_free(desk):
    document, _, users, spans = desk
    ana = client_for(users["ana"])
    url = f"/api/documents/{document.pk}/spans/"
    start = TEXT.index("Two officials")
    payload = {"label": "ANON_SOURCE", "start": start, "end": start + 13, "text": "Two officials"}
    created = send(ana, "post", url, {**payload, "uid": spans["ben"].uid})
    assert created.status_code == 201
    assert created.json()["uid"] != spans["ben"].uid
    spans["ben"].refresh_from_db()
    assert (spans["ben"].text, spans["ben"].annotator) == ("Joly", users["ben"])
    # A uid of the caller's own layer is still refused: they can see that span.
    own = send(ana, "post", url, {**payload, "label": "ACTOR", "uid": spans["ana"].uid})
    assert own.status_code == 400
    assert "already has a span" in own.json()["uid"][0]
    # Undo of a deletion gets its uid back.
    assert ana.delete(f"{url}{spans['ana'].uid}/").status_code == 204
    start = TEXT.index("Mark Carney")
    again = {"label": "ACTOR", "start": start, "end": start + 11, "text": "Mark Carney"}
    restored = send(ana, "post", url, {**again, "uid": spans["ana"].uid})
    assert (restored.status_code, restored.json()["uid"]) == (201, spans["ana"].uid)

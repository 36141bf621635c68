"""The span endpoints' queries, pinned per request, and what the fast write paths keep."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from annotations.models import Annotation, Relation
from corpus.models import Assignment, Document, Membership
from tests.factories import EMOJI_TEXT, make_annotation, make_document, make_user


@pytest.fixture
def annotator(corpus):
    user = make_user("ana")
    Membership.objects.create(corpus=corpus, user=user, role=Membership.Role.ANNOTATOR)
    return user


@pytest.fixture
def document(corpus, annotator):
    document = make_document(corpus, external_id="emoji")
    Assignment.objects.create(document=document, annotator=annotator)
    return document


@pytest.fixture
def script(annotator):
    """A client as scripts (and the benchmark) use the API: token auth, no session."""
    token = Token.objects.create(user=annotator)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def spans_url(document) -> str:
    return f"/api/documents/{document.pk}/spans/"


def span_url(document, uid: str) -> str:
    return f"/api/documents/{document.pk}/spans/{uid}/"


def payload(covered: str, label: str = "ACTOR") -> dict:
    start = EMOJI_TEXT.index(covered)
    return {"label": label, "start": start, "end": start + len(covered), "text": covered}


def create(client, document, covered: str, label: str = "ACTOR"):
    return client.post(spans_url(document), payload(covered, label), "application/json")


def test_fetch_create_relabel_delete_take_pinned_queries(
    script, document, django_assert_num_queries
):
    create(script, document, "Fans")  # starts the document and the assignment
    # token, document with the reader's role and status, tags, labels, spans, relations
    with django_assert_num_queries(6):
        assert script.get(f"/api/documents/{document.pk}/").status_code == 200
    # token, document, label; the INSERT and its history row in one transaction
    with django_assert_num_queries(7):
        response = create(script, document, "Mark Carney")
    assert response.status_code == 201
    uid = response.json()["uid"]
    # token, document, span, label; UPDATE, history row, links to check, in one transaction
    with django_assert_num_queries(9):
        response = script.patch(
            span_url(document, uid), {"version": 1, "label": "QUOTE"}, "application/json"
        )
    assert response.status_code == 200
    # token, document, span; lock, links, DELETE, history row, in one transaction
    with django_assert_num_queries(9):
        assert script.delete(span_url(document, uid) + "?version=2").status_code == 204


def test_the_first_span_starts_the_document_and_the_assignment_in_a_few_more_queries(
    script, document, annotator, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        assert create(script, document, "Mark Carney").status_code == 201
    document.refresh_from_db()
    assignment = Assignment.objects.get(document=document, annotator=annotator)
    assert (document.status, assignment.status) == ("in_progress", "in_progress")
    [started] = document.history.filter(history_type="~")
    assert (started.status, started.history_user) == ("in_progress", annotator)


def test_later_spans_leave_a_started_document_and_its_history_alone(script, document):
    create(script, document, "Mark Carney")
    Document.objects.filter(pk=document.pk).update(status=Document.Status.DONE)
    changes = document.history.count()
    assert create(script, document, "Fans").status_code == 201
    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    assert document.history.count() == changes


def test_a_duplicate_span_answers_400_and_writes_nothing(script, document, annotator):
    make_annotation(document, "ACTOR", "Mark Carney", annotator=annotator)
    spans, history = Annotation.objects.count(), Annotation.history.count()
    response = create(script, document, "Mark Carney")
    assert response.status_code == 400
    assert "already has your ACTOR span" in str(response.json())
    # The rejected INSERT rolls back its transaction: the document is not started either.
    document.refresh_from_db()
    assert document.status == Document.Status.NEW
    assert (Annotation.objects.count(), Annotation.history.count()) == (spans, history)
    assert script.get(f"/api/documents/{document.pk}/").status_code == 200


def test_a_relabel_onto_an_existing_span_answers_400_and_keeps_the_version(
    script, document, annotator
):
    make_annotation(document, "QUOTE", "Mark Carney", annotator=annotator)
    uid = create(script, document, "Mark Carney").json()["uid"]
    response = script.patch(
        span_url(document, uid), {"version": 1, "label": "QUOTE"}, "application/json"
    )
    assert response.status_code == 400
    assert Annotation.objects.get(uid=uid).version == 1
    assert Annotation.history.filter(uid=uid).count() == 1


def test_deleting_a_linked_span_records_the_span_and_link_deletions(script, document, annotator):
    quote = make_annotation(document, "QUOTE", "We are ready.", annotator=annotator)
    speaker = make_annotation(document, "ACTOR", "Mark Carney", annotator=annotator)
    link = Relation.objects.create(document=document, source=quote, target=speaker)
    assert script.delete(span_url(document, speaker.uid) + "?version=1").status_code == 204
    assert not Annotation.objects.filter(pk=speaker.pk).exists()
    assert not Relation.objects.filter(pk=link.pk).exists()
    assert Annotation.objects.filter(pk=quote.pk).exists()
    [span_gone] = Annotation.history.filter(id=speaker.pk, history_type="-")
    assert (span_gone.uid, span_gone.text, span_gone.history_user) == (
        speaker.uid,
        "Mark Carney",
        annotator,
    )
    [link_gone] = Relation.history.filter(id=link.pk, history_type="-")
    assert (link_gone.source_id, link_gone.target_id) == (quote.pk, speaker.pk)


def test_deleting_records_the_span_as_it_was_when_deleted(script, document, annotator):
    uid = create(script, document, "Mark Carney").json()["uid"]
    script.patch(span_url(document, uid), {"version": 1, "label": "QUOTE"}, "application/json")
    version = Annotation.objects.get(uid=uid).version
    assert version == 2
    assert script.delete(span_url(document, uid) + f"?version={version}").status_code == 204
    [gone] = Annotation.history.filter(uid=uid, history_type="-").select_related("label")
    assert (gone.version, gone.label.key) == (2, "QUOTE")

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from annotations.models import Annotation, Relation
from annotations.validation import MAX_ATTRIBUTE_CHARS, MAX_ATTRIBUTE_INTEGER
from corpus.models import Document, Membership
from tests.factories import (
    EMOJI_TEXT,
    make_annotation,
    make_corpus,
    make_document,
    make_speaker_relation,
    make_user,
)


@pytest.fixture
def document(corpus):
    return make_document(corpus, external_id="emoji")


@pytest.fixture
def api(client, analyst):
    client.force_login(analyst)
    return client


def spans_url(document) -> str:
    return f"/api/documents/{document.pk}/spans/"


def span_url(span) -> str:
    return f"/api/documents/{span.document_id}/spans/{span.uid}/"


def relations_url(document) -> str:
    return f"/api/documents/{document.pk}/relations/"


def send(client, method: str, url: str, data=None, **extra):
    return getattr(client, method)(url, data, content_type="application/json", **extra)


def span_payload(text: str, covered: str, label: str = "ACTOR", **overrides) -> dict:
    start = text.index(covered)
    return {"label": label, "start": start, "end": start + len(covered), "text": covered} | (
        overrides
    )


# Creating spans


def test_span_offsets_are_code_points_after_emoji_combining_accents_and_cjk(api, document):
    response = send(api, "post", spans_url(document), span_payload(EMOJI_TEXT, "Mark Carney"))
    assert response.status_code == 201, response.json()
    body = response.json()
    start = EMOJI_TEXT.index("Mark Carney")
    assert (body["start"], body["end"], body["text"]) == (start, start + 11, "Mark Carney")
    assert (body["label"], body["annotator"], body["version"]) == ("ACTOR", "analyst", 1)
    span = Annotation.objects.get(uid=body["uid"])
    assert document.text[span.start : span.end] == "Mark Carney"
    document.refresh_from_db()
    assert document.status == Document.Status.IN_PROGRESS


def test_span_over_astral_cjk_and_a_combining_accent_round_trips(api, document):
    covered = "e\u0301 and 中文 𠀀"
    response = send(api, "post", spans_url(document), span_payload(EMOJI_TEXT, covered))
    assert response.status_code == 201, response.json()
    assert response.json()["text"] == covered
    assert response.json()["end"] - response.json()["start"] == len(covered)


def test_utf16_offsets_are_refused_naming_the_covered_text(api, document):
    start = EMOJI_TEXT.index("Mark Carney")
    start16 = len(EMOJI_TEXT[:start].encode("utf-16-le")) // 2
    payload = {"label": "ACTOR", "start": start16, "end": start16 + 11, "text": "Mark Carney"}
    response = send(api, "post", spans_url(document), payload)
    assert response.status_code == 400
    assert "covers" in response.json()["text"][0]
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (0, 10_000, "end", "outside a text"),
        (-1, 4, "start", "greater than or equal to 0"),
        (10, 5, "end", "empty or reversed"),
        (5, 5, "end", "empty or reversed"),
        (10_000, 10_001, "start", "outside a text"),
        ("five", 9, "start", "valid integer"),
        (1.5, 9, "start", "valid integer"),
    ],
)
def test_spans_outside_the_text_or_malformed_are_refused_by_field(
    api, document, start, end, field, message
):
    payload = {"label": "ACTOR", "start": start, "end": end, "text": "x"}
    response = send(api, "post", spans_url(document), payload)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_unknown_label_and_another_corpus_label_are_refused(api, document):
    other = make_corpus("Other corpus")
    other.labels.create(key="TOPIC", name="Topic")
    for label in ["NOPE", "TOPIC"]:
        payload = span_payload(EMOJI_TEXT, "Fans", label=label)
        response = send(api, "post", spans_url(document), payload)
        assert response.status_code == 400
        assert "does not exist" in response.json()["label"][0]


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"value": "lots"}, "must be a number"),
        ({"colour": "red"}, "not defined for FIGURE"),
        (["value", 3], "Expected a dictionary"),
    ],
)
def test_attributes_that_do_not_fit_the_label_are_refused(api, document, attributes, message):
    payload = span_payload(EMOJI_TEXT, "Fans", label="FIGURE", attributes=attributes)
    response = send(api, "post", spans_url(document), payload)
    assert response.status_code == 400
    assert message in response.json()["attributes"][0]


def test_figure_attributes_are_stored(api, document):
    attributes = {"value": 163e9, "unit": "USD", "approximate": False, "comment": "from text"}
    payload = span_payload(EMOJI_TEXT, "Fans", label="FIGURE", attributes=attributes)
    response = send(api, "post", spans_url(document), payload)
    assert response.status_code == 201
    assert Annotation.objects.get().attributes == attributes


# A JSON "\udc80" escape parses to a lone surrogate, which no UTF-8 answer can carry; NUL
# cannot be stored by PostgreSQL. Bodies are raw JSON, as an attacker would send them.
@pytest.mark.parametrize(
    ("raw_attributes", "message"),
    [
        ('{"comment": "x\\udc80y"}', "attribute 'comment' contains a lone surrogate (U+DC80)"),
        ('{"comment": "x\\u0000y"}', "attribute 'comment' contains a NUL character (U+0000)"),
        ('{"x\\udc80y": "z"}', "attribute name 'x\\udc80y' contains a lone surrogate (U+DC80)"),
        ('{"x\\u0000y": "z"}', "attribute name 'x\\x00y' contains a NUL character (U+0000)"),
    ],
)
def test_attributes_with_a_lone_surrogate_or_nul_are_refused_naming_the_attribute(
    api, document, raw_attributes, message
):
    fields = json.dumps(span_payload(EMOJI_TEXT, "Fans", label="FIGURE"))[1:-1]
    body = f'{{{fields}, "attributes": {raw_attributes}}}'
    response = api.post(spans_url(document), body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()["attributes"][0]
    span = make_annotation(document, "FIGURE", "Fans")
    update = f'{{"version": 1, "attributes": {raw_attributes}}}'
    response = api.patch(span_url(span), update, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()["attributes"][0]
    assert api.get(f"/api/documents/{document.pk}/").status_code == 200
    assert Annotation.objects.get().attributes == {}


def test_attribute_values_are_bounded(api, document):
    longest = {"comment": "c" * MAX_ATTRIBUTE_CHARS, "value": MAX_ATTRIBUTE_INTEGER}
    payload = span_payload(EMOJI_TEXT, "Fans", label="FIGURE", attributes=longest)
    assert send(api, "post", spans_url(document), payload).status_code == 201
    for attributes, message in [
        ({"comment": "c" * (MAX_ATTRIBUTE_CHARS + 1)}, "attribute 'comment' has 10,001 characters"),
        ({"value": -MAX_ATTRIBUTE_INTEGER - 1}, "attribute 'value' is -9007199254740992"),
        ({"value": 2**64}, "attribute 'value' is 18446744073709551616"),
    ]:
        payload = span_payload(EMOJI_TEXT, "Mark Carney", label="FIGURE", attributes=attributes)
        response = send(api, "post", spans_url(document), payload)
        assert response.status_code == 400
        assert message in response.json()["attributes"][0]
    assert Annotation.objects.count() == 1


def test_the_same_span_twice_and_a_taken_uid_are_refused(api, document):
    payload = span_payload(EMOJI_TEXT, "Fans", uid="chosen-uid-1")
    assert send(api, "post", spans_url(document), payload).status_code == 201
    again = send(api, "post", spans_url(document), payload | {"uid": "chosen-uid-2"})
    assert again.status_code == 400
    assert "already has your ACTOR span" in again.json()["non_field_errors"][0]
    taken = span_payload(EMOJI_TEXT, "Mark Carney", uid="chosen-uid-1")
    response = send(api, "post", spans_url(document), taken)
    assert response.status_code == 400
    assert "already has a span chosen-uid-1" in response.json()["uid"][0]


# Updating and deleting spans


def test_relabel_with_the_current_version_increments_it(api, document):
    span = make_annotation(document, "ACTOR", "Mark Carney")
    response = send(api, "patch", span_url(span), {"version": 1, "label": "ANON_SOURCE"})
    assert response.status_code == 200, response.json()
    assert (response.json()["label"], response.json()["version"]) == ("ANON_SOURCE", 2)
    span.refresh_from_db()
    assert (span.label.key, span.version) == ("ANON_SOURCE", 2)


def test_a_stale_version_answers_409_with_the_current_span_and_changes_nothing(client, document):
    span = make_annotation(document, "ACTOR", "Mark Carney")
    first, second = Client(), Client()
    for name, client_ in (("first", first), ("second", second)):
        user = make_user(name)
        Membership.objects.create(corpus=document.corpus, user=user, role="manager")
        client_.force_login(user)
    assert send(first, "patch", span_url(span), {"version": 1, "label": "QUOTE"}).status_code == 200
    response = send(second, "patch", span_url(span), {"version": 1, "label": "ANON_SOURCE"})
    assert response.status_code == 409
    assert response.json()["current"]["label"] == "QUOTE"
    assert response.json()["current"]["version"] == 2
    span.refresh_from_db()
    assert (span.label.key, span.version) == ("QUOTE", 2)


def test_an_update_needs_a_version_and_a_change(api, document):
    span = make_annotation(document, "ACTOR", "Mark Carney")
    missing = send(api, "patch", span_url(span), {"label": "QUOTE"})
    assert missing.status_code == 400
    assert "required" in missing.json()["version"][0]
    nothing = send(api, "patch", span_url(span), {"version": 1})
    assert nothing.status_code == 400
    assert "new label" in nothing.json()["non_field_errors"][0]


def test_attribute_updates_are_checked_against_the_label(api, document):
    span = make_annotation(document, "FIGURE", "Fans")
    response = send(api, "patch", span_url(span), {"version": 1, "attributes": {"value": "x"}})
    assert response.status_code == 400
    assert "must be a number" in response.json()["attributes"][0]
    ok = send(api, "patch", span_url(span), {"version": 1, "attributes": {"value": 3}})
    assert ok.status_code == 200
    assert ok.json()["attributes"] == {"value": 3}


def test_moving_a_span_s_edges_is_one_update_keeping_its_uid_links_and_history(api, document):
    quote = make_annotation(document, "QUOTE", "We are ready.")
    speaker = make_annotation(document, "ACTOR", "Carney", occurrence=0)
    make_speaker_relation(quote, speaker)
    text = document.text
    start = text.index("Mark Carney")
    before = speaker.history.count()
    response = send(
        api,
        "patch",
        span_url(speaker),
        {"version": 1, "start": start, "end": start + len("Mark Carney")},
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["text"], response.json()["version"]) == ("Mark Carney", 2)
    moved = Annotation.objects.get(pk=speaker.pk)
    assert (moved.uid, moved.start, moved.text) == (speaker.uid, start, "Mark Carney")
    assert Relation.objects.get(source=quote).target_id == speaker.pk
    assert moved.history.count() == before + 1


def test_moved_edges_must_come_in_pairs_and_stay_inside_the_text(api, document):
    span = make_annotation(document, "ACTOR", "Mark Carney")
    one = send(api, "patch", span_url(span), {"version": 1, "start": 0})
    assert one.status_code == 400
    assert "start and end together" in one.json()["non_field_errors"][0]
    outside = send(api, "patch", span_url(span), {"version": 1, "start": 0, "end": 10**6})
    assert outside.status_code == 400
    empty = send(api, "patch", span_url(span), {"version": 1, "start": 5, "end": 5})
    assert empty.status_code == 400
    span.refresh_from_db()
    assert (span.text, span.version) == ("Mark Carney", 1)


def test_relabelling_keeps_allowed_attributes_and_drops_disallowed_links(api, document):
    quote = make_annotation(document, "QUOTE", "We are ready.", attributes={"comment": "c"})
    carney = make_annotation(document, "ACTOR", "Mark Carney")
    make_speaker_relation(quote, carney)
    figure = make_annotation(document, "FIGURE", "Fans", attributes={"value": 2, "comment": "k"})

    response = send(api, "patch", span_url(quote), {"version": 1, "label": "ACTOR"})
    assert response.status_code == 200
    assert response.json()["attributes"] == {"comment": "c"}
    assert not Relation.objects.exists()
    response = send(api, "patch", span_url(figure), {"version": 1, "label": "ACTOR"})
    assert response.json()["attributes"] == {"comment": "k"}


def test_relabelling_a_speaker_to_another_speaker_label_keeps_the_link(api, document):
    quote = make_annotation(document, "QUOTE", "We are ready.")
    carney = make_annotation(document, "ACTOR", "Mark Carney")
    make_speaker_relation(quote, carney)
    send(api, "patch", span_url(carney), {"version": 1, "label": "ANON_SOURCE"})
    assert Relation.objects.get().target == carney


def test_delete_removes_the_span_and_its_links(api, document):
    quote = make_annotation(document, "QUOTE", "We are ready.")
    carney = make_annotation(document, "ACTOR", "Mark Carney")
    make_speaker_relation(quote, carney)
    response = api.delete(span_url(carney) + "?version=1")
    assert response.status_code == 204
    assert list(Annotation.objects.all()) == [quote]
    assert not Relation.objects.exists()
    assert api.delete(span_url(carney)).status_code == 404


def test_deleting_a_span_changed_meanwhile_answers_409(api, document):
    span = make_annotation(document, "ACTOR", "Mark Carney")
    send(api, "patch", span_url(span), {"version": 1, "label": "QUOTE"})
    response = api.delete(span_url(span) + "?version=1")
    assert response.status_code == 409
    assert response.json()["current"]["version"] == 2
    assert Annotation.objects.filter(pk=span.pk).exists()
    assert api.delete(span_url(span) + "?version=two").status_code == 400


# Relations


def test_a_quote_is_linked_to_its_speaker(api, document):
    quote = make_annotation(document, "QUOTE", "We are ready.")
    carney = make_annotation(document, "ACTOR", "Mark Carney")
    response = send(
        api, "post", relations_url(document), {"source": quote.uid, "target": carney.uid}
    )
    assert response.status_code == 201, response.json()
    assert response.json() | {"id": 0} == {
        "id": 0,
        "type": "speaker",
        "source": quote.uid,
        "target": carney.uid,
    }
    relation = Relation.objects.get()
    assert (relation.source, relation.target, relation.annotator.username) == (
        quote,
        carney,
        "analyst",
    )
    listed = api.get(relations_url(document)).json()
    assert listed == [response.json()]


def test_relations_that_break_the_rules_are_refused_with_messages(api, document):
    quote = make_annotation(document, "QUOTE", "We are ready.")
    carney = make_annotation(document, "ACTOR", "Mark Carney")
    figure = make_annotation(document, "FIGURE", "Fans")
    other_document = make_document(document.corpus, text="Mark Carney, again.")
    elsewhere = make_annotation(other_document, "ACTOR", "Mark Carney")
    url = relations_url(document)

    wrong = send(api, "post", url, {"source": quote.uid, "target": figure.uid})
    assert wrong.status_code == 400
    assert "QUOTE to an ACTOR or ANON_SOURCE" in wrong.json()["non_field_errors"][0]
    unknown = send(api, "post", url, {"source": quote.uid, "target": "no-such-span"})
    assert "does not exist" in unknown.json()["target"][0]
    foreign = send(api, "post", url, {"source": quote.uid, "target": elsewhere.uid})
    assert "does not exist" in foreign.json()["target"][0]
    itself = send(api, "post", url, {"source": quote.uid, "target": quote.uid})
    assert itself.status_code == 400

    assert send(api, "post", url, {"source": quote.uid, "target": carney.uid}).status_code == 201
    second = make_annotation(document, "ANON_SOURCE", "Fans")
    again = send(api, "post", url, {"source": quote.uid, "target": second.uid})
    assert again.status_code == 400
    assert "already has a speaker" in again.json()["source"][0]


def test_a_speaker_is_changed_and_unlinked(api, document):
    quote = make_annotation(document, "QUOTE", "We are ready.")
    carney = make_annotation(document, "ACTOR", "Mark Carney")
    fans = make_annotation(document, "ANON_SOURCE", "Fans")
    relation = make_speaker_relation(quote, carney)
    url = f"{relations_url(document)}{relation.pk}/"
    response = send(api, "patch", url, {"target": fans.uid})
    assert response.status_code == 200
    assert response.json()["target"] == fans.uid
    wrong = send(api, "patch", url, {"target": quote.uid})
    assert wrong.status_code == 400
    assert api.delete(url).status_code == 204
    assert not Relation.objects.exists()
    assert api.delete(url).status_code == 404


# Status and tags


def test_status_is_set_and_checked(api, document):
    url = f"/api/documents/{document.pk}/status/"
    response = send(api, "put", url, {"status": "done"})
    assert response.json() == {"status": "done"}
    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    invalid = send(api, "put", url, {"status": "finished"})
    assert invalid.status_code == 400
    assert "not a valid choice" in invalid.json()["status"][0]


def test_tags_are_replaced_ignoring_case_and_keep_existing_spellings(api, document):
    make_document(document.corpus, text="Another text.").tags.add("Defence")
    url = f"/api/documents/{document.pk}/tags/"
    response = send(api, "put", url, {"tags": ["Canada", "canada", " defence ", "EU"]})
    assert response.status_code == 200
    assert response.json() == {"tags": ["Canada", "Defence", "EU"]}
    assert sorted(document.tags.names()) == ["Canada", "Defence", "EU"]
    assert send(api, "put", url, {"tags": []}).json() == {"tags": []}
    blank = send(api, "put", url, {"tags": ["  "]})
    assert blank.status_code == 400
    assert "tags" in blank.json()


def test_tags_answer_the_callers_spelling_whatever_another_corpus_has(api, document, client):
    elsewhere = make_document(make_corpus("Elsewhere"), text="Secret.")
    elsewhere.tags.add("BSecretTag")
    url = f"/api/documents/{document.pk}/tags/"
    response = send(api, "put", url, {"tags": ["bsecrettag"]})
    assert response.json() == {"tags": ["bsecrettag"]}
    assert api.get(f"/api/documents/{document.pk}/").json()["tags"] == ["bsecrettag"]
    page = api.get(f"/documents/{document.pk}/").content.decode()
    assert "bsecrettag" in page
    assert "BSecretTag" not in page
    assert list(elsewhere.tags.names()) == ["BSecretTag"]
    assert sorted(document.corpus.tags.values_list("name", flat=True)) == ["bsecrettag"]


# The document


def test_document_answers_its_text_labels_spans_relations_and_tags(api, document):
    quote = make_annotation(document, "QUOTE", "We are ready.")
    carney = make_annotation(document, "ACTOR", "Mark Carney", annotator=make_user("b"))
    make_speaker_relation(quote, carney)
    document.tags.add("sport")
    body = api.get(f"/api/documents/{document.pk}/").json()
    assert body["text"] == EMOJI_TEXT
    assert [label["key"] for label in body["labels"]] == [
        "ACTOR",
        "FIGURE",
        "QUOTE",
        "ANON_SOURCE",
    ]
    assert [(s["label"], s["text"], s["annotator"]) for s in body["spans"]] == [
        ("ACTOR", "Mark Carney", "b"),
        ("QUOTE", "We are ready.", None),
    ]
    assert body["relations"][0] | {"id": 0} == {
        "id": 0,
        "type": "speaker",
        "source": quote.uid,
        "target": carney.uid,
    }
    assert body["tags"] == ["sport"]
    spans = api.get(spans_url(document)).json()
    assert spans == body["spans"]
    assert api.get(span_url(quote)).json() == body["spans"][1]


# Authentication, CSRF and scope


def endpoints(document, span) -> list[tuple[str, str]]:
    return [
        ("get", f"/api/documents/{document.pk}/"),
        ("get", spans_url(document)),
        ("post", spans_url(document)),
        ("get", span_url(span)),
        ("patch", span_url(span)),
        ("delete", span_url(span)),
        ("get", relations_url(document)),
        ("post", relations_url(document)),
        ("put", f"/api/documents/{document.pk}/status/"),
        ("put", f"/api/documents/{document.pk}/tags/"),
    ]


def test_every_endpoint_refuses_anonymous_requests(client, document):
    span = make_annotation(document, "ACTOR", "Mark Carney")
    for method, url in endpoints(document, span):
        response = send(client, method, url, {})
        assert response.status_code in (401, 403), (method, url)
    assert Annotation.objects.get() == span


def test_session_writes_need_the_csrf_token(analyst, document):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    payload = span_payload(EMOJI_TEXT, "Mark Carney")
    refused = send(client, "post", spans_url(document), payload)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    page = client.get(f"/documents/{document.pk}/")
    token = page.cookies["csrftoken"].value
    accepted = send(client, "post", spans_url(document), payload, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_scripts_authenticate_with_a_token_without_csrf(analyst, document):
    token = Token.objects.create(user=analyst)
    client = Client(enforce_csrf_checks=True)
    payload = span_payload(EMOJI_TEXT, "Mark Carney")
    response = send(
        client, "post", spans_url(document), payload, HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 201
    assert response.json()["annotator"] == "analyst"
    wrong = send(client, "get", spans_url(document), HTTP_AUTHORIZATION="Token wrong")
    assert wrong.status_code in (401, 403)


def test_objects_outside_the_visible_corpora_answer_404(api, document, analyst):
    span = make_annotation(document, "ACTOR", "Mark Carney")
    Membership.objects.filter(user=analyst).delete()
    for method, url in endpoints(document, span):
        assert send(api, method, url, {}).status_code == 404, (method, url)
    assert Annotation.objects.get() == span


# Query counts


def queries_for(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_reading_a_document_takes_the_same_queries_for_3_or_60_spans(api, corpus):
    words = " ".join(f"w{i}" for i in range(60))
    small, large = make_document(corpus, text=words), make_document(corpus, text=words + ".")
    for document, count in [(small, 3), (large, 60)]:
        for i in range(count):
            quote = make_annotation(document, "QUOTE", f"w{i}")
            if i % 2:
                make_speaker_relation(quote, make_annotation(document, "ACTOR", f"w{i}"))
    api.get(f"/api/documents/{small.pk}/")  # Warm the session and content-type caches.
    counts = [queries_for(lambda d=d: api.get(f"/api/documents/{d.pk}/")) for d in (small, large)]
    # Includes one lookup of the reader's role, which decides the layers they see.
    assert counts[0] == counts[1] <= 9


def test_writes_take_a_fixed_number_of_queries(api, document, django_assert_max_num_queries):
    payload = span_payload(EMOJI_TEXT, "Mark Carney")
    with django_assert_max_num_queries(14):
        body = send(api, "post", spans_url(document), payload).json()
    assert body["text"] == "Mark Carney"
    span = Annotation.objects.get(uid=body["uid"])
    # Each write looks up the writer's role once (layers and permissions).
    with django_assert_max_num_queries(13):
        send(api, "patch", span_url(span), {"version": 1, "label": "ANON_SOURCE"})
    quote = make_annotation(document, "QUOTE", "We are ready.")
    with django_assert_max_num_queries(13):
        send(api, "post", relations_url(document), {"source": quote.uid, "target": span.uid})
    # Deleting also deletes the span's link, and the history records both.
    with django_assert_max_num_queries(16):
        assert api.delete(span_url(span) + "?version=2").status_code == 204


# The schema


def test_the_openapi_schema_is_valid_and_published(client, analyst, tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    client.force_login(analyst)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "409" in paths["/api/documents/{id}/spans/{uid}/"]["patch"]["responses"]
    assert set(paths["/api/documents/{id}/spans/"]) == {"get", "post"}


def test_the_openapi_schema_is_refused_to_anonymous_visitors(client):
    assert client.get("/api/schema/").status_code == 403


def test_scripts_read_the_openapi_schema_with_their_token(client, analyst):
    token = Token.objects.create(user=analyst).key
    response = client.get("/api/schema/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200


def test_a_label_or_span_named_with_nul_is_a_400_not_a_500(api, document):
    span = make_annotation(document, "ACTOR", "Mark Carney")
    created = send(
        api, "post", spans_url(document), span_payload(document.text, "Fans", label="ACT\x00OR")
    )
    assert created.status_code == 400
    assert "label" in created.json()
    patched = send(api, "patch", span_url(span), {"version": 1, "label": "\x00"})
    assert patched.status_code == 400
    linked = send(
        api,
        "post",
        relations_url(document),
        {"type": "speaker", "source": "a\x00b", "target": span.uid},
    )
    assert linked.status_code == 400

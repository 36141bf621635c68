"""Query strings, forms, paths and JSON bodies no database can look up answer 400 or 404,
never 500: ids that are not ASCII digits or past 2**63 - 1, NUL (which PostgreSQL refuses),
and JSON nested 100,000 levels deep."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from annotations.models import Annotation
from tests.factories import make_annotation, make_corpus, make_document, make_team

TEXT = "Mark Carney said: “We are ready.” Joly said “no”."
NOT_IDS = ["²", "1" * 5000, str(2**63), "12a", "-1", " 1"]


@pytest.fixture
def desk(db):
    corpus = make_corpus("Desk")
    document = make_document(corpus, text=TEXT, external_id="d1")
    # Only rev is a member of the desk; ana, who made the span, is not.
    team = make_team(corpus, manager=None, annotators=(), outsiders=("ana",))
    span = make_annotation(document, "ACTOR", "Joly", annotator=team.users["ana"])
    return corpus, document, team.reviewer, span


@pytest.fixture
def reviewer_client(client, desk):
    client.force_login(desk[2])
    return client


@pytest.fixture
def api(client, desk):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=desk[2]).key}"
    return client


@pytest.mark.parametrize("after", NOT_IDS)
def test_next_document_after_a_value_that_is_not_an_id_answers_400(reviewer_client, desk, after):
    corpus, *_ = desk
    url = reverse("corpus:next", args=[corpus.slug])
    assert reviewer_client.get(url, {"after": after}).status_code == 400


def test_next_document_after_an_id_past_every_row_still_opens_one(reviewer_client, desk):
    corpus, document, *_ = desk
    url = reverse("corpus:next", args=[corpus.slug])
    response = reviewer_client.get(url, {"after": str(2**63 - 1)})
    assert response["Location"] == reverse("annotations:annotate", args=[document.pk])


@pytest.mark.parametrize("span", NOT_IDS)
def test_accepting_a_span_that_is_not_an_id_answers_400_and_adds_nothing(
    reviewer_client, desk, span
):
    _, document, *_ = desk
    response = reviewer_client.post(reverse("teams:accept", args=[document.pk]), {"span": span})
    assert response.status_code == 400
    assert not Annotation.objects.filter(is_gold=True).exists()


def test_accepting_or_reverting_the_largest_id_finds_nothing(reviewer_client, desk):
    _, document, *_ = desk
    largest = str(2**63 - 1)
    accept = reverse("teams:accept", args=[document.pk])
    assert reviewer_client.post(accept, {"span": largest}).status_code == 302
    assert not Annotation.objects.filter(is_gold=True).exists()
    revert = reverse("teams:revert", args=[document.pk])
    assert reviewer_client.post(revert, {"kind": "span", "record": largest}).status_code == 302


def test_accepting_a_span_by_its_id_still_adds_it_to_gold(reviewer_client, desk):
    _, document, _, span = desk
    url = reverse("teams:accept", args=[document.pk])
    assert reviewer_client.post(url, {"span": str(span.pk)}).status_code == 302
    assert Annotation.objects.get(is_gold=True).text == "Joly"


@pytest.mark.parametrize("record", ["²", "1" * 5000, str(2**63)])
def test_reverting_a_record_that_is_not_an_id_answers_400(reviewer_client, desk, record):
    _, document, *_ = desk
    url = reverse("teams:revert", args=[document.pk])
    assert reviewer_client.post(url, {"kind": "span", "record": record}).status_code == 400


def test_removing_gold_by_a_uid_with_nul_answers_400(reviewer_client, desk):
    _, document, *_ = desk
    url = reverse("teams:remove-gold", args=[document.pk])
    assert reviewer_client.post(url, {"uid": "a\x00b"}).status_code == 400


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_a_span_uid_with_nul_in_the_path_answers_404(api, desk, method):
    _, document, *_ = desk
    url = f"/api/documents/{document.pk}/spans/a%00b/"
    assert getattr(api, method)(url, {}, content_type="application/json").status_code == 404


@pytest.mark.parametrize("name", ["api-document", "api-spans", "api-relations"])
def test_a_layer_with_nul_answers_400_from_the_api(api, desk, name):
    _, document, *_ = desk
    response = api.get(reverse(f"annotations:{name}", args=[document.pk]), {"layer": "a\x00"})
    assert response.status_code == 400
    assert "layer" in response.json()


def test_a_layer_with_nul_answers_400_on_the_annotation_page(reviewer_client, desk):
    _, document, *_ = desk
    url = reverse("annotations:annotate", args=[document.pk])
    assert reviewer_client.get(url, {"layer": "ana\x00"}).status_code == 400
    assert reviewer_client.get(url, {"layer": "ana"}).status_code == 200


@pytest.mark.parametrize("name", ["api-spans", "api-relations"])
def test_json_nested_100_000_levels_deep_answers_400(api, desk, name):
    _, document, *_ = desk
    body = "[" * 100_000 + "]" * 100_000
    response = api.post(
        reverse(f"annotations:{name}", args=[document.pk]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]

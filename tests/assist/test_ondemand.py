from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assist.candidates import SpanRef
from assist.models import SuggestedDocument, Suggestion
from assist.ondemand import CLAIM_TIMEOUT
from assist.suggest import suggest_documents
from corpus.models import Assignment
from tests.factories import make_annotation, make_document, make_team

TEXT = "Mark Carney said: “We are ready.” Canada agreed."
# Nothing the fake suggesters find (tests/assist/conftest.py).
BARE = "nothing to see here, only lower-case words."


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def ana(client, team):
    client.force_login(team.users["ana"])
    return client


@pytest.fixture
def made(monkeypatch):
    """Count the documents whose suggestions the page makes."""
    import assist.ondemand

    calls = []
    real = assist.ondemand.suggest_document

    def counted(document, **context):
        calls.append(document.pk)
        return real(document, **context)

    monkeypatch.setattr(assist.ondemand, "suggest_document", counted)
    return calls


def assigned(team, text: str, external_id: str):
    document = make_document(team.corpus, text, external_id=external_id)
    Assignment.objects.create(document=document, annotator=team.users["ana"])
    return document


def listed(client, document) -> dict:
    response = client.get(f"/api/documents/{document.pk}/suggestions/")
    assert response.status_code == 200
    return response.json()


def test_a_document_whose_suggesters_found_nothing_is_not_made_again_on_reopening(
    ana, team, fake_suggesters, made
):
    bare = assigned(team, BARE, "bare")
    first = listed(ana, bare)
    assert (first["suggestions"], first["generated"], first["making"]) == ([], True, False)
    again = listed(ana, bare)
    assert (again["suggestions"], again["generated"], again["making"]) == ([], False, False)
    assert made == [bare.pk]
    record = SuggestedDocument.objects.get(document=bare)
    assert record.made_at is not None


def test_a_document_made_by_a_corpus_run_with_no_suggestions_is_not_made_on_opening(
    ana, team, fake_suggesters, made
):
    bare = assigned(team, BARE, "bare")
    story = assigned(team, TEXT, "story")
    report = suggest_documents(corpus=team.corpus)
    assert report.documents == 2
    assert set(SuggestedDocument.objects.values_list("document", flat=True)) == {bare.pk, story.pk}
    assert listed(ana, bare)["generated"] is False
    assert listed(ana, story)["generated"] is False
    assert made == []


def test_a_document_another_request_is_making_lists_what_exists_and_says_so(
    ana, team, fake_suggesters, made
):
    story = assigned(team, TEXT, "story")
    SuggestedDocument.objects.create(document=story, claimed_at=timezone.now())
    body = listed(ana, story)
    assert (body["suggestions"], body["generated"], body["making"]) == ([], False, True)
    assert made == []


def test_a_claim_abandoned_by_a_request_that_died_is_taken_over(ana, team, fake_suggesters, made):
    story = assigned(team, TEXT, "story")
    long_ago = timezone.now() - CLAIM_TIMEOUT - timedelta(seconds=1)
    SuggestedDocument.objects.create(document=story, claimed_at=long_ago)
    body = listed(ana, story)
    assert (body["generated"], body["making"]) == (True, False)
    assert len(body["suggestions"]) == 3
    assert made == [story.pk]
    assert SuggestedDocument.objects.get(document=story).made_at is not None


def test_a_failed_making_gives_its_claim_back(ana, team, fake_suggesters, monkeypatch):
    story = assigned(team, TEXT, "story")

    def broken(document, **context):
        raise ValueError("a suggester's bug")

    monkeypatch.setattr("assist.ondemand.suggest_document", broken)
    with pytest.raises(ValueError, match="a suggester's bug"):
        ana.get(f"/api/documents/{story.pk}/suggestions/")
    assert not SuggestedDocument.objects.filter(document=story).exists()
    monkeypatch.undo()
    assert listed(ana, story)["generated"] is True


def test_making_on_demand_costs_a_fixed_number_of_queries(ana, team, fake_suggesters):
    from assist import registry

    def reader(analysis, context, found):
        assert len(context.known) == 0
        return []

    fake_suggesters["propagation"] = registry.RegisteredSuggester(
        "propagation", frozenset({"ACTOR"}), reader
    )
    story = assigned(team, TEXT, "story")
    with CaptureQueriesContext(connection) as first:
        assert listed(ana, story)["generated"] is True
    with CaptureQueriesContext(connection) as again:
        assert listed(ana, story)["generated"] is False
    assert Suggestion.objects.filter(document=story).count() == 3
    # Session, user, the document with the viewer's role and assignment, its record, and the
    # pending suggestions.
    assert len(again) == 5
    # Then the making: the claim (a savepoint, INSERT, release), the layers' spans in the
    # document, the corpus's labels, the known strings of the text (one chunk of keys), and
    # the storing (a transaction: DELETE,
    # INSERT of the speakers, their ids read back, INSERT of the quotes, the record's DELETE
    # and INSERT, commit); on PostgreSQL each of the three INSERTs is a COPY that first reads
    # its table's column types.
    column_types = 3 if connection.vendor == "postgresql" else 0
    assert len(first) == len(again) + 3 + 1 + 1 + 1 + 8 + column_types


def test_making_on_demand_gives_the_suggesters_the_viewers_and_gold_spans_of_the_document(
    ana, team, fake_suggesters
):
    from assist import registry

    seen = []

    def spy(analysis, context, found):
        seen.append(context.layer_spans)
        return []

    fake_suggesters["propagation"] = registry.RegisteredSuggester(
        "propagation", frozenset({"ACTOR"}), spy
    )
    story = assigned(team, TEXT, "story")
    make_annotation(story, "ACTOR", "Canada", annotator=team.users["ana"])
    make_annotation(story, "ACTOR", "Mark Carney", is_gold=True)
    # Another analyst's reading is not the viewer's.
    make_annotation(story, "QUOTE", "We are ready.", annotator=team.users["ben"])
    assert listed(ana, story)["generated"] is True
    canada = TEXT.index("Canada")
    assert seen == [(SpanRef(0, len("Mark Carney"), "ACTOR"), SpanRef(canada, canada + 6, "ACTOR"))]

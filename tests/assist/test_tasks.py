import pytest
from django.urls import reverse

from assist.models import Suggestion
from assist.tasks import start_occurrences, start_suggest
from jobs.models import Job
from tests.factories import make_annotation, make_document, make_team
from tests.jobs.helpers import run_queued_jobs

TEXT = "Mark Carney said: “We are ready.” Joly agreed; prices rose 5 per cent. Canada."


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def documents(team, fake_suggesters):
    return [
        make_document(team.corpus, TEXT, external_id="story"),
        make_document(team.corpus, "Canada's Canadian partners met in Canada.", external_id="b"),
        make_document(team.corpus, "Nothing to see.", external_id="c"),
    ]


def test_a_suggest_job_makes_the_corpus_suggestions(documents, team):
    make_annotation(documents[0], "ACTOR", "Joly", annotator=team.users["ana"])
    job = start_suggest(corpus=team.corpus, started_by=team.manager, propagate_from="ana")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    assert (job.items_done, job.items_total) == (3, 3)
    assert job.summary == {
        "documents": 3,
        "suggestions": 7,
        "ACTOR suggestions": 5,
        "FIGURE suggestions": 1,
        "QUOTE suggestions": 1,
    }
    assert Suggestion.objects.count() == 7


def test_a_suggest_job_for_a_label_the_corpus_lacks_fails_saying_so(documents, team):
    job = start_suggest(corpus=team.corpus, started_by=team.manager, labels=["NOPE"])
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors[0]["message"] == "corpus 'Desk' has no label NOPE"


def test_an_occurrences_job_tags_the_string_in_every_document_once(documents, team):
    job = start_occurrences(
        corpus=team.corpus, started_by=team.manager, string="Canada", label="ACTOR"
    )
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.errors
    assert job.summary == {"string": "Canada", "label": "ACTOR", "documents": 2, "occurrences": 3}
    places = sorted(
        Suggestion.objects.values_list("document__external_id", "start", "suggester", "score")
    )
    assert places == [
        ("b", 0, "occurrences", 0.9),
        ("b", 34, "occurrences", 0.9),
        ("story", TEXT.index("Canada"), "occurrences", 0.9),
    ]
    # Again: nothing is stored twice.
    start_occurrences(corpus=team.corpus, started_by=team.manager, string="Canada", label="ACTOR")
    run_queued_jobs()
    assert Suggestion.objects.count() == 3


# The corpus page


def test_managers_see_the_suggestions_button_and_start_a_run(client, documents, team):
    documents_url = reverse("corpus:documents", args=[team.corpus.slug])
    url = reverse("assist:suggest-corpus", args=[team.corpus.slug])
    client.force_login(team.manager)
    assert url in client.get(documents_url).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"mode": "suggest", "propagate_from": "gold"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.params["propagate_from"], job.started_by) == (
        "suggest",
        "gold",
        team.manager,
    )
    run_queued_jobs()
    assert Suggestion.objects.count() == 7


def test_an_occurrences_run_needs_a_string_and_a_label(client, documents, team):
    client.force_login(team.manager)
    url = reverse("assist:suggest-corpus", args=[team.corpus.slug])
    response = client.post(url, {"mode": "occurrences", "string": "  "})
    assert response.status_code == 200
    assert "Give the string whose occurrences to tag." in response.content.decode()
    assert not Job.objects.exists()
    client.post(url, {"mode": "occurrences", "string": "Joly", "label": "ACTOR"})
    assert Job.objects.get().params == {"mode": "occurrences", "string": "Joly", "label": "ACTOR"}


@pytest.mark.parametrize("who", ["rev", "ana", "out"])
def test_only_managers_start_suggestion_runs(client, documents, team, who):
    client.force_login(team.users[who])
    url = reverse("assist:suggest-corpus", args=[team.corpus.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"mode": "suggest"}).status_code == 404
    assert not Job.objects.exists()
    if who == "rev":
        page = client.get(reverse("corpus:documents", args=[team.corpus.slug]))
        assert url not in page.content.decode()

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation, Relation
from assist.models import Rejection, Suggestion
from assist.suggest import suggest_documents
from corpus.models import Assignment
from tests.factories import make_annotation, make_corpus, make_document, make_team

TEXT = (
    "Mark Carney said: “We are ready.” Joly agreed, and prices rose 5 per cent.\n"
    "Canada welcomed it. Joly added: “It is a start.” Canada, again."
)


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def document(team, fake_suggesters):
    document = make_document(team.corpus, TEXT, external_id="story")
    for annotator in team.annotators:
        Assignment.objects.create(document=document, annotator=annotator)
    return document


@pytest.fixture
def ana(client, team):
    client.force_login(team.users["ana"])
    return client


def suggestions_url(document) -> str:
    return f"/api/documents/{document.pk}/suggestions/"


def accept_url(suggestion) -> str:
    return f"/api/suggestions/{suggestion.pk}/accept/"


def reject_url(suggestion) -> str:
    return f"/api/suggestions/{suggestion.pk}/reject/"


def post(client, url, data=None):
    return client.post(url, data, content_type="application/json")


def suggestion_at(document, covered: str, label: str, occurrence: int = 0) -> Suggestion:
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(covered, start + 1)
    return Suggestion.objects.select_related("label").get(
        document=document, label__key=label, start=start, end=start + len(covered)
    )


def places(body) -> list[tuple[str, str]]:
    return [(item["label"], item["text"]) for item in body["suggestions"]]


# Listing


def test_suggestions_are_made_on_demand_once_and_listed_in_text_order(ana, document):
    first = ana.get(suggestions_url(document))
    assert first.status_code == 200
    assert first.json()["generated"] is True
    assert places(first.json()) == [
        ("ACTOR", "Mark Carney"),
        ("QUOTE", "We are ready."),
        ("ACTOR", "Joly"),
        ("FIGURE", "5 per cent"),
        ("ACTOR", "Canada"),
        ("ACTOR", "Joly"),
        ("QUOTE", "It is a start."),
        ("ACTOR", "Canada"),
    ]
    again = ana.get(suggestions_url(document)).json()
    assert again["generated"] is False
    assert again["suggestions"] == first.json()["suggestions"]


def test_a_listed_suggestion_has_the_documented_shape(ana, document):
    body = ana.get(suggestions_url(document)).json()
    quote = next(item for item in body["suggestions"] if item["text"] == "We are ready.")
    carney = next(item for item in body["suggestions"] if item["text"] == "Mark Carney")
    assert set(quote) == {
        "id", "label", "start", "end", "text", "attributes", "suggester", "score", "speaker"
    }  # fmt: skip
    assert quote["speaker"] == carney["id"]
    assert (quote["suggester"], quote["score"]) == ("quotes", 0.95)
    assert TEXT[quote["start"] : quote["end"]] == "We are ready."
    assert carney["attributes"] == {"comment": "fake"}


def test_suggestions_covered_by_the_viewers_layer_or_rejected_by_them_are_hidden(
    ana, document, team
):
    suggest_documents(corpus=team.corpus)
    make_annotation(document, "ACTOR", "Mark Carney", annotator=team.users["ana"])
    # Another analyst's span and gold cover nothing for ana.
    make_annotation(document, "ACTOR", "Joly", annotator=team.users["ben"])
    make_annotation(document, "ACTOR", "Canada", is_gold=True)
    Rejection.objects.create(
        user=team.users["ana"],
        document=document,
        label=suggestion_at(document, "Joly", "ACTOR", 1).label,
        start=TEXT.rindex("Joly"),
        end=TEXT.rindex("Joly") + 4,
    )
    body = ana.get(suggestions_url(document)).json()
    assert ("ACTOR", "Mark Carney") not in places(body)
    assert places(body).count(("ACTOR", "Joly")) == 1
    assert places(body).count(("ACTOR", "Canada")) == 2


def test_a_rejection_survives_making_the_suggestions_again(ana, document, team):
    ana.get(suggestions_url(document))
    figure = suggestion_at(document, "5 per cent", "FIGURE")
    assert post(ana, reject_url(figure)).status_code == 204
    suggest_documents(corpus=team.corpus)
    assert not Suggestion.objects.filter(pk=figure.pk).exists()
    assert ("FIGURE", "5 per cent") not in places(ana.get(suggestions_url(document)).json())
    # ...for ana only.
    ana.force_login(team.users["ben"])
    assert ("FIGURE", "5 per cent") in places(ana.get(suggestions_url(document)).json())


def test_rejecting_twice_records_one_rejection(ana, document):
    ana.get(suggestions_url(document))
    figure = suggestion_at(document, "5 per cent", "FIGURE")
    assert post(ana, reject_url(figure)).status_code == 204
    assert post(ana, reject_url(figure)).status_code == 204
    assert Rejection.objects.count() == 1


# Permissions


def log_in_as(client, document, team, who: str) -> None:
    """Log `client` in as one who may not read `document`: "out" (no member), "unassigned"
    (ana, once her assignment is gone) or "anonymous" (nobody)."""
    if who == "unassigned":
        Assignment.objects.filter(document=document, annotator=team.users["ana"]).delete()
        client.force_login(team.users["ana"])
    elif who == "out":
        client.force_login(team.users["out"])


@pytest.mark.parametrize("who", ["out", "anonymous", "unassigned"])
def test_who_may_not_read_the_document_gets_nothing(client, document, team, who):
    suggest_documents(corpus=team.corpus)
    figure = suggestion_at(document, "5 per cent", "FIGURE")
    log_in_as(client, document, team, who)
    expected = 403 if who == "anonymous" else 404
    assert client.get(suggestions_url(document)).status_code == expected
    assert post(client, accept_url(figure)).status_code == expected
    assert post(client, reject_url(figure)).status_code == expected
    accept_all = f"/api/documents/{document.pk}/suggestions/accept-all/"
    assert post(client, accept_all, {"label": "QUOTE"}).status_code == expected
    assert not Annotation.objects.exists()
    assert not Rejection.objects.exists()


def test_a_suggestion_of_another_corpus_is_not_found(ana, document, team):
    other_team = make_team(
        make_corpus("Elsewhere"), manager="m2", reviewer="r2", annotators=("a2",), outsiders=()
    )
    other = make_document(other_team.corpus, TEXT, external_id="elsewhere")
    suggest_documents(corpus=other_team.corpus)
    foreign = Suggestion.objects.filter(document=other).first()
    assert post(ana, accept_url(foreign)).status_code == 404
    assert post(ana, reject_url(foreign)).status_code == 404
    assert ana.get(suggestions_url(other)).status_code == 404


def test_a_reviewer_accepts_into_their_own_layer_not_gold(client, document, team):
    client.force_login(team.users["rev"])
    client.get(suggestions_url(document))
    response = post(client, accept_url(suggestion_at(document, "Joly", "ACTOR")))
    assert response.status_code == 201
    assert (response.json()["span"]["annotator"], response.json()["span"]["gold"]) == (
        "rev",
        False,
    )


# Accepting


def test_accept_creates_the_span_through_the_actions_with_its_suggester(ana, document, team):
    ana.get(suggestions_url(document))
    figure = suggestion_at(document, "5 per cent", "FIGURE")
    response = post(ana, accept_url(figure))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["relations"] == []
    assert (body["span"]["label"], body["span"]["text"], body["span"]["annotator"]) == (
        "FIGURE",
        "5 per cent",
        "ana",
    )
    # The label's own attributes only.
    assert body["span"]["attributes"] == {"unit": "%"}
    span = Annotation.objects.get(uid=body["span"]["uid"])
    assert (span.suggester, span.suggestion_score) == ("figures", 0.7)
    history = span.history.get()
    assert (history.history_type, history.suggester, history.history_user) == (
        "+",
        "figures",
        team.users["ana"],
    )
    assignment = Assignment.objects.get(document=document, annotator=team.users["ana"])
    assert assignment.status == "in_progress"


def test_accepting_a_covered_suggestion_again_answers_the_existing_span(ana, document):
    ana.get(suggestions_url(document))
    figure = suggestion_at(document, "5 per cent", "FIGURE")
    first = post(ana, accept_url(figure))
    again = post(ana, accept_url(figure))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["span"]["uid"] == first.json()["span"]["uid"]
    assert Annotation.objects.count() == 1


def test_accepting_the_speaker_then_the_quote_links_them(ana, document):
    ana.get(suggestions_url(document))
    post(ana, accept_url(suggestion_at(document, "Mark Carney", "ACTOR")))
    response = post(ana, accept_url(suggestion_at(document, "We are ready.", "QUOTE")))
    assert response.status_code == 201
    [link] = response.json()["relations"]
    relation = Relation.objects.select_related("source", "target").get()
    assert (relation.source.text, relation.target.text, relation.annotator.username) == (
        "We are ready.",
        "Mark Carney",
        "ana",
    )
    assert link == {
        "id": relation.pk,
        "type": "speaker",
        "source": relation.source.uid,
        "target": relation.target.uid,
    }
    assert relation.history.get().history_type == "+"


def test_accepting_the_quote_then_the_speaker_links_them(ana, document):
    ana.get(suggestions_url(document))
    first = post(ana, accept_url(suggestion_at(document, "We are ready.", "QUOTE")))
    assert first.json()["relations"] == []
    response = post(ana, accept_url(suggestion_at(document, "Mark Carney", "ACTOR")))
    [link] = response.json()["relations"]
    assert link["source"] == first.json()["span"]["uid"]
    assert link["target"] == response.json()["span"]["uid"]


def test_a_quote_the_analyst_already_gave_a_speaker_keeps_it(ana, document, team):
    ana.get(suggestions_url(document))
    quote = post(ana, accept_url(suggestion_at(document, "We are ready.", "QUOTE"))).json()
    joly = make_annotation(document, "ACTOR", "Joly", annotator=team.users["ana"])
    Relation.objects.create(
        document=document,
        source=Annotation.objects.get(uid=quote["span"]["uid"]),
        target=joly,
        annotator=team.users["ana"],
    )
    response = post(ana, accept_url(suggestion_at(document, "Mark Carney", "ACTOR")))
    assert response.json()["relations"] == []
    assert Relation.objects.get().target == joly


def test_accepting_after_rejecting_forgets_the_rejection(ana, document):
    ana.get(suggestions_url(document))
    figure = suggestion_at(document, "5 per cent", "FIGURE")
    post(ana, reject_url(figure))
    assert post(ana, accept_url(figure)).status_code == 201
    assert not Rejection.objects.exists()


def test_accept_all_quotes_accepts_their_speakers_and_links_them(ana, document):
    ana.get(suggestions_url(document))
    url = f"/api/documents/{document.pk}/suggestions/accept-all/"
    response = post(ana, url, {"label": "QUOTE"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(span["label"], span["text"]) for span in body["spans"]] == [
        ("ACTOR", "Mark Carney"),
        ("ACTOR", "Joly"),
        ("QUOTE", "We are ready."),
        ("QUOTE", "It is a start."),
    ]
    pairs = {
        (r.source.text, r.target.text, r.target.start)
        for r in Relation.objects.select_related("source", "target")
    }
    assert pairs == {
        ("We are ready.", "Mark Carney", 0),
        ("It is a start.", "Joly", TEXT.rindex("Joly")),
    }
    assert len(body["relations"]) == 2
    # Nothing of the label is left to review; the other ACTORs are.
    left = places(ana.get(suggestions_url(document)).json())
    assert ("QUOTE", "We are ready.") not in left
    assert ("ACTOR", "Canada") in left
    # Accepting all again makes nothing.
    again = post(ana, url, {"label": "QUOTE"}).json()
    assert again == {"spans": [], "relations": []}


def test_accept_all_refuses_an_unknown_label(ana, document):
    url = f"/api/documents/{document.pk}/suggestions/accept-all/"
    response = post(ana, url, {"label": "NOPE"})
    assert response.status_code == 400
    assert "label" in response.json()


# Accepting chosen suggestions ("Accept these N")


def accept_chosen_url(document) -> str:
    return f"/api/documents/{document.pk}/suggestions/accept-chosen/"


def test_accept_chosen_takes_them_in_one_request_and_links_quote_and_speaker(ana, document):
    ana.get(suggestions_url(document))
    chosen = [
        suggestion_at(document, "We are ready.", "QUOTE"),
        suggestion_at(document, "Canada", "ACTOR", 1),
        suggestion_at(document, "Mark Carney", "ACTOR"),
    ]
    response = post(ana, accept_chosen_url(document), {"suggestions": [s.pk for s in chosen]})
    assert response.status_code == 201, response.json()
    body = response.json()
    # In text order, each a span of ana's layer made through the actions.
    assert [(span["label"], span["text"], span["annotator"]) for span in body["spans"]] == [
        ("ACTOR", "Mark Carney", "ana"),
        ("QUOTE", "We are ready.", "ana"),
        ("ACTOR", "Canada", "ana"),
    ]
    assert Annotation.objects.filter(suggester__in=["actors", "quotes"]).count() == 3
    [link] = body["relations"]
    relation = Relation.objects.select_related("source", "target").get()
    assert (link["source"], link["target"]) == (relation.source.uid, relation.target.uid)
    assert (relation.source.text, relation.target.text) == ("We are ready.", "Mark Carney")
    left = places(ana.get(suggestions_url(document)).json())
    assert ("ACTOR", "Mark Carney") not in left
    assert ("ACTOR", "Canada") in left  # its first occurrence was not chosen


def test_accept_chosen_refuses_another_documents_suggestion_and_writes_nothing(ana, document, team):
    other = make_document(team.corpus, TEXT + " Joly.", external_id="other")
    Assignment.objects.create(document=other, annotator=team.users["ana"])
    suggest_documents(corpus=team.corpus)
    mine = suggestion_at(document, "Joly", "ACTOR")
    theirs = suggestion_at(other, "Joly", "ACTOR")
    response = post(ana, accept_chosen_url(document), {"suggestions": [mine.pk, theirs.pk, 10**9]})
    assert response.status_code == 400
    assert response.json() == {
        "suggestions": [f"not suggestions of this document: {theirs.pk}, {10**9}"]
    }
    assert not Annotation.objects.exists()


def test_accept_chosen_refuses_accepted_and_rejected_ones_and_writes_nothing(ana, document):
    ana.get(suggestions_url(document))
    accepted = suggestion_at(document, "5 per cent", "FIGURE")
    rejected = suggestion_at(document, "Joly", "ACTOR")
    fresh = suggestion_at(document, "Canada", "ACTOR")
    assert post(ana, accept_url(accepted)).status_code == 201
    assert post(ana, reject_url(rejected)).status_code == 204
    ids = [fresh.pk, rejected.pk, accepted.pk]
    response = post(ana, accept_chosen_url(document), {"suggestions": ids})
    assert response.status_code == 400
    reviewed = ", ".join(map(str, sorted([accepted.pk, rejected.pk])))
    assert response.json() == {
        "suggestions": [f"already accepted, covered or rejected: {reviewed}"]
    }
    # The one good id was not accepted either, and the rejection stands.
    assert list(Annotation.objects.values_list("text", flat=True)) == ["5 per cent"]
    assert Rejection.objects.count() == 1


@pytest.mark.parametrize("body", [{}, {"suggestions": []}, {"suggestions": ["x"]}, [1]])
def test_accept_chosen_refuses_a_body_without_ids(ana, document, body):
    response = post(ana, accept_chosen_url(document), body)
    assert response.status_code == 400
    assert not Annotation.objects.exists()


@pytest.mark.parametrize("who", ["out", "anonymous", "unassigned"])
def test_accept_chosen_is_not_found_for_who_may_not_read_the_document(client, document, team, who):
    suggest_documents(corpus=team.corpus)
    figure = suggestion_at(document, "5 per cent", "FIGURE")
    log_in_as(client, document, team, who)
    response = post(client, accept_chosen_url(document), {"suggestions": [figure.pk]})
    assert response.status_code == (403 if who == "anonymous" else 404)
    assert not Annotation.objects.exists()


def test_accept_chosen_costs_a_fixed_number_of_queries_per_span_and_link(ana, document, team):
    suggest_documents(corpus=team.corpus)
    counts = []
    for text in ("We are ready.", "It is a start."):
        quote = suggestion_at(document, text, "QUOTE")
        ids = [quote.pk, quote.speaker_id]
        with CaptureQueriesContext(connection) as queries:
            response = post(ana, accept_chosen_url(document), {"suggestions": ids})
        assert (len(response.json()["spans"]), len(response.json()["relations"])) == (2, 1)
        counts.append(len(queries))
    # Session, user, document; the batch's savepoint, the pending chosen ones, the
    # accepting's savepoint, own spans; 4 per span (savepoint, INSERT, history INSERT,
    # release); rejections, suggested links, existing links; 8 per link (as for accept-all);
    # the two releases. The first batch also starts the document and the assignment.
    assert counts[1] == 7 + 2 * 4 + 3 + 8 + 2
    assert counts[0] > counts[1]


# Tag all occurrences


def test_occurrences_of_a_span_are_suggested_and_accepted_all_by_label(ana, document, team):
    ana.get(suggestions_url(document))
    Suggestion.objects.all().delete()
    canada = make_annotation(document, "ACTOR", "Canada", annotator=team.users["ana"])
    url = f"/api/documents/{document.pk}/occurrences/"
    response = post(ana, url, {"span": canada.uid})
    assert response.status_code == 200, response.json()
    [found] = response.json()["suggestions"]
    second = TEXT.index("Canada", canada.end)
    assert (found["label"], found["start"], found["suggester"]) == ("ACTOR", second, "occurrences")
    # Asking again stores nothing twice.
    assert post(ana, url, {"span": canada.uid}).json()["suggestions"] == [found]
    assert Suggestion.objects.count() == 1
    accepted = post(ana, f"{suggestions_url(document)}accept-all/", {"label": "ACTOR"}).json()
    assert [(s["start"], s["text"]) for s in accepted["spans"]] == [(second, "Canada")]


def test_occurrences_of_another_analysts_span_are_not_found(ana, document, team):
    bens = make_annotation(document, "ACTOR", "Canada", annotator=team.users["ben"])
    url = f"/api/documents/{document.pk}/occurrences/"
    assert post(ana, url, {"span": bens.uid}).status_code == 404
    assert post(ana, url, {"span": "nope"}).status_code == 404
    assert post(ana, url, {"span": "nope\x00"}).status_code == 400
    assert post(ana, url, {}).status_code == 400


# Query counts


def test_listing_costs_the_same_queries_however_many_suggestions(ana, document, team):
    suggest_documents(corpus=team.corpus)
    make_annotation(document, "ACTOR", "Joly", annotator=team.users["ana"])
    with CaptureQueriesContext(connection) as few:
        ana.get(suggestions_url(document))
    longer = make_document(team.corpus, TEXT * 5, external_id="longer")
    Assignment.objects.create(document=longer, annotator=team.users["ana"])
    suggest_documents(corpus=team.corpus)
    with CaptureQueriesContext(connection) as many:
        body = ana.get(suggestions_url(longer)).json()
    assert len(body["suggestions"]) == 40
    # Session, user, the document with the viewer's role and assignment, whether it has
    # suggestions, and the pending suggestions.
    assert len(few) == len(many) == 5


def test_accept_all_costs_a_fixed_number_of_queries_per_span_and_link(ana, document, team):
    longer = make_document(team.corpus, TEXT + "\n" + TEXT, external_id="longer")
    Assignment.objects.create(document=longer, annotator=team.users["ana"])
    suggest_documents(corpus=team.corpus)
    counts = []
    for story in (document, longer):
        with CaptureQueriesContext(connection) as queries:
            response = post(ana, f"{suggestions_url(story)}accept-all/", {"label": "QUOTE"})
        counts.append((len(response.json()["spans"]), len(response.json()["relations"])))
        counts.append(len(queries))
    assert counts[0::2] == [(4, 2), (8, 4)]
    # Twice the spans and links cost only what the actions cost per row: 5 per span (its
    # savepoint, INSERT, history INSERT, release, and the no-op start of the assignment) and
    # 8 per link (a savepoint, the spans' lock, the one-speaker check, a savepoint, INSERT,
    # history INSERT, two releases).
    assert counts[3] - counts[1] == 4 * 5 + 2 * 8
    # Session, user, document, label, quotes, speakers, own spans, rejections, suggested
    # links, existing links, and the first span's start of the document and assignment.
    assert counts[1] == 54


# Made on demand


def test_on_demand_suggestions_know_the_viewers_layer_and_gold_only(
    ana, document, team, fake_suggesters
):
    from assist import registry
    from assist.candidates import ACTOR

    seen = []

    def spy(analysis, context, found):
        seen.append(dict(context.known))
        return []

    fake_suggesters["propagation"] = registry.RegisteredSuggester(
        "propagation", frozenset({ACTOR}), spy
    )
    make_annotation(document, "ACTOR", "Joly", annotator=team.users["ana"])
    make_annotation(document, "ACTOR", "Mark Carney", annotator=team.users["ben"])
    make_annotation(document, "ACTOR", "Canada", is_gold=True)
    assert ana.get(suggestions_url(document)).json()["generated"] is True
    assert seen == [{"Joly": "ACTOR", "Canada": "ACTOR"}]


def test_suggestions_made_meanwhile_by_another_request_are_used(ana, document, team, monkeypatch):
    from django.db import IntegrityError

    def made_elsewhere(document, **context):
        suggest_documents(corpus=document.corpus)
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr("assist.ondemand.suggest_document", made_elsewhere)
    body = ana.get(suggestions_url(document)).json()
    assert body["generated"] is False
    assert len(body["suggestions"]) == 8

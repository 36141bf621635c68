import pytest
from django.urls import reverse

from annotations.models import Annotation
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
    users = make_team(corpus, manager=None, assigned=[document]).users
    for analyst in (users["ana"], users["ben"]):
        quote = make_annotation(document, "QUOTE", "We are ready.", annotator=analyst)
        make_speaker_relation(
            quote, make_annotation(document, "ACTOR", "Mark Carney", annotator=analyst)
        )
    make_annotation(document, "ANON_SOURCE", "Two officials", annotator=users["ana"])
    make_annotation(document, "ACTOR", "Joly", annotator=users["ben"])
    return corpus, document, users


def as_user(client, user):
    client.force_login(user)
    return client


def test_reviewer_sees_layers_side_by_side_and_merged(client, desk, django_assert_max_num_queries):
    _, document, users = desk
    as_user(client, users["rev"])
    with django_assert_max_num_queries(15):
        page = client.get(reverse("teams:review", args=[document.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-layer="ana"' in html
    assert 'data-layer="ben"' in html
    assert 'data-layer="gold"' in html
    assert "2 agreed by all" in html
    merged = client.get(
        reverse("teams:review", args=[document.pk]), {"view": "merged"}
    ).content.decode()
    assert 'id="merged"' in merged
    single = client.get(
        reverse("teams:review", args=[document.pk]), {"view": "ben"}
    ).content.decode()
    assert "Joly" in single


def test_reviewer_adjudicates_agreed_then_a_disputed_variant(client, desk):
    _, document, users = desk
    as_user(client, users["rev"])
    url = reverse("teams:accept", args=[document.pk])
    assert client.post(url, {"agreed": "1"}).status_code == 302
    gold = document.annotations.filter(is_gold=True)
    assert sorted(gold.values_list("text", flat=True)) == ["Mark Carney", "We are ready."]
    joly = Annotation.objects.get(text="Joly")
    client.post(url, {"span": joly.pk})
    assert gold.count() == 3
    assert document.relations.filter(source__is_gold=True).count() == 1
    removed = gold.get(text="Joly")
    client.post(reverse("teams:remove-gold", args=[document.pk]), {"uid": removed.uid})
    assert gold.count() == 2


def test_annotators_cannot_review_and_outsiders_get_404(client, desk):
    corpus, document, users = desk
    as_user(client, users["ana"])
    assert client.get(reverse("teams:review", args=[document.pk])).status_code == 403
    assert (
        client.post(reverse("teams:accept", args=[document.pk]), {"agreed": "1"}).status_code == 403
    )
    assert client.get(reverse("teams:agreement", args=[corpus.slug])).status_code == 403
    as_user(client, users["out"])
    for name in ["teams:review", "teams:history"]:
        assert client.get(reverse(name, args=[document.pk])).status_code == 404
    assert client.get(reverse("teams:agreement", args=[corpus.slug])).status_code == 404
    client.logout()
    assert client.get(reverse("teams:review", args=[document.pk])).status_code == 302


def test_agreement_page_shows_the_table(client, desk):
    corpus, _, users = desk
    page = as_user(client, users["rev"]).get(reverse("teams:agreement", args=[corpus.slug]))
    html = page.content.decode()
    assert "ana ~ ben" in html
    assert "0.667" in html


def revert_on_page(client, document, entry) -> list[str]:
    """Post the history page's Revert button of `entry`; return the messages shown after."""
    response = client.post(
        reverse("teams:revert", args=[document.pk]),
        {"kind": entry.kind, "record": entry.record_id},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def test_history_page_lists_changes_and_reverts_one(client, desk):
    _, document, users = desk
    as_user(client, users["rev"])
    client.post(reverse("teams:accept", args=[document.pk]), {"agreed": "1"})
    gold = document.annotations.get(is_gold=True, text="Mark Carney")
    client.post(reverse("teams:remove-gold", args=[document.pk]), {"uid": gold.uid})
    page = client.get(reverse("teams:history", args=[document.pk]))
    entries = page.context["entries"]
    assert (entries[0].kind, entries[0].action, entries[0].who) == ("span", "deleted", "rev")
    assert revert_on_page(client, document, entries[0]) == [
        f"Reverted: restored ACTOR [0, 11) {'Mark Carney'!r}."
    ]
    restored = document.annotations.get(is_gold=True, text="Mark Carney")
    assert restored.uid == gold.uid
    assert (
        client.get(reverse("teams:history", args=[document.pk])).context["entries"][0].who == "rev"
    )


def test_a_reviewer_cannot_revert_an_annotators_deletion_on_the_history_page(client, desk):
    _, document, users = desk
    span = Annotation.objects.get(text="Joly")
    span._history_user = users["ben"]
    span.delete()
    as_user(client, users["rev"])
    [deleted] = client.get(reverse("teams:history", args=[document.pk])).context["entries"][:1]
    assert (deleted.kind, deleted.action, deleted.who) == ("span", "deleted", "ben")
    # The API answers the reviewer's DELETE of that span 403, with the same reason.
    assert revert_on_page(client, document, deleted) == [
        "Cannot revert: this span belongs to another analyst's layer"
    ]
    assert not Annotation.objects.filter(text="Joly").exists()


def test_annotators_list_their_assigned_documents_with_their_own_status(client, desk):
    corpus, document, users = desk
    make_document(corpus, text="Not assigned to anyone.", external_id="d2")
    Assignment.objects.filter(annotator=users["ana"]).update(status="done")
    page = as_user(client, users["ana"]).get(reverse("corpus:documents", args=[corpus.slug]))
    # Their own status is a badge of its own; the document's status stays the document's.
    rows = [(row.external_id, row.own_status, row.status) for row, _ in page.context["rows"]]
    assert rows == [("d1", "done", "new")]
    assert (
        as_user(client, users["ben"])
        .get(reverse("corpus:documents", args=[corpus.slug]), {"status": "new"})
        .context["rows"][0][0]
        .external_id
        == "d1"
    )
    reviewer_rows = as_user(client, users["rev"]).get(
        reverse("corpus:documents", args=[corpus.slug])
    )
    assert [row.external_id for row, _ in reviewer_rows.context["rows"]] == ["d1", "d2"]


def test_next_document_follows_the_annotators_assignments(client, desk):
    corpus, document, users = desk
    second = make_document(corpus, text="A second assigned story.", external_id="d3")
    Assignment.objects.create(document=second, annotator=users["ana"])
    make_document(corpus, text="Someone else's story.", external_id="d0")
    as_user(client, users["ana"])
    next_url = reverse("corpus:next", args=[corpus.slug])
    assert client.get(next_url).url == reverse("annotations:annotate", args=[document.pk])
    Assignment.objects.filter(annotator=users["ana"], document=document).update(status="done")
    assert client.get(next_url).url == reverse("annotations:annotate", args=[second.pk])
    Assignment.objects.filter(annotator=users["ana"]).update(status="done")
    assert client.get(next_url).url == reverse("corpus:documents", args=[corpus.slug])


def test_corpus_list_shows_annotators_their_own_progress(
    client, desk, django_assert_max_num_queries
):
    corpus, document, users = desk
    make_document(corpus, text="Not assigned to anyone.", external_id="d2")
    Assignment.objects.filter(annotator=users["ana"]).update(status="done")
    as_user(client, users["ana"]).get(reverse("corpus:list"))  # warm the session caches
    with django_assert_max_num_queries(4):
        page = client.get(reverse("corpus:list"))
    [mine] = page.context["corpora"]
    assert (mine.document_count, mine.done_count, mine.new_count) == (1, 1, 0)
    [overall] = as_user(client, users["rev"]).get(reverse("corpus:list")).context["corpora"]
    assert (overall.document_count, overall.done_count) == (2, 0)

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from corpus.access import (
    may_manage,
    may_review,
    role_in,
    sees_all_layers,
    visible_corpora,
    visible_documents,
)
from corpus.models import Assignment, Membership
from teams.assignment import assign_round_robin
from tests.factories import make_corpus, make_document, make_team


@pytest.fixture
def team(db):
    corpus = make_corpus("Desk")
    other = make_corpus("Other desk")
    docs = [make_document(corpus, text=f"Story {i}.", external_id=f"d{i}") for i in range(4)]
    make_document(other, text="Elsewhere.", external_id="x")
    return corpus, other, docs, make_team(corpus).users


def test_members_see_only_their_corpora(team, admin_user):
    corpus, other, _, users = team
    assert list(visible_corpora(users["ana"])) == [corpus]
    assert list(visible_corpora(users["out"])) == []
    assert set(visible_corpora(admin_user)) == {corpus, other}


def test_annotators_see_their_assigned_documents_and_overseers_see_all(team):
    corpus, _, docs, users = team
    Assignment.objects.create(document=docs[1], annotator=users["ana"])
    assert list(visible_documents(users["ana"])) == [docs[1]]
    assert list(visible_documents(users["ben"])) == []
    assert set(visible_documents(users["mia"])) == set(docs)
    assert set(visible_documents(users["rev"])) == set(docs)
    assert list(visible_documents(users["out"])) == []


def test_assignment_outside_membership_grants_nothing(team):
    corpus, other, _, users = team
    stray = other.documents.get()
    Assignment.objects.create(document=stray, annotator=users["ana"])
    assert stray not in visible_documents(users["ana"])


def test_roles(team, admin_user):
    corpus, other, _, users = team
    assert role_in(users["ana"], corpus) == "annotator"
    assert role_in(users["ana"], other) is None
    assert may_manage(users["mia"], corpus)
    assert not may_manage(users["rev"], corpus)
    assert may_review(users["rev"], corpus)
    assert not may_review(users["ana"], corpus)
    assert sees_all_layers(users["rev"], corpus)
    assert not sees_all_layers(users["ana"], corpus)
    assert may_manage(admin_user, other)


def test_round_robin_gives_each_document_n_annotators_in_turn(team):
    corpus, _, docs, users = team
    created = assign_round_robin(
        corpus=corpus, annotators=[users["ana"], users["ben"]], per_document=1
    )
    assert created == 4
    pairs = sorted(Assignment.objects.values_list("document__external_id", "annotator__username"))
    assert pairs == [("d0", "ana"), ("d1", "ben"), ("d2", "ana"), ("d3", "ben")]
    assert (
        assign_round_robin(corpus=corpus, annotators=[users["ana"], users["ben"]], per_document=2)
        == 4
    )
    assert Assignment.objects.count() == 8
    assert (
        assign_round_robin(corpus=corpus, annotators=[users["ana"], users["ben"]], per_document=2)
        == 0
    )


def test_round_robin_refuses_non_annotators_and_impossible_counts(team):
    corpus, _, _, users = team
    with pytest.raises(ValueError, match="not annotators of 'Desk': out"):
        assign_round_robin(corpus=corpus, annotators=[users["ana"], users["out"]])
    with pytest.raises(ValueError, match="cannot give each document 3 of 2"):
        assign_round_robin(corpus=corpus, annotators=[users["ana"], users["ben"]], per_document=3)


def test_one_membership_per_user_and_corpus(team):
    corpus, _, _, users = team
    with pytest.raises(IntegrityError):
        Membership.objects.create(corpus=corpus, user=users["ana"], role="reviewer")


def test_assign_command(team):
    corpus, _, _, _ = team
    out = io.StringIO()
    call_command("assign", corpus="Desk", annotators=["ana", "ben"], per_document=2, stdout=out)
    assert "Desk: created 8 assignments" in out.getvalue()
    with pytest.raises(CommandError, match="no user called ghost"):
        call_command("assign", corpus="Desk", annotators=["ghost"])
    with pytest.raises(CommandError, match="not annotators"):
        call_command("assign", corpus="Desk", annotators=["mia"])

"""What a new span starts: the one rule of progress, applied by the span action."""

import pytest

from annotations.spans import create_span
from corpus.models import Assignment, Membership
from tests.factories import make_corpus, make_document, make_user


def add_actor(document, annotator, **options):
    return create_span(
        document=document,
        label=document.corpus.labels.get(key="ACTOR"),
        start=0,
        end=4,
        covered=document.text[:4],
        attributes={},
        annotator=annotator,
        **options,
    )


@pytest.fixture
def assigned():
    corpus = make_corpus()
    ana = make_user("ana")
    Membership.objects.create(corpus=corpus, user=ana, role="annotator")
    document = make_document(corpus, text="Mark Carney spoke.")
    return Assignment.objects.create(document=document, annotator=ana)


@pytest.mark.django_db
def test_an_annotators_own_first_span_starts_their_assignment_and_the_document(assigned):
    add_actor(assigned.document, assigned.annotator)
    assigned.refresh_from_db()
    assigned.document.refresh_from_db()
    assert (assigned.status, assigned.document.status) == ("in_progress", "in_progress")


@pytest.mark.django_db
def test_a_span_restored_for_an_annotator_by_someone_else_leaves_their_assignment(assigned):
    add_actor(assigned.document, assigned.annotator, editor=make_user("rev"))
    assigned.refresh_from_db()
    assigned.document.refresh_from_db()
    assert (assigned.status, assigned.document.status) == ("new", "in_progress")

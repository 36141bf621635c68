"""The API's one-document lookup decides like the document lists do, for every kind of user."""

import pytest
from django.contrib.auth.models import AnonymousUser

from corpus.access import may_read, remember_role, role_in, with_viewer_access
from corpus.models import Assignment, Document, Membership
from corpus.progress import status_for
from tests.factories import make_corpus, make_document, make_user

ROLES = [None, *Membership.Role.values]


@pytest.mark.parametrize("superuser", [False, True])
@pytest.mark.parametrize("assigned", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_may_read_agrees_with_the_visible_documents(db, role, assigned, superuser):
    corpus, elsewhere = make_corpus(), make_corpus("Elsewhere")
    user = make_user("someone", is_superuser=superuser)
    if role is not None:
        Membership.objects.create(corpus=corpus, user=user, role=role)
    documents = [make_document(corpus, external_id="here"), make_document(elsewhere)]
    if assigned:
        for document in documents:
            Assignment.objects.create(document=document, annotator=user, status="done")
    for document in documents:
        loaded = with_viewer_access(Document.objects.all(), user).get(pk=document.pk)
        visible = Document.objects.visible_to(user).filter(pk=document.pk).exists()
        assert may_read(user, loaded) == visible
        assert status_for(user, loaded) == ("done" if assigned else "new")


def test_the_lookup_reads_the_role_that_later_questions_need(db, django_assert_num_queries):
    corpus = make_corpus()
    user = make_user("rev")
    Membership.objects.create(corpus=corpus, user=user, role=Membership.Role.REVIEWER)
    document = make_document(corpus)
    with django_assert_num_queries(1):
        loaded = with_viewer_access(Document.objects.select_related("corpus"), user).get(
            pk=document.pk
        )
    assert may_read(user, loaded)
    remember_role(user, loaded)
    with django_assert_num_queries(0):
        assert role_in(user, loaded.corpus) == Membership.Role.REVIEWER
        assert status_for(user, loaded) == "new"


def test_anonymous_users_read_nothing(db):
    document = make_document(make_corpus())
    assert not with_viewer_access(Document.objects.all(), AnonymousUser()).filter(pk=document.pk)

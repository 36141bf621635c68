"""Each access question has a queryset answer and a per-row answer; over generated users,
roles, assignments and spans they agree."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.layers import ALL_LAYERS, GOLD_LAYER, sees_span, span_visibility
from annotations.models import Annotation, Label
from corpus.access import (
    managed_corpora,
    may_edit_span,
    may_manage,
    may_read,
    may_review,
    may_see_corpus,
    reviewed_corpora,
    role_in,
    span_edit_condition,
    visible_corpora,
    visible_documents,
    with_viewer_access,
)
from corpus.models import Assignment, Corpus, Document, Membership, sha256_hex
from tests.factories import make_user

USERS, CORPORA, DOCUMENTS_PER_CORPUS = 3, 2, 2
DOCUMENTS = CORPORA * DOCUMENTS_PER_CORPUS
TEXT = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class World:
    users: list
    corpora: list[Corpus]
    documents: list[Document]
    spans: list[Annotation]


worlds = st.fixed_dictionaries(
    {
        "flags": st.lists(st.tuples(st.booleans(), st.booleans()), min_size=USERS, max_size=USERS),
        "roles": st.lists(
            st.sampled_from([None, *Membership.Role.values]),
            min_size=USERS * CORPORA,
            max_size=USERS * CORPORA,
        ),
        "assigned": st.lists(st.booleans(), min_size=USERS * DOCUMENTS, max_size=USERS * DOCUMENTS),
        # Per span: its document, its annotator (None: imported without one), gold or not.
        "spans": st.lists(
            st.tuples(
                st.integers(0, DOCUMENTS - 1), st.sampled_from([None, *range(USERS)]), st.booleans()
            ),
            max_size=8,
        ),
    }
)


def build(data: dict) -> World:
    users = [
        make_user(f"user{index}", is_superuser=superuser, is_active=active)
        for index, (superuser, active) in enumerate(data["flags"])
    ]
    corpora, documents = [], []
    for c in range(CORPORA):
        corpus = Corpus.objects.create(name=f"Corpus {c}", slug=f"corpus-{c}")
        Label.objects.create(corpus=corpus, key="PERSON", name="Person")
        corpora.append(corpus)
        for d in range(DOCUMENTS_PER_CORPUS):
            text = f"{TEXT} {c} {d}"
            documents.append(
                Document.objects.create(
                    corpus=corpus, external_id=f"d{d}", text=text, text_sha256=sha256_hex(text)
                )
            )
    for (u, c), role in zip(
        ((u, c) for u in range(USERS) for c in range(CORPORA)), data["roles"], strict=True
    ):
        if role is not None:
            Membership.objects.create(user=users[u], corpus=corpora[c], role=role)
    for (u, d), assigned in zip(
        ((u, d) for u in range(USERS) for d in range(DOCUMENTS)), data["assigned"], strict=True
    ):
        if assigned:
            Assignment.objects.create(annotator=users[u], document=documents[d])
    spans = []
    for start, (d, annotator, gold) in enumerate(data["spans"]):
        document = documents[d]
        spans.append(
            Annotation.objects.create(
                document=document,
                label=document.corpus.labels.get(),
                start=start,
                end=start + 1,
                text=document.text[start],
                annotator=None if annotator is None else users[annotator],
                is_gold=gold,
            )
        )
    return World(users, corpora, documents, spans)


def fresh(user):
    """Return `user` without the roles a previous question left on it."""
    return user if not user.is_authenticated else type(user).objects.get(pk=user.pk)


def check_corpus_and_document_questions(world: World, user) -> None:
    pairs = [
        (visible_corpora, may_see_corpus),
        (managed_corpora, may_manage),
        (reviewed_corpora, may_review),
    ]
    for many, one in pairs:
        expected = {c.pk for c in world.corpora if one(fresh(user), c)}
        assert set(many(fresh(user)).values_list("pk", flat=True)) == expected, one.__name__
    readable = {d.pk for d in world.documents if may_read(fresh(user), d)}
    assert set(visible_documents(fresh(user)).values_list("pk", flat=True)) == readable
    loaded = with_viewer_access(Document.objects.all(), user)
    assert {d.pk for d in loaded if may_read(user, d)} == readable
    if user.is_authenticated and not user.is_superuser:
        roles = dict(Corpus.objects.with_viewer_role(user).values_list("pk", "viewer_role"))
        assert roles == {c.pk: role_in(fresh(user), c) for c in world.corpora}


def check_span_questions(world: World, user) -> None:
    layers = [None, ALL_LAYERS, GOLD_LAYER, *(u.username for u in world.users)]
    for corpus in world.corpora:
        spans = Annotation.objects.filter(document__corpus=corpus).select_related(
            "document__corpus", "annotator"
        )
        editable = {s.pk for s in spans if may_edit_span(fresh(user), s)}
        assert (
            set(spans.filter(span_edit_condition(fresh(user), corpus)).values_list("pk", flat=True))
            == editable
        )
        if not user.is_authenticated:
            continue
        for layer in layers:
            seen = {s.pk for s in spans if sees_span(fresh(user), s, layer)}
            condition = span_visibility(fresh(user), corpus, layer)
            assert set(spans.filter(condition).values_list("pk", flat=True)) == seen, layer


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=worlds)
def test_each_access_question_answers_alike_for_many_rows_and_for_one(db, data):
    with transaction.atomic():
        world = build(data)
        for user in [*world.users, AnonymousUser()]:
            check_corpus_and_document_questions(world, user)
            check_span_questions(world, user)
        transaction.set_rollback(True)

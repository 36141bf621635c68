import json

import pytest
from django.urls import reverse

from teams.models import Assignment, Membership
from tests.factories import make_annotation, make_corpus, make_document, make_user


@pytest.fixture
def two_desks(db):
    mine, theirs = make_corpus("Mine"), make_corpus("Theirs")
    manager = make_user("mia", is_staff=True)
    annotator = make_user("ana", is_staff=True)
    Membership.objects.create(corpus=mine, user=manager, role="manager")
    Membership.objects.create(corpus=mine, user=annotator, role="annotator")
    own = make_annotation(
        make_document(mine, text="Carney spoke.", external_id="m"), "ACTOR", "Carney"
    )
    other = make_annotation(
        make_document(theirs, text="Joly spoke.", external_id="t"), "ACTOR", "Joly"
    )
    Assignment.objects.create(document=own.document, annotator=annotator)
    Assignment.objects.create(document=other.document, annotator=annotator)
    return manager, annotator, own, other


def changelist(client, name):
    return client.get(reverse(f"admin:{name}_changelist"))


@pytest.mark.parametrize(
    "name",
    [
        "annotations_annotation",
        "annotations_label",
        "annotations_relation",
        "teams_membership",
        "teams_assignment",
    ],
)
def test_manager_lists_only_their_corpus(client, two_desks, name):
    manager, *_ = two_desks
    client.force_login(manager)
    response = changelist(client, name)
    assert response.status_code == 200
    corpora = {
        str(getattr(row, "corpus", None) or row.document.corpus)
        for row in response.context["cl"].result_list
    }
    assert corpora <= {"Mine"}


def test_objects_of_other_corpora_answer_404_in_the_admin(client, two_desks):
    manager, _, own, other = two_desks
    client.force_login(manager)
    assert (
        client.get(reverse("admin:annotations_annotation_change", args=[own.pk])).status_code == 200
    )
    assert (
        client.get(reverse("admin:annotations_annotation_change", args=[other.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("admin:annotations_annotation_history", args=[own.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("admin:annotations_annotation_history", args=[other.pk])).status_code
        == 404
    )
    label = other.label
    assert client.get(reverse("admin:annotations_label_change", args=[label.pk])).status_code == 404
    response = client.post(
        reverse("admin:annotations_annotation_delete", args=[other.pk]), {"post": "yes"}
    )
    assert response.status_code == 404
    assert type(other).objects.filter(pk=other.pk).exists()


def test_staff_without_a_managed_corpus_gets_no_admin_modules(client, two_desks):
    _, annotator, own, _ = two_desks
    client.force_login(annotator)
    assert changelist(client, "annotations_annotation").status_code == 403
    # Annotators work on the annotation pages; in the admin their corpus's objects do not exist.
    change = reverse("admin:annotations_annotation_change", args=[own.pk])
    assert client.get(change).status_code == 404


def test_history_of_a_deleted_span_stays_with_its_corpus(client, two_desks):
    manager, _, own, other = two_desks
    own_pk, other_pk = own.pk, other.pk
    own.delete()
    other.delete()
    client.force_login(manager)
    history = "admin:annotations_annotation_history"
    assert client.get(reverse(history, args=[own_pk])).status_code == 200
    assert client.get(reverse(history, args=[other_pk])).status_code == 404


def test_superuser_sees_every_corpus(admin_client, two_desks):
    response = changelist(admin_client, "annotations_annotation")
    assert {row.document.corpus.name for row in response.context["cl"].result_list} == {
        "Mine",
        "Theirs",
    }


def test_managers_select_boxes_offer_only_their_corpus(client, two_desks):
    manager, *_ = two_desks
    client.force_login(manager)
    form = client.get(reverse("admin:annotations_label_add")).context["adminform"].form
    assert [c.name for c in form.fields["corpus"].queryset] == ["Mine"]


def test_manager_sees_only_their_corpus_and_its_documents(client, two_desks):
    manager, _, own, other = two_desks
    client.force_login(manager)
    corpora = changelist(client, "corpus_corpus").context["cl"].result_list
    assert [c.name for c in corpora] == ["Mine"]
    documents = changelist(client, "corpus_document").context["cl"].result_list
    assert [d.external_id for d in documents] == ["m"]
    theirs = reverse("admin:corpus_document_change", args=[other.document.pk])
    assert client.get(theirs).status_code == 404
    assert (
        client.get(
            reverse("admin:corpus_corpus_change", args=[other.document.corpus.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("admin:corpus_document_change", args=[own.document.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("admin:corpus_document_history", args=[own.document.pk])).status_code
        == 200
    )


def test_only_superusers_create_or_delete_corpora(client, two_desks):
    manager, _, own, _ = two_desks
    client.force_login(manager)
    assert client.get(reverse("admin:corpus_corpus_add")).status_code == 403
    assert (
        client.get(reverse("admin:corpus_corpus_delete", args=[own.document.corpus.pk])).status_code
        == 403
    )


def test_export_action_exports_only_what_the_manager_sees(client, two_desks):
    manager, _, own, other = two_desks
    client.force_login(manager)
    response = client.post(
        reverse("admin:corpus_document_changelist"),
        {
            "action": "export_jsonl",
            "_selected_action": [own.document.pk, other.document.pk],
            "format": "byline",
        },
    )
    lines = b"".join(response.streaming_content).splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["m"]

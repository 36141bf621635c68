import json
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Annotation, Label, Relation
from corpus.admin_scoping import CorpusScopedAdmin
from corpus.models import Assignment, Corpus, Document, Membership
from jobs.models import Job
from tests.factories import (
    make_annotation,
    make_corpus,
    make_document,
    make_speaker_relation,
    make_user,
)
from tests.jobs.exports import export_through_admin, output_of


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
        "corpus_membership",
        "corpus_assignment",
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
    [job] = export_through_admin(client, [own.document.pk, other.document.pk])
    assert job.corpus == own.document.corpus
    lines = output_of(job).read_bytes().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["m"]


# Their corpus, with a value of every kind the admin could leak: a tag, a label of its own,
# a member who belongs to no other corpus, a link, an assignment and a few history rows.
THEIR_MARKERS = ["Theirs", "their-tag", "THEIR_KEY", "bob-of-theirs", "Joly"]


@pytest.fixture
def theirs(two_desks):
    """Add their rows to `two_desks`; return one of each kind, by model.

    The manager also gets a second corpus, so that each list filter has more than one value of
    ours to offer (Django hides a filter with a single choice).
    """
    manager, annotator, own, other = two_desks
    own.document.tags.add("our-tag")
    make_speaker_relation(make_annotation(own.document, "QUOTE", "spoke"), own)
    ours_too = make_corpus("Ours too")
    Membership.objects.create(corpus=ours_too, user=manager, role="manager")
    second = make_document(ours_too, text="Carney spoke again.", external_id="m2")
    second.tags.add("our-other-tag")
    make_speaker_relation(
        make_annotation(second, "QUOTE", "spoke"),
        make_annotation(second, "ACTOR", "Carney", annotator=annotator),
    )
    Assignment.objects.create(document=second, annotator=manager)

    document = other.document
    corpus = document.corpus
    bob = make_user("bob-of-theirs", is_staff=True)
    membership = Membership.objects.create(corpus=corpus, user=bob, role="manager")
    document.tags.add("their-tag")
    document.title = "Joly spoke."
    document.save()
    label = Label.objects.create(corpus=corpus, key="THEIR_KEY", name="Their key")
    make_annotation(document, "THEIR_KEY", "Joly", annotator=bob)
    quote = make_annotation(document, "QUOTE", "spoke", annotator=bob)
    other.annotator = bob
    other.save()
    relation = make_speaker_relation(quote, other)
    assignment = Assignment.objects.create(document=document, annotator=bob)
    job = Job.objects.create(kind=Job.Kind.EXPORT, corpus=corpus, started_by=bob)
    return {
        Job: job,
        Corpus: corpus,
        Document: document,
        Label: label,
        Annotation: other,
        Relation: relation,
        Membership: membership,
        Assignment: assignment,
        get_user_model(): bob,
    }


def rows_of_every_table() -> dict[str, list[dict]]:
    """Return every row of every table, history and admin log included."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def path_with(pattern, values: list[str]) -> str:
    """Return the path of URL `pattern` with its groups filled in by `values`, in order."""
    pieces = re.split(r"<[^>]*>|\([^()]*\)", str(pattern.pattern).lstrip("^").rstrip("$"))
    assert len(pieces) == len(values) + 1, f"{pattern} takes {len(pieces) - 1} values"
    return "".join(piece + value for piece, value in zip(pieces, [*values, ""], strict=True))


def object_urls(theirs) -> list[str]:
    """Return every admin URL that takes the id of one of their objects, for each scoped admin.

    A newly registered admin, or a new URL shape, fails here until it is covered.
    """
    urls = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, CorpusScopedAdmin):
            continue
        assert model in theirs, f"add one of their {model.__name__} rows to the fixture"
        obj = theirs[model]
        prefix = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for pattern in model_admin.get_urls():
            groups = pattern.pattern.regex.groups
            if groups == 0:
                continue
            values = [str(obj.pk)]
            if groups == 2 and pattern.name.endswith("_simple_history"):
                values.append(str(obj.history.order_by("-history_date").first().history_id))
            urls.append(prefix + path_with(pattern, values))
        content_type = ContentType.objects.get_for_model(model)
        urls.append(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))
    return urls


def post_data(response) -> dict:
    """Return what a browser would POST back from the admin form in `response`, unchanged."""
    data = {"post": "yes", "_save": "Save"}
    context = response.context
    if context is None or "adminform" not in context:
        return data
    forms = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def test_every_admin_url_of_their_objects_answers_404_and_writes_nothing(
    client, admin_client, two_desks, theirs
):
    manager, *_ = two_desks
    client.force_login(manager)
    urls = object_urls(theirs)
    assert any(re.search(r"/history/\d+/$", url) for url in urls)
    for url in urls:
        # A superuser's form of the same object: a POST that would write if it were let in.
        data = post_data(admin_client.get(url))
        before = rows_of_every_table()
        assert client.get(url, follow=True).status_code == 404, url
        assert client.post(url, data, follow=True).status_code == 404, url
        assert rows_of_every_table() == before, url


def test_every_other_admin_is_closed_to_corpus_managers(rf, two_desks):
    manager, *_ = two_desks
    request = rf.get("/admin/")
    request.user = manager
    for model_admin in admin.site._registry.values():
        if not isinstance(model_admin, CorpusScopedAdmin):
            assert not model_admin.has_module_permission(request), model_admin
            assert not model_admin.has_view_or_change_permission(request), model_admin


def test_permission_checks_on_their_objects_say_no(rf, two_desks, theirs):
    manager, _, own, _ = two_desks
    request = rf.get("/admin/")
    request.user = manager
    for model, obj in theirs.items():
        model_admin = admin.site._registry.get(model)
        if isinstance(model_admin, CorpusScopedAdmin):
            assert not model_admin.has_view_permission(request, obj), model
            assert not model_admin.has_change_permission(request, obj), model
            assert not model_admin.has_delete_permission(request, obj), model
    annotations = admin.site._registry[Annotation]
    assert annotations.has_change_permission(request, own)


def test_history_form_of_their_deleted_span_answers_404(client, two_desks, theirs):
    manager, _, own, other = two_desks
    versions = {
        span.pk: span.history.order_by("-history_date").first().history_id for span in (own, other)
    }
    own_pk, other_pk = own.pk, other.pk
    own.delete()
    other.delete()
    client.force_login(manager)
    form = "admin:annotations_annotation_simple_history"
    assert client.get(reverse(form, args=[own_pk, versions[own_pk]])).status_code == 200
    assert client.get(reverse(form, args=[other_pk, versions[other_pk]])).status_code == 404


def test_history_form_shows_but_does_not_revert_own_objects(client, two_desks):
    manager, _, own, _ = two_desks
    document = own.document
    first = document.history.get().history_id
    document.title = "Changed since"
    document.save()
    client.force_login(manager)
    url = reverse("admin:corpus_document_simple_history", args=[document.pk, first])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Carney spoke.", "status": "new", "_save": "Revert"})
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.title == "Changed since"
    assert document.history.count() == 2


@pytest.mark.parametrize(
    ("name", "ours"),
    [
        ("corpus_document", ["Mine", "our-tag"]),
        ("annotations_label", ["Mine"]),
        ("annotations_annotation", ["Mine", "ACTOR"]),
        ("annotations_relation", ["Mine"]),
        ("corpus_membership", ["Mine"]),
        ("corpus_assignment", ["Mine", "ana"]),
    ],
)
def test_changelist_filters_offer_only_values_of_managed_corpora(
    client, two_desks, theirs, name, ours
):
    manager, *_ = two_desks
    client.force_login(manager)
    response = changelist(client, name)
    offered = {
        str(choice["display"])
        for spec in response.context["cl"].filter_specs
        for choice in spec.choices(response.context["cl"])
    }
    assert set(ours) <= offered
    page = response.content.decode()
    assert [marker for marker in THEIR_MARKERS if marker in page] == []


def test_superusers_filters_still_offer_every_corpus(admin_client, theirs):
    response = changelist(admin_client, "corpus_document")
    offered = {
        str(choice["display"])
        for spec in response.context["cl"].filter_specs
        for choice in spec.choices(response.context["cl"])
    }
    assert {"Mine", "Theirs", "our-tag", "their-tag"} <= offered


def test_add_forms_given_their_ids_show_nothing_of_theirs(client, two_desks, theirs):
    manager, *_ = two_desks
    client.force_login(manager)
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, CorpusScopedAdmin) or model is Corpus:
            continue
        their_ids = {
            field.name: theirs[field.related_model].pk
            for field in model._meta.get_fields()
            if field.many_to_one and field.related_model in theirs
        }
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        page = client.get(url, their_ids).content.decode()
        assert [marker for marker in THEIR_MARKERS if marker in page] == [], model


def test_raw_id_boxes_of_a_rejected_form_name_nothing_of_theirs(client, two_desks, theirs):
    manager, _, own, _ = two_desks
    client.force_login(manager)
    their_span = theirs[Annotation].document.annotations.get(label__key="THEIR_KEY")
    response = client.post(
        reverse("admin:annotations_relation_add"),
        {
            "document": theirs[Document].pk,
            "type": "speaker",
            "source": their_span.pk,
            "target": theirs[Annotation].pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    page = response.content.decode()
    assert [marker for marker in THEIR_MARKERS if marker in page] == []


def test_user_select_boxes_offer_only_members_of_managed_corpora(client, two_desks, theirs):
    manager, annotator, *_ = two_desks
    client.force_login(manager)
    for name in ["corpus_assignment", "annotations_annotation", "annotations_relation"]:
        form = client.get(reverse(f"admin:{name}_add")).context["adminform"].form
        field = form.fields["annotator"]
        assert set(field.queryset) == {manager, annotator}, name


def test_manager_adds_a_member_by_exact_username_without_a_list_of_accounts(
    client, two_desks, theirs
):
    manager, _, own, _ = two_desks
    newcomer = make_user("newcomer")
    client.force_login(manager)
    url = reverse("admin:corpus_membership_add")
    page = client.get(url).content.decode()
    assert "newcomer" not in page
    assert "bob-of-theirs" not in page
    corpus = own.document.corpus
    refused = client.post(url, {"corpus": corpus.pk, "user": "nobody", "role": "annotator"})
    assert refused.status_code == 200
    assert "newcomer" not in refused.content.decode()
    added = client.post(url, {"corpus": corpus.pk, "user": "newcomer", "role": "annotator"})
    assert added.status_code == 302
    assert Membership.objects.get(user=newcomer).corpus == corpus
    change = reverse(
        "admin:corpus_membership_change", args=[Membership.objects.get(user=newcomer).pk]
    )
    assert 'value="newcomer"' in client.get(change).content.decode()


def test_rejected_link_in_a_document_form_names_nothing_of_theirs(client, two_desks, theirs):
    manager, _, own, _ = two_desks
    for codename in ["view_annotation", "change_annotation", "view_relation", "add_relation"]:
        manager.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(manager)
    url = reverse("admin:corpus_document_change", args=[own.document.pk])
    data = post_data(client.get(url))
    their_span = theirs[Annotation].document.annotations.get(label__key="THEIR_KEY")
    new = int(data["relations-TOTAL_FORMS"])
    data.update(
        {
            "relations-TOTAL_FORMS": str(new + 1),
            f"relations-{new}-type": "speaker",
            f"relations-{new}-source": str(their_span.pk),
            f"relations-{new}-target": str(theirs[Annotation].pk),
        }
    )
    before = rows_of_every_table()
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert [marker for marker in THEIR_MARKERS if marker in page] == []
    assert rows_of_every_table() == before


def test_renaming_a_corpus_after_theirs_tells_the_manager_nothing(client, two_desks, theirs):
    manager, _, own, _ = two_desks
    corpus = own.document.corpus
    client.force_login(manager)
    url = reverse("admin:corpus_corpus_change", args=[corpus.pk])
    data = post_data(client.get(url))
    data.update({"name": "Theirs", "slug": "theirs", "description": "Our desk."})
    response = client.post(url, data)
    assert response.status_code == 302
    corpus.refresh_from_db()
    assert (corpus.name, corpus.slug, corpus.description) == ("Mine", "mine", "Our desk.")


def test_superuser_still_renames_corpora(admin_client, two_desks):
    _, _, own, _ = two_desks
    corpus = own.document.corpus
    url = reverse("admin:corpus_corpus_change", args=[corpus.pk])
    data = post_data(admin_client.get(url))
    data.update({"name": "Ours", "slug": "ours"})
    assert admin_client.post(url, data).status_code == 302
    corpus.refresh_from_db()
    assert (corpus.name, corpus.slug) == ("Ours", "ours")


def test_history_form_post_does_not_move_their_span_into_our_document(client, two_desks, theirs):
    manager, _, own, other = two_desks
    version = other.history.order_by("-history_date").first().history_id
    client.force_login(manager)
    before = rows_of_every_table()
    response = client.post(
        reverse("admin:annotations_annotation_simple_history", args=[other.pk, version]),
        {
            "document": own.document.pk,
            "label": own.label.pk,
            "start": 7,
            "end": 12,
            "attributes": "{}",
            "_save": "Revert",
        },
    )
    assert response.status_code == 404
    assert rows_of_every_table() == before


def test_delete_page_looks_up_the_document_once_however_many_spans_it_lists(client, two_desks):
    manager, _, own, _ = two_desks
    document = own.document
    for covered, label in [("spoke", "QUOTE"), ("spoke", "ACTOR"), ("spoke", "FIGURE")]:
        make_annotation(document, label, covered)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:corpus_document_delete", args=[document.pk]))
    assert response.status_code == 200
    # Each listed span's delete permission asks for its document's corpus.
    lookups = [
        query
        for query in captured.captured_queries
        if query["sql"].startswith('SELECT "corpus_document"."corpus_id"')
    ]
    assert len(lookups) == 1

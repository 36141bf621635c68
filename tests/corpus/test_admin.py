import json

import pytest
from django.urls import reverse

from annotations.interchange.imports import import_paths
from annotations.models import Annotation, Label, Relation
from corpus.models import Corpus
from jobs.models import Job
from tests.factories import (
    SEED_PATHS,
    make_annotation,
    make_corpus,
    make_document,
    make_speaker_relation,
    make_user,
)
from tests.jobs.exports import export_through_admin, output_of


@pytest.fixture
def seeded(corpus, analyst):
    import_paths(SEED_PATHS, corpus=corpus)
    for i in range(15):
        document = make_document(
            corpus, text=f"Story {i}: Mark Carney said “yes”.", external_id=f"s{i}"
        )
        document.tags.add("bulk", f"t{i % 3}")
        quote = make_annotation(document, "QUOTE", "yes")
        make_speaker_relation(
            quote, make_annotation(document, "ACTOR", "Mark Carney", annotator=analyst)
        )
    return corpus


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


CHANGELISTS = [
    "admin:corpus_corpus_changelist",
    "admin:corpus_document_changelist",
    "admin:annotations_label_changelist",
    "admin:annotations_annotation_changelist",
    "admin:annotations_relation_changelist",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelists_render_with_a_bounded_number_of_queries(
    seeded, staff_client, name, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = staff_client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.django_db
def test_document_changelist_shows_counts_tags_and_flags_and_filters(seeded, staff_client):
    url = reverse("admin:corpus_document_changelist")
    page = staff_client.get(url).content.decode()
    assert "The New York Times" in page
    assert "bulk, t0" in page
    flagged = staff_client.get(url, {"flagged": "yes"})
    assert flagged.context["cl"].result_count == 1
    assert staff_client.get(url, {"q": "Saab Gripen"}).context["cl"].result_count == 1
    assert (
        staff_client.get(
            url, {"tags__id__exact": seeded.documents.get(external_id="s0").tags.get(name="t0").pk}
        )
        .context["cl"]
        .result_count
        == 5
    )
    counts = {
        row.external_id: row.annotation_count
        for row in staff_client.get(url).context["cl"].result_list
    }
    assert counts["s0"] == 2


@pytest.mark.django_db
def test_corpus_changelist_counts_documents_and_annotations(seeded, staff_client):
    [row] = staff_client.get(reverse("admin:corpus_corpus_changelist")).context["cl"].result_list
    assert (row.document_count, row.annotation_count) == (17, 30)


@pytest.mark.django_db
def test_document_change_form_shows_text_with_spans_and_flags_escaped(
    seeded, staff_client, django_assert_max_num_queries
):
    cp = seeded.documents.get(external_id=SEED_PATHS[1].stem)
    make_annotation(cp, "ACTOR", "Mélanie Joly")
    with django_assert_max_num_queries(30):
        page = staff_client.get(
            reverse("admin:corpus_document_change", args=[cp.pk])
        ).content.decode()
    assert "gbk_as_latin1" in page
    assert "春色直播" in page
    assert 'title="ACTOR [' in page
    hostile = make_document(seeded, text="<script>alert(1)</script> Mark Carney", external_id="xss")
    make_annotation(hostile, "ACTOR", "Mark Carney")
    page = staff_client.get(
        reverse("admin:corpus_document_change", args=[hostile.pk])
    ).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["corpus_corpus", "annotations_label", "annotations_annotation", "annotations_relation"]
)
def test_change_forms_render(seeded, staff_client, name):
    model = {
        "corpus_corpus": Corpus,
        "annotations_label": Label,
        "annotations_annotation": Annotation,
        "annotations_relation": Relation,
    }[name]
    obj = model.objects.first()
    assert staff_client.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 200
    assert staff_client.get(reverse(f"admin:{name}_add")).status_code == 200


@pytest.mark.django_db
def test_admin_adds_a_span_whose_text_comes_from_the_offsets(seeded, staff_client, admin_user):
    document = seeded.documents.get(external_id=SEED_PATHS[0].stem)
    start = document.text.index("Mark Carney")
    label = seeded.labels.get(key="ACTOR")
    form = {
        "document": document.pk,
        "label": label.pk,
        "start": start,
        "end": start + 11,
        "annotator": admin_user.pk,
        "attributes": "{}",
    }
    response = staff_client.post(reverse("admin:annotations_annotation_add"), form)
    assert response.status_code == 302
    assert document.annotations.get().text == "Mark Carney"
    response = staff_client.post(
        reverse("admin:annotations_annotation_add"), {**form, "end": len(document.text) + 5}
    )
    assert response.status_code == 200
    assert "outside a text" in response.content.decode()
    response = staff_client.post(
        reverse("admin:annotations_annotation_add"),
        {
            **form,
            "label": seeded.labels.get(key="FIGURE").pk,
            "attributes": json.dumps({"value": "many"}),
        },
    )
    assert "must be a number" in response.content.decode()


@pytest.mark.django_db
def test_admin_refuses_a_link_between_two_analysts_layers_as_the_api_does(
    corpus, staff_client, admin_user
):
    document = make_document(corpus, text="Mark Carney said “yes”.")
    ana, ben = make_user("ana"), make_user("ben")
    quote = make_annotation(document, "QUOTE", "yes", annotator=ana)
    form = {"document": document.pk, "type": "speaker", "source": quote.pk, "annotator": ""}
    bens = make_annotation(document, "ACTOR", "Mark Carney", annotator=ben)
    response = staff_client.post(
        reverse("admin:annotations_relation_add"), {**form, "target": bens.pk}
    )
    assert response.status_code == 200
    assert "a relation links two spans of the same layer" in response.content.decode()
    assert not Relation.objects.exists()
    anas = make_annotation(document, "ACTOR", "Mark Carney", annotator=ana)
    response = staff_client.post(
        reverse("admin:annotations_relation_add"), {**form, "target": anas.pk}
    )
    assert response.status_code == 302
    assert Relation.objects.get().target == anas


@pytest.mark.django_db
def test_admin_refuses_attributes_with_a_nul_or_a_lone_surrogate(seeded, staff_client, admin_user):
    document = seeded.documents.get(external_id=SEED_PATHS[0].stem)
    start = document.text.index("Mark Carney")
    form = {
        "document": document.pk,
        "label": seeded.labels.get(key="ACTOR").pk,
        "start": start,
        "end": start + 11,
        "annotator": admin_user.pk,
    }
    for attributes, message in [
        ('{"comment": "a\\u0000b"}', "contains a NUL character"),
        ('{"comment": "a\\udc80b"}', "contains a lone surrogate"),
    ]:
        response = staff_client.post(
            reverse("admin:annotations_annotation_add"), {**form, "attributes": attributes}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not document.annotations.exists()


@pytest.mark.django_db
def test_new_corpus_from_the_admin_gets_the_news_labels(staff_client):
    response = staff_client.post(
        reverse("admin:corpus_corpus_add"),
        {
            "name": "Wire",
            "slug": "wire",
            "description": "",
            "labels-TOTAL_FORMS": 0,
            "labels-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    assert sorted(Corpus.objects.get(name="Wire").labels.values_list("key", flat=True)) == [
        "ACTOR",
        "ANON_SOURCE",
        "FIGURE",
        "QUOTE",
    ]


@pytest.mark.django_db
def test_export_action_asks_what_to_export_then_starts_a_job(seeded, staff_client):
    selected = list(
        seeded.documents.filter(external_id__in=["s1", "s2"]).values_list("pk", flat=True)
    )
    url = reverse("admin:corpus_document_changelist")
    form = staff_client.post(url, {"action": "export_documents", "_selected_action": selected})
    assert form.status_code == 200
    assert b'name="layer"' in form.content
    assert not Job.objects.exists()
    [job] = export_through_admin(staff_client, selected)
    assert job.params["document_ids"] == sorted(selected)
    lines = [json.loads(line) for line in output_of(job).read_bytes().splitlines()]
    assert [line["id"] for line in lines] == ["s1", "s2"]
    assert len(lines[0]["spans"]) == 2
    assert len(lines[0]["relations"]) == 1


@pytest.mark.django_db
def test_tag_actions_add_and_remove_a_tag(seeded, staff_client):
    selected = list(
        seeded.documents.filter(external_id__in=["s1", "s2"]).values_list("pk", flat=True)
    )
    make_document(make_corpus("Elsewhere"), text="Their text.").tags.add("CHECKED")
    url = reverse("admin:corpus_document_changelist")
    staff_client.post(url, {"action": "add_tag", "tag": "checked", "_selected_action": selected})
    # Another corpus's "CHECKED" is not this corpus's tag: the name stays as typed.
    assert sorted(
        seeded.documents.filter(tags__name="checked").values_list("external_id", flat=True)
    ) == ["s1", "s2"]
    staff_client.post(
        url, {"action": "remove_tag", "tag": "checked", "_selected_action": selected[:1]}
    )
    assert list(
        seeded.documents.filter(tags__name="checked").values_list("external_id", flat=True)
    ) == ["s2"]


@pytest.mark.django_db
def test_admin_deletes_a_span_and_its_link_through_the_action_with_history(
    corpus, staff_client, admin_user
):
    document = make_document(corpus, text="Mark Carney said “yes”.")
    speaker = make_annotation(document, "ACTOR", "Mark Carney")
    relation = make_speaker_relation(make_annotation(document, "QUOTE", "yes"), speaker)
    response = staff_client.post(
        reverse("admin:annotations_annotation_delete", args=[speaker.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Relation.objects.exists()
    assert not Annotation.objects.filter(pk=speaker.pk).exists()
    deleted_span = Annotation.history.get(id=speaker.pk, history_type="-")
    deleted_link = Relation.history.get(id=relation.pk, history_type="-")
    assert deleted_span.history_user == deleted_link.history_user == admin_user


@pytest.mark.django_db
def test_admin_relabel_drops_the_link_the_new_label_does_not_allow(
    corpus, staff_client, admin_user
):
    document = make_document(corpus, text="Mark Carney said “yes”.")
    speaker = make_annotation(document, "ACTOR", "Mark Carney")
    make_speaker_relation(make_annotation(document, "QUOTE", "yes"), speaker)
    form = {
        "document": document.pk,
        "label": corpus.labels.get(key="FIGURE").pk,
        "start": speaker.start,
        "end": speaker.end,
        "annotator": "",
        "attributes": "{}",
    }
    response = staff_client.post(
        reverse("admin:annotations_annotation_change", args=[speaker.pk]), form
    )
    assert response.status_code == 302
    assert Annotation.objects.get(pk=speaker.pk).label.key == "FIGURE"
    assert not Relation.objects.exists()


@pytest.mark.django_db
def test_admin_refuses_a_second_speaker_as_the_api_does(corpus, staff_client):
    document = make_document(corpus, text="Mark Carney and Joly said “yes”.")
    quote = make_annotation(document, "QUOTE", "yes")
    make_speaker_relation(quote, make_annotation(document, "ACTOR", "Mark Carney"))
    joly = make_annotation(document, "ACTOR", "Joly")
    form = {"document": document.pk, "type": "speaker", "source": quote.pk, "target": joly.pk}
    response = staff_client.post(reverse("admin:annotations_relation_add"), form)
    assert response.status_code == 200
    assert "already has a speaker" in response.content.decode()
    assert Relation.objects.count() == 1


def test_the_flagged_column_shows_a_warning_sign_not_a_tick(staff_client, corpus):
    make_document(corpus, text="Clean text.", external_id="clean")
    make_document(
        corpus,
        text="Caf\u00c3\u00a9 text.",
        external_id="odd",
        quality_flags=[{"start": 0, "end": 5, "kind": "mojibake", "note": "", "suggestion": ""}],
    )
    html = staff_client.get(reverse("admin:corpus_document_changelist")).content.decode()
    assert 'title="1 suspicious range found at import">⚠ 1</span>' in html
    assert html.count('class="quality-flag"') == 1
    assert "icon-yes.svg" not in html

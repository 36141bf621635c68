import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotations.interchange.imports import import_paths
from annotations.models import Annotation, Relation
from annotations.spans import create_span, delete_span, update_span
from corpus.models import Assignment, Document, Membership
from teams.adjudication import accept_agreed, accept_spans, compare_layers
from teams.corpus_agreement import corpus_agreement
from teams.history import RevertError, document_history, revert_change
from tests.factories import make_annotation, make_document, make_speaker_relation, make_user

TEXT = "Mark Carney said: “We are ready.” Two officials disagreed. Joly said “no”."


@pytest.fixture
def layers(corpus):
    ana, ben, rev = make_user("ana"), make_user("ben"), make_user("rev")
    document = make_document(corpus, text=TEXT, external_id="d1")
    for analyst in (ana, ben):
        quote = make_annotation(document, "QUOTE", "We are ready.", annotator=analyst)
        carney = make_annotation(document, "ACTOR", "Mark Carney", annotator=analyst)
        make_speaker_relation(quote, carney)
    make_annotation(document, "ANON_SOURCE", "Two officials", annotator=ana)
    make_annotation(document, "ACTOR", "Joly", annotator=ben)
    return document, ana, ben, rev


def test_layers_are_compared_span_by_span(layers):
    document, *_ = layers
    analysts, variants = compare_layers(document)
    assert analysts == ["ana", "ben"]
    agreed = {(v.label, v.text) for v in variants if v.agreed}
    assert agreed == {("QUOTE", "We are ready."), ("ACTOR", "Mark Carney")}
    disputed = {(v.label, tuple(v.annotators)) for v in variants if not v.agreed}
    assert disputed == {("ANON_SOURCE", ("ana",)), ("ACTOR", ("ben",))}


def test_accepting_agreed_spans_builds_gold_with_their_speaker_link(layers):
    document, _, _, rev = layers
    gold = accept_agreed(document=document, reviewer=rev)
    assert sorted(g.text for g in gold) == ["Mark Carney", "We are ready."]
    assert all(g.is_gold and g.annotator == rev for g in gold)
    relation = Relation.objects.get(source__is_gold=True)
    assert (relation.source.text, relation.target.text) == ("We are ready.", "Mark Carney")
    assert accept_agreed(document=document, reviewer=rev) == []  # idempotent
    _, variants = compare_layers(document)
    assert all(v.in_gold for v in variants if v.agreed)


def test_reviewer_chooses_a_variant_for_a_disputed_span(layers):
    document, _, ben, rev = layers
    joly = Annotation.objects.get(text="Joly", annotator=ben)
    [gold] = accept_spans(spans=[joly], reviewer=rev)
    assert (gold.is_gold, gold.text, gold.label.key) == (True, "Joly", "ACTOR")
    assert accept_spans(spans=[joly], reviewer=rev) == [gold]


def test_corpus_agreement_per_pair_and_label(layers, corpus):
    document, ana, ben, _ = layers
    rows = {(row.label, row.annotator_a, row.annotator_b): row for row in corpus_agreement(corpus)}
    overall = rows[("ALL", "ana", "ben")]
    assert overall.documents == 1
    # ana: QUOTE, ACTOR, ANON_SOURCE; ben: QUOTE, ACTOR, ACTOR -> 2 exact matches of 3 + 3.
    assert overall.score.f1_exact == pytest.approx(4 / 6)
    assert rows[("QUOTE", "ana", "ben")].score.f1_exact == pytest.approx(1.0)
    assert rows[("ANON_SOURCE", "ana", "ben")].score.f1_exact == pytest.approx(0.0)


def test_agreement_command_prints_a_table(layers, corpus):
    out = io.StringIO()
    call_command("agreement", corpus=corpus.name, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == [
        "label",
        "pair",
        "docs",
        "spans_a",
        "spans_b",
        "f1_exact",
        "f1_overlap",
        "kappa",
    ]
    assert any(line.startswith("ALL") and "ana ~ ben" in line and "0.667" in line for line in lines)
    with pytest.raises(CommandError, match="no corpus"):
        call_command("agreement", corpus="Nope", stdout=io.StringIO())


def test_finished_assignments_with_no_spans_count_as_agreement_on_nothing(corpus):
    ana, ben = make_user("ana"), make_user("ben")
    document = make_document(corpus, text="Nothing to mark here.", external_id="quiet")
    Assignment.objects.create(document=document, annotator=ana, status="done")
    Assignment.objects.create(document=document, annotator=ben, status="done")
    [overall, *_] = corpus_agreement(corpus)
    assert (overall.documents, overall.score.f1_exact, overall.score.kappa) == (1, None, None)


def test_history_records_who_changed_what_and_reverts_it(layers):
    document, ana, _, rev = layers
    span = Annotation.objects.get(text="Two officials")
    span._history_user = ana
    span.attributes = {"count": 2}
    span.save()
    span._history_user = ana
    span.delete()
    document.status = "done"
    document._history_user = ana
    document.save()
    history = document_history(document)
    assert [(e.kind, e.action) for e in history[:3]] == [
        ("document", "changed"),
        ("span", "deleted"),
        ("span", "changed"),
    ]
    assert history[0].changes == (("status", "new", "done"),)
    assert history[2].changes == (("attributes", {}, {"count": 2}),)
    assert history[1].who == "ana"

    # Spans are reverted by whoever may edit them (here their analyst), as through the API.
    revert_change(kind="span", record_id=history[1].record_id, document=document, user=ana)
    restored = Annotation.objects.get(text="Two officials")
    assert restored.attributes == {"count": 2}
    revert_change(kind="span", record_id=history[2].record_id, document=document, user=ana)
    restored.refresh_from_db()
    assert restored.attributes == {}
    assert [e.who for e in document_history(document)[:2]] == ["ana", "ana"]
    revert_change(kind="document", record_id=history[0].record_id, document=document, user=rev)
    document.refresh_from_db()
    assert document.status == "new"
    assert document_history(document)[0].who == "rev"


def test_revert_refuses_what_no_longer_fits(layers, corpus):
    document, ana, _, rev = layers
    relation = Relation.objects.filter(source__annotator=ana).get()
    quote = relation.source
    relation.delete()
    quote.delete()
    [relation_deleted] = [e for e in document_history(document) if e.kind == "relation"][:1]
    with pytest.raises(RevertError, match="no longer exists"):
        revert_change(
            kind="relation", record_id=relation_deleted.record_id, document=document, user=rev
        )
    other = make_document(corpus, text="Another story.", external_id="d2")
    with pytest.raises(RevertError, match="no such change"):
        revert_change(
            kind="relation", record_id=relation_deleted.record_id, document=other, user=rev
        )


@pytest.fixture
def roles(layers, corpus):
    """The layers, with ana and ben as the corpus's annotators and rev as its reviewer."""
    document, ana, ben, rev = layers
    for user, role in [(ana, "annotator"), (ben, "annotator"), (rev, "reviewer")]:
        Membership.objects.create(corpus=corpus, user=user, role=role)
    return layers


def record_of(row, history_type: str, pk: int | None = None):
    """Return the one `history_type` record of `row` (whose id is `pk` once deleted)."""
    return type(row).history.filter(id=pk or row.pk, history_type=history_type).get()


def revert(record, document, user) -> str:
    kind = {Annotation: "span", Relation: "relation", Document: "document"}[record.instance_type]
    return revert_change(kind=kind, record_id=record.history_id, document=document, user=user)


def test_reverting_a_documents_creation_is_refused_and_keeps_it_whole(roles):
    document, _, _, rev = roles
    spans = document.annotations.count()
    with pytest.raises(RevertError, match="a document is never deleted through its history"):
        revert(record_of(document, "+"), document, rev)
    assert Document.objects.filter(pk=document.pk).exists()
    assert document.annotations.count() == spans == 6


def test_a_reviewer_cannot_revert_the_creation_or_deletion_of_an_annotators_span(roles):
    document, ana, _, rev = roles
    span = Annotation.objects.get(text="Two officials")
    with pytest.raises(RevertError, match="^this span belongs to another analyst's layer$"):
        revert(record_of(span, "+"), document, rev)
    assert Annotation.objects.filter(pk=span.pk).exists()
    delete_span(span=span)
    with pytest.raises(RevertError, match="^this span belongs to another analyst's layer$"):
        revert(record_of(span, "-"), document, rev)
    assert not Annotation.objects.filter(text="Two officials").exists()
    # The analyst herself may, as through the API.
    revert(record_of(span, "-"), document, ana)
    assert Annotation.objects.get(text="Two officials").uid == span.uid


def test_a_reviewer_reverts_changes_to_the_gold_layer(roles):
    document, _, _, rev = roles
    [gold] = accept_spans(spans=[Annotation.objects.get(text="Joly")], reviewer=rev)
    assert revert(record_of(gold, "+"), document, rev).startswith("deleted ACTOR")
    assert not document.annotations.filter(is_gold=True).exists()
    revert(record_of(gold, "-"), document, rev)
    assert document.annotations.get(is_gold=True).uid == gold.uid


def test_restoring_a_speaker_link_to_a_span_relabelled_since_is_refused(roles):
    document, ana, _, _ = roles
    link = Relation.objects.get(source__annotator=ana)
    link_id = link.pk
    link.delete()
    speaker = Annotation.objects.get(pk=link.target_id)
    update_span(span=speaker, version=1, label=document.corpus.labels.get(key="FIGURE"))
    with pytest.raises(RevertError, match="QUOTE to an ACTOR or ANON_SOURCE, not QUOTE to FIGURE"):
        revert(record_of(link, "-", link_id), document, ana)
    assert not Relation.objects.filter(source__annotator=ana).exists()


def test_restoring_a_link_whose_spans_were_restored_links_them_again(roles):
    document, ana, _, _ = roles
    link = Relation.objects.get(source__annotator=ana)
    quote = Annotation.objects.get(pk=link.source_id)
    delete_span(span=quote)  # takes the link with it
    revert(record_of(quote, "-"), document, ana)
    revert(record_of(link, "-"), document, ana)
    restored = Relation.objects.select_related("source").get(source__annotator=ana)
    assert (restored.source.uid, restored.target_id) == (quote.uid, link.target_id)


def test_restoring_attributes_the_label_no_longer_allows_is_refused(roles):
    document, ana, _, _ = roles
    span = Annotation.objects.get(text="Two officials")
    span = update_span(span=span, version=1, attributes={"count": 2})
    delete_span(span=span)
    document.corpus.labels.filter(key="ANON_SOURCE").update(attribute_spec={"reason": "string"})
    with pytest.raises(RevertError, match="attribute 'count' is not defined for ANON_SOURCE"):
        revert(record_of(span, "-"), document, ana)
    assert not Annotation.objects.filter(text="Two officials").exists()


def imported_document(tmp_path, corpus) -> Document:
    """Import one story with an unattributed ACTOR span (the corpus's managers look after it)."""
    start = TEXT.index("Joly")
    line = {
        "id": "imported",
        "text": TEXT,
        "spans": [{"id": "s1", "start": start, "end": start + 4, "label": "ACTOR"}],
    }
    path = tmp_path / "story.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert not import_paths([path], corpus=corpus).failures
    return corpus.documents.get(external_id="imported")


def test_reverting_a_change_to_an_imported_span_says_nothing_earlier_is_recorded(
    client, tmp_path, corpus, analyst
):
    document = imported_document(tmp_path, corpus)
    span = document.annotations.get(uid="s1")
    update_span(span=span, version=1, label=corpus.labels.get(key="ANON_SOURCE"))
    changed = record_of(span, "~")
    with pytest.raises(RevertError, match=r"^nothing earlier is recorded for this span"):
        revert(changed, document, analyst)
    # The history page answers with that message, not a server error.
    client.force_login(analyst)
    response = client.post(
        reverse("teams:revert", args=[document.pk]),
        {"kind": "span", "record": changed.history_id},
        follow=True,
    )
    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("Cannot revert: nothing earlier is recorded for this span")
    assert document.annotations.get(uid="s1").label.key == "ANON_SOURCE"


def test_reverting_a_deletion_that_was_undone_since_answers_without_sql(roles):
    document, ana, _, _ = roles
    span = Annotation.objects.get(text="Two officials")
    delete_span(span=span)
    deleted = record_of(span, "-")
    # The browser's undo recreates the span with its uid; then the same span anew under another.
    create_span(
        document=document,
        label=span.label,
        start=span.start,
        end=span.end,
        covered=span.text,
        attributes={},
        annotator=ana,
        uid=span.uid,
    )
    with pytest.raises(RevertError) as undone:
        revert(deleted, document, ana)
    Annotation.objects.filter(uid=span.uid).update(uid="another-uid")
    with pytest.raises(RevertError) as again:
        revert(deleted, document, ana)
    for refusal in (str(undone.value), str(again.value)):
        assert "UNIQUE" not in refusal.upper()
        assert "constraint" not in refusal.lower()
    assert str(undone.value) == "the span is there already: it was restored since"
    assert "already has your ANON_SOURCE span" in str(again.value)
    assert document.annotations.filter(text="Two officials").count() == 1


def test_a_reviewer_reverts_a_status_change_but_not_a_title_change(roles, analyst):
    document, _, _, rev = roles
    document.status = "done"
    document.save()
    revert(Document.history.filter(id=document.pk).first(), document, rev)
    document.title = "Renamed in the admin"
    document.save()
    renamed = Document.history.filter(id=document.pk).first()
    with pytest.raises(RevertError, match="only the corpus's managers change a document's title"):
        revert(renamed, document, rev)
    revert(renamed, document, analyst)  # the corpus's manager
    document.refresh_from_db()
    assert (document.status, document.title) == ("new", TEXT[:40])

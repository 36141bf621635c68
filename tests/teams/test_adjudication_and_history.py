import io

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Annotation, Relation
from teams.adjudication import accept_agreed, accept_spans, compare_layers
from teams.corpus_agreement import corpus_agreement
from teams.history import RevertError, document_history, revert_change
from teams.models import Assignment
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

    revert_change(kind="span", record_id=history[1].record_id, document=document, user=rev)
    restored = Annotation.objects.get(text="Two officials")
    assert restored.attributes == {"count": 2}
    revert_change(kind="span", record_id=history[2].record_id, document=document, user=rev)
    restored.refresh_from_db()
    assert restored.attributes == {}
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

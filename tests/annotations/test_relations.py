"""Links are checked against their spans as they are when the link is saved."""

import pytest
from django.core.exceptions import ValidationError

from annotations import spans as edits
from annotations.models import Annotation, Relation
from annotations.relations import create_relation, retarget_relation
from tests.factories import make_annotation, make_document, make_user


@pytest.fixture
def document(corpus):
    return make_document(corpus)


def test_a_link_to_a_speaker_relabelled_meanwhile_is_refused(document, analyst):
    quote = make_annotation(document, "QUOTE", "We are ready.", annotator=analyst)
    speaker = make_annotation(document, "ACTOR", "Mark Carney", annotator=analyst)
    stale = Annotation.objects.select_related("label").get(pk=speaker.pk)
    edits.update_span(span=speaker, version=1, label=document.corpus.labels.get(key="QUOTE"))
    with pytest.raises(ValidationError, match="not QUOTE to QUOTE"):
        create_relation(
            document=document,
            relation_type="speaker",
            source=quote,
            target=stale,
            annotator=analyst,
        )
    assert not Relation.objects.exists()


def test_a_link_to_a_span_deleted_meanwhile_is_refused(document, analyst):
    quote = make_annotation(document, "QUOTE", "We are ready.", annotator=analyst)
    speaker = make_annotation(document, "ACTOR", "Mark Carney", annotator=analyst)
    edits.delete_span(span=Annotation.objects.get(pk=speaker.pk))
    with pytest.raises(ValidationError, match=f"span {speaker.uid} no longer exists"):
        create_relation(
            document=document,
            relation_type="speaker",
            source=quote,
            target=speaker,
            annotator=analyst,
        )


def test_retargeting_to_a_speaker_relabelled_meanwhile_is_refused(document, analyst):
    quote = make_annotation(document, "QUOTE", "We are ready.", annotator=analyst)
    first = make_annotation(document, "ACTOR", "Mark Carney", annotator=analyst)
    second = make_annotation(document, "ACTOR", "Fans", annotator=analyst)
    relation = create_relation(
        document=document, relation_type="speaker", source=quote, target=first, annotator=analyst
    )
    stale = Annotation.objects.select_related("label").get(pk=second.pk)
    edits.update_span(span=second, version=1, label=document.corpus.labels.get(key="FIGURE"))
    with pytest.raises(ValidationError, match="not QUOTE to FIGURE"):
        retarget_relation(relation=relation, target=stale)
    assert Relation.objects.get(pk=relation.pk).target_id == first.pk


def test_a_link_across_layers_is_refused_by_the_layer_rule_without_naming_labels(document, analyst):
    quote = make_annotation(document, "QUOTE", "We are ready.", annotator=analyst)
    others = make_annotation(document, "FIGURE", "Fans", annotator=make_user("ben"))
    with pytest.raises(ValidationError) as refused:
        create_relation(
            document=document,
            relation_type="speaker",
            source=quote,
            target=others,
            annotator=analyst,
        )
    assert refused.value.messages == [
        "a relation links two spans of the same layer (one analyst, or gold)"
    ]
    assert not Relation.objects.exists()

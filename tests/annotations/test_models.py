import pytest
from django.db import IntegrityError, transaction

from annotations.models import Annotation, Label, Relation
from corpus.models import Document, sha256_hex
from tests.factories import make_annotation, make_document, make_speaker_relation


def span(document, label="ACTOR", start=0, end=4, **overrides):
    return Annotation(
        document=document,
        label=document.corpus.labels.get(key=label),
        start=start,
        end=end,
        text=document.text[start:end],
        **overrides,
    )


def assert_refused(instance):
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_new_corpus_has_the_four_news_labels(corpus):
    assert list(corpus.labels.values_list("key", flat=True)) == [
        "ACTOR",
        "FIGURE",
        "QUOTE",
        "ANON_SOURCE",
    ]
    assert corpus.labels.get(key="FIGURE").attribute_spec == {
        "value": "number",
        "unit": "string",
        "approximate": "boolean",
    }
    assert all(label.description for label in corpus.labels.all())


def test_span_must_start_before_it_ends(corpus):
    document = make_document(corpus)
    assert_refused(span(document, start=5, end=5))
    assert_refused(span(document, start=6, end=5))


def test_negative_start_is_refused(corpus):
    document = make_document(corpus)
    assert_refused(span(document, start=-1, end=3))


def test_exact_duplicate_span_is_refused_but_overlap_and_nesting_are_allowed(corpus, analyst):
    document = make_document(corpus)
    span(document, "QUOTE", 0, 20, annotator=analyst).save()
    span(document, "ACTOR", 5, 10, annotator=analyst).save()  # nested
    span(document, "ACTOR", 15, 25, annotator=analyst).save()  # overlapping
    span(document, "ACTOR", 5, 10).save()  # same range, no annotator
    assert_refused(span(document, "ACTOR", 5, 10, annotator=analyst))
    assert_refused(span(document, "ACTOR", 5, 10))


def test_document_text_is_unique_per_corpus_and_ids_too(corpus):
    make_document(corpus, text="Same text.", external_id="a")
    assert_refused(
        Document(
            corpus=corpus, external_id="b", text="Same text.", text_sha256=sha256_hex("Same text.")
        )
    )
    assert_refused(
        Document(
            corpus=corpus,
            external_id="a",
            text="Other text.",
            text_sha256=sha256_hex("Other text."),
        )
    )


def test_label_keys_and_shortcuts_are_unique_per_corpus(corpus):
    assert_refused(Label(corpus=corpus, key="ACTOR", name="Again"))
    assert_refused(Label(corpus=corpus, key="PLACE", name="Place", shortcut="a"))
    Label.objects.create(corpus=corpus, key="PLACE", name="Place")
    Label.objects.create(corpus=corpus, key="EVENT", name="Event")  # two empty shortcuts are fine


def test_relation_cannot_link_a_span_to_itself_and_a_quote_has_one_speaker(corpus):
    document = make_document(corpus)
    quote = make_annotation(document, "QUOTE", "We are ready.")
    actor = make_annotation(document, "ACTOR", "Mark Carney")
    other = make_annotation(document, "ACTOR", "Fans")
    assert_refused(Relation(document=document, type="speaker", source=quote, target=quote))
    make_speaker_relation(quote, actor)
    assert_refused(Relation(document=document, type="speaker", source=quote, target=other))


def test_string_forms_name_the_thing(corpus):
    document = make_document(corpus, title="A title")
    annotation = make_annotation(document, "ACTOR", "Mark Carney")
    assert str(corpus) == "Test corpus"
    assert str(document) == "A title"
    assert "ACTOR" in str(annotation)
    assert "Mark Carney" in str(annotation)
    assert str(corpus.labels.get(key="QUOTE")) == "QUOTE"

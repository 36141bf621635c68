"""The export reader gives the same lines as the model instances do, filter by filter."""

import io

import pytest

from annotations.formats.shared import json_line
from annotations.interchange.export import documents_for_export, write_jsonl
from annotations.models import Annotation
from corpus.models import Document
from tests.annotations.formats.corpora import annotate_seeds, make_synthetic_corpus
from tests.factories import make_document


@pytest.fixture
def rich(corpus, tmp_path):
    """Two corpora: the annotated seeds (two analysts, a gold span, nested spans, relations,
    attributes, tags), a document without spans whose tags differ in case only, and the
    synthetic corpus (emoji and other characters outside the BMP, CJK, combining
    characters, gold, tags in mixed case)."""
    annotate_seeds(corpus)
    bare = make_document(corpus, external_id="no spans")
    # "BUDGET" is the corpus's tag "Budget": tags are matched ignoring case.
    bare.tags.add("Budget", "BUDGET", "Zoë 🛡️", "defence")
    make_synthetic_corpus(tmp_path)
    return Document.objects.all()


def expected_lines(documents, *, labels=(), tags=(), annotator=None, layer="all") -> list[dict]:
    """Return the Byline lines of `documents`, built from model instances one by one."""

    def kept(span: Annotation) -> bool:
        username = span.annotator.username if span.annotator else None
        if layer == "gold" and not span.is_gold:
            return False
        if layer not in ("all", "gold") and (span.is_gold or username != layer):
            return False
        return (not labels or span.label.key in labels) and (
            annotator is None or username == annotator
        )

    lines = []
    for document in documents.order_by("corpus__name", "external_id"):
        names = [tag.name for tag in document.tags.all()]
        if not all(any(name.lower() == tag.lower() for name in names) for tag in tags):
            continue
        spans = sorted(
            filter(kept, document.annotations.all()),
            key=lambda s: (s.start, s.end, s.label.key, s.uid),
        )
        order = [span.pk for span in spans]
        relations = sorted(
            (
                (order.index(r.source_id), order.index(r.target_id), r.type)
                for r in document.relations.all()
                if r.source_id in order and r.target_id in order
            ),
        )
        lines.append(
            {
                "schema_version": 1,
                "id": document.external_id,
                "corpus": document.corpus.name,
                "title": document.title,
                "source": document.source,
                "published": document.published.isoformat() if document.published else None,
                "dateline": document.dateline or None,
                "url": document.url or None,
                "language": document.language or None,
                "tags": sorted(names),
                "metadata": document.metadata,
                "quality_flags": document.quality_flags,
                "text": document.text,
                "text_sha256": document.text_sha256,
                "spans": [
                    {
                        "id": span.uid,
                        "start": span.start,
                        "end": span.end,
                        "label": span.label.key,
                        "text": span.text,
                        "annotator": span.annotator.username if span.annotator else None,
                        "attributes": span.attributes,
                    }
                    | ({"gold": True} if span.is_gold else {})
                    for span in spans
                ],
                "relations": [
                    {"type": kind, "from": spans[source].uid, "to": spans[target].uid}
                    for source, target, kind in relations
                ],
            }
        )
    return lines


def exported_bytes(documents, **filters) -> list[bytes]:
    out = io.BytesIO()
    write_jsonl(documents_for_export(documents, **filters), out)
    return out.getvalue().splitlines(keepends=True)


FILTERS = [
    {},
    {"labels": ["ACTOR", "QUOTE"]},
    {"labels": ["ACTOR"]},
    {"annotator": "ana"},
    {"layer": "gold"},
    {"layer": "ben"},
    {"layer": "ana", "labels": ["QUOTE", "ACTOR"]},
    {"tags": ["DEFENCE"]},
    {"tags": ["defence", "eu"]},
    {"tags": ["budget"]},
    {"tags": ["sport"], "annotator": "ana"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("filters", FILTERS, ids=[repr(f) for f in FILTERS])
def test_export_gives_the_lines_of_the_model_instances_byte_for_byte(rich, filters):
    expected = expected_lines(rich, **filters)
    assert expected, "every filter keeps some documents"
    assert exported_bytes(rich, **filters) == [json_line(line) for line in expected]


@pytest.mark.django_db
def test_the_rich_corpus_exercises_what_the_reader_must_keep(rich):
    lines = expected_lines(rich)
    spans = [span for line in lines for span in line["spans"]]
    assert [line["corpus"] for line in lines] == sorted(line["corpus"] for line in lines)
    assert len({line["corpus"] for line in lines}) == 2
    assert any(not line["spans"] for line in lines)
    assert any(span.get("gold") for span in spans)
    assert any(span["annotator"] is None for span in spans)
    assert any(span["attributes"] for span in spans)
    assert any(ord(char) > 0xFFFF for line in lines for char in line["text"])
    assert sum(len(line["relations"]) for line in lines) >= 8
    [bare] = [line for line in lines if line["id"] == "no spans"]
    assert bare["tags"] == ["Budget", "Zoë 🛡️", "defence"]
    assert [line["id"] for line in expected_lines(rich, tags=["budget"])] == ["no spans"]

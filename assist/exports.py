"""The suggestions layer as Byline lines, for `export_annotations --layer suggestions`.

Registered as a layer source of `annotations.interchange.export` (see `AssistConfig.ready`),
so the export command, its formats and its atomic writing serve this layer unchanged. Each
span carries `suggestion: {suggester, score}`, and each quote's suggested speaker is a
`speaker` relation.
"""

from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.db.models import F, QuerySet

from annotations.formats import byline
from annotations.interchange.export import (
    CHUNK_SIZE,
    export_document_rows,
    rows_by_document,
    tags_by_document,
)
from annotations.interchange.records import ExportDocument, ExportRelation, ExportSpan
from corpus.models import Document

from .models import Suggestion

SPEAKER = "speaker"


def suggestion_uid(pk: int) -> str:
    """Return the span id a suggestion has in an export."""
    return f"suggestion-{pk}"


def suggestion_lines(documents: QuerySet[Document], labels: list[str]) -> Iterator[dict[str, Any]]:
    """Yield the Byline line of each of `documents` with its suggestions (those of `labels`,
    or all when empty) as spans, a chunk of documents at a time (two queries a chunk)."""
    rows = export_document_rows(documents)
    new = tuple.__new__
    while chunk := [new(ExportDocument, row) for row in islice(rows, CHUNK_SIZE)]:
        ids = [row.pk for row in chunk]
        texts = {row.pk: row.text for row in chunk}
        suggestions = Suggestion.objects.filter(document_id__in=ids)
        if labels:
            suggestions = suggestions.filter(label__key__in=labels)
        found = suggestions.annotate(label_key=F("label__key")).values_list(
            "document_id",
            "pk",
            "start",
            "end",
            "label_key",
            "attributes",
            "suggester",
            "score",
            "speaker_id",
        )
        spans, relations = [], []
        for document_id, pk, start, end, key, attributes, suggester, score, speaker in found:
            spans.append(
                ExportSpan(
                    document_id,
                    pk,
                    suggestion_uid(pk),
                    start,
                    end,
                    key,
                    texts[document_id][start:end],
                    None,
                    attributes,
                    False,
                    suggester,
                    score,
                )
            )
            if speaker is not None:
                relations.append(ExportRelation(document_id, pk, speaker, SPEAKER))
        spans.sort(key=lambda s: (s.document_id, s.start, s.end, s.label_key, s.pk))
        spans_by_document = rows_by_document(spans)
        relations_by_document = rows_by_document(relations)
        tags = tags_by_document(ids)
        for row in chunk:
            yield byline.document_line(
                row,
                spans=spans_by_document[row.pk],
                relations=relations_by_document[row.pk],
                tags=tags[row.pk],
            )

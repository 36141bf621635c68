"""Prototypes of a faster import writer and export reader, to measure, not to ship from here.

Drop-in replacements, with the same signatures and results, for
  corpus.importers.save_records        -> save_records
  annotations.exporters.iter_jsonl_lines -> iter_jsonl_lines
`bench/import_export.py --variant prototype` patches them in and measures them against the
same floor; the export must give the same bytes as the current one.

What they change:
- Import: spans, relations, tag links (and documents) are written with the driver's bulk path
  (sqlite3 `executemany`, psycopg binary `COPY`) inside the same `transaction.atomic()`,
  instead of `bulk_create`, which builds a model instance per row and prepares every field
  of every row in Python. Validation is unchanged: the records were validated by
  `plan_file` before this runs, which is what `bulk_create` relied on too. The new rows' ids
  come back with one query per chunk of documents.
- Export: documents, spans, relations and tags are read with `values_list` per chunk of
  documents, so no model instance is built (the current code builds ~50 per document: the
  span, its label and its annotator for every span) and taggit's per-document `tags_for`
  queries become one query per chunk.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import orjson
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from annotations.formats.byline import check_object as byline_check_object
from annotations.models import Annotation, Label, Relation
from corpus.importers import BATCH_SIZE, LOOKUP_CHUNK, CorpusState, unique_tag_slug
from corpus.models import Document, sha256_hex
from corpus.records import DocumentRecord
from corpus.text_quality import detect_mojibake

try:
    # Escapes U+0085, U+2028 and U+2029 inside strings, as every export writer does.
    from annotations.formats.shared import json_line
except ImportError:  # before the shared JSON Lines writer

    def json_line(value: Any) -> bytes:
        return orjson.dumps(value) + b"\n"


EXPORT_CHUNK = 500
NONE_TYPE = type(None)


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def insert_rows(model: type[Model], names: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert `rows` (values for the fields `names`) into `model`'s table, in bulk.

    Every other concrete field gets its default, prepared once. Values must already be in
    database form, except JSON fields, which are adapted here per driver.
    """
    fields = [model._meta.get_field(name) for name in names]
    constant_fields = [
        f for f in model._meta.concrete_fields if not f.primary_key and f.name not in names
    ]
    constants = tuple(
        f.get_db_prep_save(f.get_default(), connection=connection) for f in constant_fields
    )
    columns = [f.column for f in fields] + [f.column for f in constant_fields]
    json_positions = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            def adapt(row: tuple) -> tuple:
                values = list(row)
                for i in json_positions:
                    values[i] = Jsonb(values[i], dumps=json_text)
                return (*values, *constants)

            cursor.execute(
                "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [model._meta.db_table],
            )
            types = dict(cursor.fetchall())
            with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types([types[column] for column in columns])
                for row in rows:
                    copy.write_row(adapt(row))
            return

        def adapt_text(row: tuple) -> tuple:
            values = list(row)
            for i in json_positions:
                values[i] = json_text(values[i])
            return (*values, *constants)

        marks = ", ".join(["%s"] * len(columns))
        for batch in chunked(map(adapt_text, rows), 10 * BATCH_SIZE):
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", batch)


def exact_types(expected: tuple[type | None, ...]) -> frozenset[type]:
    """Return the exact Python types orjson gives for JSON values of the `expected` types."""
    return frozenset(NONE_TYPE if t is None else t for t in expected)


_EXACT: dict[int, dict[str, frozenset[type]]] = {}


def check_object(
    obj: Any, fields: dict[str, tuple[type | None, ...]], *, where: str, required: Iterable[str]
) -> dict[str, Any]:
    """Return `obj` if it is an object whose known keys have the expected JSON types.

    Same contract as `annotations.formats.byline.check_object`; the common case is one set
    lookup per key, since orjson only produces exact dict/list/str/int/float/bool/None (so
    a bool is never taken for an int). Anything else falls back to the original, which
    also writes the error message.
    """
    exact = _EXACT.get(id(fields))
    if exact is None:
        exact = _EXACT[id(fields)] = {key: exact_types(types) for key, types in fields.items()}
    if type(obj) is dict:
        for key in required:
            if key not in obj:
                break
        else:
            for key, value in obj.items():
                allowed = exact.get(key)
                if allowed is not None and type(value) not in allowed:
                    break
            else:
                return obj
    return byline_check_object(obj, fields, where=where, required=required)


def save_records(records: list[DocumentRecord], state: CorpusState) -> tuple[int, int]:
    """Write validated, new records with their spans, relations and tags; return the counts."""
    corpus = state.corpus
    if state.new_labels:
        Label.objects.bulk_create(state.new_labels.values())
        state.new_labels.clear()
    now = prepared_now(timezone.now())
    postgres = connection.vendor == "postgresql"
    adapt_date = connection.ops.adapt_datefield_value
    insert_rows(
        Document,
        (
            "corpus",
            "external_id",
            "title",
            "text",
            "text_sha256",
            "source",
            "published",
            "dateline",
            "url",
            "language",
            "metadata",
            "quality_flags",
            "created_at",
            "updated_at",
        ),
        (
            (
                corpus.pk,
                record.external_id,
                record.title[:500],
                record.text,
                sha256_hex(record.text),
                record.source,
                record.published if postgres else adapt_date(record.published),
                record.dateline,
                record.url,
                record.language,
                record.metadata,
                record.quality_flags
                if record.quality_flags is not None
                else [flag.as_dict() for flag in detect_mojibake(record.text)],
                now,
                now,
            )
            for record in records
        ),
    )
    document_ids = ids_by_external_id(corpus.pk, [record.external_id for record in records])
    labels = {key: label.pk for key, label in state.labels.items()}
    users = {name: user.pk for name, user in state.users.items()}
    generated: dict[tuple[int, int], str] = {}

    def span_rows() -> Iterator[tuple]:
        for record in records:
            document_id = document_ids[record.external_id]
            for index, span in enumerate(record.spans):
                uid = span.uid
                if not uid:
                    uid = generated[(document_id, index)] = Annotation._meta.get_field(
                        "uid"
                    ).get_default()
                yield (
                    uid,
                    document_id,
                    labels[span.label],
                    span.start,
                    span.end,
                    record.text[span.start : span.end],
                    users.get(span.annotator) if span.annotator else None,
                    span.attributes,
                    getattr(span, "gold", False),
                    now,
                    now,
                )

    insert_rows(
        Annotation,
        (
            "uid",
            "document",
            "label",
            "start",
            "end",
            "text",
            "annotator",
            "attributes",
            "is_gold",
            "created_at",
            "updated_at",
        ),
        span_rows(),
    )
    span_count = sum(len(record.spans) for record in records)
    with_relations = [document_ids[r.external_id] for r in records if r.relations]
    span_ids = ids_by_span_uid(with_relations)
    relation_rows = [
        (
            document_ids[record.external_id],
            relation.type,
            span_ids[(document_ids[record.external_id], relation.source)],
            span_ids[(document_ids[record.external_id], relation.target)],
            now,
        )
        for record in records
        for relation in record.relations
    ]
    insert_rows(Relation, ("document", "type", "source", "target", "created_at"), relation_rows)
    save_tags(document_ids, records)
    return span_count, len(relation_rows)


def prepared_now(now: datetime.datetime) -> Any:
    """Return `now` as the driver takes it (Django stores text on SQLite)."""
    if connection.vendor == "postgresql":
        return now
    return connection.ops.adapt_datetimefield_value(now)


def ids_by_external_id(corpus_id: int, external_ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    documents = Document.objects.filter(corpus_id=corpus_id)
    for chunk in chunked(external_ids, LOOKUP_CHUNK):
        found.update(documents.filter(external_id__in=chunk).values_list("external_id", "pk"))
    return found


def ids_by_span_uid(document_ids: list[int]) -> dict[tuple[int, str], int]:
    found: dict[tuple[int, str], int] = {}
    for chunk in chunked(document_ids, LOOKUP_CHUNK):
        for document_id, uid, pk in Annotation.objects.filter(document_id__in=chunk).values_list(
            "document_id", "uid", "pk"
        ):
            found[(document_id, uid)] = pk
    return found


def save_tags(document_ids: dict[str, int], records: list[DocumentRecord]) -> None:
    """Tag each saved document with its record's tags, creating tags as needed."""
    names = {name for record in records for name in record.tags}
    if not names:
        return
    tags = {tag.name.lower(): tag.pk for tag in Tag.objects.all()}
    for name in sorted(names):
        if name.lower() not in tags:
            tags[name.lower()] = Tag.objects.create(name=name, slug=unique_tag_slug(name)).pk
    content_type = ContentType.objects.get_for_model(Document).pk
    insert_rows(
        TaggedItem,
        ("content_type", "object_id", "tag"),
        (
            (content_type, document_ids[record.external_id], tags[name.lower()])
            for record in records
            for name in dict.fromkeys(record.tags)
        ),
    )


DOCUMENT_VALUES = (
    "pk",
    "corpus__name",
    "external_id",
    "title",
    "source",
    "published",
    "dateline",
    "url",
    "language",
    "metadata",
    "quality_flags",
    "text",
    "text_sha256",
)


def iter_jsonl_lines(documents: QuerySet[Document]) -> Iterator[bytes]:
    """Yield one Byline JSON line (with its newline) per document, a chunk at a time.

    Takes the same queryset as `annotations.exporters.iter_jsonl_lines` (from
    `documents_for_export`, unfiltered spans) and yields the same bytes.
    """
    rows = (
        documents.prefetch_related(None)
        .select_related(None)
        .values_list(*DOCUMENT_VALUES)
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    content_type = ContentType.objects.get_for_model(Document).pk
    for chunk in chunked(rows, EXPORT_CHUNK):
        ids = [row[0] for row in chunk]
        spans = defaultdict(list)
        for row in (
            Annotation.objects.filter(document_id__in=ids)
            .order_by("document_id", "start", "end", "label__key", "uid")
            .values_list(
                "document_id",
                "pk",
                "uid",
                "start",
                "end",
                "label__key",
                "text",
                "annotator__username",
                "attributes",
                "is_gold",
            )
        ):
            spans[row[0]].append(row[1:])
        relations = defaultdict(list)
        for document_id, *relation in (
            Relation.objects.filter(document_id__in=ids)
            .order_by("id")
            .values_list("document_id", "source_id", "target_id", "type")
        ):
            relations[document_id].append(relation)
        tags = defaultdict(list)
        for document_id, name in TaggedItem.objects.filter(
            content_type_id=content_type, object_id__in=ids
        ).values_list("object_id", "tag__name"):
            tags[document_id].append(name)
        for row in chunk:
            yield (
                orjson.dumps(document_object(row, spans[row[0]], relations[row[0]], tags[row[0]]))
                + b"\n"
            )


def document_object(row: tuple, spans: list, relations: list, tags: list) -> dict[str, Any]:
    """Return the export object of one document, as `byline.document_line` builds it."""
    (_, corpus, external_id, title, source, published, dateline, url, language) = row[:9]
    (metadata, quality_flags, text, digest) = row[9:]
    uid_by_pk = {span[0]: span[1] for span in spans}
    position = {span[0]: index for index, span in enumerate(spans)}
    kept = sorted(
        (r for r in relations if r[0] in uid_by_pk and r[1] in uid_by_pk),
        key=lambda r: (position[r[0]], position[r[1]], r[2]),
    )
    return {
        "schema_version": 1,
        "id": external_id,
        "corpus": corpus,
        "title": title,
        "source": source,
        "published": published.isoformat() if published else None,
        "dateline": dateline or None,
        "url": url or None,
        "language": language or None,
        "tags": sorted(tags),
        "metadata": metadata,
        "quality_flags": quality_flags,
        "text": text,
        "text_sha256": digest,
        "spans": [
            {
                "id": uid,
                "start": start,
                "end": end,
                "label": key,
                "text": covered,
                "annotator": annotator,
                "attributes": attributes,
                # Only gold spans carry the key, as in `byline.document_line`.
                **({"gold": True} if gold else {}),
            }
            for _, uid, start, end, key, covered, annotator, attributes, gold in spans
        ],
        "relations": [
            {"type": kind, "from": uid_by_pk[source], "to": uid_by_pk[target]}
            for source, target, kind in kept
        ],
    }

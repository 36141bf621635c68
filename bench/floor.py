"""The floor: the same rows written and read with the database driver alone.

Import: read the Byline JSONL file, orjson each line, hash the text, and insert documents,
spans, relations and tag links in one transaction with the driver's fastest bulk path
(INSERTs of many rows each on SQLite, psycopg binary `COPY`). No validation, no models, no
mojibake detection.

Export: one raw query that returns a row per document with its tags, spans and relations
aggregated as JSON by the database, orjson to build each line, written to a file and fsynced,
in the order and shape of `manage.py export_annotations` (the runner compares the bytes).

Both expect a migrated database holding the bench corpus, its labels, users and tags.
Columns the floor does not know (added to the models since) get their model default, which
the runner reads from Django once, before anything is timed (`column_defaults`).
"""

import datetime
import hashlib
import os
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from bench.benchlib import ScratchDatabase

DOCUMENT_COLUMNS = (
    "id, corpus_id, external_id, title, text, text_sha256, source, published, dateline, url, "
    "language, metadata, quality_flags, status, created_at, updated_at"
)
SPAN_COLUMNS = (
    'id, uid, start, "end", text, attributes, version, created_at, updated_at, annotator_id, '
    "document_id, label_id"
)
RELATION_COLUMNS = "type, created_at, annotator_id, document_id, source_id, target_id"
TAGGED_COLUMNS = "content_object_id, tag_id"
# As annotations/interchange/bulk_insert.py, within the parameters SQLite builds take (32,766
# by default since SQLite 3.32).
SQLITE_ROWS_PER_INSERT = 250
SQLITE_PARAMETERS = 32_766


def lookups(cursor, corpus_name: str, *, placeholder: str) -> dict[str, Any]:
    """Return the ids the rows refer to: corpus, labels, users, the corpus's tags."""

    def one(query: str, *params: Any) -> Any:
        cursor.execute(query.replace("?", placeholder), params)
        return cursor.fetchone()[0]

    corpus_id = one("SELECT id FROM corpus_corpus WHERE name = ?", corpus_name)
    cursor.execute(
        "SELECT key, id FROM annotations_label WHERE corpus_id = ?".replace("?", placeholder),
        (corpus_id,),
    )
    labels = dict(cursor.fetchall())
    cursor.execute("SELECT username, id FROM auth_user")
    users = dict(cursor.fetchall())
    cursor.execute(
        "SELECT lower(name), id FROM corpus_corpustag WHERE corpus_id = ?".replace(
            "?", placeholder
        ),
        (corpus_id,),
    )
    tags = dict(cursor.fetchall())
    return {
        "corpus": corpus_id,
        "labels": labels,
        "users": users,
        "tags": tags,
        "next_document": one("SELECT coalesce(max(id), 0) + 1 FROM corpus_document"),
        "next_span": one("SELECT coalesce(max(id), 0) + 1 FROM annotations_annotation"),
    }


def json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def read_rows(
    path: Path,
    ids: dict[str, Any],
    *,
    now: Any,
    parse_dates: bool = False,
    to_json: Callable[[Any], Any] = json_text,
) -> dict[str, list[tuple]]:
    """Return the rows of every table for the documents in the JSONL file at `path`.

    Dates stay ISO strings unless `parse_dates` (binary COPY needs `datetime.date`); JSON
    values are passed through `to_json` (text for sqlite3, a `Jsonb` wrapper for psycopg).
    """
    documents, spans, relations, tagged = [], [], [], []
    document_id, span_id = ids["next_document"], ids["next_span"]
    labels, users, tags = ids["labels"], ids["users"], ids["tags"]
    corpus = ids["corpus"]
    no_flags = to_json([])
    with path.open("rb") as lines:
        for raw in lines:
            obj = orjson.loads(raw)
            text = obj["text"]
            published = obj.get("published")
            if published and parse_dates:
                published = datetime.date.fromisoformat(published)
            documents.append(
                (
                    document_id,
                    corpus,
                    obj["id"],
                    obj.get("title") or "",
                    text,
                    hashlib.sha256(text.encode()).hexdigest(),
                    obj.get("source") or "",
                    published,
                    obj.get("dateline") or "",
                    obj.get("url") or "",
                    obj.get("language") or "",
                    to_json(obj.get("metadata", {})),
                    no_flags,
                    "new",
                    now,
                    now,
                )
            )
            span_ids = {}
            for span in obj["spans"]:
                span_ids[span["id"]] = span_id
                start, end = span["start"], span["end"]
                spans.append(
                    (
                        span_id,
                        span["id"],
                        start,
                        end,
                        text[start:end],
                        to_json(span["attributes"]),
                        1,
                        now,
                        now,
                        users.get(span["annotator"]),
                        document_id,
                        labels[span["label"]],
                    )
                )
                span_id += 1
            for relation in obj["relations"]:
                relations.append(
                    (
                        relation["type"],
                        now,
                        None,
                        document_id,
                        span_ids[relation["from"]],
                        span_ids[relation["to"]],
                    )
                )
            for tag in obj.get("tags", ()):
                tagged.append((document_id, tags[tag.lower()]))
            document_id += 1
    return {"documents": documents, "spans": spans, "relations": relations, "tagged": tagged}


TABLES = (
    ("documents", "corpus_document", DOCUMENT_COLUMNS),
    ("spans", "annotations_annotation", SPAN_COLUMNS),
    ("relations", "annotations_relation", RELATION_COLUMNS),
    ("tagged", "corpus_taggeddocument", TAGGED_COLUMNS),
)


def column_defaults() -> dict[str, dict[str, Any]]:
    """Return, per floor table, the model default of each column the floor does not set.

    Needs Django set up; call it outside any timing.
    """
    from django.apps import apps
    from django.db.models import JSONField

    defaults: dict[str, dict[str, Any]] = {}
    for _, table, columns in TABLES:
        known = {column.strip().strip('"') for column in columns.split(",")} | {"id"}
        model = next(m for m in apps.get_models() if m._meta.db_table == table)
        extra = {}
        for model_field in model._meta.concrete_fields:
            if model_field.column in known or model_field.null:
                continue
            value = model_field.get_default()
            if isinstance(model_field, JSONField):
                value = orjson.dumps(value).decode()
            extra[model_field.column] = value
        defaults[table] = extra
    return defaults


def with_defaults(
    columns: str, rows: list[tuple], extra: dict[str, Any]
) -> tuple[str, Iterable[tuple]]:
    """Return the column list and rows extended with the constant `extra` columns."""
    if not extra:
        return columns, rows
    names = ", ".join(f'"{name}"' for name in extra)
    values = tuple(extra.values())
    return f"{columns}, {names}", (row + values for row in rows)


def import_sqlite(
    db: ScratchDatabase, path: Path, corpus_name: str, defaults: dict[str, dict[str, Any]]
) -> dict[str, int]:
    connection = db.connect_raw()
    cursor = connection.cursor()
    ids = lookups(cursor, corpus_name, placeholder="?")
    # Django stores datetimes on SQLite as ISO text.
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = read_rows(path, ids, now=now)
    cursor.execute("BEGIN IMMEDIATE")
    for key, table, columns in TABLES:
        columns, table_rows = with_defaults(columns, rows[key], defaults.get(table, {}))
        width = columns.count(",") + 1
        row_marks = "(" + ", ".join("?" * width) + ")"
        # Many rows per INSERT, as the importer writes them: one statement per row would keep
        # a statement journal per row for the span table's triggers (bench/RESULTS.md).
        per_insert = min(SQLITE_ROWS_PER_INSERT, SQLITE_PARAMETERS // width)
        iterator = iter(table_rows)
        while batch := list(islice(iterator, per_insert)):
            values = ", ".join([row_marks] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",
                [value for row in batch for value in row],
            )
    cursor.execute("COMMIT")
    connection.close()
    return {key: len(value) for key, value in rows.items()}


def column_types(cursor, table: str, columns: str) -> list[str]:
    """Return the PostgreSQL type names of `columns` of `table`, for a binary COPY."""
    names = [column.strip().strip('"') for column in columns.split(",")]
    cursor.execute(
        "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (table,),
    )
    types = dict(cursor.fetchall())
    return [types[name] for name in names]


def import_postgres(
    db: ScratchDatabase, path: Path, corpus_name: str, defaults: dict[str, dict[str, Any]]
) -> dict[str, int]:
    from psycopg.types.json import Jsonb, set_json_dumps

    connection = db.connect_raw()
    with connection.cursor() as cursor:
        ids = lookups(cursor, corpus_name, placeholder="%s")
    # psycopg serialises Jsonb values with orjson instead of the json module.
    set_json_dumps(json_text, connection)
    now = datetime.datetime.now(datetime.UTC)
    rows = read_rows(path, ids, now=now, parse_dates=True, to_json=Jsonb)
    with connection.transaction(), connection.cursor() as cursor:
        for key, table, columns in TABLES:
            columns, table_rows = with_defaults(columns, rows[key], defaults.get(table, {}))
            types = column_types(cursor, table, columns)
            # Binary COPY: about twice as fast as text COPY for these rows.
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                for row in table_rows:
                    copy.write_row(row)
        for table in ("corpus_document", "annotations_annotation"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
    connection.close()
    return {key: len(value) for key, value in rows.items()}


SQLITE_EXPORT = """
SELECT d.external_id, c.name, d.title, d.source, d.published, d.dateline, d.url, d.language,
  d.metadata, d.quality_flags, d.text, d.text_sha256,
  (SELECT json_group_array(x.name) FROM (
     SELECT t.name FROM corpus_taggeddocument ti JOIN corpus_corpustag t ON t.id = ti.tag_id
     WHERE ti.content_object_id = d.id ORDER BY t.name) x),
  (SELECT json_group_array(json_array(x.uid, x.start, x."end", x.key, x.text, x.username,
                                      json(x.attributes))) FROM (
     SELECT a.uid, a.start, a."end", l.key, a.text, u.username, a.attributes
     FROM annotations_annotation a JOIN annotations_label l ON l.id = a.label_id
     LEFT JOIN auth_user u ON u.id = a.annotator_id
     WHERE a.document_id = d.id ORDER BY a.start, a."end", l.key, a.uid) x),
  (SELECT json_group_array(json_array(x.type, x.source, x.target)) FROM (
     SELECT r.type, s.uid AS source, t.uid AS target
     FROM annotations_relation r
     JOIN annotations_annotation s ON s.id = r.source_id
     JOIN annotations_label sl ON sl.id = s.label_id
     JOIN annotations_annotation t ON t.id = r.target_id
     JOIN annotations_label tl ON tl.id = t.label_id
     WHERE r.document_id = d.id
     ORDER BY s.start, s."end", sl.key, s.uid, t.start, t."end", tl.key, t.uid, r.type) x)
FROM corpus_document d JOIN corpus_corpus c ON c.id = d.corpus_id
WHERE c.name = :corpus
ORDER BY c.name, d.external_id
"""

POSTGRES_EXPORT = """
SELECT d.external_id, c.name, d.title, d.source, d.published::text, d.dateline, d.url,
  d.language, d.metadata::text, d.quality_flags::text, d.text, d.text_sha256,
  (SELECT coalesce(json_agg(t.name ORDER BY t.name), '[]'::json)
     FROM corpus_taggeddocument ti JOIN corpus_corpustag t ON t.id = ti.tag_id
     WHERE ti.content_object_id = d.id)::text,
  (SELECT coalesce(json_agg(json_build_array(a.uid, a.start, a."end", l.key, a.text,
                                             u.username, a.attributes)
                            ORDER BY a.start, a."end", l.key, a.uid), '[]'::json)
     FROM annotations_annotation a JOIN annotations_label l ON l.id = a.label_id
     LEFT JOIN auth_user u ON u.id = a.annotator_id
     WHERE a.document_id = d.id)::text,
  (SELECT coalesce(json_agg(json_build_array(r.type, s.uid, t.uid)
                            ORDER BY s.start, s."end", sl.key, s.uid, t.start, t."end",
                                     tl.key, t.uid, r.type), '[]'::json)
     FROM annotations_relation r
     JOIN annotations_annotation s ON s.id = r.source_id
     JOIN annotations_label sl ON sl.id = s.label_id
     JOIN annotations_annotation t ON t.id = r.target_id
     JOIN annotations_label tl ON tl.id = t.label_id
     WHERE r.document_id = d.id)::text
FROM corpus_document d JOIN corpus_corpus c ON c.id = d.corpus_id
WHERE c.name = %(corpus)s
ORDER BY c.name, d.external_id
"""


def export_line(row: tuple) -> bytes:
    """Return the Byline JSON line for one row of the export query."""
    (external_id, corpus, title, source, published, dateline, url, language) = row[:8]
    (metadata, flags, text, digest, tags, spans, relations) = row[8:]
    loads = orjson.loads
    return (
        orjson.dumps(
            {
                "schema_version": 1,
                "id": external_id,
                "corpus": corpus,
                "title": title,
                "source": source,
                "published": published,
                "dateline": dateline or None,
                "url": url or None,
                "language": language or None,
                "tags": loads(tags),
                "metadata": loads(metadata),
                "quality_flags": loads(flags),
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
                    }
                    for uid, start, end, key, covered, annotator, attributes in loads(spans)
                ],
                "relations": [
                    {"type": kind, "from": source, "to": target}
                    for kind, source, target in loads(relations)
                ],
            }
        )
        + b"\n"
    )


def export(db: ScratchDatabase, corpus_name: str, out: Path) -> int:
    """Write the corpus as Byline JSONL to `out` with one raw query; return the line count."""
    connection = db.connect_raw()
    written = 0
    with out.open("wb") as handle:
        if db.kind == "sqlite":
            rows = connection.execute(SQLITE_EXPORT, {"corpus": corpus_name})
            for row in rows:
                handle.write(export_line(row))
                written += 1
        else:
            with connection.transaction(), connection.cursor(name="floor_export") as cursor:
                cursor.itersize = 500
                cursor.execute(POSTGRES_EXPORT, {"corpus": corpus_name})
                for row in cursor:
                    handle.write(export_line(row))
                    written += 1
        handle.flush()
        os.fsync(handle.fileno())
    connection.close()
    return written


def import_file(
    db: ScratchDatabase, path: Path, corpus_name: str, defaults: dict[str, dict[str, Any]]
) -> dict[str, int]:
    """Insert the rows of the JSONL file at `path`; return the row count per table."""
    if db.kind == "sqlite":
        return import_sqlite(db, path, corpus_name, defaults)
    return import_postgres(db, path, corpus_name, defaults)

"""Byline's own JSONL: one document per line, with its spans and relations.

The schema is documented in docs/export-format.md and docs/byline-export.schema.json.
"""

import datetime
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from annotations.interchange.records import (
    DocumentRecord,
    ExportDocument,
    ExportRelation,
    ExportSpan,
    ImportProblem,
    RelationRecord,
    SpanRecord,
)

from .shared import ExportSummary, read_json_line_documents, write_json_lines

SCHEMA_VERSION = 1

# JSON types of the top-level keys a line may carry; None marks a nullable key.
DOCUMENT_SCHEMA: dict[str, tuple[type | None, ...]] = {
    "schema_version": (int,),
    "id": (str,),
    "corpus": (str, None),
    "title": (str, None),
    "source": (str, None),
    "published": (str, None),
    "dateline": (str, None),
    "url": (str, None),
    "language": (str, None),
    "tags": (list,),
    "metadata": (dict,),
    "quality_flags": (list,),
    "text": (str,),
    "text_sha256": (str,),
    "spans": (list,),
    "relations": (list,),
}
REQUIRED_FIELDS = ("id", "text")
SPAN_FIELDS: dict[str, tuple[type | None, ...]] = {
    "id": (str, None),
    "start": (int,),
    "end": (int,),
    "label": (str,),
    "text": (str, None),
    "annotator": (str, None),
    "attributes": (dict,),
    "gold": (bool,),
    "suggestion": (dict,),
}
SUGGESTION_FIELDS: dict[str, tuple[type | None, ...]] = {
    "suggester": (str,),
    "score": (int, float, None),
}
RELATION_FIELDS: dict[str, tuple[type | None, ...]] = {
    "type": (str,),
    "from": (str,),
    "to": (str,),
}
FLAG_FIELDS: dict[str, tuple[type | None, ...]] = {
    "start": (int,),
    "end": (int,),
    "kind": (str,),
    "note": (str,),
    "suggestion": (str, None),
}
FLAG_REQUIRED = ("start", "end", "kind")


def type_name(value: Any) -> str:
    """Return the JSON name of `value`'s type."""
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array"}.get(
        type(value), "object"
    )


def has_exact_types(
    obj: Any, fields: dict[str, tuple[type | None, ...]], required: Iterable[str]
) -> bool:
    """Return whether `obj` is a dict with the required keys and the exact expected types.

    A JSON decoder gives exact dict/list/str/int/float/bool/None, so one membership test per
    key settles almost every object (and a bool is never taken for an int). False only means
    "check the slow way": subclasses, and every problem, go to `check_object`'s loop.
    """
    if type(obj) is not dict:
        return False
    for key in required:
        if key not in obj:
            return False
    for key, value in obj.items():
        expected = fields.get(key)
        # The tuples hold None, not NoneType, for a nullable key.
        if (
            expected is not None
            and type(value) not in expected
            and (value is not None or None not in expected)
        ):
            return False
    return True


def check_object(
    obj: Any, fields: dict[str, tuple[type | None, ...]], *, where: str, required: Iterable[str]
) -> dict[str, Any]:
    """Return `obj` if it is an object whose known keys have the expected JSON types."""
    if has_exact_types(obj, fields, required):
        return obj
    if not isinstance(obj, dict):
        raise ImportProblem(f"expected an object, got {type_name(obj)}", field=where or None)
    for key in required:
        if key not in obj:
            raise ImportProblem("is required", field=f"{where}{key}")
    for key, value in obj.items():
        expected = fields.get(key)
        if expected is not None:
            check_value(value, expected, field=f"{where}{key}")
    return obj


def check_value(value: Any, expected: tuple[type | None, ...], *, field: str) -> Any:
    """Return `value` if it has one of the JSON types `expected` (None for null), else raise
    ImportProblem at `field`."""
    # bool is an int in Python, never in JSON.
    ok = (value is None and None in expected) or any(
        t is not None and isinstance(value, t) and not (t is int and isinstance(value, bool))
        for t in expected
    )
    if not ok:
        names = " or ".join("null" if t is None else type_name(t()) for t in expected)
        raise ImportProblem(f"must be {names}, not {type_name(value)}", field=field)
    return value


def parse_span(obj: Any, index: int) -> SpanRecord:
    """Return the span at `spans[index]` of a line."""
    where = f"spans[{index}]."
    span = check_object(obj, SPAN_FIELDS, where=where, required=("start", "end", "label"))
    suggester, score = parse_suggestion(span.get("suggestion"), where=f"{where}suggestion.")
    return SpanRecord(
        uid=span.get("id"),
        start=span["start"],
        end=span["end"],
        label=span["label"],
        text=span.get("text"),
        annotator=span.get("annotator"),
        attributes=span.get("attributes") or {},
        gold=span.get("gold", False),
        suggester=suggester,
        suggestion_score=score,
    )


def parse_suggestion(obj: Any, *, where: str) -> tuple[str, float | None]:
    """Return the suggester and score of a span's `suggestion` object ("" and None if absent)."""
    if obj is None:
        return "", None
    check_object(obj, SUGGESTION_FIELDS, where=where, required=("suggester",))
    suggester, score = obj["suggester"], obj.get("score")
    if not 0 < len(suggester) <= 50:
        raise ImportProblem("must be 1 to 50 characters", field=f"{where}suggester")
    if score is not None and not 0 <= score <= 1:
        raise ImportProblem(f"must be from 0 to 1, not {score}", field=f"{where}score")
    return suggester, None if score is None else float(score)


def suggestion_json(suggester: str, score: float | None) -> dict[str, Any]:
    """Return the `suggestion` key of a span accepted from a suggestion, else nothing."""
    return {"suggestion": {"suggester": suggester, "score": score}} if suggester else {}


def parse_line(raw: bytes | str) -> DocumentRecord:
    """Return the document on one line of Byline JSONL, or raise ImportProblem."""
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise ImportProblem(f"invalid JSON: {error}") from None
    return parse_object(obj)


def parse_object(obj: Any) -> DocumentRecord:
    """Return the document in a decoded Byline line, or raise ImportProblem.

    The other formats' readers translate their input into this shape and call this, so the
    type checks of every key live here once.
    """
    check_object(obj, DOCUMENT_SCHEMA, where="", required=REQUIRED_FIELDS)
    version = obj.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise ImportProblem(
            f"schema version {version} is not supported (this Byline reads {SCHEMA_VERSION})",
            field="schema_version",
        )
    published = None
    if obj.get("published"):
        try:
            published = datetime.date.fromisoformat(obj["published"])
        except ValueError:
            raise ImportProblem(
                f"{obj['published']!r} is not a date (YYYY-MM-DD)", field="published"
            ) from None
    tags = obj.get("tags", [])
    for index, tag in enumerate(tags):
        if not isinstance(tag, str) or not tag.strip():
            raise ImportProblem("must be a non-empty string", field=f"tags[{index}]")
    flags = None
    if "quality_flags" in obj:
        flags = [
            check_object(flag, FLAG_FIELDS, where=f"quality_flags[{i}].", required=FLAG_REQUIRED)
            for i, flag in enumerate(obj["quality_flags"])
        ]
    relations = []
    for index, relation in enumerate(obj.get("relations", [])):
        check_object(
            relation, RELATION_FIELDS, where=f"relations[{index}].", required=RELATION_FIELDS
        )
        relations.append(
            RelationRecord(type=relation["type"], source=relation["from"], target=relation["to"])
        )
    return DocumentRecord(
        external_id=obj["id"],
        text=obj["text"],
        title=obj.get("title") or "",
        source=obj.get("source") or "",
        published=published,
        dateline=obj.get("dateline") or "",
        url=obj.get("url") or "",
        language=obj.get("language") or "",
        tags=list(tags),
        metadata=obj.get("metadata", {}),
        quality_flags=flags,
        spans=[parse_span(span, index) for index, span in enumerate(obj.get("spans", []))],
        relations=relations,
        text_sha256=obj.get("text_sha256"),
    )


def document_line(
    document: ExportDocument,
    *,
    spans: list[ExportSpan],
    relations: Iterable[ExportRelation],
    tags: Iterable[str],
) -> dict[str, Any]:
    """Return the JSON object for one exported document.

    The arguments are the rows `annotations.interchange.export` reads: the document, its
    spans in export order, its relations in id order, and its tag names. Relations whose
    ends are not among `spans` are dropped.
    """
    uid_by_pk = {span.pk: span.uid for span in spans}
    position = {span.pk: index for index, span in enumerate(spans)}
    relations = sorted(
        (
            relation
            for relation in relations
            if relation.source_id in uid_by_pk and relation.target_id in uid_by_pk
        ),
        key=lambda r: (position[r.source_id], position[r.target_id], r.type),
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "id": document.external_id,
        "corpus": document.corpus_name,
        "title": document.title,
        "source": document.source,
        "published": document.published.isoformat() if document.published else None,
        "dateline": document.dateline or None,
        "url": document.url or None,
        "language": document.language or None,
        "tags": sorted(tags),
        "metadata": document.metadata,
        "quality_flags": document.quality_flags,
        "text": document.text,
        "text_sha256": document.text_sha256,
        "spans": [
            {
                "id": span.uid,
                "start": span.start,
                "end": span.end,
                "label": span.label_key,
                "text": span.text,
                "annotator": span.annotator_username,
                "attributes": span.attributes,
                # Only gold spans carry the key, so analyst-only exports stay as they were.
                **({"gold": True} if span.is_gold else {}),
                # Likewise only spans accepted from a suggestion carry theirs.
                **suggestion_json(span.suggester, span.suggestion_score),
            }
            for span in spans
        ],
        "relations": [
            {"type": r.type, "from": uid_by_pk[r.source_id], "to": uid_by_pk[r.target_id]}
            for r in relations
        ],
    }


def read_byline(path: Path) -> Iterator[DocumentRecord]:
    """Yield the documents of a Byline JSONL file, or raise at the first broken line."""
    # A Byline line carries its own id, so the reader's default id goes unused.
    return read_json_line_documents(path, lambda value, default_id: parse_object(value))


def write_byline(lines: Iterable[dict[str, Any]], out: BinaryIO) -> ExportSummary:
    """Write one JSON line per document."""
    return write_json_lines(lines, out, lambda line: line)

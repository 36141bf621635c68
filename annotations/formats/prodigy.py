"""Prodigy-style JSONL: `{"text", "spans": [{"start", "end", "label"}], "meta": {...}}`.

Each span also carries its `text`, `id`, `annotator` and `attributes`, and `gold` when it is
in the adjudicated layer (Prodigy keeps keys it
does not use), relations are written as Prodigy's relation tasks name their ends
(`head_span`, `child_span`, `label`; the head is the relation's source) without token
indices, and `meta` holds the document's id and keys, so the round trip loses nothing.
Offsets are code points, as in Python.

Reading, Prodigy's token list is dropped (it follows from the text); other keys this module
does not know are kept under `metadata["prodigy"]`.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from annotations.interchange.records import DocumentRecord, ImportProblem

from . import byline
from .shared import (
    DOCUMENT_FIELDS,
    ExportSummary,
    check_spans,
    document_fields,
    read_json_line_documents,
    unknown_keys,
    write_json_lines,
)

KNOWN_KEYS = {"text", "spans", "relations", "meta", "tokens"}
SPAN_FIELDS: dict[str, tuple[type | None, ...]] = {
    "start": (int,),
    "end": (int,),
    "label": (str,),
    "text": (str, None),
    "id": (str, None),
    "annotator": (str, None),
    "attributes": (dict,),
    "gold": (bool,),
}
END_FIELDS: dict[str, tuple[type | None, ...]] = {
    "start": (int,),
    "end": (int,),
    "label": (str,),
    "id": (str, None),
}


def prodigy_task(line: dict[str, Any]) -> dict[str, Any]:
    """Return the Prodigy task for one Byline line."""
    spans = {span["id"]: span for span in line["spans"]}
    task: dict[str, Any] = {
        "text": line["text"],
        "spans": [
            {
                "start": span["start"],
                "end": span["end"],
                "label": span["label"],
                "text": span["text"],
                "id": span["id"],
                "annotator": span["annotator"],
                "attributes": span["attributes"],
            }
            | ({"gold": True} if span.get("gold") else {})
            for span in line["spans"]
        ],
    }
    if line["relations"]:
        task["relations"] = [
            {
                "head_span": relation_end(spans[relation["from"]]),
                "child_span": relation_end(spans[relation["to"]]),
                "label": relation["type"],
            }
            for relation in line["relations"]
        ]
    task["meta"] = {"id": line["id"], **document_fields(line)}
    return task


def relation_end(span: dict[str, Any]) -> dict[str, Any]:
    return {"start": span["start"], "end": span["end"], "label": span["label"], "id": span["id"]}


def write_prodigy(lines: Iterable[dict[str, Any]], out: BinaryIO) -> ExportSummary:
    """Write one Prodigy task per document and line."""
    return write_json_lines(lines, out, prodigy_task)


def read_prodigy(path: Path) -> Iterator[DocumentRecord]:
    """Yield the documents of a Prodigy JSONL file; a task without meta.id gets `<stem>-<line>`."""
    return read_json_line_documents(path, parse_prodigy)


def parse_prodigy(task: Any, *, default_id: str) -> DocumentRecord:
    """Return the document in one decoded Prodigy task."""
    task = byline.check_object(
        task,
        {"text": (str,), "spans": (list,), "relations": (list,), "meta": (dict,)},
        where="",
        required=("text",),
    )
    spans = [
        byline.check_object(
            span, SPAN_FIELDS, where=f"spans[{index}].", required=("start", "end", "label")
        )
        for index, span in enumerate(task.get("spans", []))
    ]
    spans = [
        {
            key: span[key]
            for key in ("id", "start", "end", "label", "text", "annotator", "gold")
            if key in span
        }
        | {"attributes": span.get("attributes", {})}
        for span in spans
    ]
    relations = [
        parse_relation(relation, index, spans)
        for index, relation in enumerate(task.get("relations", []))
    ]
    meta = task.get("meta", {})
    document = {key: meta[key] for key in DOCUMENT_FIELDS if key in meta}
    extra = unknown_keys(task, KNOWN_KEYS)
    if extra_meta := unknown_keys(meta, {"id", *DOCUMENT_FIELDS}):
        extra["meta"] = extra_meta
    if extra and isinstance(document.get("metadata", {}), dict):
        document["metadata"] = {**document.get("metadata", {}), "prodigy": extra}
    record = byline.parse_object(
        {
            "id": meta.get("id", default_id),
            "text": task["text"],
            **document,
            "spans": spans,
            "relations": relations,
        }
    )
    check_spans(record)
    return record


def parse_relation(relation: Any, index: int, spans: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the relation object for a Prodigy relation, naming (or giving) its ends' ids."""
    where = f"relations[{index}]."
    byline.check_object(
        relation,
        {"head_span": (dict,), "child_span": (dict,), "label": (str,)},
        where=where,
        required=("head_span", "child_span", "label"),
    )
    ends = []
    for name in ("head_span", "child_span"):
        end = byline.check_object(
            relation[name], END_FIELDS, where=f"{where}{name}.", required=("start", "end", "label")
        )
        ends.append(find_span(spans, end, field=f"{where}{name}"))
    return {"type": relation["label"], "from": ends[0], "to": ends[1]}


def find_span(spans: list[dict[str, Any]], end: dict[str, Any], *, field: str) -> str:
    """Return the id of the span a relation end names, by id or else by offsets and label."""
    if end.get("id") is not None:
        if any(span.get("id") == end["id"] for span in spans):
            return end["id"]
        raise ImportProblem(f"no span with id {end['id']!r}", field=field)
    for index, span in enumerate(spans):
        if (span["start"], span["end"], span["label"]) == (end["start"], end["end"], end["label"]):
            if span.get("id") is None:
                span["id"] = f"prodigy-{index}"
            return span["id"]
    raise ImportProblem(
        f"no span {end['label']} [{end['start']}, {end['end']}) in this task", field=field
    )

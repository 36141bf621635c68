"""doccano JSONL: sequence labelling, and doccano's entities-and-relations shape.

A document without relations is written as doccano's sequence-labelling line,
`{"text", "label": [[start, end, "LABEL"], ...]}`; one with relations in the shape of
doccano's relation projects, `{"text", "entities": [{"id", "start_offset", "end_offset",
"label"}], "relations": [{"id", "from_id", "to_id", "type"}]}`. doccano keeps keys it does
not know as the example's metadata and exports them again, so everything else (the document
keys and, in `byline_spans`, each span's id, annotator, attributes and `gold` mark, in label
order)
travels in extra keys and the round trip loses nothing. doccano counts offsets in code
points, as Python does.

Reading, keys this module does not know are kept under `metadata["doccano"]`.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

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

KNOWN_KEYS = {"id", "text", "label", "labels", "entities", "relations", "byline_spans"}
KNOWN_KEYS.update(DOCUMENT_FIELDS)
ENTITY_FIELDS: dict[str, tuple[type | None, ...]] = {
    "id": (int, str),
    "start_offset": (int,),
    "end_offset": (int,),
    "label": (str,),
}
RELATION_FIELDS: dict[str, tuple[type | None, ...]] = {
    "id": (int, str),
    "from_id": (int, str),
    "to_id": (int, str),
    "type": (str,),
}
DETAIL_FIELDS: dict[str, tuple[type | None, ...]] = {
    "id": (str, None),
    "annotator": (str, None),
    "attributes": (dict,),
    "gold": (bool,),
}


def doccano_line(line: dict[str, Any]) -> dict[str, Any]:
    """Return the doccano object for one Byline line."""
    spans = line["spans"]
    obj: dict[str, Any] = {"id": line["id"], "text": line["text"]}
    if line["relations"]:
        position = {span["id"]: index for index, span in enumerate(spans)}
        obj["entities"] = [
            {
                "id": index,
                "start_offset": span["start"],
                "end_offset": span["end"],
                "label": span["label"],
            }
            for index, span in enumerate(spans)
        ]
        obj["relations"] = [
            {
                "id": index,
                "from_id": position[relation["from"]],
                "to_id": position[relation["to"]],
                "type": relation["type"],
            }
            for index, relation in enumerate(line["relations"])
        ]
    else:
        obj["label"] = [[span["start"], span["end"], span["label"]] for span in spans]
    obj.update(document_fields(line))
    obj["byline_spans"] = [
        {"id": span["id"], "annotator": span["annotator"], "attributes": span["attributes"]}
        | ({"gold": True} if span.get("gold") else {})
        for span in spans
    ]
    return obj


def write_doccano(lines: Iterable[dict[str, Any]], out: BinaryIO) -> ExportSummary:
    """Write one doccano JSON line per document."""
    return write_json_lines(lines, out, doccano_line)


def read_doccano(path: Path) -> Iterator[DocumentRecord]:
    """Yield the documents of a doccano JSONL file; a line without an id gets `<stem>-<line>`."""
    return read_json_line_documents(path, parse_doccano)


def parse_doccano(obj: Any, *, default_id: str) -> DocumentRecord:
    """Return the document in one decoded doccano line."""
    obj = byline.check_object(obj, {"text": (str,)}, where="", required=("text",))
    relations = []
    if "entities" in obj:
        spans, positions = parse_entities(obj["entities"])
        add_details(spans, obj.get("byline_spans"))
        span_ids = {entity_id: spans[index]["id"] for entity_id, index in positions.items()}
        relations = parse_relations(obj.get("relations", []), span_ids)
    else:
        key = "labels" if "labels" in obj and "label" not in obj else "label"
        spans = parse_labels(obj.get(key, []), key=key)
        add_details(spans, obj.get("byline_spans"))
    external_id = obj.get("id", default_id)
    if type(external_id) is int:
        external_id = str(external_id)
    document = {key: obj[key] for key in DOCUMENT_FIELDS if key in obj}
    extra = unknown_keys(obj, KNOWN_KEYS)
    if extra and isinstance(document.get("metadata", {}), dict):
        document["metadata"] = {**document.get("metadata", {}), "doccano": extra}
    record = byline.parse_object(
        {"id": external_id, "text": obj["text"], **document, "spans": spans, "relations": relations}
    )
    check_spans(record)
    return record


def parse_labels(labels: Any, *, key: str) -> list[dict[str, Any]]:
    """Return span objects for doccano's `[[start, end, "LABEL"], ...]`."""
    if not isinstance(labels, list):
        raise ImportProblem(f"must be an array, not {byline.type_name(labels)}", field=key)
    spans = []
    for index, entry in enumerate(labels):
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and type(entry[0]) is int
            and type(entry[1]) is int
            and isinstance(entry[2], str)
        ):
            raise ImportProblem(
                f"must be [start, end, label], not {orjson.dumps(entry).decode()[:80]}",
                field=f"{key}[{index}]",
            )
        spans.append({"id": None, "start": entry[0], "end": entry[1], "label": entry[2]})
    return spans


def parse_entities(entities: Any) -> tuple[list[dict[str, Any]], dict[Any, int]]:
    """Return span objects for doccano's entities, and each entity id's position."""
    if not isinstance(entities, list):
        raise ImportProblem(f"must be an array, not {byline.type_name(entities)}", field="entities")
    spans, positions = [], {}
    for index, entity in enumerate(entities):
        byline.check_object(
            entity,
            ENTITY_FIELDS,
            where=f"entities[{index}].",
            required=("start_offset", "end_offset", "label"),
        )
        entity_id = entity.get("id", index)
        if entity_id in positions:
            raise ImportProblem(
                f"entity id {entity_id!r} is used twice", field=f"entities[{index}]"
            )
        positions[entity_id] = index
        spans.append(
            {
                # Relations need span ids; an entity without a recorded one is named after its id.
                "id": f"doccano-{entity_id}",
                "start": entity["start_offset"],
                "end": entity["end_offset"],
                "label": entity["label"],
            }
        )
    return spans, positions


def parse_relations(relations: Any, span_ids: dict[Any, str]) -> list[dict[str, Any]]:
    """Return relation objects for doccano's relations, given each entity id's span id."""
    if not isinstance(relations, list):
        raise ImportProblem(
            f"must be an array, not {byline.type_name(relations)}", field="relations"
        )
    parsed = []
    for index, relation in enumerate(relations):
        where = f"relations[{index}]."
        byline.check_object(
            relation, RELATION_FIELDS, where=where, required=("from_id", "to_id", "type")
        )
        ends = []
        for end in ("from_id", "to_id"):
            if relation[end] not in span_ids:
                raise ImportProblem(f"no entity with id {relation[end]!r}", field=where + end)
            ends.append(span_ids[relation[end]])
        parsed.append({"type": relation["type"], "from": ends[0], "to": ends[1]})
    return parsed


def add_details(spans: list[dict[str, Any]], details: Any) -> None:
    """Give each span the id, annotator and attributes that `byline_spans` records for it."""
    if details is None:
        return
    if not isinstance(details, list) or len(details) != len(spans):
        raise ImportProblem(
            f"must be an array with one object per span ({len(spans)})", field="byline_spans"
        )
    for index, (span, detail) in enumerate(zip(spans, details, strict=True)):
        byline.check_object(detail, DETAIL_FIELDS, where=f"byline_spans[{index}].", required=())
        if detail.get("id") is not None:
            span["id"] = detail["id"]
        span["annotator"] = detail.get("annotator")
        span["attributes"] = detail.get("attributes", {})
        span["gold"] = detail.get("gold", False)

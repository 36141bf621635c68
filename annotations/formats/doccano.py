"""doccano JSONL: sequence labelling, and doccano's entities-and-relations shape.

A file has one shape for every line, because doccano turns a key that some lines lack into
NaN metadata and SQLite then refuses the whole upload (`JSON_VALID("meta")`): doccano's
relation shape, `{"text", "entities": [{"id", "start_offset", "end_offset", "label"}],
"relations": [{"id", "from_id", "to_id", "type"}]}` (with `"relations": []` where a document
has none) whenever the export can hold a speaker link, else the sequence-labelling shape
`{"text", "label": [[start, end, "LABEL"], ...]}`. doccano keeps keys it does not know as the
example's metadata and exports them again, so everything else travels in extra keys: the
document keys and, in `byline_spans`, each span's range, label, id, annotator, attributes and
`gold` mark. doccano counts offsets in code points, as Python does.

Reading, a `byline_spans` entry is matched to the entity with its (start, end, label), never
by position: doccano exports entities in its database order, and an entity added or deleted
there shifts every position after it. An entity no entry matches, but that covers the range
of an unmatched entry, is that span relabelled; any other entity is new (unclaimed: no
annotator), and an entry no entity matches is a span deleted in doccano. Keys this module
does not know are kept under `metadata["doccano"]`.
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
    json_line,
    read_json_line_documents,
    unknown_keys,
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
    "start": (int,),
    "end": (int,),
    "label": (str,),
    "id": (str, None),
    "annotator": (str, None),
    "attributes": (dict,),
    "gold": (bool,),
}


def doccano_line(line: dict[str, Any], *, relation_shape: bool = True) -> dict[str, Any]:
    """Return the doccano object for one Byline line, in the relation shape or the
    sequence-labelling one."""
    spans = line["spans"]
    obj: dict[str, Any] = {"id": line["id"], "text": line["text"]}
    if relation_shape:
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
        {
            "start": span["start"],
            "end": span["end"],
            "label": span["label"],
            "id": span["id"],
            "annotator": span["annotator"],
            "attributes": span["attributes"],
        }
        | ({"gold": True} if span.get("gold") else {})
        for span in spans
    ]
    return obj


def overlapping_spans(spans: list[dict[str, Any]]) -> int:
    """Return how many of `spans` (any layer) share a character with another of them."""
    ordered = sorted(spans, key=lambda span: (span["start"], span["end"]))
    overlapping: set[int] = set()
    reach, reacher = -1, -1
    for index, span in enumerate(ordered):
        if span["start"] < reach:
            overlapping.update((index, reacher))
        if span["end"] > reach:
            reach, reacher = span["end"], index
    return len(overlapping)


def write_doccano(
    lines: Iterable[dict[str, Any]], out: BinaryIO, *, relation_shape: bool = True
) -> ExportSummary:
    """Write one doccano JSON line per document, every line in the same shape.

    `relation_shape` says whether the export can hold a speaker link (see
    `interchange.export`); False with a document that has relations raises ValueError.
    Spans that overlap (two analysts' copies of one span among them) get a warning:
    doccano's default project drops them.
    """
    summary = ExportSummary()
    overlapping = documents = 0
    for line in lines:
        if line["relations"] and not relation_shape:
            raise ValueError(f"document {line['id']!r} has relations: write the relation shape")
        out.write(json_line(doccano_line(line, relation_shape=relation_shape)))
        summary.documents += 1
        if count := overlapping_spans(line["spans"]):
            overlapping += count
            documents += 1
    if overlapping:
        summary.warnings.append(
            f"{overlapping} spans in {documents} documents overlap another span (two "
            "analysts' copies of one span included): create the doccano project with "
            "\u201cAllow overlapping entity\u201d checked, or doccano drops them without a word"
        )
    return summary


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
    for span, parsed in zip(record.spans, spans, strict=True):
        span.unclaimed = parsed.get("unclaimed", False)
        span.loose_attributes = parsed.get("loose_attributes", False)
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
                "entity_id": entity_id,
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
    """Give each span the id, annotator, attributes and layer of the `byline_spans` entry
    recorded for its (start, end, label), or, relabelled in doccano, for its range.

    Entries are matched by what they describe, never by position. An entity no entry
    describes was added in doccano: it keeps the id it has (for its relations) and is marked
    unclaimed. An entry no entity matches was deleted in doccano and is dropped.
    """
    if details is None:
        details = []
    if not isinstance(details, list):
        raise ImportProblem(
            f"must be an array, not {byline.type_name(details)}", field="byline_spans"
        )
    by_key: dict[tuple[int, int, str], list[dict[str, Any]]] = {}
    for index, detail in enumerate(details):
        byline.check_object(
            detail,
            DETAIL_FIELDS,
            where=f"byline_spans[{index}].",
            required=("start", "end", "label"),
        )
        by_key.setdefault((detail["start"], detail["end"], detail["label"]), []).append(detail)
    unmatched = []
    # Identical spans (two analysts' copies) are told apart by the order doccano made them
    # in, which is the order of its entity ids and of the entries.
    for span in sorted(spans, key=entity_order):
        waiting = by_key.get((span["start"], span["end"], span["label"]))
        if waiting:
            take_detail(span, waiting.pop(0))
        else:
            unmatched.append(span)
    by_range: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for (start, end, _), waiting in by_key.items():
        by_range.setdefault((start, end), []).extend(waiting)
    for span in unmatched:
        waiting = by_range.get((span["start"], span["end"]))
        if waiting:
            take_detail(span, waiting.pop(0))
            # Recorded under the old label: the new one may not allow them all.
            span["loose_attributes"] = True
        else:
            span.update(annotator=None, attributes={}, gold=False, unclaimed=True)


def entity_order(span: dict[str, Any]) -> tuple[int, Any]:
    """Return the order doccano made an entity in: its id when it is a number."""
    entity_id = span.get("entity_id")
    return (0, entity_id) if type(entity_id) is int else (1, 0)


def take_detail(span: dict[str, Any], detail: dict[str, Any]) -> None:
    """Give `span` the id, annotator, attributes and layer its `byline_spans` entry records."""
    if detail.get("id") is not None:
        span["id"] = detail["id"]
    span["annotator"] = detail.get("annotator")
    span["attributes"] = detail.get("attributes", {})
    span["gold"] = detail.get("gold", False)

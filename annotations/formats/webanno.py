"""W3C Web Annotation JSON-LD: one AnnotationPage per document and line.

Each span is an Annotation whose target names the document (`urn:byline:<corpus>:<id>`)
with two selectors: a TextPositionSelector (start, end) and a TextQuoteSelector (exact, and
up to 32 characters of prefix and suffix), so a span can be anchored again if the text
changes. The Web Annotation Data Model counts code points ("The selection of the text MUST
be in terms of unicode code points ..., not in terms of code units"), as Python does. The
label is a `tagging` TextualBody, a comment a `commenting` one, the annotator the `creator`
(`nickname`); a speaker relation is a `linking` Annotation whose target is the quote's
annotation and whose bodies are the speaker's annotation and a `tagging` body naming the
type. The document's keys and text (`document`) and the other attributes (`attributes`)
are JSON literals in Byline's own terms, and `gold` marks a span of the adjudicated layer,
all declared in the page's @context; with them the
round trip loses nothing.

Reading, a span is placed by its position when the text there is still the quote, and
otherwise re-anchored on the quote: the occurrence whose prefix and suffix match, nearest
to the old position.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote, unquote

from django.utils.text import slugify

from annotations.interchange.records import DocumentRecord, ImportProblem

from . import byline
from .shared import (
    DOCUMENT_FIELDS,
    ExportSummary,
    check_spans,
    document_fields,
    read_json_line_documents,
    write_json_lines,
)

CONTEXT = [
    "http://www.w3.org/ns/anno.jsonld",
    {
        "@version": 1.1,
        "byline": "https://byline.example/ns#",
        "document": {"@id": "byline:document", "@type": "@json"},
        "attributes": {"@id": "byline:attributes", "@type": "@json"},
        "gold": {"@id": "byline:gold", "@type": "http://www.w3.org/2001/XMLSchema#boolean"},
    },
]
CONTEXT_CHARS = 32


def document_iri(line: dict[str, Any]) -> str:
    return f"urn:byline:{slugify(line['corpus']) or 'corpus'}:{quote(line['id'], safe='')}"


def span_annotation(span: dict[str, Any], text: str, iri: str) -> dict[str, Any]:
    """Return the Annotation for one span of the document at `iri`."""
    start, end = span["start"], span["end"]
    attributes = dict(span["attributes"])
    body = [{"type": "TextualBody", "purpose": "tagging", "value": span["label"]}]
    if isinstance(attributes.get("comment"), str):
        body.append(
            {"type": "TextualBody", "purpose": "commenting", "value": attributes["comment"]}
        )
        del attributes["comment"]
    annotation: dict[str, Any] = {
        "id": f"{iri}#{quote(span['id'], safe='')}",
        "type": "Annotation",
        "motivation": "tagging",
    }
    if span["annotator"] is not None:
        annotation["creator"] = {"type": "Person", "nickname": span["annotator"]}
    if span.get("gold"):
        annotation["gold"] = True
    annotation["body"] = body
    if attributes:
        annotation["attributes"] = attributes
    annotation["target"] = {
        "source": iri,
        "selector": [
            {"type": "TextPositionSelector", "start": start, "end": end},
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - CONTEXT_CHARS) : start],
                "suffix": text[end : end + CONTEXT_CHARS],
            },
        ],
    }
    return annotation


def annotation_page(line: dict[str, Any]) -> dict[str, Any]:
    """Return the AnnotationPage for one Byline line."""
    iri = document_iri(line)
    items = [span_annotation(span, line["text"], iri) for span in line["spans"]]
    items += [
        {
            "id": f"{iri}#relation-{index + 1}",
            "type": "Annotation",
            "motivation": "linking",
            "body": [
                {"type": "TextualBody", "purpose": "tagging", "value": relation["type"]},
                f"{iri}#{quote(relation['to'], safe='')}",
            ],
            "target": f"{iri}#{quote(relation['from'], safe='')}",
        }
        for index, relation in enumerate(line["relations"])
    ]
    return {
        "@context": CONTEXT,
        "id": iri,
        "type": "AnnotationPage",
        "document": {"id": line["id"], **document_fields(line), "text": line["text"]},
        "items": items,
    }


def write_webanno(lines: Iterable[dict[str, Any]], out: BinaryIO) -> ExportSummary:
    """Write one AnnotationPage per document and line."""
    return write_json_lines(lines, out, annotation_page)


def read_webanno(path: Path) -> Iterator[DocumentRecord]:
    """Yield the documents of a file of AnnotationPages, one per line."""
    return read_json_line_documents(path, parse_page)


def parse_page(page: Any, *, default_id: str) -> DocumentRecord:
    """Return the document of one AnnotationPage carrying Byline's `document`."""
    page = byline.check_object(
        page, {"document": (dict,), "items": (list,)}, where="", required=("document",)
    )
    document = byline.check_object(
        page["document"], {"text": (str,)}, where="document.", required=("text",)
    )
    text = document["text"]
    spans, relations, uids = [], [], {}
    links = []
    for index, item in enumerate(page.get("items", [])):
        where = f"items[{index}]"
        item = byline.check_object(item, {"id": (str,)}, where=f"{where}.", required=())
        if item.get("motivation") == "linking":
            links.append((where, item))
            continue
        span = parse_span_annotation(item, text, where=where)
        uids[item.get("id")] = span["id"] = span["id"] or f"w3c-{index}"
        spans.append(span)
    for where, item in links:
        relations.append(parse_link(item, uids, where=where))
    fields = {key: document[key] for key in DOCUMENT_FIELDS if key in document}
    record = byline.parse_object(
        {
            "id": document.get("id", default_id),
            "text": text,
            **fields,
            "spans": spans,
            "relations": relations,
        }
    )
    check_spans(record)
    return record


def textual_bodies(item: dict[str, Any], purpose: str) -> list[str]:
    bodies = item.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    return [
        body["value"]
        for body in bodies
        if isinstance(body, dict) and body.get("purpose") == purpose and "value" in body
    ]


def parse_span_annotation(item: dict[str, Any], text: str, *, where: str) -> dict[str, Any]:
    """Return the span an Annotation of a text range records."""
    labels = textual_bodies(item, "tagging")
    if len(labels) != 1 or not isinstance(labels[0], str):
        raise ImportProblem("needs one tagging body, the label", field=f"{where}.body")
    attributes = item.get("attributes", {})
    if not isinstance(attributes, dict):
        raise ImportProblem("must be an object", field=f"{where}.attributes")
    if comments := textual_bodies(item, "commenting"):
        attributes = {**attributes, "comment": "\n".join(map(str, comments))}
    creator = item.get("creator")
    annotator = creator.get("nickname") if isinstance(creator, dict) else None
    start, end = anchor(text, item.get("target"), where=f"{where}.target")
    fragment = item.get("id", "").partition("#")[2]
    return {
        "id": unquote(fragment) or None,
        "start": start,
        "end": end,
        "label": labels[0],
        "annotator": annotator,
        "attributes": attributes,
        "gold": item.get("gold") is True,
    }


def parse_link(item: dict[str, Any], uids: dict[str, str], *, where: str) -> dict[str, Any]:
    """Return the relation a `linking` Annotation records between two span annotations."""
    types = textual_bodies(item, "tagging")
    bodies = item.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    targets = [body.get("id") if isinstance(body, dict) else body for body in bodies]
    targets = [iri for iri in targets if isinstance(iri, str) and iri in uids]
    source = item.get("target")
    source = source.get("id") if isinstance(source, dict) else source
    if len(types) != 1 or len(targets) != 1 or not isinstance(source, str) or source not in uids:
        raise ImportProblem(
            "a linking annotation needs a tagging body (the type), a body naming one span "
            "annotation and a target naming another",
            field=where,
        )
    return {"type": types[0], "from": uids[source], "to": uids[targets[0]]}


def anchor(text: str, target: Any, *, where: str) -> tuple[int, int]:
    """Return the code-point range a target's selectors point at in `text`."""
    selectors = target.get("selector", []) if isinstance(target, dict) else []
    selectors = selectors if isinstance(selectors, list) else [selectors]
    by_type = {
        s["type"]: s for s in selectors if isinstance(s, dict) and isinstance(s.get("type"), str)
    }
    position = by_type.get("TextPositionSelector")
    quoted = by_type.get("TextQuoteSelector")
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if type(start) is not int or type(end) is not int:
            raise ImportProblem("start and end must be integers", field=f"{where}.selector")
        if quoted is None or text[start:end] == quoted.get("exact"):
            return start, end
    if quoted is None or not isinstance(quoted.get("exact"), str) or not quoted["exact"]:
        raise ImportProblem(
            "needs a TextPositionSelector or a TextQuoteSelector", field=f"{where}.selector"
        )
    return reanchor(text, quoted, near=position["start"] if position else 0, where=where)


def reanchor(text: str, quoted: dict[str, Any], *, near: int, where: str) -> tuple[int, int]:
    """Return where a TextQuoteSelector's text is: context matching first, nearest `near`."""
    exact = quoted["exact"]
    prefix, suffix = str(quoted.get("prefix") or ""), str(quoted.get("suffix") or "")
    found, at = [], text.find(exact)
    while at != -1:
        found.append(at)
        at = text.find(exact, at + 1)
    if not found:
        raise ImportProblem(f"the quoted text {exact[:60]!r} is not in the document", field=where)
    in_context = [
        at
        for at in found
        if at >= len(prefix)
        and text.startswith(prefix, at - len(prefix))
        and text.startswith(suffix, at + len(exact))
    ]
    start = min(in_context or found, key=lambda at: (abs(at - near), at))
    return start, start + len(exact)

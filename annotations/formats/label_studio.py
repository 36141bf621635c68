"""Label Studio JSON: a list of tasks with `data.text` and `labels` and `relation` results.

Offsets: Label Studio's text regions count code points, as Python does. Its own tests say
so ("Should calculate offsets by code points in text": in "🐱 Warning: This is a test text"
the region "test" is start 21, end 25, where a JavaScript string index would give 22). Label
Studio before 1.4 (2021) counted UTF-16 code units instead; a result whose `value.text` does
not match its code-point offsets but does match them read as UTF-16 units is converted here,
the only place that knows Label Studio's units.

Written: `data` holds the text, the document's id and keys, and `byline_regions`, a map from
each span's region id to its analyst and layer (`{"annotator": "ana", "gold": false}`): Label
Studio keeps `data` verbatim, but marks every imported annotation `ground_truth` and drops
keys of its own objects (`annotator`). There is one annotation per analyst's layer and one for
the gold layer; a span
is a `labels` result whose `id` is the span id; each attribute is a per-region result with the
same id, named by `from_name` (a boolean as `choices` "true"/"false", a number as `number`, a
string as `textarea`, null as an empty `textarea`); relations are `relation` results.
`label_config_file` gives the labeling config that shows all of it, so that Label Studio's
editor keeps the attributes when it saves.

Read: `annotations` and `predictions` (predictions are unattributed). `ground_truth` is never
taken for gold. A region in `byline_regions` takes its analyst and layer from there; any
other region was made in Label Studio: it is unclaimed, attributed by `completed_by`'s e-mail
when the import finds a user with it. `data` keys this module does not know go to
`metadata["label_studio"]`. Every problem names the task, and the region where there is one.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple
from xml.sax.saxutils import escape

import orjson

from annotations.interchange.records import DocumentRecord, ImportProblem
from annotations.validation import UNIVERSAL_ATTRIBUTES

from . import byline
from .shared import (
    DOCUMENT_FIELDS,
    ExportFacts,
    ExportSummary,
    check_spans,
    document_fields,
    load_json,
    unknown_keys,
)

CONTROL, OBJECT = "label", "text"
# Attribute values go in XML attributes: their quotes are escaped too.
QUOTE = {'"': "&quot;"}
REGIONS_KEY = "byline_regions"
CONFIG_FILE = "label_config.xml"
REGION_FIELDS: dict[str, tuple[type | None, ...]] = {"annotator": (str, None), "gold": (bool,)}


def attribute_result(uid: str, name: str, value: Any, span: dict[str, Any]) -> dict[str, Any]:
    """Return the per-region result that records one attribute of a span."""
    if type(value) is bool:
        kind, payload = "choices", {"choices": ["true" if value else "false"]}
    elif type(value) in (int, float):
        kind, payload = "number", {"number": value}
    else:
        kind, payload = "textarea", {"text": [] if value is None else [value]}
    return {
        "id": uid,
        "from_name": name,
        "to_name": OBJECT,
        "type": kind,
        "value": {"start": span["start"], "end": span["end"], **payload},
    }


def annotation_results(
    spans: list[dict[str, Any]], relations: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Return the results for one annotator's spans and the relations that start at them."""
    results = []
    for span in spans:
        results.append(
            {
                "id": span["id"],
                "from_name": CONTROL,
                "to_name": OBJECT,
                "type": "labels",
                "value": {
                    "start": span["start"],
                    "end": span["end"],
                    "text": span["text"],
                    "labels": [span["label"]],
                },
            }
        )
        for name, value in span["attributes"].items():
            results.append(attribute_result(span["id"], name, value, span))
    own = {span["id"] for span in spans}
    results += [
        {
            "type": "relation",
            "from_id": relation["from"],
            "to_id": relation["to"],
            "direction": "right",
            "labels": [relation["type"]],
        }
        for relation in relations
        if relation["from"] in own
    ]
    return results


def label_studio_task(line: dict[str, Any]) -> dict[str, Any]:
    """Return the Label Studio task for one Byline line: one annotation per analyst's layer
    (named by `annotator`) and one for the gold layer, whoever adjudicated its spans, so that
    a link is always inside one annotation, as Label Studio draws them."""
    layers: dict[tuple[bool, str | None], list[dict[str, Any]]] = {}
    for span in line["spans"]:
        gold = span.get("gold", False)
        layers.setdefault((gold, None if gold else span["annotator"]), []).append(span)
    regions = {
        span["id"]: {"annotator": span["annotator"], "gold": span.get("gold", False)}
        for span in line["spans"]
    }
    return {
        "data": {"text": line["text"], "id": line["id"], **document_fields(line)}
        | {REGIONS_KEY: regions},
        "annotations": [
            ({} if gold else {"annotator": annotator})
            | {"result": annotation_results(spans, line["relations"])}
            for (gold, annotator), spans in layers.items()
        ],
    }


def label_config(facts: ExportFacts) -> str:
    """Return the labeling config that shows an export: the labels, the speaker relation,
    and a per-region control for every attribute of every label (else Label Studio's editor
    drops the attribute results the first time it saves)."""
    lines = ["<View>", "  <Relations>", '    <Relation value="speaker"/>', "  </Relations>"]
    lines.append(f'  <Labels name="{CONTROL}" toName="{OBJECT}">')
    lines += [f'    <Label value="{escape(key, QUOTE)}"/>' for key in facts.labels]
    lines.append("  </Labels>")
    lines.append(f'  <Text name="{OBJECT}" value="${OBJECT}" granularity="symbol"/>')
    owners: dict[str, list[str]] = {}
    kinds = dict(UNIVERSAL_ATTRIBUTES)
    for key, spec in facts.labels.items():
        for name, kind in spec.items():
            owners.setdefault(name, []).append(key)
            kinds.setdefault(name, kind)
    # A control name is one control: an attribute of several labels (or of any) shows for all.
    shared = [name for name in kinds if name in UNIVERSAL_ATTRIBUTES or len(owners[name]) > 1]
    for key, spec in facts.labels.items():
        own = [name for name in spec if name not in shared]
        if own:
            lines.append(
                f'  <View visibleWhen="region-selected" whenLabelValue="{escape(key, QUOTE)}">'
            )
            lines += [f"    {attribute_control(name, kinds[name])}" for name in own]
            lines.append("  </View>")
    if shared:
        lines.append('  <View visibleWhen="region-selected">')
        lines += [f"    {attribute_control(name, kinds[name])}" for name in shared]
        lines.append("  </View>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def attribute_control(name: str, kind: str) -> str:
    """Return the per-region control for an attribute of type `kind`."""
    name = escape(name, QUOTE)
    common = f'name="{name}" toName="{OBJECT}" perRegion="true"'
    if kind == "boolean":
        return (
            f'<Choices {common} choice="single" showInline="true">'
            '<Choice value="true"/><Choice value="false"/></Choices>'
        )
    if kind in ("number", "integer"):
        step = "1" if kind == "integer" else "any"
        return f'<Number {common} step="{step}"/>'
    return f'<TextArea {common} maxSubmissions="1" editable="true" placeholder="{name}"/>'


def label_config_file(facts: ExportFacts) -> tuple[str, bytes]:
    """Return the name and content of the labeling config written beside an export."""
    return CONFIG_FILE, label_config(facts).encode()


def write_label_studio(lines: Iterable[dict[str, Any]], out: BinaryIO) -> ExportSummary:
    """Write a JSON list of tasks, one task per line, without holding the list in memory."""
    summary = ExportSummary()
    out.write(b"[")
    for line in lines:
        out.write((b",\n" if summary.documents else b"\n") + orjson.dumps(label_studio_task(line)))
        summary.documents += 1
    out.write(b"\n]\n")
    return summary


def read_label_studio(path: Path) -> Iterator[DocumentRecord]:
    """Yield the documents of a Label Studio JSON export (a list of tasks, or one task)."""
    tasks = load_json(path)
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise ImportProblem(f"expected a list of tasks, got {byline.type_name(tasks)}", path=path)
    for index, task in enumerate(tasks):
        try:
            record = parse_task(task, default_id=f"{path.stem}-{index + 1}")
        except ImportProblem as problem:
            where = f"tasks[{index}]" + (f".{problem.field}" if problem.field else "")
            raise ImportProblem(problem.message, path=path, field=where) from None
        # Checked later against the corpus: problems then name the task too.
        record.where = f"tasks[{index}]"
        yield record


class Author(NamedTuple):
    """Who made an annotation's regions that `byline_regions` does not name."""

    # A Byline export's own `annotator` key (Label Studio drops it).
    annotator: str | None
    # `completed_by`'s e-mail, when Label Studio exported the user as an object.
    email: str | None
    # Whether the regions were made by a person in another tool (not predictions).
    unclaimed: bool


def parse_task(task: Any, *, default_id: str) -> DocumentRecord:
    """Return the document in one Label Studio task."""
    task = byline.check_object(
        task,
        {"data": (dict,), "annotations": (list,), "predictions": (list,)},
        where="",
        required=(),
    )
    # Label Studio also accepts a task that is only its data.
    data = task.get("data", task)
    byline.check_object(
        data, {"text": (str,), REGIONS_KEY: (dict,)}, where="data.", required=("text",)
    )
    text = data["text"]
    known = data.get(REGIONS_KEY, {})
    for region_id, facts in known.items():
        byline.check_object(
            facts, REGION_FIELDS, where=f"data.{REGIONS_KEY}.{region_id}.", required=()
        )
    spans: list[dict[str, Any]] = []
    taken: set[str] = set()
    links: list[tuple[str, dict[str, Any], dict[str, dict[str, Any]]]] = []
    everywhere: dict[str, dict[str, Any]] = {}
    for key in ("annotations", "predictions"):
        for index, annotation in enumerate(task.get(key, [])):
            where = f"{key}[{index}]"
            annotation = byline.check_object(
                annotation,
                {"result": (list,), "annotator": (str, None), "completed_by": (int, dict, None)},
                where=f"{where}.",
                required=("result",),
            )
            if annotation.get("was_cancelled"):
                continue
            author = Author(None, None, unclaimed=False)
            if key == "annotations":
                author = Author(
                    annotation.get("annotator"),
                    completed_by_email(annotation.get("completed_by"), where=where),
                    unclaimed=True,
                )
            regions, relation_results = parse_results(
                annotation["result"],
                text,
                author,
                known=known,
                where=where,
                taken=taken,
                spans=spans,
            )
            links += [(field, result, regions) for field, result in relation_results]
            for region_id, span in regions.items():
                everywhere.setdefault(region_id, span)
    # A relation may link regions of two annotators; Label Studio cannot, Byline can.
    relations = [parse_link(*link, everywhere) for link in links]
    external_id = data.get("id", task.get("id", default_id))
    if type(external_id) is int:
        external_id = str(external_id)
    document = {key: data[key] for key in DOCUMENT_FIELDS if key in data}
    extra = unknown_keys(data, {"text", "id", REGIONS_KEY, *DOCUMENT_FIELDS})
    if extra and isinstance(document.get("metadata", {}), dict):
        document["metadata"] = {**document.get("metadata", {}), "label_studio": extra}
    record = byline.parse_object(
        {"id": external_id, "text": text, **document, "spans": spans, "relations": relations}
    )
    for span, parsed in zip(record.spans, spans, strict=True):
        span.where = parsed["where"]
        span.unclaimed = parsed["unclaimed"]
        span.annotator_email = parsed["email"]
    check_spans(record)
    return record


def completed_by_email(completed_by: Any, *, where: str) -> str | None:
    """Return the e-mail of `completed_by` when Label Studio exported the user as an object.

    A bare id is Label Studio's own number for its user, which names nobody in Byline.
    """
    if not isinstance(completed_by, dict):
        return None
    email = completed_by.get("email")
    return byline.check_value(email, (str, None), field=f"{where}.completed_by.email") or None


class AnnotationResults(NamedTuple):
    """The results of one Label Studio annotation, as `parse_results` reads them."""

    # The first span of each labelled region, by region id.
    regions: dict[str, dict[str, Any]]
    # The relation results, each with where it is ("annotations[0].result[3]").
    links: list[tuple[str, dict[str, Any]]]


def parse_results(
    results: list[Any],
    text: str,
    author: Author,
    *,
    known: dict[str, dict[str, Any]],
    where: str,
    taken: set[str],
    spans: list[dict[str, Any]],
) -> AnnotationResults:
    """Add the spans of one annotation's results to `spans`; return them by region id, and
    the relation results with where they are.

    A region `known` (Byline's `byline_regions`) has the analyst and layer recorded there;
    any other is `author`'s, and in the analysts' layer.
    """
    regions: dict[str, dict[str, Any]] = {}
    attributes, links = [], []
    for index, result in enumerate(results):
        field = f"{where}.result[{index}]"
        result = byline.check_object(
            result,
            {"type": (str,), "value": (dict,), "id": (str,)},
            where=f"{field}.",
            required=("type",),
        )
        if "id" in result:
            field += f" (region {result['id']!r})"
        if result["type"] == "relation":
            links.append((field, result))
        elif result["type"] == "labels":
            region = parse_region(result, text, field=field)
            facts = known.get(result["id"])
            for number, label in enumerate(region.pop("labels")):
                uid = result["id"] if number == 0 else f"{result['id']}-{number}"
                if uid in taken:
                    uid = f"{uid}-{where}"
                taken.add(uid)
                span = {**region, "id": uid, "label": label, "attributes": {}, "where": field}
                if facts is not None:
                    span |= {
                        "annotator": facts.get("annotator"),
                        "gold": facts.get("gold", False),
                        "unclaimed": False,
                        "email": None,
                    }
                else:
                    span |= {
                        "annotator": author.annotator,
                        "gold": False,
                        "unclaimed": author.unclaimed and author.annotator is None,
                        "email": author.email if author.annotator is None else None,
                    }
                spans.append(span)
                regions.setdefault(result["id"], span)
        else:
            attributes.append((field, result))
    for field, result in attributes:
        if result.get("id") not in regions:
            raise ImportProblem("names no labelled region", field=f"{field}.id")
        name = byline.check_object(
            result, {"from_name": (str,)}, where=f"{field}.", required=("from_name", "value")
        )["from_name"]
        regions[result["id"]]["attributes"][name] = attribute_value(result, field=field)
    return AnnotationResults(regions=regions, links=links)


def parse_link(
    field: str,
    result: dict[str, Any],
    regions: dict[str, dict[str, Any]],
    everywhere: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """Return the relation of a `relation` result, its ends found in its own annotation
    first, then in the task's other annotations."""
    ends = []
    for key in ("from_id", "to_id"):
        region_id = result.get(key)
        if region_id is not None:
            byline.check_value(region_id, (str,), field=f"{field}.{key}")
        region = regions.get(region_id) or everywhere.get(region_id)
        if region is None:
            raise ImportProblem(f"no labelled region {region_id!r}", field=f"{field}.{key}")
        ends.append(region["id"])
    labels = byline.check_value(result.get("labels", []), (list,), field=f"{field}.labels")
    if len(labels) != 1 or not isinstance(labels[0], str):
        raise ImportProblem("needs one label, the relation type", field=f"{field}.labels")
    return {"type": labels[0], "from": ends[0], "to": ends[1]}


def parse_region(result: dict[str, Any], text: str, *, field: str) -> dict[str, Any]:
    """Return the offsets, covered text and labels of a `labels` result, in code points."""
    if "id" not in result:
        raise ImportProblem("is required", field=f"{field}.id")
    value = byline.check_object(
        result.get("value"),
        {"start": (int,), "end": (int,), "text": (str,), "labels": (list,)},
        where=f"{field}.value.",
        required=("start", "end", "labels"),
    )
    start, end, covered = value["start"], value["end"], value.get("text")
    if covered is not None and text[start:end] != covered:
        converted = code_points_from_utf16(text, start, end)
        if converted is not None and text[converted[0] : converted[1]] == covered:
            start, end = converted
    return {"start": start, "end": end, "text": covered, "labels": value["labels"]}


def attribute_value(result: dict[str, Any], *, field: str) -> Any:
    """Return the attribute value a per-region result records."""
    value, kind = result["value"], result["type"]
    if kind == "choices":
        choices = byline.check_value(
            value.get("choices", []), (list,), field=f"{field}.value.choices"
        )
        if choices in (["true"], ["false"]):
            return choices == ["true"]
        return choices[0] if len(choices) == 1 else choices
    if kind in ("number", "rating"):
        return value.get(kind)
    if kind == "textarea":
        lines = byline.check_value(value.get("text", []), (list,), field=f"{field}.value.text")
        for index, line in enumerate(lines):
            byline.check_value(line, (str,), field=f"{field}.value.text[{index}]")
        return "\n".join(lines) if lines else None
    raise ImportProblem(f"result type {kind!r} is not supported", field=f"{field}.type")


def code_points_from_utf16(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Return UTF-16 unit offsets into `text` as code-point offsets, or None if they split
    a surrogate pair or lie outside the text."""
    encoded = text.encode("utf-16-le")
    if not 0 <= start <= end <= len(encoded) // 2:
        return None
    try:
        return (
            len(encoded[: 2 * start].decode("utf-16-le")),
            len(encoded[: 2 * end].decode("utf-16-le")),
        )
    except UnicodeDecodeError:
        return None

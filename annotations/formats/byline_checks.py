"""Check a Byline JSONL file: every line against the JSON Schema, and the offset invariants.

The invariants are what the schema cannot say: `text_sha256` is the digest of `text`, each
span covers its `text` (`text[start:end] == span.text`, code points), spans are sorted by
(start, end, label), span ids are unique in a line and relations name them.
"""

import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import orjson
from django.conf import settings

from annotations.interchange.records import ImportProblem
from corpus.models import sha256_hex

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "byline-export.schema.json"
REQUIRED = re.compile(r"'(.+)' is a required property")


@functools.cache
def schema_validator() -> jsonschema.Draft202012Validator:
    schema = orjson.loads(SCHEMA_PATH.read_bytes())
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def field_name(path: Iterable[str | int]) -> str | None:
    """Return `["spans", 0, "start"]` as `spans[0].start`."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else part
    return name or None


def check_line(obj: Any) -> Iterator[tuple[str | None, str]]:
    """Yield (field, reason) for everything wrong with one decoded line."""
    for error in sorted(schema_validator().iter_errors(obj), key=lambda e: list(map(str, e.path))):
        path = list(error.absolute_path)
        if error.validator == "required" and (missing := REQUIRED.fullmatch(error.message)):
            # Name the missing key itself, as the importer's messages do.
            yield field_name([*path, missing.group(1)]), "is required"
        else:
            yield field_name(path), error.message
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return
    text = obj["text"]
    if isinstance(obj.get("text_sha256"), str) and obj["text_sha256"] != sha256_hex(text):
        yield "text_sha256", "does not match the SHA-256 of text"
    spans = [span for span in obj.get("spans", []) if isinstance(span, dict)]
    yield from check_spans(text, spans if isinstance(obj.get("spans"), list) else [])
    ids = {span.get("id") for span in spans}
    for index, relation in enumerate(obj.get("relations") or []):
        for end in ("from", "to"):
            if isinstance(relation, dict) and relation.get(end) not in ids:
                yield (
                    f"relations[{index}].{end}",
                    f"no span with id {relation.get(end)!r} in this line",
                )


def check_spans(text: str, spans: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """Yield (field, reason) for spans off the text, out of order or with a repeated id."""
    seen: set[Any] = set()
    previous = None
    for index, span in enumerate(spans):
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        if type(start) is not int or type(end) is not int or not isinstance(label, str):
            continue
        if not 0 <= start < end <= len(text):
            yield f"spans[{index}]", f"[{start}, {end}) is outside a text of {len(text)} characters"
        elif text[start:end] != span.get("text"):
            yield (
                f"spans[{index}].text",
                f"is {span.get('text')!r}, but text[{start}:{end}] is {text[start:end]!r}",
            )
        if previous is not None and (start, end, label) < previous:
            yield f"spans[{index}]", "is out of order: spans are sorted by (start, end, label)"
        previous = (start, end, label)
        if span.get("id") in seen:
            yield f"spans[{index}].id", f"{span.get('id')!r} is used twice in this line"
        seen.add(span.get("id"))


def check_byline_file(path: Path) -> Iterator[ImportProblem]:
    """Yield a located problem for everything wrong in a Byline JSONL file."""
    lines = 0
    first_line_of_id: dict[str, int] = {}
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            lines += 1
            if not raw.strip():
                yield ImportProblem("blank line", path=path, line=number)
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as error:
                yield ImportProblem(f"invalid JSON: {error}", path=path, line=number)
                continue
            for field, reason in check_line(obj):
                yield ImportProblem(reason, path=path, line=number, field=field)
            if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                key = f"{obj.get('corpus')}\0{obj['id']}"
                if key in first_line_of_id:
                    yield ImportProblem(
                        f"{obj['id']!r} was already used on line {first_line_of_id[key]}",
                        path=path,
                        line=number,
                        field="id",
                    )
                first_line_of_id.setdefault(key, number)
    if not lines:
        yield ImportProblem("file is empty", path=path)

"""The span, attribute and relation rules: one place, called by the admin, API and importers.

`bulk_create` skips model validation, so every bulk path calls these before writing.
"""

import re
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from .layers import RESERVED_LAYER_NAMES

ATTRIBUTE_TYPES = {"number", "integer", "string", "boolean"}
# Every label may carry a free-text comment, whatever its spec.
UNIVERSAL_ATTRIBUTES = {"comment": "string"}
SPEAKER_TARGET_KEYS = {"ACTOR", "ANON_SOURCE"}
# An attribute is a note on a span: 10,000 characters are a few pages of comment, and a
# bound keeps one span from weighing megabytes in every answer and export of its document.
MAX_ATTRIBUTE_CHARS = 10_000
# The browser reads every number as a double, exact up to 2**53 - 1; larger integers would
# change on their way to the page (and orjson, which writes the exports, stops at 2**64).
MAX_ATTRIBUTE_INTEGER = 2**53 - 1
# NUL cannot be stored by PostgreSQL; a lone surrogate (half of a UTF-16 pair, as a JSON
# "\udc80" escape gives) is no character at all, so no page or export could encode it.
UNSTORABLE_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def validate_span(text: str, start: Any, end: Any, covered: str | None = None) -> None:
    """Raise ValidationError unless [start, end) is a non-empty range of `text` covering `covered`.

    Offsets are code points, end-exclusive, as Python slices count.
    """
    for name, value in (("start", start), ("end", end)):
        if type(value) is not int:
            raise ValidationError(f"span {name} must be an integer, not {value!r}")
    if not 0 <= start < end <= len(text):
        raise ValidationError(
            f"span [{start}, {end}) is outside a text of {len(text)} characters"
            if start < end
            else f"span [{start}, {end}) is empty or reversed"
        )
    if covered is not None and text[start:end] != covered:
        raise ValidationError(f"span [{start}, {end}) covers {text[start:end]!r}, not {covered!r}")


def matches_attribute_type(value: Any, type_name: str) -> bool:
    """Return whether `value` is a JSON value of attribute type `type_name` (null always is)."""
    if value is None:
        return True
    if type_name == "boolean":
        return type(value) is bool
    if type_name == "integer":
        return type(value) is int
    if type_name == "number":
        return type(value) in (int, float)
    return isinstance(value, str)


def validate_storable_text(value: str, *, what: str) -> None:
    """Raise ValidationError, naming `what`, if `value` holds a NUL or a lone surrogate."""
    found = UNSTORABLE_CHARACTER.search(value)
    if found is None:
        return
    character = found.group()
    kind = "a NUL character" if character == "\x00" else "a lone surrogate"
    raise ValidationError(
        f"{what} contains {kind} (U+{ord(character):04X}) at character {found.start()}, "
        "which cannot be stored"
    )


def validate_attributes(attributes: Any, spec: Mapping[str, str], *, label_key: str) -> None:
    """Raise ValidationError unless `attributes` is an object that fits the label's `spec`.

    Values are scalars: strings hold at most MAX_ATTRIBUTE_CHARS storable characters and
    integers lie within MAX_ATTRIBUTE_INTEGER of zero.
    """
    if not isinstance(attributes, dict):
        raise ValidationError(f"attributes must be a JSON object, not {type(attributes).__name__}")
    allowed = {**UNIVERSAL_ATTRIBUTES, **spec}
    for name, value in attributes.items():
        validate_storable_text(name, what=f"attribute name {name!r}")
        if name not in allowed:
            raise ValidationError(
                f"attribute {name!r} is not defined for {label_key} "
                f"(allowed: {', '.join(sorted(allowed))})"
            )
        if not matches_attribute_type(value, allowed[name]):
            raise ValidationError(
                f"attribute {name!r} of {label_key} must be a {allowed[name]}, not {value!r}"
            )
        validate_attribute_bounds(name, value)


def validate_attribute_bounds(name: str, value: Any) -> None:
    """Raise ValidationError unless the scalar `value` of attribute `name` can be kept."""
    if isinstance(value, str):
        validate_storable_text(value, what=f"attribute {name!r}")
        if len(value) > MAX_ATTRIBUTE_CHARS:
            raise ValidationError(
                f"attribute {name!r} has {len(value):,} characters; "
                f"an attribute may have {MAX_ATTRIBUTE_CHARS:,}"
            )
    elif type(value) is int and abs(value) > MAX_ATTRIBUTE_INTEGER:
        raise ValidationError(
            f"attribute {name!r} is {value}; integers may be at most "
            f"{MAX_ATTRIBUTE_INTEGER:,} from zero"
        )


def validate_attribute_spec(spec: Any) -> None:
    """Raise ValidationError unless `spec` maps attribute names to known attribute types."""
    if not isinstance(spec, dict):
        raise ValidationError("attribute spec must be a JSON object")
    for name, type_name in spec.items():
        validate_storable_text(name, what=f"attribute name {name!r}")
        if type_name not in ATTRIBUTE_TYPES:
            raise ValidationError(
                f"attribute {name!r} has unknown type {type_name!r} "
                f"(use one of {', '.join(sorted(ATTRIBUTE_TYPES))})"
            )


def validate_annotator_name(name: str) -> None:
    """Raise ValidationError unless `name` may be an annotator's username.

    It must be a valid username, and no layer's name: `--layer gold` and `?layer=all` would
    not pick the layer of an analyst called "gold" or "all".
    """
    try:
        UnicodeUsernameValidator()(name)
    except ValidationError:
        raise ValidationError(
            f"{name!r} is not a valid username (letters, digits and @.+-_ only)"
        ) from None
    if name.lower() in RESERVED_LAYER_NAMES:
        raise ValidationError(
            f"{name!r} names a layer ({', '.join(sorted(RESERVED_LAYER_NAMES))}), not an annotator"
        )


def validate_same_layer(
    *, source_layer: tuple[bool, object], target_layer: tuple[bool, object]
) -> None:
    """Raise ValidationError unless both spans are in one layer (`layers.span_layer`)."""
    if source_layer != target_layer:
        raise ValidationError("a relation links two spans of the same layer (one analyst, or gold)")


def validate_relation(
    *,
    relation_type: str,
    source_document_id: int,
    target_document_id: int,
    source_label_key: str,
    target_label_key: str,
) -> None:
    """Raise ValidationError unless the two spans may be linked by `relation_type`."""
    if source_document_id != target_document_id:
        raise ValidationError("a relation must link two spans of the same document")
    if relation_type == "speaker" and (
        source_label_key != "QUOTE" or target_label_key not in SPEAKER_TARGET_KEYS
    ):
        raise ValidationError(
            f"a speaker relation links a QUOTE to an ACTOR or ANON_SOURCE, "
            f"not {source_label_key} to {target_label_key}"
        )

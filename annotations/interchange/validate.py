"""Validate import records before anything is written, each record on its own (`plan` then
checks each chunk against the corpus and the file so far).

The writer (`write`) inserts rows through the driver's bulk path, which skips `clean()` and
the models' validators, so every rule a row must meet is checked here first.
"""

from collections.abc import Collection
from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model

from annotations.labels import news_labels
from annotations.layers import span_layer
from annotations.models import Annotation, Label, Relation
from annotations.spans import fitting_attributes
from annotations.validation import (
    validate_annotator_name,
    validate_attributes,
    validate_relation,
    validate_same_layer,
    validate_span,
    validate_storable_text,
)
from corpus.models import Corpus, CorpusTag, Document, sha256_hex

from .records import DocumentRecord, ImportProblem, RelationRecord, SpanRecord

# A news article is rarely over 100,000 characters; far larger input is a mistake or an attack.
MAX_TEXT_CHARS = 10_000_000
# orjson writes at most 254 levels; stay well inside so every import can be exported again.
MAX_JSON_DEPTH = 64
# The record's fields written to a Document column of limited length: the name a problem gives
# the field, and the column's (also the record attribute's).
LENGTH_LIMITED_FIELDS = {
    "id": "external_id",
    "title": "title",
    "source": "source",
    "dateline": "dateline",
    "url": "url",
    "language": "language",
}


class CorpusState:
    """What validating and writing need to know about the corpus, loaded once per import."""

    def __init__(
        self,
        corpus: Corpus,
        *,
        create_labels: bool,
        attributable_to: Collection[str] | None = None,
        acting_user: str | None = None,
    ) -> None:
        self.corpus = corpus
        # Who the import acts for: spans another tool's users added are attributed to them.
        self.acting_user = acting_user
        self.create_labels = create_labels
        # The only annotators spans may name, when the import acts for a user; else anyone.
        self.attributable_to = attributable_to
        # A corpus a dry run would create (unsaved) would start with the news labels.
        labels = corpus.labels.all() if corpus.pk is not None else news_labels(corpus)
        self.labels = {label.key: label for label in labels}
        self.new_labels: dict[str, Label] = {}
        self.users: dict[str, object] = {}

    def label(self, key: str) -> Label:
        """Return the label called `key`, a new one (unsaved) if labels may be created."""
        if key in self.labels:
            return self.labels[key]
        if not self.create_labels:
            raise ImportProblem(
                f"unknown label {key!r} (corpus has {', '.join(sorted(self.labels))}; "
                "pass --create-labels to add it)"
            )
        label = Label(corpus=self.corpus, key=key, name=key.replace("_", " ").title())
        try:
            label.full_clean(exclude=["corpus"], validate_unique=False)
        except ValidationError as error:
            raise ImportProblem(f"label {key!r}: {'; '.join(error.messages)}") from None
        self.labels[key] = self.new_labels[key] = label
        return label


def validate_record(record: DocumentRecord, state: CorpusState) -> None:
    """Raise ImportProblem (naming the field) unless `record` can be saved as it is.

    A record read from a file without lines (Label Studio's tasks) names the field after
    where the reader found it (`record.where`, a span's `where`).
    """
    try:
        check_text(record)
        check_lengths(record)
        check_fields(record)
        spans_by_uid = check_spans(record, state)
        for index, relation in enumerate(record.relations):
            check_relation(relation, spans_by_uid, where=f"relations[{index}]")
    except ImportProblem as problem:
        if record.where is None:
            raise
        field = f"{record.where}.{problem.field}" if problem.field else record.where
        raise ImportProblem(problem.message, field=field) from None


def span_where(span: SpanRecord, index: int) -> str:
    """Return the name problems give the span at `spans[index]`."""
    return span.where or f"spans[{index}]"


def check_text(record: DocumentRecord) -> None:
    """Raise ImportProblem unless the record has an id and a text that can be stored."""
    if not record.external_id.strip():
        raise ImportProblem("must not be empty", field="id")
    if not record.text:
        raise ImportProblem("must not be empty", field="text")
    if len(record.text) > MAX_TEXT_CHARS:
        raise ImportProblem(
            f"has {len(record.text):,} characters; a document may have {MAX_TEXT_CHARS:,}",
            field="text",
        )
    if "\x00" in record.text:
        raise ImportProblem("contains NUL characters, which cannot be stored", field="text")


def max_length(model: type[Model], name: str) -> int:
    """Return the `max_length` of `model`'s field `name`."""
    return model._meta.get_field(name).max_length


@cache
def length_limits() -> dict[str, int]:
    """Return the longest value each length-limited field of a record may have.

    Keys are the field names problems give (`id`, `title`, ...), plus `tag`, `span id` and
    `annotator`; each limit is the `max_length` of the column the value is written to.
    """
    User = get_user_model()
    limits = {name: max_length(Document, column) for name, column in LENGTH_LIMITED_FIELDS.items()}
    return limits | {
        "tag": max_length(CorpusTag, "name"),
        "span id": max_length(Annotation, "uid"),
        "annotator": max_length(User, User.USERNAME_FIELD),
    }


def check_lengths(record: DocumentRecord) -> None:
    """Raise ImportProblem for a value longer than its column (PostgreSQL would refuse it)."""
    limits = length_limits()
    for name, column in LENGTH_LIMITED_FIELDS.items():
        value = getattr(record, column)
        if len(value) > limits[name]:
            raise ImportProblem(
                f"is {len(value)} characters long; the limit is {limits[name]}", field=name
            )
    for index, tag in enumerate(record.tags):
        if len(tag) > limits["tag"]:
            raise ImportProblem(
                f"is longer than {limits['tag']} characters", field=f"tags[{index}]"
            )
        try:
            validate_storable_text(tag, what="tag")
        except ValidationError as error:
            raise ImportProblem(error.messages[0], field=f"tags[{index}]") from None
    for index, span in enumerate(record.spans):
        if span.uid is not None and not 0 < len(span.uid) <= limits["span id"]:
            raise ImportProblem(
                f"must have 1 to {limits['span id']} characters",
                field=f"{span_where(span, index)}.id",
            )
        if span.annotator is not None and not 0 < len(span.annotator) <= limits["annotator"]:
            raise ImportProblem(
                f"must have 1 to {limits['annotator']} characters",
                field=f"{span_where(span, index)}.annotator",
            )


def check_fields(record: DocumentRecord) -> None:
    """Raise ImportProblem for a bad URL, metadata nested too deep, a wrong digest or flag."""
    if record.url and not record.url.lower().startswith(("http://", "https://")):
        raise ImportProblem("must be an http:// or https:// URL", field="url")
    if json_depth(record.metadata) > MAX_JSON_DEPTH:
        raise ImportProblem(f"nests deeper than {MAX_JSON_DEPTH} levels", field="metadata")
    if record.text_sha256 is not None and record.text_sha256 != sha256_hex(record.text):
        raise ImportProblem("does not match the SHA-256 of text", field="text_sha256")
    for index, flag in enumerate(record.quality_flags or []):
        try:
            validate_span(record.text, flag["start"], flag["end"])
        except ValidationError as error:
            raise ImportProblem(error.messages[0], field=f"quality_flags[{index}]") from None


def json_depth(value: object) -> int:
    """Return how deeply `value` nests lists and objects (a scalar is 0), level by level."""
    depth, level = 0, [value]
    while containers := [item for item in level if isinstance(item, dict | list)]:
        depth += 1
        level = [
            child
            for item in containers
            for child in (item.values() if isinstance(item, dict) else item)
        ]
    return depth


def check_spans(record: DocumentRecord, state: CorpusState) -> dict[str, SpanRecord]:
    """Raise ImportProblem for a bad or repeated span; return the spans that have ids, by id."""
    spans_by_uid: dict[str, SpanRecord] = {}
    seen = set()
    for index, span in enumerate(record.spans):
        where = span_where(span, index)
        check_span(record.text, span, state, where=where)
        if span.uid is not None:
            if span.uid in spans_by_uid:
                raise ImportProblem(f"span id {span.uid!r} is used twice", field=f"{where}.id")
            spans_by_uid[span.uid] = span
        # The gold layer holds a range once whoever adjudicated it; analysts' layers once each.
        identity = (span.label, span.start, span.end, span_layer(span.gold, span.annotator))
        if identity in seen:
            raise ImportProblem(
                "duplicates an earlier span (same label, range, annotator, layer)", field=where
            )
        seen.add(identity)
    return spans_by_uid


def check_span(text: str, span: SpanRecord, state: CorpusState, *, where: str) -> None:
    """Raise ImportProblem unless `span` covers `text` and its label, attributes and
    annotator are valid."""
    try:
        validate_span(text, span.start, span.end, span.text)
        label = state.label(span.label)
        if span.loose_attributes:
            span.attributes = fitting_attributes(span.attributes, label)
            span.loose_attributes = False
        validate_attributes(span.attributes, label.attribute_spec, label_key=label.key)
    except ValidationError as error:
        raise ImportProblem(error.messages[0], field=where) from None
    except ImportProblem as problem:
        raise ImportProblem(problem.message, field=f"{where}.label") from None
    if span.annotator is not None:
        try:
            validate_annotator_name(span.annotator)
        except ValidationError as error:
            raise ImportProblem(error.messages[0], field=f"{where}.annotator") from None


def check_relation(
    relation: RelationRecord, spans_by_uid: dict[str, SpanRecord], *, where: str
) -> None:
    """Raise ImportProblem unless `relation` links two spans of the document validly."""
    ends = []
    for end_name, uid in (("from", relation.source), ("to", relation.target)):
        if uid not in spans_by_uid:
            raise ImportProblem(
                f"no span with id {uid!r} in this document", field=f"{where}.{end_name}"
            )
        ends.append(spans_by_uid[uid])
    if relation.type not in Relation.Type.values:
        raise ImportProblem(f"unknown relation type {relation.type!r}", field=f"{where}.type")
    source, target = ends
    try:
        validate_relation(
            relation_type=relation.type,
            source_document_id=0,
            target_document_id=0,
            source_label_key=source.label,
            target_label_key=target.label,
        )
        validate_same_layer(
            source_layer=span_layer(source.gold, source.annotator),
            target_layer=span_layer(target.gold, target.annotator),
        )
    except ValidationError as error:
        raise ImportProblem(error.messages[0], field=where) from None

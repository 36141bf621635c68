"""JSON shapes of the annotation API.

Output goes through plain functions (`span_json`, `document_json`), which the annotation page
also uses and which stay fast on thousands of spans; the read serializers declare the same
fields for the OpenAPI schema. Input serializers parse and call the shared span rules of
`annotations.validation`, reporting each broken rule under the field it concerns.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from rest_framework import serializers

from corpus.models import Document
from corpus.progress import status_for

from .layers import GOLD_LAYER, OWN_LAYER, span_visibility
from .models import Annotation, Label, Relation
from .validation import validate_attributes, validate_span

UID_VALIDATOR = RegexValidator(r"^[A-Za-z0-9_.:-]{1,64}$", "Use 1 to 64 letters, digits or _.:-")


def label_json(label: Label) -> dict[str, Any]:
    return {
        "key": label.key,
        "name": label.name,
        "colour": label.colour,
        "shortcut": label.shortcut,
        "description": label.description,
        "attribute_spec": label.attribute_spec,
    }


# API field -> lookup, for reading many spans without building model instances.
SPAN_LOOKUPS = {
    "uid": "uid",
    "label": "label__key",
    "start": "start",
    "end": "end",
    "text": "text",
    "attributes": "attributes",
    "annotator": "annotator__username",
    "gold": "is_gold",
    "version": "version",
}


RELATION_LOOKUPS = {"id": "id", "type": "type", "source": "source__uid", "target": "target__uid"}


def rows_json(rows: QuerySet, lookups: Mapping[str, str]) -> list[dict[str, Any]]:
    """Return one dict per row of `rows`, keyed like `lookups` (no model instances: fast)."""
    names = list(lookups)
    return [dict(zip(names, row, strict=True)) for row in rows.values_list(*lookups.values())]


def span_json(span: Annotation) -> dict[str, Any]:
    """Return the API form of `span` (its label and annotator joined in)."""
    return {
        "uid": span.uid,
        "label": span.label.key,
        "start": span.start,
        "end": span.end,
        "text": span.text,
        "attributes": span.attributes,
        "annotator": span.annotator.username if span.annotator_id else None,
        "gold": span.is_gold,
        "version": span.version,
    }


def relation_json(relation: Relation) -> dict[str, Any]:
    """Return the API form of `relation` (its spans joined in)."""
    return {
        "id": relation.pk,
        "type": relation.type,
        "source": relation.source.uid,
        "target": relation.target.uid,
    }


def document_json(
    document: Document, *, viewer=None, layer: str | None = None, shown: Q | None = None
) -> dict[str, Any]:
    """Return a document with everything the annotation page shows, in a fixed number of
    queries however many spans it has.

    With `viewer`, the spans are those of the layer they see (`annotations.layers.span_visibility`)
    and the status is theirs (their assignment's, if they have one). `shown` narrows the spans
    further (the page's chosen layer).
    """
    spans = document.annotations.all()
    relations = document.relations.all()
    status = document.status
    if viewer is not None:
        visible = span_visibility(viewer, document.corpus, layer)
        spans = spans.filter(visible)
        if shown is not None:
            spans = spans.filter(shown)
        relations = relations.filter(source__in=spans)
        status = status_for(viewer, document)
    return {
        "id": document.pk,
        "corpus": document.corpus.slug,
        "external_id": document.external_id,
        "title": document.title,
        "source": document.source,
        "published": document.published.isoformat() if document.published else None,
        "dateline": document.dateline,
        "url": document.url,
        "language": document.language,
        "metadata": document.metadata,
        "quality_flags": document.quality_flags,
        "status": status,
        "tags": sorted(document.tags.values_list("name", flat=True), key=str.lower),
        "text": document.text,
        "labels": [label_json(label) for label in document.corpus.labels.all()],
        "spans": rows_json(spans.for_export(), SPAN_LOOKUPS),
        "relations": rows_json(relations.order_by("id"), RELATION_LOOKUPS),
    }


class LabelSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    colour = serializers.CharField(read_only=True, help_text="#rrggbb")
    shortcut = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    attribute_spec = serializers.DictField(
        child=serializers.ChoiceField(["number", "integer", "string", "boolean"]),
        read_only=True,
    )


class SpanSerializer(serializers.Serializer):
    uid = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True, help_text="Label key, e.g. ACTOR.")
    start = serializers.IntegerField(read_only=True, help_text="Code points, inclusive.")
    end = serializers.IntegerField(read_only=True, help_text="Code points, exclusive.")
    text = serializers.CharField(read_only=True)
    attributes = serializers.DictField(read_only=True)
    annotator = serializers.CharField(read_only=True, allow_null=True)
    gold = serializers.BooleanField(read_only=True, help_text="In the adjudicated gold layer.")
    version = serializers.IntegerField(read_only=True)

    def to_representation(self, instance: Annotation) -> dict[str, Any]:
        return span_json(instance)


class RelationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    type = serializers.ChoiceField(Relation.Type.choices, read_only=True)
    source = serializers.CharField(read_only=True, help_text="Span uid (the QUOTE).")
    target = serializers.CharField(read_only=True, help_text="Span uid (the speaker).")

    def to_representation(self, instance: Relation) -> dict[str, Any]:
        return relation_json(instance)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    corpus = serializers.CharField(read_only=True, help_text="Corpus slug.")
    external_id = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    published = serializers.DateField(read_only=True, allow_null=True)
    dateline = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    language = serializers.CharField(read_only=True)
    metadata = serializers.DictField(read_only=True)
    quality_flags = serializers.ListField(child=serializers.DictField(), read_only=True)
    status = serializers.ChoiceField(Document.Status.choices, read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    text = serializers.CharField(read_only=True)
    labels = LabelSerializer(many=True, read_only=True)
    spans = SpanSerializer(many=True, read_only=True)
    relations = RelationSerializer(many=True, read_only=True)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = SpanSerializer()


def django_errors(error: DjangoValidationError, field: str) -> dict[str, list[str]]:
    """Return the messages of `error` keyed by `field`, or by its own fields if it has them."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {field: error.messages}


class NulSafeSlugField(serializers.SlugRelatedField):
    """A row named by a text field (a label's key, a span's uid). A name holding NUL is refused
    before the lookup: no row is called that, and PostgreSQL refuses to compare text with NUL
    (a 500, not a 400)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value="(a key with NUL)")
        return super().to_internal_value(data)


class SpanCreateSerializer(serializers.Serializer):
    uid = serializers.CharField(
        required=False,
        validators=[UID_VALIDATOR],
        help_text="Optional; new spans get one. A uid held by a span you cannot see is "
        "replaced by a fresh one: the answer has the span's uid.",
    )
    label = NulSafeSlugField(slug_field="key", queryset=Label.objects.none())
    start = serializers.IntegerField(min_value=0, help_text="Code points, inclusive.")
    end = serializers.IntegerField(min_value=0, help_text="Code points, exclusive.")
    text = serializers.CharField(
        trim_whitespace=False, help_text="The covered text, checked against the offsets."
    )
    attributes = serializers.DictField(required=False, default=dict)
    layer = serializers.ChoiceField(
        choices=[OWN_LAYER, GOLD_LAYER],
        default=OWN_LAYER,
        help_text="own (default): your layer; gold: the adjudicated layer (reviewers).",
    )

    def __init__(self, *args, document: Document | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        if document is not None:
            self.fields["label"].queryset = Label.objects.filter(corpus_id=document.corpus_id)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        text, start, end = self.document.text, data["start"], data["end"]
        try:
            validate_span(text, start, end)
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                django_errors(error, "end" if start < len(text) else "start")
            ) from None
        try:
            validate_span(text, start, end, data["text"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors(error, "text")) from None
        check_attributes(data["attributes"], data["label"])
        return data


class SpanUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read; a stale one answers 409."
    )
    label = NulSafeSlugField(slug_field="key", queryset=Label.objects.none(), required=False)
    attributes = serializers.DictField(required=False)
    start = serializers.IntegerField(
        min_value=0, required=False, help_text="A new start (code points), sent with `end`."
    )
    end = serializers.IntegerField(
        min_value=1, required=False, help_text="A new end (code points, exclusive), with `start`."
    )

    def __init__(self, *args, span: Annotation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.span = span
        if span is not None:
            self.fields["label"].queryset = Label.objects.filter(corpus_id=span.label.corpus_id)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if ("start" in data) != ("end" in data):
            raise serializers.ValidationError("send a new start and end together")
        if not {"label", "attributes", "start"} & data.keys():
            raise serializers.ValidationError(
                "send a new label, new attributes, new edges (start and end) or several"
            )
        if "attributes" in data:
            check_attributes(data["attributes"], data.get("label") or self.span.label)
        return data


def check_attributes(attributes: dict[str, Any], label: Label) -> None:
    """Raise a 400 error on `attributes` unless they fit `label`."""
    try:
        validate_attributes(attributes, label.attribute_spec, label_key=label.key)
    except DjangoValidationError as error:
        raise serializers.ValidationError(django_errors(error, "attributes")) from None


class RelationCreateSerializer(serializers.Serializer):
    type = serializers.ChoiceField(Relation.Type.choices, default=Relation.Type.SPEAKER)
    source = NulSafeSlugField(
        slug_field="uid", queryset=Annotation.objects.none(), help_text="Span uid (the QUOTE)."
    )
    target = NulSafeSlugField(
        slug_field="uid", queryset=Annotation.objects.none(), help_text="Span uid (the speaker)."
    )

    def __init__(self, *args, spans: QuerySet[Annotation] | None = None, **kwargs):
        """Look the uids up among `spans` (those the user sees of one document)."""
        super().__init__(*args, **kwargs)
        if spans is not None:
            self.fields["source"].queryset = spans
            self.fields["target"].queryset = spans


class RelationUpdateSerializer(serializers.Serializer):
    target = NulSafeSlugField(
        slug_field="uid", queryset=Annotation.objects.none(), help_text="Span uid (the speaker)."
    )

    def __init__(self, *args, spans: QuerySet[Annotation] | None = None, **kwargs):
        """Look the uid up among `spans` (those the user sees of one document)."""
        super().__init__(*args, **kwargs)
        if spans is not None:
            self.fields["target"].queryset = spans


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(Document.Status.choices)


class TagsSerializer(serializers.Serializer):
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=100, allow_empty=True
    )

"""Forms that apply the shared span rules (admin today, any HTML form later)."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput

from .models import Annotation, Label, Relation
from .relations import check_one_speaker, check_relation
from .validation import (
    UNSTORABLE_CHARACTER,
    validate_attribute_spec,
    validate_attributes,
    validate_span,
)


class EscapingJSONField(forms.JSONField):
    """A JSON field that shows a value holding a NUL or a lone surrogate with escapes.

    Validation refuses such a value (a typed "\\udc80"), but the form shows it again, and a
    page holding a lone surrogate cannot be encoded: it would answer 500 instead.
    """

    def prepare_value(self, value):
        text = super().prepare_value(value)
        if isinstance(value, InvalidJSONInput) or not UNSTORABLE_CHARACTER.search(text):
            return text
        return json.dumps(value, cls=self.encoder)


class AnnotationForm(forms.ModelForm):
    class Meta:
        model = Annotation
        fields = ["document", "label", "start", "end", "annotator", "attributes"]
        field_classes = {"attributes": EscapingJSONField}

    def clean(self):
        cleaned = super().clean()
        document = cleaned.get("document") or getattr(self.instance, "document", None)
        label = cleaned.get("label")
        start, end = cleaned.get("start"), cleaned.get("end")
        if document is None or label is None or start is None or end is None:
            return cleaned
        if label.corpus_id != document.corpus_id:
            raise ValidationError({"label": f"{label.key} belongs to another corpus"})
        try:
            validate_span(document.text, start, end)
            validate_attributes(
                cleaned.get("attributes") or {}, label.attribute_spec, label_key=label.key
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        # The covered text is derived, never typed: it cannot disagree with the offsets.
        self.instance.text = document.text[start:end]
        return cleaned


class RelationForm(forms.ModelForm):
    class Meta:
        model = Relation
        fields = ["document", "type", "source", "target", "annotator"]

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("source"), cleaned.get("target")
        document = cleaned.get("document") or getattr(self.instance, "document", None)
        if source is None or target is None or document is None:
            return cleaned
        # The rules of the relation actions, layer rule included, as the API applies them.
        check_relation(
            document=document,
            relation_type=cleaned.get("type") or "",
            source=source,
            target=target,
        )
        self.instance.source, self.instance.type = source, cleaned.get("type") or ""
        check_one_speaker(self.instance)
        return cleaned


class LabelForm(forms.ModelForm):
    class Meta:
        model = Label
        fields = [
            "corpus",
            "key",
            "name",
            "colour",
            "shortcut",
            "position",
            "attribute_spec",
            "description",
        ]
        field_classes = {"attribute_spec": EscapingJSONField}

    def clean_attribute_spec(self):
        spec = self.cleaned_data.get("attribute_spec") or {}
        validate_attribute_spec(spec)
        return spec

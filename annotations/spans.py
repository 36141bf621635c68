"""Edits made while annotating: spans and document tags (speaker links: `relations`).

Each write runs in one transaction and checks the rules of `annotations.validation`. Span
updates are optimistic: the caller sends the version it read, and a stale one raises
`StaleVersion` carrying the current span instead of overwriting someone else's change.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import F, Q, signals
from django.utils import timezone

from corpus.changes import record_change
from corpus.models import Document
from corpus.progress import start_assignment, start_document

from .layers import span_layer
from .models import Annotation, Label, Relation, new_span_uid
from .validation import (
    validate_attributes,
    validate_relation,
    validate_span,
)


class StaleVersion(Exception):
    """The span changed since the client read it."""

    def __init__(self, current: Annotation):
        super().__init__(f"span {current.uid} is at version {current.version}")
        self.current = current


def create_span(
    *,
    document: Document,
    label: Label,
    start: int,
    end: int,
    covered: str,
    attributes: Mapping[str, Any],
    annotator: AbstractBaseUser | None,
    uid: str | None = None,
    is_gold: bool = False,
    editor: AbstractBaseUser | None = None,
    suggester: str = "",
    suggestion_score: float | None = None,
) -> Annotation:
    """Save a span over `document.text[start:end]`, which must equal `covered`.

    A new document becomes in progress with its first span. The caller may choose `uid`
    (the browser does, so that undoing a deletion restores the same span id); a uid taken
    in another layer is replaced by a fresh one, as if that layer's spans did not exist.
    `editor`, when given, is who the history records (else the request's user).
    `suggester` and `suggestion_score` name the suggestion an accepted span came from.
    """
    span = Annotation(
        document=document,
        label=label,
        start=start,
        end=end,
        text=covered,
        attributes=dict(attributes),
        annotator=annotator,
        is_gold=is_gold,
        suggester=suggester,
        suggestion_score=suggestion_score,
    )
    if uid is not None:
        span.uid = uid
    return insert_span(span, chosen_uid=uid is not None, editor=editor)


def insert_span(
    span: Annotation, *, chosen_uid: bool = False, editor: AbstractBaseUser | None = None
) -> Annotation:
    """Check and save the new `span` (built by `create_span`, or filled in by a form); a
    `chosen_uid` taken in another layer is replaced. Return `span`."""
    check_span(span)
    set_history_user(span, editor)
    saved = False
    # The INSERT is the transaction's first write, so a duplicate can roll the whole
    # transaction back: no savepoint around it.
    try:
        with transaction.atomic():
            if chosen_uid:
                span.uid = unclaimed_uid(
                    span.document, span.uid, layer=span_layer(span.is_gold, span.annotator_id)
                )
            span.save()
            saved = True
            start_document(span.document)
    except IntegrityError:
        if saved:
            raise
        raise ValidationError(
            f"this text already has {layer_owner(span.is_gold)} {span.label.key} span"
        ) from None
    if not span.is_gold and span.annotator_id is not None and editor is None:
        # The annotator's own span, from the page or the API: it starts their assignment.
        start_assignment(document=span.document, annotator=span.annotator)
    return span


def check_span(span: Annotation) -> None:
    """Raise ValidationError unless `span`'s label, range, covered text and attributes fit."""
    label, document = span.label, span.document
    if label.corpus_id != document.corpus_id:
        raise ValidationError({"label": f"{label.key} belongs to another corpus"})
    validate_span(document.text, span.start, span.end, span.text)
    validate_attributes(dict(span.attributes), label.attribute_spec, label_key=label.key)


def save_span(*, span: Annotation, editor: AbstractBaseUser | None = None) -> Annotation:
    """Save `span` as a form filled in its fields (the admin's): a new one as `create_span`
    does, a changed one after the same checks, dropping the links its label no longer allows.
    """
    if span._state.adding:
        return insert_span(span, editor=editor)
    check_span(span)
    with transaction.atomic():
        set_history_user(span, editor)
        save_unique(
            span, f"this text already has {layer_owner(span.is_gold)} {span.label.key} span"
        )
        drop_invalid_relations(span, editor=editor)
    return span


def unclaimed_uid(document: Document, uid: str, *, layer: tuple[bool, object]) -> str:
    """Return `uid` if no span of `document` has it, else a fresh uid if another layer's has.

    Raise ValidationError if a span of `layer` has it: the caller sees that one. Telling
    them about another layer's span would let an analyst probe layers they may not see.
    """
    holder = document.annotations.filter(uid=uid).values_list("is_gold", "annotator").first()
    if holder is None:
        return uid
    if span_layer(*holder) == layer:
        raise ValidationError({"uid": f"this document already has a span {uid}"})
    return new_span_uid()


def set_history_user(row: Annotation | Relation, editor: AbstractBaseUser | None) -> None:
    """Make `editor` the user the history records for `row`'s next change, if given."""
    if editor is not None:
        row._history_user = editor


def layer_owner(is_gold: bool) -> str:
    """Name whose layer a duplicate span is in: any reviewer may have added a gold span."""
    return "a gold" if is_gold else "your"


def update_span(
    *,
    span: Annotation,
    version: int,
    label: Label | None = None,
    attributes: Mapping[str, Any] | None = None,
    bounds: tuple[int, int] | None = None,
    editor: AbstractBaseUser | None = None,
) -> Annotation:
    """Relabel `span`, replace its attributes and/or move its edges to `bounds` (start, end),
    if it is still at `version`: one change, one history row, the span's uid kept.

    Relabelling without new attributes keeps those the new label allows, and drops speaker
    links that the new label no longer permits. Raise StaleVersion if the span has changed
    and Annotation.DoesNotExist if it is gone. `editor` is as for `create_span`.
    """
    new_label = label or span.label
    if new_label.corpus_id != span.label.corpus_id:
        raise ValidationError({"label": f"{new_label.key} belongs to another corpus"})
    if attributes is None:
        attributes = fitting_attributes(span.attributes, new_label)
    validate_attributes(dict(attributes), new_label.attribute_spec, label_key=new_label.key)
    start, end = bounds if bounds is not None else (span.start, span.end)
    if bounds is not None:
        text = Document.objects.values_list("text", flat=True).get(pk=span.document_id)
        validate_span(text, start, end)
        covered = text[start:end]
    else:
        covered = span.text
    now = timezone.now()
    updated = False
    # As in create_span: the UPDATE is the first write, so no savepoint around it.
    try:
        with transaction.atomic():
            changed = Annotation.objects.filter(pk=span.pk, version=version).update(
                label=new_label,
                attributes=dict(attributes),
                start=start,
                end=end,
                text=covered,
                version=F("version") + 1,
                updated_at=now,
            )
            updated = True
            if not changed:
                raise StaleVersion(current_span(span.pk))
            relabelled = new_label.pk != span.label_id
            span.label, span.attributes, span.version, span.updated_at = (
                new_label,
                dict(attributes),
                version + 1,
                now,
            )
            span.start, span.end, span.text = start, end, covered
            set_history_user(span, editor)
            record_change(span)
            if relabelled:
                drop_invalid_relations(span, editor=editor)
    except IntegrityError:
        if updated:
            raise
        raise ValidationError(
            f"this text already has {layer_owner(span.is_gold)} {new_label.key} span"
        ) from None
    return span


def delete_span(
    *, span: Annotation, version: int | None = None, editor: AbstractBaseUser | None = None
) -> None:
    """Delete `span` and the relations that link it, if it is still at `version` (when given).

    Raise StaleVersion if the span has changed and Annotation.DoesNotExist if it is gone.
    `editor` is as for `create_span`.
    """
    with transaction.atomic():
        # The row lock makes the version check and the delete one step on PostgreSQL;
        # SQLite serialises writing transactions anyway. Only the span's row: ordered by
        # the model's ordering, the query joined its document and corpus and locked those
        # rows too, so every delete blocked the foreign-key checks of writes to the same
        # corpus (a deadlock with the tagged strings' upserts at commit).
        locked = (
            Annotation.objects.select_for_update(of=("self",)).filter(pk=span.pk).order_by().first()
        )
        if locked is None:
            raise Annotation.DoesNotExist(f"span {span.uid} no longer exists")
        if version is not None and locked.version != version:
            raise StaleVersion(current_span(span.pk))
        # Read after the lock: a link added meanwhile would have waited for it.
        linked = list(Relation.objects.filter(Q(source=span) | Q(target=span)))
        for row in [*linked, locked]:
            set_history_user(row, editor)
        delete_rows(Relation, linked)
        delete_rows(Annotation, [locked])


def delete_rows(model: type[Annotation] | type[Relation], rows: list) -> None:
    """Delete `rows` of `model` by primary key, sending the signals that record history.

    The ORM's cascade collector would select them again and look for their relations once
    per foreign key; callers delete what refers to the rows first.
    """
    if not rows:
        return
    using = router.db_for_write(model)
    for row in rows:
        signals.pre_delete.send(sender=model, instance=row, using=using, origin=row)
    # _raw_delete is the collector's own fast path (private, unchanged since Django 1.9).
    model.objects.filter(pk__in=[row.pk for row in rows])._raw_delete(using)
    for row in rows:
        signals.post_delete.send(sender=model, instance=row, using=using, origin=row)


def current_span(pk: int) -> Annotation:
    """Return the span with primary key `pk` as it is now, with what serialising reads."""
    return Annotation.objects.select_related("label", "annotator").get(pk=pk)


def fitting_attributes(attributes: Mapping[str, Any], label: Label) -> dict[str, Any]:
    """Return the attributes of `attributes` that `label` allows, each as it is."""
    fitting = {}
    for name, value in attributes.items():
        try:
            validate_attributes({name: value}, label.attribute_spec, label_key=label.key)
        except ValidationError:
            continue
        fitting[name] = value
    return fitting


def drop_invalid_relations(
    span: Annotation, *, editor: AbstractBaseUser | None = None
) -> list[int]:
    """Delete the relations of `span` that its (new) label no longer allows; return their ids."""
    # Most spans have no links: find that out with a query that joins nothing.
    linked = list(
        Relation.objects.filter(Q(source=span) | Q(target=span)).values_list("pk", flat=True)
    )
    if not linked:
        return []
    invalid = []
    for relation in Relation.objects.filter(pk__in=linked).select_related(
        "source__label", "target__label"
    ):
        try:
            validate_relation(
                relation_type=relation.type,
                source_document_id=relation.source.document_id,
                target_document_id=relation.target.document_id,
                source_label_key=relation.source.label.key,
                target_label_key=relation.target.label.key,
            )
        except ValidationError:
            set_history_user(relation, editor)
            invalid.append(relation)
    delete_rows(Relation, invalid)
    return [relation.pk for relation in invalid]


def save_unique(row: Annotation | Relation, message: str) -> None:
    """Save `row`, turning a unique-constraint violation into a ValidationError."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError(message) from None

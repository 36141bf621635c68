"""Speaker links between spans: made and re-pointed in one transaction each.

A link is checked against its two spans as they are when it is saved (they are locked while
it is), so a relabel or delete racing with it cannot leave a link the rules refuse.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from corpus.models import Document

from .layers import span_layer
from .models import Annotation, Relation
from .spans import save_unique, set_history_user
from .validation import validate_relation, validate_same_layer


def create_relation(
    *,
    document: Document,
    relation_type: str,
    source: Annotation,
    target: Annotation,
    annotator: AbstractBaseUser | None,
    editor: AbstractBaseUser | None = None,
) -> Relation:
    """Link two spans of `document`; a QUOTE gets at most one speaker.

    `editor`, when given, is who the history records (else the request's user).
    """
    check_relation(document=document, relation_type=relation_type, source=source, target=target)
    with transaction.atomic():
        source, target = lock_spans(source, target)
        check_relation(document=document, relation_type=relation_type, source=source, target=target)
        relation = Relation(
            document=document, type=relation_type, source=source, target=target, annotator=annotator
        )
        set_history_user(relation, editor)
        check_one_speaker(relation)
        save_unique(relation, f"span {source.uid} is already linked to {target.uid}")
    return relation


def check_one_speaker(relation: Relation) -> None:
    """Raise ValidationError if `relation` would give its source a second speaker."""
    if relation.type != Relation.Type.SPEAKER:
        return
    others = Relation.objects.filter(source=relation.source, type=relation.type)
    if relation.pk is not None:
        others = others.exclude(pk=relation.pk)
    if others.exists():
        raise ValidationError({"source": f"span {relation.source.uid} already has a speaker"})


def retarget_relation(
    *, relation: Relation, target: Annotation, editor: AbstractBaseUser | None = None
) -> Relation:
    """Point `relation` at `target` (e.g. give a quote another speaker); `editor` as above."""
    check_relation(
        document=relation.document,
        relation_type=relation.type,
        source=relation.source,
        target=target,
    )
    with transaction.atomic():
        relation.source, target = lock_spans(relation.source, target)
        check_relation(
            document=relation.document,
            relation_type=relation.type,
            source=relation.source,
            target=target,
        )
        relation.target = target
        set_history_user(relation, editor)
        save_unique(relation, f"span {relation.source.uid} is already linked to {target.uid}")
    return relation


def save_relation(*, relation: Relation, editor: AbstractBaseUser | None = None) -> Relation:
    """Save `relation` as a form filled in its fields (the admin's), after the checks of
    `create_relation`; return it."""
    with transaction.atomic():
        source, target = lock_spans(relation.source, relation.target)
        check_relation(
            document=relation.document, relation_type=relation.type, source=source, target=target
        )
        relation.source, relation.target = source, target
        check_one_speaker(relation)
        set_history_user(relation, editor)
        save_unique(relation, f"span {source.uid} is already linked to {target.uid}")
    return relation


def delete_relation(*, relation: Relation, editor: AbstractBaseUser | None = None) -> None:
    """Delete `relation`; `editor` is as for `create_relation`."""
    set_history_user(relation, editor)
    # Nothing refers to a relation: the ORM deletes the one row without selecting it again.
    relation.delete()


def lock_spans(*spans: Annotation) -> list[Annotation]:
    """Return `spans` as they are now, locked until the transaction ends (on PostgreSQL).

    A relabel or delete of a locked span waits, so the labels a link was checked against
    still hold when it is saved, and a relabel that went first is seen here. Raise
    ValidationError if one of them is gone.
    """
    locked = Annotation.objects.select_for_update(of=("self",)).select_related("label")
    current = {span.pk: span for span in locked.filter(pk__in={s.pk for s in spans}).order_by("pk")}
    missing = [span.uid for span in spans if span.pk not in current]
    if missing:
        raise ValidationError(f"span {missing[0]} no longer exists")
    return [current[span.pk] for span in spans]


def check_relation(
    *, document: Document, relation_type: str, source: Annotation, target: Annotation
) -> None:
    """Raise ValidationError unless `source` may be linked to `target` in `document`.

    The layer rule goes before the label rule, so that a span of a layer the caller may not
    see is refused without naming its label.
    """
    if source.document_id != document.pk:
        raise ValidationError({"source": f"span {source.uid} belongs to another document"})
    if source.pk == target.pk:
        raise ValidationError({"target": "a span cannot be linked to itself"})
    validate_same_layer(
        source_layer=span_layer(source.is_gold, source.annotator_id),
        target_layer=span_layer(target.is_gold, target.annotator_id),
    )
    validate_relation(
        relation_type=relation_type,
        source_document_id=source.document_id,
        target_document_id=target.document_id,
        source_label_key=source.label.key,
        target_label_key=target.label.key,
    )

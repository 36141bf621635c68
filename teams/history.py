"""Read a document's change history and revert single changes.

Spans, relations and document status are recorded by django-simple-history (registered in
teams/models.py); this module turns the three record tables into one timeline. A revert
writes through the span and relation actions, under the role checks of the API, so what
the API refuses, a revert refuses.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from annotations.layers import LINK_REFUSAL, LINK_SPANS_REFUSAL, SPAN_REFUSAL
from annotations.models import Annotation, Label, Relation
from annotations.relations import create_relation, delete_relation, retarget_relation
from annotations.spans import StaleVersion, create_span, delete_span, update_span
from corpus.access import may_manage, require_editable
from corpus.models import Document

from .history_wording import wording_for

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# What a document's history tracks: analysts change its status; the text never changes.
REVERTIBLE_DOCUMENT_FIELDS = ("status", "title")


@dataclass(frozen=True)
class HistoryEntry:
    kind: str  # "span", "relation" or "document"
    record_id: int
    when: datetime.datetime
    who: str | None
    action: str
    summary: str
    changes: tuple[tuple[str, object, object], ...]
    # The same change as a person reads it (history_wording): a sentence and one line per field.
    headline: str = ""
    change_lines: tuple[str, ...] = ()


def describe(kind: str, record) -> str:
    if kind == "span":
        label = record.label.key if record.label_id else "?"
        return f"{label} [{record.start}, {record.end}) {record.text[:60]!r}"
    if kind == "relation":
        return f"{record.type}: span {record.source_id} → span {record.target_id}"
    return f"status {record.status}"


def changes_of(
    record, fields: tuple[str, ...] | None = None
) -> tuple[tuple[str, object, object], ...]:
    previous = record.prev_record
    if record.history_type != "~" or previous is None:
        return ()
    delta = record.diff_against(previous, included_fields=list(fields) if fields else None)
    return tuple((change.field, change.old, change.new) for change in delta.changes)


def document_history(document: Document) -> list[HistoryEntry]:
    """Return every recorded change to the document, its spans and relations, newest first."""
    span_records = list(
        Annotation.history.filter(document_id=document.pk).select_related("label", "history_user")
    )
    sources = [
        ("span", span_records),
        (
            "relation",
            Relation.history.filter(document_id=document.pk).select_related("history_user"),
        ),
        ("document", Document.history.filter(id=document.pk).select_related("history_user")),
    ]
    wording = wording_for(document, span_records)
    entries = []
    for kind, records in sources:
        for record in records:
            changes = changes_of(record, REVERTIBLE_DOCUMENT_FIELDS if kind == "document" else None)
            if kind == "document" and record.history_type == "~" and not changes:
                continue  # saved without a tracked change
            action = ACTIONS[record.history_type]
            entries.append(
                HistoryEntry(
                    kind=kind,
                    record_id=record.history_id,
                    when=record.history_date,
                    who=record.history_user.get_username() if record.history_user else None,
                    action=action,
                    summary=describe(kind, record),
                    changes=changes,
                    headline=wording.headline(kind, action, record),
                    change_lines=tuple(
                        wording.change_line(kind, record, field, before, after)
                        for field, before, after in changes
                    ),
                )
            )
    return sorted(entries, key=lambda entry: (entry.when, entry.record_id), reverse=True)


class RevertError(Exception):
    """A change that cannot be undone as it stands, with the reason."""


HISTORY_MODELS = {"span": Annotation, "relation": Relation, "document": Document}
# The bulk import writes no history rows (it is benchmarked), so the first recorded change of
# an imported span or document has no record before it.
NOTHING_EARLIER = "nothing earlier is recorded for this {kind} (imports record no history)"
CHANGED_MEANWHILE = "the annotations changed meanwhile; reload the history and try again"


@transaction.atomic
def revert_change(*, kind: str, record_id: int, document: Document, user: AbstractBaseUser) -> str:
    """Undo one recorded change of `document` as `user`; return what was done.

    A creation is undone by deleting, a deletion by restoring, a change by restoring the
    values before it, each through the action the API calls. A document record restores only
    status and title: a document is never deleted through its history. Raise RevertError,
    with a plain reason, for whatever the actions or the roles refuse.
    """
    model = HISTORY_MODELS.get(kind)
    record = model.history.filter(history_id=record_id).first() if model else None
    if record is None or (record.id if kind == "document" else record.document_id) != document.pk:
        raise RevertError("no such change in this document's history")
    revert = {
        "span": revert_span_change,
        "relation": revert_relation_change,
        "document": revert_document_change,
    }[kind]
    try:
        return revert(record, document=document, user=user)
    except PermissionDenied as refusal:
        raise RevertError(str(refusal)) from None
    except ValidationError as error:
        rules = "; ".join(error.messages)
        raise RevertError(f"it conflicts with the annotations as they are now: {rules}") from None
    except (StaleVersion, Annotation.DoesNotExist, IntegrityError):
        # IntegrityError: a write that raced this one; its SQL text is no message for people.
        raise RevertError(CHANGED_MEANWHILE) from None


def revert_span_change(record, *, document: Document, user: AbstractBaseUser) -> str:
    """Undo the span change `record`: delete a created span, restore a deleted or changed one."""
    current = span_now(document, record)
    if record.history_type == "+":
        if current is None:
            raise RevertError("the span was deleted already")
        require_editable(user, current, document, SPAN_REFUSAL)
        delete_span(span=current, editor=user)
        return f"deleted {describe('span', record)}"
    if record.history_type == "-":
        return restore_span(record, document=document, user=user)
    previous = record.prev_record
    if previous is None:
        raise RevertError(NOTHING_EARLIER.format(kind="span"))
    if current is None:
        raise RevertError("the span was deleted since; restore it first")
    if span_place(previous) != span_place(record):
        raise RevertError("only a change of label or attributes can be reverted")
    require_editable(user, current, document, SPAN_REFUSAL)
    label = corpus_label(document, previous.label_id)
    if (label.pk, previous.attributes) == (current.label_id, current.attributes):
        raise RevertError("the span has that label and those attributes already")
    update_span(
        span=current,
        version=current.version,
        label=label,
        attributes=previous.attributes,
        editor=user,
    )
    return f"restored {describe('span', previous)}"


def restore_span(record, *, document: Document, user: AbstractBaseUser) -> str:
    """Create again, with its uid, layer, label and attributes, the span deleted in `record`."""
    if document.annotations.filter(uid=record.uid, **span_owner(record)).exists():
        raise RevertError("the span is there already: it was restored since")
    annotator = recorded_user(record.annotator_id)
    require_editable(
        user, Annotation(is_gold=record.is_gold, annotator=annotator), document, SPAN_REFUSAL
    )
    create_span(
        document=document,
        label=corpus_label(document, record.label_id),
        start=record.start,
        end=record.end,
        covered=record.text,
        attributes=record.attributes,
        annotator=annotator,
        uid=record.uid,
        is_gold=record.is_gold,
        editor=user,
    )
    return f"restored {describe('span', record)}"


def revert_relation_change(record, *, document: Document, user: AbstractBaseUser) -> str:
    """Undo the link change `record`: delete a created link, restore a deleted or changed one."""
    current = document.relations.select_related("source__label", "target__label")
    current = current.filter(pk=record.id).first()
    if current is not None:
        current.document = current.source.document = document
    if record.history_type == "+":
        if current is None:
            raise RevertError("the link was deleted already")
        require_editable(user, current.source, document, LINK_REFUSAL)
        delete_relation(relation=current, editor=user)
        return f"deleted {describe('relation', record)}"
    if record.history_type == "-":
        source, target = (
            linked_span(document, record.source_id),
            linked_span(document, record.target_id),
        )
        for span in (source, target):
            require_editable(user, span, document, LINK_SPANS_REFUSAL)
        create_relation(
            document=document,
            relation_type=record.type,
            source=source,
            target=target,
            annotator=recorded_user(record.annotator_id),
            editor=user,
        )
        return f"restored {describe('relation', record)}"
    previous = record.prev_record
    if previous is None:
        raise RevertError(NOTHING_EARLIER.format(kind="link"))
    if current is None:
        raise RevertError("the link was deleted since; restore it first")
    if (previous.source_id, previous.type) != (current.source_id, current.type):
        raise RevertError("only a change of speaker can be reverted")
    require_editable(user, current.source, document, LINK_REFUSAL)
    retarget_relation(
        relation=current, target=linked_span(document, previous.target_id), editor=user
    )
    return f"restored {describe('relation', previous)}"


def revert_document_change(record, *, document: Document, user: AbstractBaseUser) -> str:
    """Restore the status and title that the document change `record` replaced."""
    if record.history_type != "~":
        raise RevertError("a document is never deleted through its history")
    if record.prev_record is None:
        raise RevertError(NOTHING_EARLIER.format(kind="document"))
    changed = {name: old for name, old, _ in changes_of(record, REVERTIBLE_DOCUMENT_FIELDS)}
    if "title" in changed and not may_manage(user, document.corpus):
        raise PermissionDenied("only the corpus's managers change a document's title")
    for name, old in changed.items():
        setattr(document, name, old)
    document._history_user = user
    document.save(update_fields=[*REVERTIBLE_DOCUMENT_FIELDS, "updated_at"])
    return f"restored {describe('document', record.prev_record)}"


def span_owner(record) -> dict[str, object]:
    """Return the layer of the recorded span `record` as lookups on spans."""
    return {"is_gold": record.is_gold, "annotator_id": record.annotator_id}


def span_place(record) -> tuple[object, ...]:
    """Return where and whose the recorded span `record` is: what its actions never change."""
    return (record.start, record.end, record.is_gold, record.annotator_id)


def corpus_label(document: Document, label_id: int) -> Label:
    """Return label `label_id` of the document's corpus, or raise RevertError if it is gone."""
    label = Label.objects.filter(pk=label_id, corpus_id=document.corpus_id).first()
    if label is None:
        raise RevertError("its label no longer exists")
    return label


def recorded_user(user_id: int | None) -> AbstractBaseUser | None:
    """Return the user a record names, or None if there is none (any more)."""
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def span_now(document: Document, record) -> Annotation | None:
    """Return the span of `document` that `record` is a record of, as it is now, or None.

    A span restored through its history is a new row with the same uid in the same layer.
    """
    spans = document.annotations.select_related("label")
    span = spans.filter(pk=record.id).first() or (
        spans.filter(uid=record.uid, **span_owner(record)).first()
    )
    if span is not None:
        span.document = document
    return span


def linked_span(document: Document, span_id: int) -> Annotation:
    """Return, as it is now, the span of `document` with id `span_id` when a link was recorded."""
    span = document.annotations.select_related("label").filter(pk=span_id).first()
    if span is None:
        # Not there under that id: restored since as a new row, or gone.
        recorded = Annotation.history.filter(id=span_id, document_id=document.pk).first()
        span = span_now(document, recorded) if recorded is not None else None
    if span is None:
        raise RevertError("one of the linked spans no longer exists; restore it first")
    span.document = document
    return span

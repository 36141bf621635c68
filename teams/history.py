"""Read a document's change history and revert single changes.

Spans, relations and document status are recorded by django-simple-history (registered in
teams/models.py); this module turns the three record tables into one timeline.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annotations.models import Annotation, Relation
from annotations.validation import validate_span
from corpus.models import Document

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# What a document's history tracks: analysts change its status; the text never changes.
DOCUMENT_FIELDS = ("status", "title")


@dataclass(frozen=True)
class HistoryEntry:
    kind: str  # "span", "relation" or "document"
    record_id: int
    when: datetime.datetime
    who: str | None
    action: str
    summary: str
    changes: tuple[tuple[str, object, object], ...]


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
    sources = [
        ("span", Annotation.history.filter(document_id=document.pk).select_related("label")),
        ("relation", Relation.history.filter(document_id=document.pk)),
        ("document", Document.history.filter(id=document.pk)),
    ]
    entries = []
    for kind, records in sources:
        for record in records.select_related("history_user"):
            changes = changes_of(record, DOCUMENT_FIELDS if kind == "document" else None)
            if kind == "document" and record.history_type == "~" and not changes:
                continue  # saved without a tracked change
            entries.append(
                HistoryEntry(
                    kind=kind,
                    record_id=record.history_id,
                    when=record.history_date,
                    who=record.history_user.get_username() if record.history_user else None,
                    action=ACTIONS[record.history_type],
                    summary=describe(kind, record),
                    changes=changes,
                )
            )
    return sorted(entries, key=lambda entry: (entry.when, entry.record_id), reverse=True)


class RevertError(Exception):
    """A change that cannot be undone as it stands, with the reason."""


def history_model(kind: str):
    return {"span": Annotation, "relation": Relation, "document": Document}[kind].history


@transaction.atomic
def revert_change(*, kind: str, record_id: int, document: Document, user: AbstractBaseUser) -> str:
    """Undo one recorded change of `document`; return what was done.

    A creation is undone by deleting, a deletion by restoring the object as it was, a change
    by restoring the values before it. The revert is itself recorded, by `user`.
    """
    record = history_model(kind).filter(history_id=record_id).first()
    document_id = (
        getattr(record, "document_id", None) if kind != "document" else record and record.id
    )
    if record is None or document_id != document.pk:
        raise RevertError("no such change in this document's history")
    model = record.instance_type
    current = model.objects.filter(pk=record.id).first()
    try:
        if record.history_type == "+":
            if current is None:
                raise RevertError("it was already deleted")
            current._history_user = user
            current.delete()
            return f"deleted {describe(kind, record)}"
        if kind == "document":
            previous = record.prev_record if record.history_type == "~" else None
            if previous is None:
                raise RevertError("a document is never deleted through its history")
            for name in DOCUMENT_FIELDS:
                setattr(current, name, getattr(previous, name))
            current._history_user = user
            current.save(update_fields=[*DOCUMENT_FIELDS, "updated_at"])
            return f"restored {describe(kind, previous)}"
        source = record if record.history_type == "-" else record.prev_record
        restored = source.instance
        if kind == "span":
            validate_span(document.text, restored.start, restored.end, restored.text)
            restored.version = (current.version + 1) if current else restored.version + 1
        if (
            kind == "relation"
            and not Annotation.objects.filter(
                pk__in=[restored.source_id, restored.target_id]
            ).count()
            == 2
        ):
            raise RevertError("one of the linked spans no longer exists; restore it first")
        restored._history_user = user
        restored.save()
        return f"restored {describe(kind, source)}"
    except (IntegrityError, ValidationError) as error:
        raise RevertError(f"it would conflict with the current annotations: {error}") from None

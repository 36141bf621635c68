"""Progress: the one place the status of a document or an assignment changes.

Each (document, annotator) assignment has its own status; the document's follows from them.
A span starts progress (`start_document`, `start_assignment`, which the span action calls),
a document imported with spans arrives in progress (`arrival_status`), and a user sets a
status by hand (`set_status`).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .changes import record_change
from .models import Assignment, Document

NEW, IN_PROGRESS, DONE = (status.value for status in Document.Status)


def status_for(user: AbstractBaseUser, document: Document) -> str:
    """Return the document's status as `user` works on it: their assignment's, if any.

    A document loaded through `corpus.access.with_viewer_access` answers without a query.
    """
    if hasattr(document, "viewer_assignment"):
        return document.viewer_assignment or document.status
    assignment = Assignment.objects.filter(document=document, annotator=user).first()
    return assignment.status if assignment else document.status


def overall_status(document: Document) -> str | None:
    """Return the status the assignments of `document` add up to, or None without any."""
    counts = Assignment.objects.filter(document=document).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=DONE)),
        started=Count("pk", filter=~Q(status=NEW)),
    )
    if not counts["total"]:
        return None
    if counts["done"] == counts["total"]:
        return DONE
    return IN_PROGRESS if counts["started"] else NEW


@transaction.atomic
def set_status(*, user: AbstractBaseUser, document: Document, status: str) -> str:
    """Record that `user` set `document` to `status`; return the status they now see.

    An annotator's status is their assignment's; the document's own status follows from all
    its assignments (done when every annotator is done). Without an assignment, the user sets
    the document's status directly.
    """
    changed = Assignment.objects.filter(document=document, annotator=user).update(
        status=status, updated_at=timezone.now()
    )
    overall = overall_status(document) if changed else status
    if overall is not None and overall != document.status:
        document.status = overall
        document._history_user = user
        document.save(update_fields=["status", "updated_at"])
    return status


def start_document(document: Document) -> None:
    """Move `document` from new to in progress, recording the change; else leave it alone."""
    if document.status != Document.Status.NEW:
        return
    started = Document.objects.filter(pk=document.pk, status=Document.Status.NEW).update(
        status=Document.Status.IN_PROGRESS, updated_at=timezone.now()
    )
    if started:
        document.status = Document.Status.IN_PROGRESS
        record_change(document)


def start_assignment(*, document: Document, annotator: AbstractBaseUser) -> None:
    """Record that `annotator` added a span of their own to `document`: a new assignment of
    theirs (or a new document without one) is now in progress."""
    if status_for(annotator, document) == NEW:
        mark_started(user=annotator, document=document)


def arrival_status(*, with_spans: bool) -> str:
    """Return the status of a document as it is imported: in progress if it brings spans."""
    return IN_PROGRESS if with_spans else NEW


def mark_started(*, user: AbstractBaseUser, document: Document) -> None:
    """Move `user`'s new assignment of `document` to in progress (their first span)."""
    if Assignment.objects.filter(document=document, annotator=user, status=NEW).update(
        status=IN_PROGRESS, updated_at=timezone.now()
    ):
        set_status(user=user, document=document, status=IN_PROGRESS)

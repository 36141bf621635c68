"""Making a document's suggestions when its annotation page first asks for them.

A document's suggestions are made once: `SuggestedDocument` records it in the transaction
that stores them, so a document whose suggesters found nothing is not made again at every
opening (`manage.py suggest` and its job make them again on purpose).

The request that makes them first claims the document (a record without `made_at`), so that
the openings that come meanwhile (the same analyst reopening it, another analyst, another
tab) list what exists instead of each making the same suggestions again: on a long document
that takes seconds of a worker apiece, and on the bench's threaded server four of them at
once slowed every page it served (bench/annotation_page.py). A claim older than
`CLAIM_TIMEOUT` was left by a request that died, and is taken over.
"""

import enum
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from corpus.models import Document

from .known import LazyKnown, layer_spans_by_document
from .models import SuggestedDocument
from .suggest import suggest_document

CLAIM_TIMEOUT = timedelta(minutes=5)


class OnDemand(enum.Enum):
    """What asking for a document's suggestions did."""

    MADE_NOW = "made now"
    MADE_BEFORE = "made before"
    BEING_MADE = "being made by another request"


def make_on_demand(document: Document, *, layers: Q) -> OnDemand:
    """Make `document`'s suggestions unless they were made or are being made; say which.

    `layers` picks the spans whose strings propagation proposes again (on the page, the
    viewer's own layer and gold); only those that can stand in the document are read. Their
    spans in this document (one query) show how far it has been read (`assist.reading`).
    """
    outcome = claim(document)
    if outcome is not OnDemand.MADE_NOW:
        return outcome
    known = LazyKnown(document.corpus, layers, text=document.text)
    own = layer_spans_by_document(layers, [document.pk]).get(document.pk, ())
    try:
        suggest_document(document, known=known, layer_spans=own)
    except IntegrityError:
        # Another request made them meanwhile, after taking over this claim: use those.
        return OnDemand.MADE_BEFORE
    except BaseException:
        SuggestedDocument.objects.filter(document=document, made_at__isnull=True).delete()
        raise
    return OnDemand.MADE_NOW


def claim(document: Document) -> OnDemand:
    """Claim the making of `document`'s suggestions: return MADE_NOW if this request is to
    make them, else whether they were made or are being made by another request."""
    now = timezone.now()
    record = SuggestedDocument.objects.filter(document=document).first()
    if record is None:
        try:
            with transaction.atomic():
                SuggestedDocument.objects.create(document=document, claimed_at=now)
        except IntegrityError:
            return claim_state(document)
        return OnDemand.MADE_NOW
    if record.made_at is not None:
        return OnDemand.MADE_BEFORE
    abandoned = SuggestedDocument.objects.filter(
        document=document, made_at__isnull=True, claimed_at=record.claimed_at
    ).filter(claimed_at__lt=now - CLAIM_TIMEOUT)
    # The update is the claim: of two requests taking it over, one changes the row.
    if abandoned.update(claimed_at=now):
        return OnDemand.MADE_NOW
    return claim_state(document)


def claim_state(document: Document) -> OnDemand:
    """Return whether another request made `document`'s suggestions or is making them."""
    made = SuggestedDocument.objects.filter(document=document, made_at__isnull=False).exists()
    return OnDemand.MADE_BEFORE if made else OnDemand.BEING_MADE

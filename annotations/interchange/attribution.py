"""Attribute the spans a file does not attribute: those another tool's user made there.

Label Studio names who made an annotation by e-mail (`completed_by`), which is matched to a
Byline user here; any span still unattributed that the file does not record (unclaimed) goes
to the user an import acts for (`--as-user`), else stays unattributed.
"""

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from .records import DocumentRecord
from .validate import CorpusState


def attribute_spans(records: list[DocumentRecord], state: CorpusState) -> None:
    """Give unattributed spans of `records` the user with their e-mail, else (unclaimed
    ones) the user the import acts for. One query a chunk, none without e-mails."""
    emails = {
        span.annotator_email.lower()
        for record in records
        for span in record.spans
        if span.annotator is None and span.annotator_email
    }
    by_email: dict[str, str | None] = {}
    if emails:
        User = get_user_model()
        rows = (
            User.objects.annotate(lowered=Lower("email"))
            .filter(lowered__in=emails)
            .values_list("lowered", User.USERNAME_FIELD)
        )
        for email, username in rows:
            # Two accounts with one address name nobody for sure.
            by_email[email] = None if email in by_email else username
    for record in records:
        for span in record.spans:
            if span.annotator is not None or span.gold:
                continue
            if span.annotator_email:
                span.annotator = by_email.get(span.annotator_email.lower())
            if span.annotator is None and span.unclaimed:
                span.annotator = state.acting_user

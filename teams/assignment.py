"""Hand documents to annotators."""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet

from corpus.models import Assignment, Corpus, Document, Membership


def assign_round_robin(
    *,
    corpus: Corpus,
    annotators: Sequence[AbstractBaseUser],
    per_document: int = 1,
    documents: QuerySet[Document] | None = None,
) -> int:
    """Give each document `per_document` annotators in turn; return how many were created.

    Existing assignments are kept; annotators must be annotator members of the corpus.
    """
    if not 1 <= per_document <= len(annotators):
        raise ValueError(
            f"cannot give each document {per_document} of {len(annotators)} annotators"
        )
    members = set(
        Membership.objects.filter(
            corpus=corpus, role=Membership.Role.ANNOTATOR, user__in=annotators
        ).values_list("user_id", flat=True)
    )
    if outsiders := [a.get_username() for a in annotators if a.pk not in members]:
        raise ValueError(f"not annotators of {corpus.name!r}: {', '.join(outsiders)}")
    documents = (documents if documents is not None else corpus.documents.all()).filter(
        corpus=corpus
    )
    existing = set(
        Assignment.objects.filter(document__in=documents).values_list("document_id", "annotator_id")
    )
    new = []
    for index, document_id in enumerate(
        documents.order_by("external_id").values_list("pk", flat=True)
    ):
        for k in range(per_document):
            annotator = annotators[(index * per_document + k) % len(annotators)]
            if (document_id, annotator.pk) not in existing:
                new.append(Assignment(document_id=document_id, annotator=annotator))
    with transaction.atomic():
        Assignment.objects.bulk_create(new, batch_size=1000)
    return len(new)

"""The tags of a document."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Document


def set_document_tags(*, document: Document, names: Iterable[str]) -> list[str]:
    """Replace the tags of `document` with `names`; return its tags, sorted.

    Names are stripped and deduplicated ignoring case; a tag the corpus has keeps its
    spelling, as tags are matched ignoring case among the corpus's own (`CorpusTag`).
    """
    unique: dict[str, str] = {}
    for name in names:
        name = name.strip()
        if not name:
            raise ValidationError("a tag cannot be empty")
        unique.setdefault(name.lower(), name)
    with transaction.atomic():
        document.tags.set(list(unique.values()))
    return sorted((tag.name for tag in document.tags.all()), key=str.lower)

"""The history tables of what analysts change, which belong to the teams app."""

from simple_history import register

from annotations.models import Annotation, Relation
from corpus.models import Document

# History of what analysts change. Registered here so the history tables belong to the
# teams app; the text and import metadata of a document never change, so they are not copied.
register(Annotation, app="teams")
register(Relation, app="teams")
register(
    Document,
    app="teams",
    excluded_fields=["text", "text_sha256", "metadata", "quality_flags", "created_at"],
)

"""The statuses of documents and assignments: the one place they are spelled out."""

from django.db import models


class DocumentStatus(models.TextChoices):
    """How far the annotation of a document (or one annotator's assignment of it) has got."""

    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"

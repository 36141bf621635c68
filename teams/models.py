from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history import register

from annotations.models import Annotation, Relation
from corpus.models import Corpus, Document


class Membership(models.Model):
    """A user's role in one corpus; without one, the corpus does not exist for them."""

    class Role(models.TextChoices):
        MANAGER = "manager", "Manager"
        REVIEWER = "reviewer", "Reviewer"
        ANNOTATOR = "annotator", "Annotator"

    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["corpus", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["corpus", "user"], name="teams_membership_unique_user"),
            models.CheckConstraint(
                condition=Q(role__in=["manager", "reviewer", "annotator"]),
                name="teams_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.corpus}"


class Assignment(models.Model):
    """One annotator's task on one document, with their own progress."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    status = models.CharField(
        max_length=20, choices=Document.Status.choices, default=Document.Status.NEW
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document", "annotator"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "annotator"], name="teams_assignment_unique_annotator"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["new", "in_progress", "done"]),
                name="teams_assignment_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["annotator", "status"], name="teams_assignment_todo_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.annotator} ({self.status})"


# History of what analysts change. Registered here so the history tables belong to the
# teams app; the text and import metadata of a document never change, so they are not copied.
register(Annotation, app="teams")
register(Relation, app="teams")
register(
    Document,
    app="teams",
    excluded_fields=["text", "text_sha256", "metadata", "quality_flags", "created_at"],
)

"""The machine layer of suggestions, one per document, and what each analyst rejected.

Suggestions are rows of their own, never `Annotation`s: no analyst's layer, gold, export of
`--layer all` or agreement ever sees them. An analyst takes one into their own layer through
the actions (`assist.review`), and the span then remembers its suggester.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from annotations.models import Label
from corpus.models import Document


class Suggestion(models.Model):
    """A span a suggester proposes over a document's text: code points, end-exclusive."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="suggestions")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    attributes = models.JSONField(default=dict, blank=True)
    suggester = models.CharField(max_length=50, help_text="The suggester that proposed it.")
    score = models.FloatField(help_text="How sure the suggester is, from 0 to 1.")
    # A QUOTE's suggested speaker: an ACTOR or ANON_SOURCE suggestion of the same document.
    # The bulk path deletes a document's suggestions in one statement, speakers with them.
    speaker = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "start", "end"]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="assist_suggestion_start_gte_0"),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="assist_suggestion_start_lt_end"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1), name="assist_suggestion_score_0_to_1"
            ),
            models.UniqueConstraint(
                fields=["document", "label", "start", "end"], name="assist_suggestion_unique_place"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label_id and self.label.key} [{self.start}, {self.end}) by {self.suggester}"


class Rejection(models.Model):
    """A suggestion an analyst turned down, by its place and label, so that it stays hidden
    from them when the suggestions are made again (their rows, and ids, are new each time)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rejections"
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="rejections")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="rejections")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "start", "end"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document", "label", "start", "end"],
                name="assist_rejection_unique_place",
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="assist_rejection_start_lt_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} rejected {self.label_id} [{self.start}, {self.end})"


class SuggestedDocument(models.Model):
    """That a document's suggestions were made (`made_at`), or are being made by a request
    that claimed it (`made_at` empty).

    Written in the transaction that stores the suggestions, so a document whose suggesters
    found nothing is not made again at each opening of its page: "none exist" means "never
    made" only when this row is missing. The claim keeps several openings of one page from
    making the same suggestions at once.
    """

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="suggested"
    )
    claimed_at = models.DateTimeField(help_text="When a request started making them.")
    made_at = models.DateTimeField(null=True, blank=True, help_text="When they were stored.")

    class Meta:
        ordering = ["document"]

    def __str__(self) -> str:
        state = f"made {self.made_at:%Y-%m-%d %H:%M}" if self.made_at else "being made"
        return f"suggestions of document {self.document_id}: {state}"

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, F, Q

from corpus.models import Corpus, Document


def new_span_uid() -> str:
    """Return a fresh stable span id (kept across export and re-import)."""
    return uuid.uuid4().hex


class Label(models.Model):
    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="labels")
    key = models.CharField(
        max_length=50,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9_]*$", "Use upper-case letters, digits and _.")],
        help_text="Upper-case identifier, e.g. ACTOR.",
    )
    name = models.CharField(max_length=100)
    colour = models.CharField(
        max_length=7,
        default="#9e9e9e",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use #rrggbb.")],
        help_text="#rrggbb",
    )
    shortcut = models.CharField(max_length=1, blank=True, help_text="One key, e.g. a.")
    description = models.TextField(blank=True, help_text="Annotation guideline for this label.")
    attribute_spec = models.JSONField(
        default=dict,
        blank=True,
        help_text='Attributes a span may carry: {"name": "number"|"integer"|"string"|"boolean"}.',
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["corpus", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["corpus", "key"], name="annotations_label_unique_key"),
            models.UniqueConstraint(
                fields=["corpus", "shortcut"],
                condition=~Q(shortcut=""),
                name="annotations_label_unique_shortcut",
            ),
        ]

    def __str__(self) -> str:
        return self.key


# A span's text key: the characters of its text after the first, at most this many. Spans are
# indexed by it, so that the strings a layer tags which can stand in one document are found
# without reading every span of the corpus (propagation, when the annotation page makes a
# document's suggestions). The first character is left out because a string tagged in lower
# case ("the officials") is also sought capitalised.
TEXT_KEY_LENGTH = 8


def text_key(string: str) -> str:
    """Return the key of a span whose text is `string` (what `TextKey` computes in SQL)."""
    return string[1 : 1 + TEXT_KEY_LENGTH]


class TextKey(models.Func):
    """A text's key in SQL (indexed as `annotations_span_text_key_idx`).

    The positions are written into the SQL, not passed as parameters as `Substr` passes
    them: SQLite uses an index on an expression only for the very same expression, and
    `SUBSTR(text, ?, ?)` is not `SUBSTR(text, 2, 8)`.
    """

    function = "SUBSTR"
    template = f"%(function)s(%(expressions)s, 2, {TEXT_KEY_LENGTH})"
    output_field = models.TextField()


class AnnotationQuerySet(models.QuerySet):
    def with_text_key_in(self, keys: list[str]) -> "AnnotationQuerySet":
        """Return the spans whose text key (`text_key`) is one of `keys`."""
        return self.alias(text_key=TextKey("text")).filter(text_key__in=keys)

    def for_export(self) -> "AnnotationQuerySet":
        """Return spans in export order with what the export reads joined in."""
        return self.select_related("label", "annotator").order_by(
            "start", "end", "label__key", "uid"
        )

    def count_by_label(self, document_ids: list[int]) -> "AnnotationQuerySet":
        """Return (document id, label key, span count) rows for the given documents."""
        return (
            self.filter(document__in=document_ids)
            .order_by()
            .values_list("document", "label__key")
            .annotate(count=Count("pk"))
        )


class Annotation(models.Model):
    """A span of a document's text, in code points, end-exclusive."""

    uid = models.CharField(max_length=64, default=new_span_uid, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="annotations")
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="annotations")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(help_text="The covered text as it was when the span was created.")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="annotations",
    )
    attributes = models.JSONField(default=dict, blank=True)
    is_gold = models.BooleanField(
        default=False,
        help_text="Part of the adjudicated gold layer; `annotator` is who adjudicated it.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set when the span was accepted from a suggestion (assist): which suggester proposed it
    # and how sure it was, so that acceptance rates can be measured per suggester.
    suggester = models.CharField(max_length=50, blank=True, default="")
    suggestion_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["document", "start", "end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0), name="annotations_annotation_start_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="annotations_annotation_start_lt_end"
            ),
            models.UniqueConstraint(
                fields=["document", "uid"], name="annotations_annotation_unique_uid"
            ),
            models.CheckConstraint(
                condition=Q(suggestion_score__isnull=True)
                | Q(suggestion_score__gte=0, suggestion_score__lte=1),
                name="annotations_annotation_suggestion_score_0_to_1",
            ),
            # One layer per analyst: a span is unique within its annotator's layer...
            models.UniqueConstraint(
                fields=["document", "label", "start", "end", "annotator"],
                condition=Q(is_gold=False),
                name="annotations_annotation_unique_span",
            ),
            # ...NULLs are distinct in a unique index on both databases, so spans without an
            # annotator need their own index...
            models.UniqueConstraint(
                fields=["document", "label", "start", "end"],
                condition=Q(annotator__isnull=True, is_gold=False),
                name="annotations_annotation_unique_unattributed_span",
            ),
            # ...and the gold layer holds each span once, whoever adjudicated it.
            models.UniqueConstraint(
                fields=["document", "label", "start", "end"],
                condition=Q(is_gold=True),
                name="annotations_annotation_unique_gold_span",
            ),
        ]
        indexes = [
            models.Index(fields=["document", "start", "end"], name="annotations_span_position_idx"),
            models.Index(TextKey("text"), name="annotations_span_text_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label_id and self.label.key} [{self.start}, {self.end}) {self.text[:40]!r}"


class Relation(models.Model):
    class Type(models.TextChoices):
        SPEAKER = "speaker", "Speaker (QUOTE → ACTOR or ANON_SOURCE)"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations")
    type = models.CharField(max_length=50, choices=Type.choices, default=Type.SPEAKER)
    source = models.ForeignKey(
        Annotation, on_delete=models.CASCADE, related_name="outgoing_relations"
    )
    target = models.ForeignKey(
        Annotation, on_delete=models.CASCADE, related_name="incoming_relations"
    )
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "type"], name="annotations_relation_unique_link"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="annotations_relation_not_reflexive"
            ),
            # A QUOTE has one speaker.
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(type="speaker"),
                name="annotations_relation_one_speaker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type}: {self.source_id} → {self.target_id}"

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

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


class IndexedText(models.Func):
    """A text as the unique index of tagged strings holds it: whole on SQLite, its MD5 digest
    on PostgreSQL, whose index entries may take at most 2,704 bytes where a quote may be longer.

    SQLite gets the bare column, not a function of it: the bench's floor and any other client
    without Django's SQLite functions must still be able to write spans (the triggers of
    `TaggedString` write through this index). Two texts of one digest would share a row on
    PostgreSQL; MD5 gives that by design only, not by chance.
    """

    function = "MD5"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


class TextKeyQuerySet(models.QuerySet):
    def with_text_key_in(self, keys: list[str]) -> "models.QuerySet":
        """Return the rows whose text key (`text_key`) is one of `keys`."""
        return self.alias(text_key=TextKey("text")).filter(text_key__in=keys)


class AnnotationQuerySet(TextKeyQuerySet):
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


class TaggedString(models.Model):
    """How many spans of one layer of a corpus tag one string with one label.

    What the corpus already knows (`assist.known`) is read from here, one row per string,
    instead of counting the spans of every string that can stand in a document. The fields
    are named as `Annotation`'s, so a condition on spans' layers (`layers.layer_filter`,
    `layers.span_visibility`) picks the same layers here. Gold is one layer whoever
    adjudicated it (`layers.span_layer`), so its rows have no annotator.

    The table is derived from spans and written only by database triggers (migration
    0006_taggedstring), which see every write of a span: the actions, the importer's COPY,
    and the cascades of deleting a document, a corpus or a user, which bypass Python. A
    document's corpus never changes once it exists (the admin shows it read-only), so no
    trigger watches it. On SQLite, a migration that remakes the span table drops its
    triggers: tests/annotations/test_tagged_strings.py checks them after every migration.
    """

    # The unique index leads with the corpus, so the column needs no index of its own.
    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="+", db_index=False)
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    is_gold = models.BooleanField()
    spans = models.PositiveIntegerField()

    objects = TextKeyQuerySet.as_manager()

    class Meta:
        constraints = [
            # One row per string, label and layer. NULL annotators (gold, and analysts' spans
            # imported without one) would be distinct in a plain unique index on both
            # databases, so the index holds 0 in their place.
            models.UniqueConstraint(
                "corpus",
                "label",
                IndexedText("text"),
                "is_gold",
                Coalesce("annotator", 0),
                name="annotations_taggedstring_unique_string",
            ),
            models.CheckConstraint(
                condition=Q(is_gold=False) | Q(annotator__isnull=True),
                name="annotations_taggedstring_gold_has_no_annotator",
            ),
        ]
        indexes = [
            models.Index("corpus", TextKey("text"), name="annotations_tagged_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label_id and self.label.key} {self.text[:40]!r} x{self.spans}"

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from .querysets import CorpusQuerySet, DocumentQuerySet
from .status import DocumentStatus


def sha256_hex(text: str) -> str:
    """Return the hex SHA-256 of `text` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Corpus(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CorpusQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "corpora"

    def __str__(self) -> str:
        return self.name


class CorpusTagManager(_TaggableManager):
    """`document.tags`: taggit's manager, with every tag looked up and created in the
    document's corpus.

    taggit finds a tag by name ignoring case among all rows of its tag model and adds the
    caller's name only when none matches; left alone, `tags.set(["bsecrettag"])` would answer
    another corpus's "BSecretTag". Each method that takes names (`add`, `set`, the admin's
    tag field) resolves them in `_to_tag_model_instances`, so the scope is set there.
    """

    def _to_tag_model_instances(self, tags, tag_kwargs):
        corpus_id = self.instance.corpus_id
        for tag in tags:
            if isinstance(tag, CorpusTag) and tag.corpus_id != corpus_id:
                raise ValueError(f"tag {tag.name!r} belongs to another corpus")
        return super()._to_tag_model_instances(tags, {**tag_kwargs, "corpus_id": corpus_id})


class Document(models.Model):
    Status = DocumentStatus

    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="documents")
    external_id = models.CharField(
        max_length=255, help_text="Identifier from the source: file name or the input's id."
    )
    title = models.CharField(max_length=500, blank=True)
    # Stored exactly as it arrived (only a BOM and CRLF line ends are normalised, and recorded
    # in metadata); every span offset points into this text.
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64, editable=False)
    source = models.CharField(max_length=255, blank=True, help_text="Publisher.")
    published = models.DateField(null=True, blank=True)
    dateline = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    language = models.CharField(max_length=35, blank=True, help_text="BCP 47 tag, e.g. en.")
    metadata = models.JSONField(default=dict, blank=True)
    quality_flags = models.JSONField(
        default=list,
        blank=True,
        help_text="Suspicious ranges found at import: [{start, end, kind, note, suggestion}].",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    tags = TaggableManager(blank=True, through="TaggedDocument", manager=CorpusTagManager)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["corpus", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["corpus", "external_id"], name="corpus_document_unique_external_id"
            ),
            models.UniqueConstraint(
                fields=["corpus", "text_sha256"], name="corpus_document_unique_text"
            ),
            models.CheckConstraint(
                condition=Exact(Length("text_sha256"), 64),
                name="corpus_document_sha256_length",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="corpus_document_text_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values),
                name="corpus_document_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["corpus", "status"], name="corpus_doc_status_idx"),
            models.Index(fields=["corpus", "source"], name="corpus_doc_source_idx"),
            models.Index(fields=["corpus", "published"], name="corpus_doc_published_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.external_id

    @property
    def is_flagged(self) -> bool:
        """Return whether the import found suspicious ranges in the text."""
        return bool(self.quality_flags)


class CorpusTagQuerySet(models.QuerySet):
    def names_in_use(self) -> "models.QuerySet[str]":
        """Return the names of the tags on at least one document, sorted."""
        return (
            self.filter(tagged_documents__isnull=False)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        )


class CorpusTag(TagBase):
    """A document tag of one corpus. Each corpus has its own tags, so neither a lookup nor an
    answer ever meets another corpus's (taggit's `Tag` is one table for everyone)."""

    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="tags")
    # Unique per corpus (Meta), not across corpora as TagBase has them.
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, allow_unicode=True)

    natural_key_fields = ["corpus_id", "name"]
    objects = NaturalKeyManager.from_queryset(CorpusTagQuerySet)()

    class Meta:
        constraints = [
            # Tags are matched ignoring case (TAGGIT_CASE_INSENSITIVE): one spelling per corpus.
            models.UniqueConstraint("corpus", Lower("name"), name="corpus_corpustag_unique_name"),
            models.UniqueConstraint(fields=["corpus", "slug"], name="corpus_corpustag_unique_slug"),
        ]


class TaggedDocument(TaggedItemBase):
    """A document's tag, which is one of its corpus's (`CorpusTagManager` sees to it)."""

    tag = models.ForeignKey(CorpusTag, on_delete=models.CASCADE, related_name="tagged_documents")
    content_object = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="corpus_taggeddocument_unique_tag"
            )
        ]


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
        # Born in the teams app: the table and constraint names are kept from there.
        db_table = "teams_membership"
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
        db_table = "teams_assignment"
        ordering = ["document", "annotator"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "annotator"], name="teams_assignment_unique_annotator"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values),
                name="teams_assignment_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["annotator", "status"], name="teams_assignment_todo_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.annotator} ({self.status})"

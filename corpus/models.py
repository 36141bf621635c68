import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length, Lower
from django.db.models.lookups import Exact
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase


class DocumentStatus(models.TextChoices):
    """How far the annotation of a document (or one annotator's assignment of it) has got."""

    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


def sha256_hex(text: str) -> str:
    """Return the hex SHA-256 of `text` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CorpusQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CorpusQuerySet":
        """Return the corpora `user` is a member of (every corpus for a superuser).

        Every page and API lookup is scoped through this method or `DocumentQuerySet.visible_to`;
        the rules themselves live in `corpus.access`.
        """
        from .access import corpus_visibility  # access reads the models of this module

        return self.filter(corpus_visibility(user))

    def with_viewer_role(self, viewer) -> "CorpusQuerySet":
        """Annotate `viewer_role`, the role of `viewer` in each corpus (None if not a member)."""
        from .access import viewer_role  # access reads the models of this module

        return self.annotate(viewer_role=viewer_role(viewer, corpus=OuterRef("pk")))

    def with_progress(self, viewer=None) -> "CorpusQuerySet":
        """Annotate each corpus with `document_count` and a count per status (`done_count`...).

        For a `viewer` who annotates a corpus, the counts are of their own assignments.
        """
        queryset = self.annotate(
            document_count=Count("documents"),
            **{
                f"{status}_count": Count("documents", filter=Q(documents__status=status))
                for status in DocumentStatus.values
            },
        )
        if viewer is None or not viewer.is_authenticated:
            return queryset
        from .access import viewer_role  # access reads the models of this module

        def assigned(**filters):
            rows = Assignment.objects.filter(
                annotator=viewer.pk, document__corpus=OuterRef("pk"), **filters
            )
            counted = rows.order_by().values("document__corpus").annotate(n=Count("pk"))
            return Coalesce(Subquery(counted.values("n")), 0)

        return queryset.annotate(
            viewer_role=viewer_role(viewer, corpus=OuterRef("pk")),
            assigned_count=assigned(),
            **{
                f"assigned_{status}_count": assigned(status=status)
                for status in DocumentStatus.values
            },
        )


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


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentQuerySet":
        """Return the documents `user` may read: every document of the corpora they review or
        manage, and the documents assigned to them in corpora they annotate."""
        from .access import document_visibility  # access reads the models of this module

        return self.filter(document_visibility(user))

    def with_viewer_status(self, user) -> "DocumentQuerySet":
        """Annotate `viewer_status`: the user's own assignment status, else the document's."""
        from .access import viewer_assignment_status  # access reads the models of this module

        return self.annotate(viewer_status=Coalesce(viewer_assignment_status(user), "status"))

    def next_to_annotate(self, *, after: "Document | None" = None) -> "Document | None":
        """Return the first document not yet done, in corpus order after `after` (wrapping
        around to the start), or None when every other document is done.

        After `with_viewer_status`, "done" means done by the viewer.
        """
        status = "viewer_status" if "viewer_status" in self.query.annotations else "status"
        remaining = self.exclude(**{status: Document.Status.DONE}).order_by("external_id")
        if after is None:
            return remaining.first()
        return (
            remaining.filter(external_id__gt=after.external_id).first()
            or remaining.exclude(pk=after.pk).first()
        )

    def flagged(self) -> "DocumentQuerySet":
        """Return documents whose import recorded at least one quality flag."""
        return self.exclude(quality_flags=[])

    def tagged(self, name: str) -> "DocumentQuerySet":
        """Return documents carrying the tag `name` (any case)."""
        return self.filter(tags__name__iexact=name)

    def with_label(self, key: str, *, among: models.QuerySet) -> "DocumentQuerySet":
        """Return documents with at least one of the spans `among` labelled `key`.

        `among` is the spans a viewer sees (`annotations.layers.spans_seen_by`), so an
        annotator's filter looks at their own layer only.
        """
        return self.filter(pk__in=among.filter(label__key=key).values("document"))

    def containing(self, words: str) -> "DocumentQuerySet":
        """Return documents whose title or text contains `words` (any case)."""
        return self.filter(Q(title__icontains=words) | Q(text__icontains=words))

    def with_annotation_counts(self) -> "DocumentQuerySet":
        """Annotate each document with `annotation_count`."""
        return self.annotate(annotation_count=Count("annotations", distinct=True))


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

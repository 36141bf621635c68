"""Named filters on corpora and documents. The access rules they apply live in `access`."""

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .status import DocumentStatus

if TYPE_CHECKING:
    from .models import Document


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
        from .models import Assignment  # the models read this module

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
        remaining = self.exclude(**{status: DocumentStatus.DONE}).order_by("external_id")
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

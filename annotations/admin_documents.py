"""The admin of corpora and documents, which shows their labels and spans and exports them:
it sits here, above the corpus app whose models it shows."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from corpus.admin_scoping import CorpusScopedAdmin, CorpusScopedInline
from corpus.models import Corpus, Document, sha256_hex

from .admin_import import CorpusImportAdminMixin
from .export_jobs import ExportForm
from .forms import AnnotationForm, LabelForm, RelationForm
from .highlight import render_highlighted_text
from .labels import create_news_labels
from .models import Annotation, Label, Relation
from .relations import delete_relation, save_relation
from .spans import delete_span, save_span


def count_of(model, field: str) -> Coalesce:
    """Return a subquery counting `model` rows whose `field` is the outer row."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


class LabelInline(admin.TabularInline):
    model = Label
    form = LabelForm
    extra = 0
    fields = ["key", "name", "colour", "shortcut", "position", "attribute_spec", "description"]


@admin.register(Corpus)
class CorpusAdmin(CorpusImportAdminMixin, CorpusScopedAdmin):
    list_display = ["name", "slug", "document_count", "annotation_count", "created_at"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    superuser_fields = ["name", "slug"]
    inlines = [LabelInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                document_count=count_of(Document, "corpus"),
                annotation_count=count_of(Annotation, "document__corpus"),
            )
        )

    @admin.display(description="documents", ordering="document_count")
    def document_count(self, corpus: Corpus) -> int:
        return corpus.document_count

    @admin.display(description="annotations", ordering="annotation_count")
    def annotation_count(self, corpus: Corpus) -> int:
        return corpus.annotation_count

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            # A new corpus starts with the news labels the admin did not define inline.
            create_news_labels(form.instance)


class FlaggedFilter(admin.SimpleListFilter):
    title = "quality flags"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", "Flagged"), ("no", "Not flagged")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.flagged()
        if self.value() == "no":
            return queryset.filter(quality_flags=[])
        return queryset


class AnnotationInline(CorpusScopedInline):
    model = Annotation
    form = AnnotationForm
    extra = 0
    fields = ["label", "start", "end", "text", "annotator", "attributes", "uid"]
    readonly_fields = ["text", "uid"]
    raw_id_fields = ["annotator"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("label", "annotator")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "label":
            document_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Label.objects.filter(corpus__documents=document_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RelationInline(CorpusScopedInline):
    model = Relation
    form = RelationForm
    extra = 0
    fields = ["type", "source", "target", "annotator"]
    raw_id_fields = ["source", "target", "annotator"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source__label", "target__label")


# The span and link inlines write through the actions: (save, delete) per model.
INLINE_ACTIONS = {
    Annotation: (
        lambda span, user: save_span(span=span, editor=user),
        lambda span, user: delete_span(span=span, editor=user),
    ),
    Relation: (
        lambda relation, user: save_relation(relation=relation, editor=user),
        lambda relation, user: delete_relation(relation=relation, editor=user),
    ),
}


class TagActionForm(ActionForm):
    tag = forms.CharField(required=False, help_text="Tag for the add/remove tag actions.")


@admin.register(Document)
class DocumentAdmin(CorpusScopedAdmin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "corpus",
        "source",
        "published",
        "status",
        "tag_list",
        "is_flagged",
        "annotation_count",
    ]
    list_filter = ["corpus", "status", FlaggedFilter, "tags", "source"]
    list_select_related = ["corpus"]
    search_fields = ["title", "text", "external_id"]
    date_hierarchy = "published"
    readonly_fields = [
        "highlighted_text",
        "text_sha256",
        "quality_flag_list",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["corpus", "external_id", "title", "status", "tags"]}),
        ("Source", {"fields": ["source", "published", "dateline", "url", "language"]}),
        ("Text", {"fields": ["highlighted_text", "quality_flag_list", "text_sha256"]}),
        ("Metadata", {"classes": ["collapse"], "fields": ["metadata", "created_at", "updated_at"]}),
    ]
    inlines = [AnnotationInline, RelationInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    action_form = TagActionForm
    actions = ["export_documents", "add_tag", "remove_tag"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_annotation_counts().prefetch_related("tags")

    def get_readonly_fields(self, request, obj=None):
        # The text is what every offset points into: shown, never edited here.
        return [*self.readonly_fields, "corpus", "external_id"] if obj else self.readonly_fields

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["corpus", "external_id", "title", "text", "tags"]})]
        return self.fieldsets

    def save_model(self, request, obj, form, change):
        if not change:
            obj.text_sha256 = sha256_hex(obj.text)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Save the span and link inlines through their actions, as the API does."""
        actions = INLINE_ACTIONS.get(formset.model)
        if actions is None:
            return super().save_formset(request, form, formset, change)
        save, delete = actions
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            delete(row, request.user)
        for row in rows:
            save(row, request.user)
        formset.save_m2m()

    @admin.display(description="tags")
    def tag_list(self, document: Document) -> str:
        return ", ".join(sorted(tag.name for tag in document.tags.all()))

    @admin.display(description="flagged")
    def is_flagged(self, document: Document) -> str:
        # A warning sign, not the admin's green tick: a flag is a problem, not an achievement.
        if not document.is_flagged:
            return ""
        count = len(document.quality_flags)
        return format_html(
            '<span class="quality-flag" role="img" aria-label="{}" title="{}">⚠ {}</span>',
            f"flagged: {count} suspicious range{pluralize(count)}",
            f"{count} suspicious range{pluralize(count)} found at import",
            count,
        )

    @admin.display(description="spans", ordering="annotation_count")
    def annotation_count(self, document: Document) -> int:
        return document.annotation_count

    @admin.display(description="text with spans")
    def highlighted_text(self, document: Document):
        spans = [
            (a.start, a.end, a.label.key, a.label.colour)
            for a in document.annotations.select_related("label").order_by("start", "-end")
        ]
        return render_highlighted_text(document.text, spans, document.quality_flags)

    @admin.display(description="quality flags")
    def quality_flag_list(self, document: Document):
        if not document.quality_flags:
            return "none"
        return format_html_join(
            "\n",
            "<div>[{}, {}) <b>{}</b>: {} <code>{}</code>{}</div>",
            (
                (
                    flag["start"],
                    flag["end"],
                    flag["kind"],
                    flag.get("note", ""),
                    document.text[flag["start"] : flag["end"]],
                    f" → likely {flag['suggestion']!r}"
                    if flag.get("suggestion") is not None
                    else "",
                )
                for flag in document.quality_flags
            ),
        )

    @admin.action(description="Export selected documents…")
    def export_documents(self, request, queryset):
        """Ask for the format, layer, labels and tags, then start one export job per corpus.

        The export runs in the background (a large one would outlast the request); its job
        page offers the file to its starter and the corpus's managers.
        """
        documents = queryset.order_by()
        corpus_ids = set(documents.values_list("corpus", flat=True).distinct())
        corpora = list(Corpus.objects.filter(pk__in=corpus_ids).order_by("name"))
        form = ExportForm(
            request.POST if "export_confirmed" in request.POST else None, corpora=corpora
        )
        if form.is_bound and form.is_valid():
            jobs = [
                form.start(
                    corpus,
                    request.user,
                    document_ids=list(documents.filter(corpus=corpus).values_list("pk", flat=True)),
                )
                for corpus in corpora
            ]
            self.message_user(request, f"Started {len(jobs)} export job(s).")
            if len(jobs) == 1:
                return redirect("jobs:detail", pk=jobs[0].pk)
            return redirect("jobs:list")
        context = {
            **self.admin_site.each_context(request),
            "title": "Export selected documents",
            "opts": self.model._meta,
            "form": form,
            "corpora": corpora,
            "selected": documents.values_list("pk", flat=True),
            "count": documents.count(),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/annotations/export_documents.html", context)

    @admin.action(description="Add tag to selected documents")
    def add_tag(self, request, queryset):
        if not (tag := request.POST.get("tag", "").strip()):
            self.message_user(request, "Type a tag first.", messages.ERROR)
            return
        with transaction.atomic():
            for document in queryset:
                document.tags.add(tag)
        self.message_user(request, f"Tagged {queryset.count()} documents {tag!r}.")

    @admin.action(description="Remove tag from selected documents")
    def remove_tag(self, request, queryset):
        if not (tag := request.POST.get("tag", "").strip()):
            self.message_user(request, "Type a tag first.", messages.ERROR)
            return
        with transaction.atomic():
            for document in queryset:
                document.tags.remove(tag)
        self.message_user(request, f"Removed tag {tag!r} from {queryset.count()} documents.")

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from corpus.admin_scoping import CorpusScopedAdmin, register_corpus_owned

from . import admin_documents  # noqa: F401  (registers the corpus and document admins)
from .forms import AnnotationForm, LabelForm, RelationForm
from .models import Annotation, Label, Relation
from .relations import delete_relation, save_relation
from .spans import delete_span, save_span

register_corpus_owned(Label, "corpus")
register_corpus_owned(Annotation, "document__corpus", user_field="annotator")
register_corpus_owned(Relation, "document__corpus", user_field="annotator")


@admin.register(Label)
class LabelAdmin(CorpusScopedAdmin):
    form = LabelForm
    list_display = ["key", "name", "corpus", "shortcut", "colour", "position"]
    list_filter = ["corpus"]
    list_select_related = ["corpus"]
    search_fields = ["key", "name", "description"]


@admin.register(Annotation)
class AnnotationAdmin(CorpusScopedAdmin, SimpleHistoryAdmin):
    form = AnnotationForm
    list_display = [
        "uid",
        "label",
        "covered_text",
        "start",
        "end",
        "document",
        "annotator",
        "updated_at",
    ]
    list_filter = ["label__key", "annotator", "document__corpus"]
    list_select_related = ["label", "document", "annotator"]
    search_fields = ["text", "uid"]
    raw_id_fields = ["document"]
    readonly_fields = ["uid", "text", "version", "created_at", "updated_at"]

    @admin.display(description="text")
    def covered_text(self, annotation: Annotation) -> str:
        return annotation.text if len(annotation.text) <= 80 else annotation.text[:79] + "…"

    # Writes go through the span actions, as from the API.
    def save_model(self, request, obj, form, change):
        save_span(span=obj, editor=request.user)

    def delete_model(self, request, obj):
        delete_span(span=obj, editor=request.user)

    def delete_queryset(self, request, queryset):
        for span in queryset:
            delete_span(span=span, editor=request.user)


@admin.register(Relation)
class RelationAdmin(CorpusScopedAdmin, SimpleHistoryAdmin):
    form = RelationForm
    list_display = ["id", "type", "source", "target", "document", "annotator"]
    list_filter = ["type", "document__corpus"]
    list_select_related = ["source__label", "target__label", "document", "annotator"]
    raw_id_fields = ["document", "source", "target"]

    # Writes go through the relation actions, as from the API.
    def save_model(self, request, obj, form, change):
        save_relation(relation=obj, editor=request.user)

    def delete_model(self, request, obj):
        delete_relation(relation=obj, editor=request.user)

    def delete_queryset(self, request, queryset):
        for relation in queryset:
            delete_relation(relation=relation, editor=request.user)

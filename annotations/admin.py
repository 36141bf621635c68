from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from teams.admin_scoping import CorpusScopedAdmin

from .forms import AnnotationForm, LabelForm, RelationForm
from .models import Annotation, Label, Relation


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


@admin.register(Relation)
class RelationAdmin(CorpusScopedAdmin, SimpleHistoryAdmin):
    form = RelationForm
    list_display = ["id", "type", "source", "target", "document", "annotator"]
    list_filter = ["type", "document__corpus"]
    list_select_related = ["source__label", "target__label", "document", "annotator"]
    raw_id_fields = ["document", "source", "target"]

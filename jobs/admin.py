from django.contrib import admin

from corpus.admin_scoping import CorpusScopedAdmin, register_corpus_owned

from .models import Job

register_corpus_owned(Job, "corpus", user_field="started_by")


@admin.register(Job)
class JobAdmin(CorpusScopedAdmin):
    """Jobs, read-only: they are written by their workers, and cancelled from their page."""

    list_display = [
        "__str__",
        "kind",
        "corpus",
        "started_by",
        "status",
        "items_done",
        "items_total",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status", "corpus"]
    list_select_related = ["corpus", "started_by"]
    search_fields = ["corpus__name", "started_by__username"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

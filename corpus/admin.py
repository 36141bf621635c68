from django.contrib import admin, messages

from .admin_scoping import CorpusScopedAdmin
from .models import Assignment, Document, Membership


@admin.register(Membership)
class MembershipAdmin(CorpusScopedAdmin):
    list_display = ["user", "corpus", "role", "created_at"]
    list_filter = ["role", "corpus"]
    list_select_related = ["user", "corpus"]
    search_fields = ["user__username", "corpus__name"]
    autocomplete_fields = ["user"]
    username_fields = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(CorpusScopedAdmin):
    list_display = ["document", "annotator", "status", "updated_at"]
    list_filter = ["status", "document__corpus", "annotator"]
    list_select_related = ["document", "annotator"]
    search_fields = ["document__title", "document__external_id", "annotator__username"]
    raw_id_fields = ["document"]
    actions = ["reset_to_new"]

    @admin.action(description="Reopen selected assignments (status new)")
    def reset_to_new(self, request, queryset):
        count = queryset.update(status=Document.Status.NEW)
        self.message_user(request, f"Reopened {count} assignments.", messages.SUCCESS)

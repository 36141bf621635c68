"""Admin classes that show corpus managers their own corpora only.

Superusers see everything. A staff user who manages a corpus sees and edits that corpus's
objects; anything else does not exist for them (404), as on the pages and the API.
"""

from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from .access import is_superuser, managed_corpora


class CorpusScopedAdmin(admin.ModelAdmin):
    # Lookup from the model to its corpus; "" when the model is the corpus.
    corpus_path = "corpus"

    def corpus_filter(self, request) -> dict:
        corpora = managed_corpora(request.user)
        return {f"{self.corpus_path}__in" if self.corpus_path else "pk__in": corpora}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_superuser(request.user):
            return queryset
        return queryset.filter(**self.corpus_filter(request))

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404("no such object among the corpora you manage")
        return found

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history's view reads records without get_object: scope it here,
        # including the history of deleted objects, through the document they belonged to.
        if not self.get_queryset(request).filter(pk=object_id).exists() and not (
            self.deleted_object_is_managed(request, object_id)
        ):
            raise Http404("no such object among the corpora you manage")
        return super().history_view(request, object_id, extra_context)

    def deleted_object_is_managed(self, request, object_id) -> bool:
        history = getattr(self.model, "history", None)
        if history is None or self.model.objects.filter(pk=object_id).exists():
            return False
        owner = history.filter(id=object_id).order_by("-history_date").first()
        try:
            for name in self.corpus_path.split("__")[:-1]:
                owner = getattr(owner, name)
        except ObjectDoesNotExist:
            return False
        corpus_id = getattr(owner, "corpus_id", None)
        return managed_corpora(request.user).filter(pk=corpus_id).exists()

    def manages_any(self, request) -> bool:
        return is_superuser(request.user) or (
            request.user.is_active
            and request.user.is_staff
            and managed_corpora(request.user).exists()
        )

    def has_module_permission(self, request):
        return self.manages_any(request)

    def has_view_permission(self, request, obj=None):
        return self.manages_any(request)

    def has_change_permission(self, request, obj=None):
        return self.manages_any(request)

    def has_delete_permission(self, request, obj=None):
        return self.manages_any(request)

    def has_add_permission(self, request):
        return self.manages_any(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only corpora and documents the user manages in every select box.
        if not is_superuser(request.user):
            corpora = managed_corpora(request.user)
            model = db_field.related_model
            if model._meta.label == "corpus.Corpus":
                kwargs["queryset"] = corpora
            elif model._meta.label == "corpus.Document" or model._meta.label == "annotations.Label":
                kwargs["queryset"] = model.objects.filter(corpus__in=corpora)
            elif model._meta.label == "annotations.Annotation":
                kwargs["queryset"] = model.objects.filter(document__corpus__in=corpora)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

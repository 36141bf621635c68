"""The Import page of a corpus in the admin: an object tool on the corpus's change page.

Its URL is the corpus admin's own (`<id>/import/`), behind `admin_site.admin_view` (staff
only), and the corpus is looked up through the admin's scoped `get_object`: a corpus the user
does not manage does not exist for them (404), as everywhere in the admin.
"""

from django.http import Http404
from django.urls import path

from .import_views import import_form_response


class CorpusImportAdminMixin:
    """Add the Import page to a corpus admin (a `CorpusScopedAdmin`)."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        info = self.opts.app_label, self.opts.model_name
        own = [path("<path:object_id>/import/", view, name=f"{info[0]}_{info[1]}_import")]
        return own + super().get_urls()

    def import_view(self, request, object_id):
        corpus = self.get_object(request, object_id)
        if not self.has_change_permission(request, corpus):
            raise Http404("no such corpus among the corpora you manage")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": corpus,
            "title": f"Import documents into {corpus}",
        }
        return import_form_response(
            request, corpus, template="admin/corpus/corpus/import.html", context=context
        )

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from annotations.document_list import document_list
from annotations.export_jobs import export_corpus_view
from corpus import urls as corpus_urls

# The corpus pages, with the document list that the annotations app above corpus draws.
corpus_patterns = [
    *corpus_urls.urlpatterns,
    path("corpora/<slug:slug>/", document_list, name="documents"),
    path("corpora/<slug:slug>/export/", export_corpus_view, name="export"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("annotations.urls")),
    path("", include("teams.urls")),
    path("", include("assist.urls")),
    path("", include("jobs.urls")),
    path("", include((corpus_patterns, corpus_urls.app_name))),
]

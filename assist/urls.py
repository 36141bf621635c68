from django.urls import path

from . import api, views

app_name = "assist"

urlpatterns = [
    path("corpora/<slug:slug>/suggest/", views.suggest_corpus_view, name="suggest-corpus"),
    path(
        "api/documents/<int:pk>/suggestions/",
        api.SuggestionListView.as_view(),
        name="api-suggestions",
    ),
    path(
        "api/documents/<int:pk>/suggestions/accept-all/",
        api.AcceptAllView.as_view(),
        name="api-suggestions-accept-all",
    ),
    path(
        "api/documents/<int:pk>/suggestions/accept-chosen/",
        api.AcceptChosenView.as_view(),
        name="api-suggestions-accept-chosen",
    ),
    path(
        "api/documents/<int:pk>/occurrences/",
        api.OccurrencesView.as_view(),
        name="api-occurrences",
    ),
    path(
        "api/suggestions/<int:pk>/accept/",
        api.SuggestionAcceptView.as_view(),
        name="api-suggestion-accept",
    ),
    path(
        "api/suggestions/<int:pk>/reject/",
        api.SuggestionRejectView.as_view(),
        name="api-suggestion-reject",
    ),
]

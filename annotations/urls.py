from django.urls import path

from . import api, api_relations, import_views, views

app_name = "annotations"

urlpatterns = [
    path("documents/<int:pk>/", views.annotate, name="annotate"),
    path("corpora/<slug:slug>/import/", import_views.import_documents, name="import"),
    path("api/documents/<int:pk>/", api.DocumentView.as_view(), name="api-document"),
    path("api/documents/<int:pk>/spans/", api.SpanListView.as_view(), name="api-spans"),
    path("api/documents/<int:pk>/spans/<str:uid>/", api.SpanView.as_view(), name="api-span"),
    path(
        "api/documents/<int:pk>/relations/",
        api_relations.RelationListView.as_view(),
        name="api-relations",
    ),
    path(
        "api/documents/<int:pk>/relations/<int:relation_id>/",
        api_relations.RelationView.as_view(),
        name="api-relation",
    ),
    path("api/documents/<int:pk>/status/", api.DocumentStatusView.as_view(), name="api-status"),
    path("api/documents/<int:pk>/tags/", api.DocumentTagsView.as_view(), name="api-tags"),
]

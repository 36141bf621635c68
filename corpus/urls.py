from django.urls import path

from . import views

app_name = "corpus"

urlpatterns = [
    path("", views.corpus_list, name="list"),
    path("corpora/<slug:slug>/", views.document_list, name="documents"),
    path("corpora/<slug:slug>/next/", views.next_document, name="next"),
]

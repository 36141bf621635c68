from django.urls import path

from . import views

app_name = "corpus"

# The list of a corpus's documents (`corpus:documents`) counts spans, so config/urls.py adds it
# to this namespace from the annotations app.
urlpatterns = [
    path("", views.corpus_list, name="list"),
    path("corpora/<slug:slug>/next/", views.next_document, name="next"),
]

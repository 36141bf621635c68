"""The annotation page: server-rendered shell, data for `static/annotations/annotator.js`."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from taggit.models import Tag

from corpus.models import Document

from .serializers import document_json
from .validation import SPEAKER_TARGET_KEYS, UNIVERSAL_ATTRIBUTES

SPEAKER_SOURCE_KEY = "QUOTE"
# What static/annotations/annotator.js imports, preloaded by the page.
MODULES = [
    f"annotations/{name}.js"
    for name in ("api", "history", "layout", "offsets", "savequeue", "textmodel")
]


@login_required
def annotate(request: HttpRequest, pk: int) -> HttpResponse:
    documents = Document.objects.visible_to(request.user).select_related("corpus")
    document = get_object_or_404(documents, pk=pk)
    data = document_json(document)
    return render(
        request,
        "annotations/annotate.html",
        {
            "document": document,
            "corpus": document.corpus,
            "labels": data["labels"],
            "modules": MODULES,
            "page_data": {**data, **page_context(document)},
        },
    )


def page_context(document: Document) -> dict[str, Any]:
    """Return what the page needs beside the document: API addresses, rules, known tags."""
    return {
        "api": {
            "spans": reverse("annotations:api-spans", args=[document.pk]),
            "relations": reverse("annotations:api-relations", args=[document.pk]),
            "status": reverse("annotations:api-status", args=[document.pk]),
            "tags": reverse("annotations:api-tags", args=[document.pk]),
            "document": reverse("annotations:api-document", args=[document.pk]),
        },
        "next_url": reverse("corpus:next", args=[document.corpus.slug]) + f"?after={document.pk}",
        "speaker": {"source": SPEAKER_SOURCE_KEY, "targets": sorted(SPEAKER_TARGET_KEYS)},
        "universal_attributes": UNIVERSAL_ATTRIBUTES,
        "corpus_tags": list(
            Tag.objects.filter(document__corpus=document.corpus)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        ),
    }

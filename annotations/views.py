"""The annotation page: server-rendered shell, data for `static/annotations/annotator.js`."""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from taggit.models import Tag

from corpus.models import Document
from corpus.request_params import parse_text
from teams.access import sees_all_layers

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
    layer = parse_text(request.GET.get("layer", ""), name="layer") or None
    if layer and not sees_all_layers(request.user, document.corpus):
        layer = None  # annotators see their own layer whatever they ask for
    data = document_json(document, viewer=request.user, layer=layer)
    return render(
        request,
        "annotations/annotate.html",
        {
            "document": document,
            "corpus": document.corpus,
            "labels": data["labels"],
            "modules": MODULES,
            "layer": layer,
            "page_data": {**data, **page_context(document, layer=layer)},
        },
    )


def page_context(document: Document, *, layer: str | None = None) -> dict[str, Any]:
    """Return what the page needs beside the document: API addresses, rules, known tags.

    On the gold layer (`?layer=gold`, reviewers) new spans go to gold; another analyst's
    layer is shown for reading.
    """
    document_url = reverse("annotations:api-document", args=[document.pk])
    return {
        "layer": layer,
        "new_span_layer": "gold" if layer == "gold" else "own",
        "api": {
            "spans": reverse("annotations:api-spans", args=[document.pk]),
            "relations": reverse("annotations:api-relations", args=[document.pk]),
            "status": reverse("annotations:api-status", args=[document.pk]),
            "tags": reverse("annotations:api-tags", args=[document.pk]),
            "document": f"{document_url}?{urlencode({'layer': layer})}" if layer else document_url,
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

"""The annotation page: server-rendered shell, data for `static/annotations/annotator.js`."""

import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from corpus.access import sees_all_layers
from corpus.models import Assignment, Document
from corpus.request_params import parse_text
from corpus.status import DocumentStatus

from .guide import annotation_guide
from .layers import new_span_layer
from .page_layers import PageLayer, chosen_layer, page_layers
from .serializers import document_json
from .validation import SPEAKER_TARGET_KEYS, UNIVERSAL_ATTRIBUTES

SPEAKER_SOURCE_KEY = "QUOTE"
ENTRY_MODULE = "annotations/annotator.js"
# A static import of a module beside the importer: `import ... from "./name.js";`.
RELATIVE_IMPORT = re.compile(
    r'^(?:import|export)\b[^;]*?\bfrom\s*"\./([\w.-]+\.js)";', re.MULTILINE
)


@cache
def imported_modules(entry: str = ENTRY_MODULE) -> tuple[str, ...]:
    """Return the static paths of the modules `entry` imports, directly or through others.

    Read from the modules themselves, so that the page preloads exactly what the browser
    would otherwise discover one level of imports at a time.
    """
    folder = entry.rpartition("/")[0]
    found: list[str] = []
    waiting = [entry]
    while waiting:
        path = finders.find(waiting.pop())
        source = Path(path).read_text(encoding="utf-8")
        for name in RELATIVE_IMPORT.findall(source):
            module = f"{folder}/{name}"
            if module != entry and module not in found:
                found.append(module)
                waiting.append(module)
    return tuple(sorted(found))


@login_required
def annotate(request: HttpRequest, pk: int) -> HttpResponse:
    documents = Document.objects.visible_to(request.user).select_related("corpus")
    document = get_object_or_404(documents, pk=pk)
    layers = page_layers(request.user, document)
    layer = chosen_layer(layers, parse_text(request.GET.get("layer", ""), name="layer"))
    data = document_json(document, viewer=request.user, layer=None, shown=layer.condition)
    return render(
        request,
        "annotations/annotate.html",
        {
            "document": document,
            "corpus": document.corpus,
            "labels": data["labels"],
            "modules": imported_modules(),
            "layer": layer,
            "layers": layers,
            "progress": analyst_progress(request.user, document),
            "guide": annotation_guide(),
            "page_data": {**data, **page_context(document, layer=layer)},
        },
    )


def analyst_progress(user, document: Document) -> dict[str, Any]:
    """Return the statuses the page shows beside the viewer's own badge: the document's
    (review) status for an analyst with an assignment, the analysts' progress for overseers."""
    counts = Assignment.objects.filter(document=document).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=DocumentStatus.DONE)),
        mine=Count("pk", filter=Q(annotator=user.pk)),
    )
    return {
        "review": document.get_status_display() if counts["mine"] else None,
        "review_status": document.status,
        "analysts_done": counts["done"],
        "analysts": counts["total"] if sees_all_layers(user, document.corpus) else 0,
    }


def page_context(document: Document, *, layer: PageLayer) -> dict[str, Any]:
    """Return what the page needs beside the document: API addresses, rules, known tags.

    On the gold layer (`?layer=gold`, reviewers) new spans go to gold; another analyst's
    layer, or all layers, are shown for reading only.
    """
    document_url = reverse("annotations:api-document", args=[document.pk])
    return {
        "layer": layer.value,
        "layer_title": layer.title,
        "editable": layer.editable,
        # Tags name each span's layer where several are shown at once.
        "show_layer_names": layer.names_layers,
        "new_span_layer": new_span_layer(layer.name),
        "api": {
            "spans": reverse("annotations:api-spans", args=[document.pk]),
            "relations": reverse("annotations:api-relations", args=[document.pk]),
            "status": reverse("annotations:api-status", args=[document.pk]),
            "tags": reverse("annotations:api-tags", args=[document.pk]),
            "document": f"{document_url}?{urlencode({'layer': layer.name or 'all'})}",
        },
        "next_url": reverse("corpus:next", args=[document.corpus.slug]) + f"?after={document.pk}",
        "speaker": {"source": SPEAKER_SOURCE_KEY, "targets": sorted(SPEAKER_TARGET_KEYS)},
        "universal_attributes": UNIVERSAL_ATTRIBUTES,
        "corpus_tags": list(document.corpus.tags.names_in_use()),
    }

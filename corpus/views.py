"""Corpus pages: the corpora with their progress, and the next document to annotate.

The list of one corpus's documents counts their spans, so it is in `annotations.document_list`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .models import Corpus, Document
from .request_params import parse_id


@login_required
def corpus_list(request: HttpRequest) -> HttpResponse:
    corpora = list(Corpus.objects.visible_to(request.user).with_progress(request.user))
    for corpus in corpora:
        if getattr(corpus, "viewer_role", None) == "annotator":
            # An annotator's progress is that of their own assignments.
            corpus.document_count = corpus.assigned_count
            for status in Document.Status.values:
                setattr(corpus, f"{status}_count", getattr(corpus, f"assigned_{status}_count"))
    return render(request, "corpus/corpus_list.html", {"corpora": corpora})


@login_required
def next_document(request: HttpRequest, slug: str) -> HttpResponse:
    """Open the next document that is not done, after the one given as `?after=<id>`.

    An `after` that is not an id answers 400.
    """
    corpus = get_object_or_404(Corpus.objects.visible_to(request.user), slug=slug)
    documents = (
        Document.objects.visible_to(request.user)
        .filter(corpus=corpus)
        .with_viewer_status(request.user)
        .only("pk", "external_id", "status")
    )
    after = request.GET.get("after", "")
    current = documents.filter(pk=parse_id(after, name="after")).first() if after else None
    document = documents.next_to_annotate(after=current)
    if document is None:
        messages.info(request, f"Every document of {corpus.name} is done.")
        return redirect("corpus:documents", slug=corpus.slug)
    return redirect("annotations:annotate", pk=document.pk)

"""The list of one corpus's documents, with their tags and span counts per label.

It sits above the corpus app because it counts spans, in the layer the viewer sees. Its URL is
named in the corpus namespace (`corpus:documents`, config/urls.py).
"""

import re
from collections import defaultdict

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from corpus.access import (
    job_visibility,
    may_manage,
    may_review,
    remember_role,
    viewer_assignment_status,
)
from corpus.models import Corpus, Document, DocumentQuerySet
from corpus.status import DocumentStatus
from jobs.models import Job

from .layers import spans_seen_by
from .models import Annotation

PAGE_SIZE = 50
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# The list never shows the text, which may be long.
LIST_DEFERRED = ("text", "metadata", "quality_flags")


class DocumentFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Document.Status.choices]
    )
    tag = forms.CharField(required=False, max_length=100)
    label = forms.ChoiceField(required=False)

    def __init__(self, *args, label_keys: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].choices = [("", "Any label"), *((k, k) for k in label_keys)]

    def filter(self, documents: DocumentQuerySet, *, spans: QuerySet) -> DocumentQuerySet:
        """Return `documents` narrowed by the valid filters; the label filter looks at `spans`."""
        if not self.is_valid():
            return documents
        data = self.cleaned_data
        if data["q"].strip():
            documents = documents.containing(data["q"].strip())
        if data["status"]:
            documents = documents.filter(viewer_status=data["status"])
        if data["tag"].strip():
            documents = documents.tagged(data["tag"].strip())
        if data["label"]:
            documents = documents.with_label(data["label"], among=spans)
        return documents


@login_required
def document_list(request: HttpRequest, slug: str) -> HttpResponse:
    corpora = Corpus.objects.visible_to(request.user).with_viewer_role(request.user)
    corpus = get_object_or_404(corpora, slug=slug)
    remember_role(request.user, corpus)
    labels = list(corpus.labels.all())
    for label in labels:
        label.swatch = label.colour if COLOUR.fullmatch(label.colour) else "#9e9e9e"
    form = DocumentFilterForm(request.GET, label_keys=[label.key for label in labels])
    # An annotator's counts and label filter are of their own layer, as their page shows it.
    spans = Annotation.objects.filter(spans_seen_by(request.user, corpus))
    documents = (
        Document.objects.visible_to(request.user)
        .filter(corpus=corpus)
        .with_viewer_status(request.user)
        .annotate(own_status=viewer_assignment_status(request.user))
    )
    documents = form.filter(documents.defer(*LIST_DEFERRED), spans=spans).order_by("external_id")
    page = Paginator(documents.prefetch_related("tags"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for document in page:
        # An analyst's own progress and the document's status are two badges: one never
        # stands in for the other.
        document.own_status_display = (
            DocumentStatus(document.own_status).label if document.own_status else ""
        )
    counts = span_counts(spans, [document.pk for document in page])
    rows = [
        (document, [(label, counts[document.pk].get(label.key, 0)) for label in labels])
        for document in page
    ]
    return render(
        request,
        "corpus/document_list.html",
        {
            "corpus": corpus,
            "labels": labels,
            "form": form,
            "page": page,
            "rows": rows,
            "filtered": any(request.GET.get(name) for name in form.fields),
            "corpus_tags": corpus.tags.names_in_use(),
            "may_import": may_manage(request.user, corpus),
            "may_export": may_review(request.user, corpus),
            "may_suggest": may_manage(request.user, corpus),
            "running_jobs": running_jobs(request.user, corpus),
        },
    )


def span_counts(spans: QuerySet, document_ids: list[int]) -> dict[int, dict[str, int]]:
    """Return, per document, how many of `spans` each label key has."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for document_id, key, count in spans.count_by_label(document_ids):
        counts[document_id][key] = count
    return counts


def running_jobs(user, corpus: Corpus) -> list[Job]:
    """Return the unfinished jobs of `corpus` that `user` may see, oldest first."""
    jobs = Job.objects.unfinished().filter(job_visibility(user), corpus=corpus)
    return list(jobs.select_related("started_by").defer("params", "errors").order_by("pk"))

"""Exports as background jobs, from the corpus page and the admin: the form that asks for the
format, layer, labels and tags, and the view that starts the job (`background.start_export`).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from corpus.access import may_review, member_usernames
from corpus.models import Corpus
from jobs.models import Job

from .background import start_export
from .formats import FORMATS
from .layers import ALL_LAYERS, GOLD_LAYER
from .models import Label


class ExportForm(forms.Form):
    """What to export from one or more corpora: the CLI's --format, --layer, --label, --tag."""

    format = forms.ChoiceField(
        choices=[(fmt.name, f"{fmt.name}: {fmt.description}") for fmt in FORMATS.values()],
        initial="byline",
    )
    layer = forms.ChoiceField(
        help_text="Every layer, the adjudicated gold layer, or one analyst's own spans."
    )
    labels = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only spans with these labels (none ticked: every label).",
    )
    tags = forms.CharField(
        required=False,
        max_length=500,
        help_text="Only documents with every one of these tags, separated by commas.",
    )

    def __init__(self, *args, corpora: list[Corpus], **kwargs):
        super().__init__(*args, **kwargs)
        analysts = sorted(set().union(*(member_usernames(corpus) for corpus in corpora)))
        self.fields["layer"].choices = [
            (ALL_LAYERS, "All layers"),
            (GOLD_LAYER, "Gold (adjudicated)"),
            *((name, f"{name}'s layer") for name in analysts),
        ]
        keys = Label.objects.filter(corpus__in=corpora).values_list("key", flat=True)
        self.fields["labels"].choices = [(key, key) for key in sorted(set(keys))]

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    def start(self, corpus: Corpus, user, *, document_ids: list[int] | None = None) -> Job:
        """Enqueue the export of `corpus` (of `document_ids` only, if given) as asked."""
        data = self.cleaned_data
        return start_export(
            corpus=corpus,
            started_by=user,
            format_name=data["format"],
            layer=data["layer"],
            labels=data["labels"],
            tags=data["tags"],
            document_ids=document_ids,
        )


@login_required
def export_corpus_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask what to export from the corpus, then start the job and show its page.

    Managers and reviewers export; anyone else is answered 404, as for a corpus they cannot see.
    """
    corpora = Corpus.objects.visible_to(request.user)
    corpus = get_object_or_404(corpora, slug=slug)
    if not may_review(request.user, corpus):
        raise Http404("no such corpus among those you review or manage")
    form = ExportForm(request.POST or None, corpora=[corpus])
    if request.method == "POST" and form.is_valid():
        job = form.start(corpus, request.user)
        messages.info(request, "Export started: the file is offered here once written.")
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "annotations/export.html", {"corpus": corpus, "form": form})

"""The corpus page's suggestion runs: a form that starts a corpus-wide job (`assist.tasks`)
and hands over to the job's page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from annotations.layers import ALL_LAYERS, GOLD_LAYER
from corpus.access import may_manage, member_usernames
from corpus.models import Corpus

from .tasks import OCCURRENCES, SUGGEST, start_occurrences, start_suggest

NO_LAYER = ""


class SuggestRunForm(forms.Form):
    """Either make the corpus's suggestions again, or tag one string's occurrences."""

    mode = forms.ChoiceField(
        choices=[
            (SUGGEST, "Make the suggestions of every document again"),
            (OCCURRENCES, "Tag all occurrences of a string in every document"),
        ],
        initial=SUGGEST,
        widget=forms.RadioSelect,
    )
    propagate_from = forms.ChoiceField(
        required=False,
        label="Propagate from",
        help_text="Suggest the strings this layer tags wherever else they occur.",
    )
    string = forms.CharField(required=False, max_length=200, strip=False)
    label = forms.ChoiceField(required=False)

    def __init__(self, *args, corpus: Corpus, **kwargs):
        super().__init__(*args, **kwargs)
        analysts = sorted(member_usernames(corpus))
        self.fields["propagate_from"].choices = [
            (NO_LAYER, "No layer"),
            (GOLD_LAYER, "Gold (adjudicated)"),
            (ALL_LAYERS, "All layers"),
            *((name, f"{name}'s layer") for name in analysts),
        ]
        keys = corpus.labels.values_list("key", flat=True)
        self.fields["label"].choices = [(key, key) for key in keys]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("mode") == OCCURRENCES:
            if not (data.get("string") or "").strip():
                self.add_error("string", "Give the string whose occurrences to tag.")
            if not data.get("label"):
                self.add_error("label", "Choose the label to tag them with.")
        return data


@login_required
def suggest_corpus_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask which run to start, start it as a job and show the job's page.

    Runs change the suggestions every analyst of the corpus sees, so managers start them;
    anyone else is answered 404, as for a corpus they cannot see.
    """
    corpus = get_object_or_404(Corpus.objects.visible_to(request.user), slug=slug)
    if not may_manage(request.user, corpus):
        raise Http404("no such corpus among those you manage")
    form = SuggestRunForm(request.POST or None, corpus=corpus)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["mode"] == SUGGEST:
            job = start_suggest(
                corpus=corpus,
                started_by=request.user,
                propagate_from=data["propagate_from"] or None,
            )
        else:
            job = start_occurrences(
                corpus=corpus, started_by=request.user, string=data["string"], label=data["label"]
            )
        messages.info(request, "Suggestions started: this page shows how far they have got.")
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "assist/suggest_corpus.html", {"corpus": corpus, "form": form})

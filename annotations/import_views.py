"""The Import page of a corpus, in the app and (through `admin_import`) in the admin: upload
files, a .zip or a folder, then check them (a dry run) or import them as a background job.

The page is drawn the same in both places (templates/annotations/import_form.html); each
adapter checks who may use it, parses the form, calls `uploads.receive_import`, and renders
the check or redirects to the job's page.
"""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from corpus.access import may_manage, visible_corpora
from corpus.models import Corpus
from jobs.models import Job

from .upload_handlers import upload_limit, upload_refusal
from .uploads import UploadOutcome, UploadRefused, format_choices, receive_import, shown_name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field taking any number of files (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ImportForm(forms.Form):
    files = MultipleFileField(
        required=False,
        label="Files or a .zip",
        help_text=".txt articles, Byline .jsonl, .html pages, other tools' files, or a .zip.",
    )
    folder = MultipleFileField(
        required=False,
        label="Or a folder",
        widget=MultipleFileInput(attrs={"webkitdirectory": True}),
        help_text="Every file in the folder and its subfolders.",
    )
    format = forms.ChoiceField(
        required=False,
        initial="",
        help_text="Detected from the file names where possible.",
    )
    create_labels = forms.BooleanField(
        required=False,
        label="Create labels the files use that the corpus lacks (instead of failing them)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = format_choices()

    def clean(self):
        data = super().clean()
        data["uploads"] = [*data.get("files", []), *data.get("folder", [])]
        if not self.errors and not data["uploads"]:
            raise forms.ValidationError("Choose files, a .zip or a folder to upload.")
        return data


@dataclass(frozen=True)
class CheckedFile:
    """One file of a check, as the page lists it."""

    name: str
    created: int
    unchanged: int
    spans: int
    relations: int
    line: int | None = None
    field: str | None = None
    message: str = ""


def checked_files(outcome: UploadOutcome) -> list[CheckedFile]:
    """Return the files of a check's report, the failed ones with where and why."""
    rows = []
    for file in outcome.report.files:
        problem = file.problem
        rows.append(
            CheckedFile(
                name=shown_name(problem.path if problem else file.path, outcome.staged),
                created=file.created,
                unchanged=file.unchanged,
                spans=file.spans,
                relations=file.relations,
                line=problem.line if problem else None,
                field=problem.field if problem else None,
                message=problem.message if problem else "",
            )
        )
    return rows


def job_page(job: Job) -> str:
    """Return the address of the job's page, which shows its progress, counts and errors."""
    return reverse("jobs:detail", args=[job.pk])


def import_form_response(
    request: HttpRequest, corpus: Corpus, *, template: str, context: dict
) -> HttpResponse:
    """Show the Import page, or act on its form: redirect to the job, or show the check."""
    form = ImportForm()
    outcome = refusal = None
    if request.method == "POST":
        # Reading the body first: the upload handlers say why they stopped while reading it.
        form = ImportForm(request.POST, request.FILES)
        refusal = upload_refusal(request)
        if refusal is None and form.is_valid():
            try:
                outcome = receive_import(
                    files=form.cleaned_data["uploads"],
                    corpus=corpus,
                    user=request.user,
                    format_name=form.cleaned_data["format"] or None,
                    create_labels=form.cleaned_data["create_labels"],
                    check_only="check" in request.POST,
                )
            except UploadRefused as error:
                refusal = str(error)
        if outcome is not None and outcome.job is not None:
            return HttpResponseRedirect(job_page(outcome.job))
    return render(
        request,
        template,
        {
            **context,
            "corpus": corpus,
            "form": form,
            "refusal": refusal,
            "outcome": outcome,
            "checked": checked_files(outcome) if outcome else [],
            "upload_limit_mb": upload_limit() // 2**20,
        },
        status=400 if refusal else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_documents(request: HttpRequest, slug: str) -> HttpResponse:
    """The Import page of a corpus in the app, for its managers."""
    corpus = get_object_or_404(visible_corpora(request.user), slug=slug)
    if not may_manage(request.user, corpus):
        raise PermissionDenied("only the corpus's managers import documents")
    return import_form_response(
        request, corpus, template="annotations/import_page.html", context={}
    )

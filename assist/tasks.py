"""Corpus-wide suggestion runs as background jobs (django-tasks, `jobs.running`): making the
suggestions, and "tag all occurrences" of one string across the corpus.

Each task takes only the job's id; its arguments are the Job's params. Both write a chunk
of documents per transaction, so a cancelled or failed run keeps the chunks it finished.
"""

from itertools import islice

from django.contrib.auth.models import AbstractBaseUser
from django_tasks import task

from corpus.models import Corpus
from jobs.actions import check_cancel, enqueue_job, report_progress
from jobs.models import Job
from jobs.running import JobFailed, JobResult, run_job

from .models import Suggestion
from .review import OCCURRENCES_SCORE, OCCURRENCES_SUGGESTER
from .suggest import CHUNK_SIZE, suggest_documents
from .suggesters.propagation import find_occurrences

SUGGEST = "suggest"
OCCURRENCES = "occurrences"


@task()
def suggest_corpus(job_id: int) -> str:
    """Make the suggestions of the job's corpus again (as `manage.py suggest` does)."""
    return run_job(job_id, make_suggestions)


@task()
def tag_occurrences(job_id: int) -> str:
    """Suggest the job's label at every whole-word occurrence of its string in the corpus."""
    return run_job(job_id, suggest_occurrences)


def start_suggest(
    *,
    corpus: Corpus,
    started_by: AbstractBaseUser | None,
    labels: list[str] | None = None,
    propagate_from: str | None = None,
) -> Job:
    """Enqueue a run of the suggesters over `corpus` (see `suggest.suggest_documents`)."""
    params = {"mode": SUGGEST, "labels": labels, "propagate_from": propagate_from}
    return enqueue_job(
        suggest_corpus, kind=Job.Kind.SUGGEST, corpus=corpus, started_by=started_by, params=params
    )


def start_occurrences(
    *, corpus: Corpus, started_by: AbstractBaseUser | None, string: str, label: str
) -> Job:
    """Enqueue "tag all occurrences" of `string` as `label` (a key of `corpus`) corpus-wide."""
    params = {"mode": OCCURRENCES, "string": string, "label": label}
    return enqueue_job(
        tag_occurrences, kind=Job.Kind.SUGGEST, corpus=corpus, started_by=started_by, params=params
    )


def make_suggestions(job: Job) -> JobResult:
    def on_progress(done: int, total: int) -> None:
        report_progress(job.pk, done=done, total=total)
        check_cancel(job.pk)

    try:
        report = suggest_documents(
            corpus=job.corpus,
            labels=job.params.get("labels") or None,
            propagate_from=job.params.get("propagate_from"),
            on_progress=on_progress,
        )
    except LookupError as problem:
        raise JobFailed(str(problem)) from None
    counts = {f"{key} suggestions": report.counts[key] for key in sorted(report.counts)}
    return JobResult(summary={"documents": report.documents, "suggestions": report.total, **counts})


def suggest_occurrences(job: Job) -> JobResult:
    """Store an `occurrences` suggestion at each whole-word occurrence of the string, where
    the document has no suggestion of the label there yet."""
    string, key = job.params["string"], job.params["label"]
    label = job.corpus.labels.filter(key=key).first()
    if label is None:
        raise JobFailed(f"corpus {job.corpus.name!r} has no label {key}")
    # The database finds the documents that hold the string at all; Python finds the words.
    documents = job.corpus.documents.filter(text__contains=string).order_by("pk")
    total = documents.count()
    report_progress(job.pk, done=0, total=total)
    rows = documents.values_list("pk", "text").iterator(chunk_size=CHUNK_SIZE)
    done = found = tagged = 0
    while chunk := list(islice(rows, CHUNK_SIZE)):
        new = [
            Suggestion(
                document_id=pk,
                label=label,
                start=start,
                end=end,
                attributes={},
                suggester=OCCURRENCES_SUGGESTER,
                score=OCCURRENCES_SCORE,
            )
            for pk, text in chunk
            for start, end in find_occurrences(text, string)
        ]
        if new:
            tagged += len({row.document_id for row in new})
            found += len(new)
            Suggestion.objects.bulk_create(new, ignore_conflicts=True)
        done += len(chunk)
        report_progress(job.pk, done=done, total=total)
        check_cancel(job.pk)
    return JobResult(
        summary={"string": string, "label": key, "documents": tagged, "occurrences": found}
    )

"""A child process that prepares jobs for a real worker, and reads back what became of them.

The worker tests (crash safety, RQ) run a worker as a separate process on a scratch database
(bench.benchlib.ScratchDatabase), which the test process's own database connection cannot
reach on SQLite (its test database is in memory). This module does the database work on the
test's behalf, configured by the environment (DATABASE_URL, MEDIA_ROOT, TASKS_BACKEND):

    python -m tests.jobs.worker_scenario import --documents N   -> {"job": id}
    python -m tests.jobs.worker_scenario export                 -> {"job": id}
    python -m tests.jobs.worker_scenario state --job ID         -> {"status": ..., ...}
    python -m tests.jobs.worker_scenario stale [--elsewhere]    -> {"failed": n}

`stale` is what a worker starting beside the running one does first; `--elsewhere` makes it a
worker of another machine, which cannot ask whether the running worker's process is alive.

Each prints one JSON object as its last line (bench.benchlib.emit).
"""

import argparse
import sys

import orjson

from bench.benchlib import emit, setup_django
from bench.generate import ANNOTATORS, DEFAULT_SEED, make_document

CORPUS = "Worker test"


def make_corpus_with_members():
    """Return the test corpus, its manager, and the bench annotators as its members."""
    from django.contrib.auth import get_user_model

    from annotations.interchange.imports import get_or_create_corpus
    from corpus.models import Membership

    corpus = get_or_create_corpus(CORPUS)
    User = get_user_model()
    manager, _ = User.objects.get_or_create(username="worker-test-manager")
    Membership.objects.get_or_create(corpus=corpus, user=manager, role="manager")
    for name in ANNOTATORS:
        user, _ = User.objects.get_or_create(username=name)
        Membership.objects.get_or_create(corpus=corpus, user=user, role="annotator")
    return corpus, manager


def start_import_of(documents: int, *, first: int = 0) -> int:
    """Stage a Byline JSONL file of `documents` bench documents and enqueue its import."""
    from annotations.background import new_staging_folder, start_import

    corpus, manager = make_corpus_with_members()
    folder = new_staging_folder()
    with (folder / "articles.jsonl").open("wb") as out:
        for index in range(first, first + documents):
            out.write(orjson.dumps(make_document(DEFAULT_SEED, index)) + b"\n")
    job = start_import(corpus=corpus, started_by=manager, directory=folder, format_name=None)
    return job.pk


def start_export_of_corpus() -> int:
    from annotations.background import start_export

    corpus, manager = make_corpus_with_members()
    return start_export(corpus=corpus, started_by=manager, format_name="byline").pk


def job_state(job_id: int) -> dict:
    from django.conf import settings

    from corpus.models import Document
    from jobs.models import Job

    job = Job.objects.get(pk=job_id)
    output = settings.MEDIA_ROOT / job.output_file if job.output_file else None
    return {
        "status": job.status,
        "items_done": job.items_done,
        "items_total": job.items_total,
        "summary": job.summary,
        "errors": job.errors,
        "documents": Document.objects.filter(corpus__name=CORPUS).count(),
        "output_lines": len(output.read_bytes().splitlines()) if output else None,
    }


def fail_stale_jobs(*, elsewhere: bool) -> int:
    from unittest import mock

    from jobs import actions

    if not elsewhere:
        return actions.mark_stale_jobs_failed()
    with mock.patch.object(actions, "is_alive_here", return_value=False):
        return actions.mark_stale_jobs_failed()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["import", "export", "state", "stale"])
    parser.add_argument("--elsewhere", action="store_true")
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--job", type=int)
    args = parser.parse_args(argv)
    setup_django()
    if args.command == "import":
        emit({"job": start_import_of(args.documents, first=args.first)})
    elif args.command == "export":
        emit({"job": start_export_of_corpus()})
    elif args.command == "stale":
        emit({"failed": fail_stale_jobs(elsewhere=args.elsewhere)})
    else:
        emit(job_state(args.job))


if __name__ == "__main__":
    main(sys.argv[1:])

"""How long the Import page's request takes once the upload is received: staging and enqueue.

Posted to the app's Import page through Django's test client, on a scratch SQLite database:
the 10k-document benchmark file (bench/generate.py), and N short .txt articles as a .zip and
as N files (a folder upload). Each request is timed whole and after the body is read (Django
streams it into temporary files under MEDIA_ROOT/uploads/incoming/: the "receive"); what
follows is the view's work, staging the files, checking a .zip's directory and enqueueing the
job. The issue's bound is on that part: under 1 s. No worker runs, so nothing is imported.

    .venv/bin/python -m bench.upload_request --size 10000 --articles 2000
"""

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench.benchlib import ScratchDatabase, format_table, median, print_header
from bench.generate import corpus_paths, ensure_corpus

MAX_AFTER_RECEIVE_S = 1.0


def measure(client, url: str, files: list, repeats: int) -> dict:
    """Post `files` `repeats` times; return the median whole and after-receive times."""
    from annotations import import_views

    whole, after = [], []
    received_at: list[float] = []
    original = import_views.upload_refusal

    def mark(request):
        received_at.append(time.perf_counter())
        return original(request)

    import_views.upload_refusal = mark
    try:
        for _ in range(repeats):
            for upload in files:
                upload.seek(0)
            started = time.perf_counter()
            response = client.post(url, {"files": files, "import": "1"})
            ended = time.perf_counter()
            if response.status_code != 302:
                refusal = response.context["refusal"] if response.context else ""
                raise SystemExit(f"upload failed: {response.status_code} {refusal}")
            whole.append(ended - started)
            after.append(ended - received_at[-1])
    finally:
        import_views.upload_refusal = original
    return {"whole_s": median(whole), "after_receive_s": median(after)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--articles", type=int, default=2000, help="files in the folder upload")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    started = print_header("Upload request: staging and enqueue", "bench.upload_request")
    ensure_corpus(args.size)
    source = corpus_paths(args.size)["byline"]
    database = ScratchDatabase("sqlite", "byline_bench_upload")
    database.drop()
    database.create()
    media = Path(tempfile.mkdtemp(prefix="byline-bench-media-"))
    os.environ.update(
        database.env, MEDIA_ROOT=str(media), TASKS_BACKEND="database", BYLINE_HTTPS="0"
    )
    database.migrate()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment

    from annotations.labels import create_news_labels
    from corpus.models import Corpus

    setup_test_environment()
    rows = []
    try:
        corpus = Corpus.objects.create(name="Bench upload", slug="bench-upload")
        create_news_labels(corpus)
        admin = get_user_model().objects.create_superuser("bench", password=None)
        client = Client()
        client.force_login(admin)
        url = f"/corpora/{corpus.slug}/import/"

        data = source.read_bytes()
        texts = {
            f"article-{n:05}.txt": f"Story {n}: the port reopened after the strike.\n".encode() * 40
            for n in range(args.articles)
        }
        zipped = io.BytesIO()
        with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in texts.items():
                archive.writestr(name, text)
        articles = [SimpleUploadedFile(name, text) for name, text in texts.items()]
        cases = [
            (
                f"{source.name} ({len(data) / 2**20:.0f} MB)",
                [SimpleUploadedFile(source.name, data)],
            ),
            (
                f".zip of {args.articles} .txt articles",
                [SimpleUploadedFile("articles.zip", zipped.getvalue())],
            ),
            (f"{args.articles} .txt files", articles),
        ]
        for name, files in cases:
            result = measure(client, url, files, args.repeats)
            rows.append(
                {
                    "upload": name,
                    "whole_s": result["whole_s"],
                    "after_receive_s": result["after_receive_s"],
                    "within_1s": "yes" if result["after_receive_s"] < MAX_AFTER_RECEIVE_S else "NO",
                }
            )
    finally:
        shutil.rmtree(media, ignore_errors=True)
        database.drop()
    print(
        format_table(
            rows,
            [
                ("upload", "upload", ""),
                ("whole_s", "whole request s", ".3f"),
                ("after_receive_s", "after receive s", ".3f"),
                ("within_1s", "< 1 s", ""),
            ],
        )
    )
    print(f"median of {args.repeats}; started {started:%Y-%m-%d %H:%M} UTC")
    return 0 if all(row["within_1s"] == "yes" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

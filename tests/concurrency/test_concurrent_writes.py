"""16 reviewers create, relabel, delete and link the same spans through gunicorn + PostgreSQL.

The seed articles are imported into the test database, 16 reviewers of their corpus (token
auth) are made, and `gunicorn config.wsgi` (DEBUG off, BYLINE_HTTPS=0, 2 x cores + 1 sync
workers) serves it on a free port of 127.0.0.1 while the clients (`clients.py`) write the gold
layer of the same two documents for 30 s. Afterwards their log is checked against the spans in
the database (`checks.py`): every acknowledged write is there, each span's acknowledged
updates form one chain of versions, every rejected write was stale, every speaker link joins a
QUOTE to an ACTOR or ANON_SOURCE, no 5xx, no request without an answer, and some 409s happened.

Not part of `make test` (it needs PostgreSQL and about 45 s): `make test-concurrency` runs it,
and `.ci/run` after the PostgreSQL suite.
"""

import dataclasses
import datetime
import os
from pathlib import Path
from urllib.parse import quote

import orjson
import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.models import Annotation, Relation
from bench.apiserver import free_port, start_gunicorn, stop_gunicorn, token_header
from bench.benchlib import format_table
from corpus.models import Membership
from tests.annotations.test_tagged_strings import counted_from_spans, stored_counts
from tests.concurrency.checks import Call, LinkState, SpanState, verify
from tests.concurrency.clients import COLUMNS, run_clients, summarise
from tests.factories import SEED_PATHS

pytestmark = pytest.mark.concurrency

CLIENTS = 16
SECONDS = 30
WORKERS = 2 * (os.cpu_count() or 1) + 1
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def database_url() -> str:
    """Return the URL of the test database, for the server's processes."""
    settings = connection.settings_dict
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    user = f"{quote(settings['USER'], safe='')}{password}@" if settings["USER"] else ""
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{user}{host}/{settings['NAME']}"


def make_reviewers() -> tuple[list[dict[str, str]], dict[int, str]]:
    """Import the seed articles and make CLIENTS reviewers of their corpus; return each
    reviewer's token header and the documents' texts by id."""
    corpus = get_or_create_corpus("Concurrency")
    report = import_paths(SEED_PATHS, corpus=corpus)
    assert not report.failures
    users = [
        get_user_model().objects.create_user(username=f"concurrency-client-{i}")
        for i in range(CLIENTS)
    ]
    # Reviewers: every one of them may change every span of the gold layer.
    Membership.objects.bulk_create(
        Membership(corpus=corpus, user=user, role=Membership.Role.REVIEWER) for user in users
    )
    return [token_header(user) for user in users], dict(
        corpus.documents.order_by("pk").values_list("pk", "text")
    )


def final_state() -> tuple[dict[str, SpanState], list[LinkState]]:
    """Return every span (by uid) and speaker link as the database holds them now."""
    spans = Annotation.objects.values_list(
        "uid", "document", "label__key", "start", "end", "version", "is_gold"
    )
    links = Relation.objects.values_list("pk", "source__uid", "target__uid")
    return {row[0]: SpanState(*row) for row in spans}, [LinkState(*row) for row in links]


def keep_log(calls: list[Call], problems: list[str]) -> Path:
    """Write every call and the violations under tests/artifacts/; return the log's path."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / f"concurrency-{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%S}"
    log = Path(f"{stem}.jsonl")
    log.write_bytes(b"".join(orjson.dumps(dataclasses.asdict(call)) + b"\n" for call in calls))
    Path(f"{stem}-violations.txt").write_text("".join(f"{problem}\n" for problem in problems))
    return log


def test_concurrent_reviewers_lose_no_write_and_get_409_for_every_stale_one(transactional_db):
    if connection.vendor != "postgresql":
        pytest.fail(
            "the concurrency check runs on PostgreSQL only: "
            "DATABASE_URL=postgres://USER@HOST:5432/DB make test-concurrency"
        )
    headers, texts = make_reviewers()
    port = free_port()
    server_log = ARTIFACTS / "concurrency-gunicorn.log"
    server = start_gunicorn(database_url(), port, workers=WORKERS, log_path=server_log)
    try:
        calls = run_clients(port, headers, texts, seconds=SECONDS)
    finally:
        stop_gunicorn(server)
    spans, links = final_state()
    problems = verify(calls, spans, links)
    log = keep_log(calls, problems)

    print(f"{CLIENTS} reviewers, {WORKERS} sync workers, {len(texts)} documents, {SECONDS} s")
    print(format_table(summarise(calls, SECONDS), COLUMNS))
    writes = [call for call in calls if call.op != "fetch"]
    print(
        f"acknowledged writes: {sum(1 for c in writes if c.status in (200, 201, 204)):,}, "
        f"conflicts (409): {sum(1 for c in writes if c.status == 409):,}, afterwards "
        f"{len(spans):,} spans and {len(links):,} speaker links; log: {log}"
    )
    assert problems == [], (
        f"{len(problems)} violations (all in {log.stem}-violations.txt; "
        f"server errors in {server_log}):\n" + "\n".join(problems[:40])
    )
    # The triggers kept the counts of tagged strings through every concurrent write.
    assert stored_counts() == counted_from_spans()

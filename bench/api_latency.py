"""API latency on the production server: gunicorn + PostgreSQL, 1 client and 16 clients.

Sets up the scratch PostgreSQL database byline_bench_api (dropped afterwards), imports the
synthetic corpus of --size documents, starts `gunicorn config.wsgi` (DEBUG off,
BYLINE_HTTPS=0, SECRET_KEY from the environment or a random one, --workers 2*cores+1) on a
free port of 127.0.0.1, and runs clients that each repeat, on documents of their own:

  fetch    GET    /api/documents/<id>/                  (the document with its spans)
  create   POST   /api/documents/<id>/spans/            (an ACTOR over a random word)
  update   PATCH  /api/documents/<id>/spans/<uid>/      (relabel it QUOTE, with its version)
  delete   DELETE /api/documents/<id>/spans/<uid>/?version=N

for --seconds (and at most --max-cycles cycles per client), first with 1 client, then with
--clients (default 16) concurrent clients. Each client is an annotator of the corpus (a user
of its own, token auth) working on the documents assigned to it. Prints p50/p95/p99 per
operation, errors (any status other than the expected one) and span writes per second.

The clients share the server's 2 cores, so they are cheap: threads of one process (or of
--client-processes processes), each with its own connection, kept alive where the worker
class allows it (gthread; sync workers close every connection after its response).

    .venv/bin/python -m bench.api_latency --size 10000 --clients 16 --seconds 30
"""

import argparse
import http.client
import multiprocessing
import os
import random
import re
import secrets
import sys
import threading
import time
from typing import Any

import orjson

from bench.apiserver import HOST, free_port, start_gunicorn, stop_gunicorn, token_header
from bench.benchlib import (
    BENCH_CORPUS,
    DEFAULT_PG_URL,
    OUT_DIR,
    ScratchDatabase,
    emit,
    format_table,
    percentile,
    print_header,
    run_child,
    setup_django,
)
from bench.generate import corpus_paths, ensure_corpus

EXPECTED = {"fetch": 200, "create": 201, "update": 200, "delete": 204}
WORD = re.compile(r"[A-Za-z]{4,}")
BENCH_USER_PREFIX = "bench-client-"


def child_setup(size: int, clients: int) -> dict[str, Any]:
    """Import the corpus and make one annotator per client, with documents of their own.

    Return each client's credentials and document ids. Where the teams app exists, each user
    is an annotator of the corpus with their documents assigned (the annotator's workflow);
    every client then writes only on its own documents.
    """
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from annotations.interchange.imports import get_or_create_corpus, import_paths

    corpus = get_or_create_corpus(BENCH_CORPUS)
    report = import_paths([corpus_paths(size)["byline"]], corpus=corpus)
    if report.failures:
        raise SystemExit(str(report.failures[0].problem))
    User = get_user_model()
    ids = list(corpus.documents.order_by("pk").values_list("pk", flat=True))
    shares = [ids[index::clients] for index in range(clients)]
    users = [
        User.objects.create_user(username=f"{BENCH_USER_PREFIX}{index}") for index in range(clients)
    ]
    if "teams" in settings.INSTALLED_APPS:
        from corpus.models import Assignment, Membership

        Membership.objects.bulk_create(
            Membership(corpus=corpus, user=user, role="annotator") for user in users
        )
        Assignment.objects.bulk_create(
            Assignment(document_id=document, annotator=user)
            for user, share in zip(users, shares, strict=True)
            for document in share
        )
    token_auth = "rest_framework.authtoken" in settings.INSTALLED_APPS
    return {
        "credentials": [token_header(u) if token_auth else session_headers(u) for u in users],
        "documents": shares,
        "auth": "token" if token_auth else "session",
    }


def session_headers(user) -> dict[str, str]:
    """Return a session cookie and a matching CSRF cookie/header for `user`."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
    cookie += f"{settings.CSRF_COOKIE_NAME}={csrf}"
    return {"Cookie": cookie, "X-CSRFToken": csrf, "Referer": f"http://{HOST}/"}


class Client:
    """One API client with a keep-alive connection and its own documents."""

    def __init__(self, port: int, headers: dict[str, str], documents: list[int], seed: int):
        self.port = port
        self.headers = {**headers, "Content-Type": "application/json"}
        self.documents = documents
        self.rng = random.Random(seed)
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.samples: list[tuple[str, float, int]] = []
        self.failures: dict[str, int] = {}

    def request(self, op: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        payload = orjson.dumps(body) if body is not None else None
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
            status, data = 0, b""
            self.failures[type(error).__name__] = self.failures.get(type(error).__name__, 0) + 1
        self.samples.append((op, (time.perf_counter() - started) * 1000, status))
        return status, (orjson.loads(data) if data and status < 500 else None)

    def cycle(self) -> None:
        document = self.rng.choice(self.documents)
        base = f"/api/documents/{document}/"
        status, body = self.request("fetch", "GET", base)
        if status != 200:
            return
        taken = {(s["start"], s["end"]) for s in body["spans"] if s["label"] == "ACTOR"}
        words = [m for m in WORD.finditer(body["text"]) if (m.start(), m.end()) not in taken]
        word = self.rng.choice(words)
        status, span = self.request(
            "create",
            "POST",
            f"{base}spans/",
            {"label": "ACTOR", "start": word.start(), "end": word.end(), "text": word.group()},
        )
        if status != 201:
            return
        path = f"{base}spans/{span['uid']}/"
        status, span = self.request(
            "update", "PATCH", path, {"version": span["version"], "label": "QUOTE"}
        )
        if status != 200:
            return
        self.request("delete", "DELETE", f"{path}?version={span['version']}")


def run_clients(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run one client per job, each in a thread of this process; return their results."""
    # Answers come back while other client threads parse theirs: hand the interpreter over
    # sooner than the default 5 ms so that waiting for it stays out of the latencies.
    sys.setswitchinterval(0.0005)
    results: list[dict[str, Any]] = [{} for _ in jobs]

    def work(index: int) -> None:
        results[index] = run_client(jobs[index])

    threads = [threading.Thread(target=work, args=(index,)) for index in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def run_client(job: dict[str, Any]) -> dict[str, Any]:
    """Run cycles until the deadline; return the samples and the wall time used."""
    client = Client(job["port"], job["headers"], job["documents"], job["seed"])
    for _ in range(job["warmup"]):
        client.cycle()
    client.samples.clear()
    started = time.perf_counter()
    deadline = started + job["seconds"]
    cycles = 0
    while time.perf_counter() < deadline and cycles < job["max_cycles"]:
        client.cycle()
        cycles += 1
    return {
        "samples": client.samples,
        "seconds": time.perf_counter() - started,
        "failures": client.failures,
    }


def summarise(clients: int, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    samples = [sample for result in results for sample in result["samples"]]
    wall = max(result["seconds"] for result in results)
    rows = []
    for op in ("create", "update", "delete", "fetch"):
        mine = [(ms, status) for name, ms, status in samples if name == op]
        latencies = [ms for ms, _ in mine]
        rows.append(
            {
                "clients": clients,
                "op": op,
                "n": len(mine),
                "per_s": len(mine) / wall,
                "p50": percentile(latencies, 0.50),
                "p95": percentile(latencies, 0.95),
                "p99": percentile(latencies, 0.99),
                "errors": sum(1 for _, status in mine if status != EXPECTED[op]),
                "statuses": sorted({status for _, status in mine}),
            }
        )
    failures: dict[str, int] = {}
    for result in results:
        for name, count in result["failures"].items():
            failures[name] = failures.get(name, 0) + count
    if failures:
        print(f"# {clients} clients: requests without a response: {failures}")
    writes = sum(row["n"] for row in rows if row["op"] != "fetch")
    rows.append(
        {
            "clients": clients,
            "op": "span writes",
            "n": writes,
            "per_s": writes / wall,
            "errors": sum(row["errors"] for row in rows),
        }
    )
    return rows


COLUMNS = [
    ("clients", "clients", ""),
    ("op", "operation", ""),
    ("n", "requests", ",d"),
    ("per_s", "per s", ",.0f"),
    ("p50", "p50 ms", ".1f"),
    ("p95", "p95 ms", ".1f"),
    ("p99", "p99 ms", ".1f"),
    ("errors", "errors", ",d"),
]


def measure(port: int, setup: dict, *, clients: int, args: argparse.Namespace) -> list[dict]:
    jobs = [
        {
            "port": port,
            "headers": setup["credentials"][index],
            # Each client works on its own documents: errors then mean the server failed.
            "documents": setup["documents"][index],
            "seed": index,
            "seconds": args.seconds,
            "max_cycles": args.max_cycles,
            "warmup": args.warmup,
        }
        for index in range(clients)
    ]
    processes = max(1, min(args.client_processes, clients))
    if processes == 1:
        cpu = time.process_time()
        results = run_clients(jobs)
        cpu = time.process_time() - cpu
        requests = sum(len(result["samples"]) for result in results)
        print(
            f"# {clients} client(s): {cpu / max(requests, 1) * 1000:.2f} ms of client CPU "
            f"per request (warm-up included)"
        )
    else:
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            groups = pool.map(run_clients, [jobs[index::processes] for index in range(processes)])
        results = [result for group in groups for result in group]
    return summarise(clients, results)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000, help="Documents in the corpus.")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent clients.")
    parser.add_argument("--seconds", type=float, default=30, help="Duration of each run.")
    parser.add_argument("--max-cycles", type=int, default=20000, help="Cycles per client.")
    parser.add_argument("--warmup", type=int, default=5, help="Unmeasured cycles per client.")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-class", default="sync", help="gunicorn's: sync or gthread.")
    parser.add_argument("--threads", type=int, default=1, help="Threads per gthread worker.")
    parser.add_argument(
        "--client-processes", type=int, default=1, help="Processes the client threads run in."
    )
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def import_corpus(db: ScratchDatabase, args: argparse.Namespace) -> dict:
    """Import the corpus into `db` and make the clients' users; return their setup."""
    clock = time.perf_counter()
    setup = run_child(
        "bench.api_latency",
        ["--child", "setup", "--size", str(args.size), "--clients", str(max(args.clients, 1))],
        env=db.env,
    )
    print(f"# corpus of {args.size:,} documents imported in {time.perf_counter() - clock:.0f} s")
    return setup


def serve_and_measure(db: ScratchDatabase, setup: dict, args: argparse.Namespace) -> list[dict]:
    """Start gunicorn on `db`; return the rows of 1 client, then of --clients clients."""
    port = free_port()
    server = start_gunicorn(
        db.url,
        port,
        workers=args.workers,
        log_path=OUT_DIR / "api_latency-gunicorn.log",
        worker_class=args.worker_class,
        threads=args.threads,
    )
    try:
        threads = f" x {args.threads} threads" if args.worker_class == "gthread" else ""
        print(
            f"# gunicorn config.wsgi, {args.workers} {args.worker_class} workers{threads}, "
            f"{HOST}:{port}"
        )
        print(f"# clients authenticate with a {setup['auth']}")
        print(f"# clients are threads of {args.client_processes} process(es)")
        rows = measure(port, setup, clients=1, args=args)
        return rows + measure(port, setup, clients=args.clients, args=args)
    finally:
        stop_gunicorn(server)


def print_verdicts(rows: list[dict], clients: int) -> None:
    """Print the table and how it compares with the targets."""
    print()
    print(format_table(rows, COLUMNS))
    print()
    create_one = next(r for r in rows if r["clients"] == 1 and r["op"] == "create")
    writes_many = next(r for r in rows if r["clients"] == clients and r["op"] == "span writes")
    errors = sum(r["errors"] for r in rows if r["op"] != "span writes")
    print(
        f"create-span p95, 1 client: {create_one['p95']:.1f} ms "
        f"({'meets' if create_one['p95'] < 15 else 'MISSES'} < 15 ms)"
    )
    print(
        f"span writes/s, {clients} clients: {writes_many['per_s']:,.0f} "
        f"({'meets' if writes_many['per_s'] >= 400 else 'MISSES'} >= 400), errors: {errors} "
        f"({'meets' if errors == 0 else 'MISSES'} zero)"
    )
    for row in rows:
        if row.get("errors"):
            print(f"# {row['clients']} clients {row['op']}: statuses seen {row.get('statuses')}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child == "setup":
        emit(child_setup(args.size, args.clients))
        return 0
    started = print_header("API latency benchmark", "bench.api_latency")
    ensure_corpus(args.size)
    db = ScratchDatabase("postgres", "byline_bench_api", pg_url=args.pg_url)
    db.create()
    try:
        db.migrate()
        rows = serve_and_measure(db, import_corpus(db, args), args)
    finally:
        db.drop()
    print_verdicts(rows, args.clients)
    results = OUT_DIR / f"api_latency-{started:%Y%m%dT%H%M%S}.json"
    results.write_bytes(
        orjson.dumps(
            {"started": started.isoformat(), "argv": sys.argv, "rows": rows},
            option=orjson.OPT_INDENT_2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

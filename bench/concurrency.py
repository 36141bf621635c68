"""Concurrency check: many clients create, relabel and delete the same spans through the API.

Sets up the scratch PostgreSQL database byline_bench_concurrency (dropped afterwards), imports
the two seed articles, makes --clients reviewers of the corpus (token auth), starts
`gunicorn config.wsgi` (DEBUG off, BYLINE_HTTPS=0, a random SECRET_KEY) on a free port of
127.0.0.1 and runs the clients as threads for --seconds. All of them write the gold layer of
the same two documents, which every reviewer may edit, each repeating at random:

  fetch    GET    /api/documents/<id>/spans/?layer=gold
  create   POST   /api/documents/<id>/spans/            (a label over one of a few words)
  update   PATCH  /api/documents/<id>/spans/<uid>/      (relabel, with the version it read)
  delete   DELETE /api/documents/<id>/spans/<uid>/?version=N
  link     POST   /api/documents/<id>/relations/        (a QUOTE it saw to an ACTOR it saw)

Every request and answer is logged (bench/out/concurrency-<time>.jsonl); afterwards the log is
checked against the spans in the database (see bench/concurrency_checks.py): every
acknowledged write is there, each span's acknowledged updates form one chain of versions,
every rejected write was stale, every speaker link joins a QUOTE to an ACTOR or ANON_SOURCE,
no 5xx, no request without an answer, and some 409s happened.
Prints a table and exits 1 on any violation.

    .venv/bin/python bench/concurrency.py --clients 16 --seconds 30
"""

import argparse
import dataclasses
import datetime
import http.client
import os
import random
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

import orjson
from apiserver import HOST, free_port, start_gunicorn, stop_gunicorn, token_header
from benchlib import (
    DEFAULT_PG_URL,
    OUT_DIR,
    REPO_ROOT,
    ScratchDatabase,
    code_revision,
    emit,
    format_table,
    machine_summary,
    percentile,
    run_child,
    setup_django,
)
from concurrency_checks import SPEAKER_LABELS, Call, LinkState, Seen, SpanState, verify

CORPUS = "Concurrency"
SEED = REPO_ROOT / "corpus" / "fixtures" / "seed"
USER_PREFIX = "concurrency-client-"
LABELS = ("ACTOR", "FIGURE", "QUOTE", "ANON_SOURCE")
# Few candidate ranges per document, so that clients also create the same span at once.
WORDS_PER_DOCUMENT = 150
WORD = re.compile(r"[A-Za-z]{3,}")
OPERATIONS = ("fetch", "create", "update", "delete", "link")
WEIGHTS = (20, 25, 30, 12, 13)
TIMEOUT = 60
GUNICORN_LOG = OUT_DIR / "concurrency-gunicorn.log"


def child_setup(clients: int) -> dict[str, Any]:
    """Import the seed articles; make `clients` reviewers; return their tokens and the texts."""
    setup_django()
    from django.contrib.auth import get_user_model

    from annotations.interchange.imports import get_or_create_corpus, import_paths
    from corpus.models import Membership

    corpus = get_or_create_corpus(CORPUS)
    report = import_paths(sorted(SEED.glob("*.txt")), corpus=corpus)
    if report.failures:
        raise SystemExit(str(report.failures[0].problem))
    User = get_user_model()
    users = [User.objects.create_user(username=f"{USER_PREFIX}{i}") for i in range(clients)]
    # Reviewers: every one of them may change every span of the gold layer.
    Membership.objects.bulk_create(
        Membership(corpus=corpus, user=user, role=Membership.Role.REVIEWER) for user in users
    )
    return {
        "headers": [token_header(user) for user in users],
        "documents": {
            str(pk): text for pk, text in corpus.documents.order_by("pk").values_list("pk", "text")
        },
    }


def child_state() -> dict[str, Any]:
    """Return every span and speaker link of the corpus as they are now."""
    setup_django()
    from annotations.models import Annotation, Relation

    spans = Annotation.objects.filter(document__corpus__name=CORPUS).values_list(
        "uid", "document", "label__key", "start", "end", "version", "is_gold"
    )
    links = Relation.objects.filter(document__corpus__name=CORPUS).values_list(
        "pk", "source__uid", "target__uid"
    )
    return {"spans": [list(row) for row in spans], "links": [list(row) for row in links]}


@dataclasses.dataclass(frozen=True)
class Answer:
    """What one request got: status (0 if no answer), parsed JSON body, start time, error."""

    status: int
    body: Any
    began: float
    ended: float
    detail: str


class Client:
    """One reviewer: a keep-alive connection, its own view of the spans, its log of calls."""

    def __init__(
        self,
        index: int,
        port: int,
        headers: dict[str, str],
        words: dict[int, list],
        weights: tuple[int, ...] = WEIGHTS,
    ):
        self.index = index
        self.weights = weights
        self.port = port
        self.headers = {**headers, "Content-Type": "application/json"}
        self.words = words
        self.rng = random.Random(index)
        self.connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        self.view: dict[int, dict[str, Seen]] = {document: {} for document in words}
        self.calls: list[Call] = []

    def request(self, method: str, path: str, body: Any = None) -> Answer:
        """Send one request on the client's connection (reopened after a failure)."""
        payload = orjson.dumps(body) if body is not None else None
        began = time.monotonic()
        try:
            self.connection.request(method, path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
            data = response.read()
            ended = time.monotonic()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
            return Answer(0, None, began, time.monotonic(), f"{type(error).__name__}: {error}")
        try:
            parsed = orjson.loads(data) if data else None
        except orjson.JSONDecodeError:
            parsed = None
        # One line per problem: Django's error page is HTML over several lines.
        detail = (
            " ".join(data[:400].decode(errors="replace").split()) if response.status >= 400 else ""
        )
        return Answer(response.status, parsed, began, ended, detail)

    def log(self, op: str, document: int, answer: Answer, **sent: Any) -> Call:
        """Record `answer` to a request that sent `sent`; return the record."""
        body = answer.body if isinstance(answer.body, dict) else {}
        # A 409 carries the span as it is now under "current".
        span = body.get("current", body)
        call = Call(
            relation=body.get("id") if op == "link" else None,
            client=self.index,
            op=op,
            document=document,
            began=answer.began,
            ended=answer.ended,
            status=answer.status,
            version=span.get("version"),
            returned_label=span.get("label"),
            detail=answer.detail,
            **sent,
        )
        self.calls.append(call)
        return call

    def step(self) -> None:
        document = self.rng.choice(list(self.words))
        op = self.rng.choices(OPERATIONS, self.weights)[0]
        known = list(self.view[document].values())
        quotes = [span for span in known if span.label == "QUOTE"]
        speakers = [span for span in known if span.label in SPEAKER_LABELS]
        if (op in ("update", "delete") and not known) or (
            op == "link" and not (quotes and speakers)
        ):
            op = "create"
        if op == "link":
            self.link(document, self.rng.choice(quotes), self.rng.choice(speakers))
        elif op == "fetch":
            self.fetch(document)
        elif op == "create":
            self.create(document)
        elif op == "update":
            self.update(document, self.rng.choice(known))
        else:
            self.delete(document, self.rng.choice(known))

    def fetch(self, document: int) -> None:
        answer = self.request("GET", f"/api/documents/{document}/spans/?layer=gold")
        spans = answer.body if answer.status == 200 else []
        seen = tuple(Seen(span["uid"], span["version"], span["label"]) for span in spans)
        self.log("fetch", document, answer, seen=seen)
        if answer.status == 200:
            self.view[document] = {span.uid: span for span in seen}

    def create(self, document: int) -> None:
        start, end, text = self.rng.choice(self.words[document])
        label = self.rng.choice(LABELS)
        uid = f"c{self.index}-{self.rng.getrandbits(64):016x}"
        body = {"uid": uid, "label": label, "start": start, "end": end, "text": text}
        answer = self.request(
            "POST", f"/api/documents/{document}/spans/", {**body, "layer": "gold"}
        )
        call = self.log("create", document, answer, uid=uid, label=label, start=start, end=end)
        if call.status == 201:
            self.view[document][uid] = Seen(uid, call.version, label)

    def update(self, document: int, span: Seen, *, retry: bool = True) -> None:
        label = self.rng.choice([key for key in LABELS if key != span.label])
        answer = self.request(
            "PATCH",
            f"/api/documents/{document}/spans/{span.uid}/",
            {"version": span.version, "label": label},
        )
        call = self.log(
            "update", document, answer, uid=span.uid, label=label, sent_version=span.version
        )
        self.learn(document, span, call)
        # As on the page: shown the other's version, the reviewer sometimes relabels again.
        if call.status == 409 and call.version is not None and retry and self.rng.random() < 0.5:
            self.update(document, self.view[document][span.uid], retry=False)

    def delete(self, document: int, span: Seen) -> None:
        path = f"/api/documents/{document}/spans/{span.uid}/?version={span.version}"
        answer = self.request("DELETE", path)
        call = self.log("delete", document, answer, uid=span.uid, sent_version=span.version)
        self.learn(document, span, call)

    def link(self, document: int, quote: Seen, speaker: Seen) -> None:
        body = {"type": "speaker", "source": quote.uid, "target": speaker.uid}
        answer = self.request("POST", f"/api/documents/{document}/relations/", body)
        self.log("link", document, answer, uid=quote.uid, target=speaker.uid)

    def learn(self, document: int, span: Seen, call: Call) -> None:
        """Update the client's view of `span` from the answer to a write."""
        view = self.view[document]
        if call.status in (200, 409) and call.version is not None:
            view[span.uid] = Seen(span.uid, call.version, call.returned_label)
        elif call.status in (204, 404):
            view.pop(span.uid, None)


def candidate_words(text: str) -> list[tuple[int, int, str]]:
    """Return the first words of `text` as (start, end, word); offsets are code points."""
    matches = [m for m, _ in zip(WORD.finditer(text), range(WORDS_PER_DOCUMENT), strict=False)]
    return [(m.start(), m.end(), m.group()) for m in matches]


def run_clients(
    port: int, setup: dict, *, clients: int, seconds: float, links: bool = True
) -> list[Call]:
    """Run `clients` threads until `seconds` have passed; return all their calls by start."""
    words = {int(pk): candidate_words(text) for pk, text in setup["documents"].items()}
    weights = WEIGHTS if links else (*WEIGHTS[:-1], 0)
    workers = [Client(i, port, setup["headers"][i], words, weights) for i in range(clients)]
    ready = threading.Barrier(clients)
    crashes: list[BaseException] = []

    def work(client: Client) -> None:
        ready.wait()
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                client.step()
        except BaseException as error:  # re-raised below: a silent thread would skew the run
            crashes.append(error)
            raise

    threads = [threading.Thread(target=work, args=(client,)) for client in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if crashes:
        raise RuntimeError(f"{len(crashes)} client(s) crashed") from crashes[0]
    return sorted((call for client in workers for call in client.calls), key=lambda c: c.began)


STATUS_COLUMNS = (200, 201, 204, 400, 404, 409)
COLUMNS = [
    ("op", "operation", ""),
    ("n", "requests", ",d"),
    ("per_s", "per s", ",.1f"),
    *[(str(code), str(code), ",d") for code in STATUS_COLUMNS],
    ("5xx", "5xx", ",d"),
    ("none", "no answer", ",d"),
    ("p50", "p50 ms", ".1f"),
    ("p95", "p95 ms", ".1f"),
]


def summarise(calls: list[Call], seconds: float) -> list[dict[str, Any]]:
    """Return one table row per operation and one for all of them."""
    rows = []
    for op in (*OPERATIONS, "all"):
        mine = [call for call in calls if op in ("all", call.op)]
        if not mine:
            continue
        latencies = [(call.ended - call.began) * 1000 for call in mine]
        row = {
            "op": op,
            "n": len(mine),
            "per_s": len(mine) / seconds,
            "5xx": sum(1 for call in mine if call.status >= 500),
            "none": sum(1 for call in mine if call.status == 0),
            "p50": percentile(latencies, 0.50),
            "p95": percentile(latencies, 0.95),
        }
        for code in STATUS_COLUMNS:
            row[str(code)] = sum(1 for call in mine if call.status == code)
        rows.append(row)
    return rows


def final_state(db: ScratchDatabase) -> tuple[dict[str, SpanState], list[LinkState]]:
    state = run_child([str(Path(__file__).resolve()), "--child", "state"], env=db.env)
    spans = {row[0]: SpanState(*row) for row in state["spans"]}
    return spans, [LinkState(*row) for row in state["links"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="Concurrent clients.")
    parser.add_argument("--seconds", type=float, default=30, help="How long they run.")
    parser.add_argument(
        "--links",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Also link quotes to speakers (--no-links: spans only).",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--child", choices=["setup", "state"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "setup":
        emit(child_setup(args.clients))
        return 0
    if args.child == "state":
        emit(child_state())
        return 0

    started = datetime.datetime.now(datetime.UTC)
    print(f"# API concurrency check, {started:%Y-%m-%d %H:%M} UTC")
    print(f"# machine: {machine_summary()}")
    print(f"# code: {code_revision()}")
    print(f"# command: .venv/bin/python bench/concurrency.py {' '.join(sys.argv[1:])}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    db = ScratchDatabase("postgres", "byline_bench_concurrency", pg_url=args.pg_url)
    db.create()
    server = None
    try:
        db.migrate()
        setup = run_child(
            [str(Path(__file__).resolve()), "--child", "setup", "--clients", str(args.clients)],
            env=db.env,
        )
        port = free_port()
        server = start_gunicorn(db, port, workers=args.workers, log_path=GUNICORN_LOG)
        print(f"# gunicorn config.wsgi, {args.workers} sync workers, {HOST}:{port}")
        print(
            f"# {args.clients} reviewers (threads, token auth) on the gold layer of "
            f"{len(setup['documents'])} documents for {args.seconds:g} s"
        )
        calls = run_clients(
            port, setup, clients=args.clients, seconds=args.seconds, links=args.links
        )
        stop_gunicorn(server)
        server = None
        final, links = final_state(db)
    finally:
        if server is not None:
            stop_gunicorn(server)
        db.drop()
    stem = OUT_DIR / f"concurrency-{started:%Y%m%dT%H%M%S}"
    with Path(f"{stem}.jsonl").open("wb") as out:
        for call in calls:
            out.write(orjson.dumps(dataclasses.asdict(call)) + b"\n")
    Path(f"{stem}-final.json").write_bytes(
        orjson.dumps(
            {
                "spans": [dataclasses.asdict(span) for span in final.values()],
                "links": [dataclasses.asdict(link) for link in links],
            }
        )
    )
    problems = verify(calls, final, links)
    Path(f"{stem}-violations.txt").write_text("".join(f"{problem}\n" for problem in problems))
    print()
    print(format_table(summarise(calls, args.seconds), COLUMNS))
    print()
    print_verdict(calls, final, links, problems)
    print(f"log: {stem}.jsonl (requests), -final.json (spans after), -violations.txt")
    return 1 if problems else 0


def print_verdict(
    calls: list[Call], final: dict[str, SpanState], links: list[LinkState], problems: list[str]
) -> None:
    writes = [call for call in calls if call.op != "fetch"]
    acknowledged = sum(1 for call in writes if call.status in (200, 201, 204))
    conflicts = sum(1 for call in writes if call.status == 409)
    print(
        f"acknowledged writes: {acknowledged:,}, conflicts (409): {conflicts:,}, "
        f"in the database afterwards: {len(final):,} spans, {len(links):,} speaker links"
    )
    print(f"violations: {len(problems)}")
    for problem in problems[:40]:
        print(f"  {problem}")
    if len(problems) > 40:
        print(f"  ... and {len(problems) - 40} more")
    if any(call.status >= 500 for call in calls):
        print(f"server errors are logged in {GUNICORN_LOG}")


if __name__ == "__main__":
    sys.exit(main())

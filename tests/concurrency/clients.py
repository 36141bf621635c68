"""The clients of the concurrency check: reviewers writing the same spans through the API.

Each client is a thread with its own keep-alive connection and its own view of the spans; it
repeats, at random, on the gold layer of the same documents:

  fetch    GET    /api/documents/<id>/spans/?layer=gold
  create   POST   /api/documents/<id>/spans/            (a label over one of a few words)
  update   PATCH  /api/documents/<id>/spans/<uid>/      (relabel, with the version it read)
  delete   DELETE /api/documents/<id>/spans/<uid>/?version=N
  link     POST   /api/documents/<id>/relations/        (a QUOTE it saw to an ACTOR it saw)

and logs one `Call` per request, which `checks.verify` holds against the database afterwards.
"""

import dataclasses
import http.client
import random
import re
import threading
import time
from typing import Any

import orjson

from bench.apiserver import HOST
from bench.benchlib import percentile
from tests.concurrency.checks import SPEAKER_LABELS, Call, Seen

LABELS = ("ACTOR", "FIGURE", "QUOTE", "ANON_SOURCE")
# Few candidate ranges per document, so that clients also create the same span at once.
WORDS_PER_DOCUMENT = 150
WORD = re.compile(r"[A-Za-z]{3,}")
OPERATIONS = ("fetch", "create", "update", "delete", "link")
WEIGHTS = (20, 25, 30, 12, 13)
TIMEOUT = 60


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

    def __init__(self, index: int, port: int, headers: dict[str, str], words: dict[int, list]):
        self.index = index
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
        op = self.rng.choices(OPERATIONS, WEIGHTS)[0]
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
    port: int, headers: list[dict[str, str]], texts: dict[int, str], *, seconds: float
) -> list[Call]:
    """Run one client per item of `headers` on the documents `texts` (by id) until `seconds`
    have passed; return all their calls by start."""
    words = {pk: candidate_words(text) for pk, text in texts.items()}
    workers = [Client(i, port, client_headers, words) for i, client_headers in enumerate(headers)]
    ready = threading.Barrier(len(workers))
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

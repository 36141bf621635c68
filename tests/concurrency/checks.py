"""Check a log of concurrent span writes against the spans the database ended with.

Pure functions, no I/O: the clients (`clients.py`) record one `Call` per request and the test
reads the final spans and speaker links; `verify` returns every way the two disagree with what
the API promises: acknowledged writes persist, each span's acknowledged updates form one chain
of versions (no lost update), a write from a stale version gets 409 and only then, a speaker
link always joins a QUOTE to an ACTOR or ANON_SOURCE, nothing answers 5xx.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

EXPECTED_STATUSES = {
    "fetch": {200},
    # 400: the gold layer already holds that label over that text (unique constraint).
    "create": {201, 400},
    "update": {200, 400, 404, 409},
    "delete": {204, 404, 409},
    # 400: the quote has a speaker already, or a span is gone or relabelled meanwhile.
    "link": {201, 400},
}
SPEAKER_LABELS = {"ACTOR", "ANON_SOURCE"}


@dataclass(frozen=True)
class Seen:
    """A span as a fetch returned it."""

    uid: str
    version: int
    label: str


@dataclass(frozen=True)
class Call:
    """One request and its answer as the client saw it; times are time.monotonic() seconds."""

    client: int
    op: str
    document: int
    began: float
    ended: float
    # 0: no answer (connection error or timeout).
    status: int
    uid: str | None = None
    # Sent: the label (create, update), the range (create), the version read (update, delete),
    # the speaker (link, whose `uid` is the quote).
    label: str | None = None
    start: int | None = None
    end: int | None = None
    sent_version: int | None = None
    target: str | None = None
    # Answered: the span's version and label (200, 201), or the current ones (409).
    version: int | None = None
    returned_label: str | None = None
    relation: int | None = None
    seen: tuple[Seen, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class SpanState:
    """A span as it is in the database after the run."""

    uid: str
    document: int
    label: str
    start: int
    end: int
    version: int
    gold: bool = True


@dataclass(frozen=True)
class LinkState:
    """A speaker link as it is in the database after the run."""

    relation: int
    source: str
    target: str


@dataclass
class SpanLog:
    """The acknowledged writes of one span: its create, updates answered 200, deletes 204."""

    create: Call
    updates: list[Call] = field(default_factory=list)
    deletes: list[Call] = field(default_factory=list)

    @property
    def top(self) -> int:
        """Return the version the acknowledged updates took the span to."""
        return 1 + len(self.updates)

    def label_at(self, version: int) -> str | None:
        """Return the label an acknowledged write gave the span at `version`, if any did."""
        if version == 1:
            return self.create.label
        return next((u.label for u in self.updates if u.version == version), None)

    def labels(self) -> set[str]:
        return {self.create.label, *(u.label for u in self.updates)}


def verify(
    calls: Sequence[Call], final: Mapping[str, SpanState], links: Sequence[LinkState] = ()
) -> list[str]:
    """Return the violations in `calls` given the `final` spans (by uid) and links; [] if none."""
    spans = span_logs(calls)
    problems = check_statuses(calls)
    problems += check_creates(calls, spans, final)
    for uid, log in spans.items():
        problems += check_chain(uid, log, final.get(uid))
    problems += check_rejections(calls, spans)
    problems += check_fetches(calls, spans)
    problems += check_links(calls, spans, final, links)
    if not any(call.status == 409 for call in calls):
        problems.append("no request got 409: the clients did not contend")
    return problems


def span_logs(calls: Sequence[Call]) -> dict[str, SpanLog]:
    """Return the acknowledged writes of each span created with 201, by uid."""
    spans: dict[str, SpanLog] = {}
    for call in calls:
        if call.op == "create" and call.status == 201 and call.uid not in spans:
            spans[call.uid] = SpanLog(create=call)
    for call in calls:
        log = spans.get(call.uid)
        if log is None:
            continue
        if call.op == "update" and call.status == 200:
            log.updates.append(call)
        elif call.op == "delete" and call.status == 204:
            log.deletes.append(call)
    return spans


def describe(call: Call) -> str:
    sent = "" if call.sent_version is None else f" from version {call.sent_version}"
    return f"{call.op} of {call.uid or f'document {call.document}'}{sent} (client {call.client})"


def check_statuses(calls: Sequence[Call]) -> list[str]:
    """Return a problem for each request without an answer or with another status (a 5xx)."""
    problems = []
    for call in calls:
        if call.status == 0:
            problems.append(f"{describe(call)} got no answer: {call.detail}")
        elif call.status not in EXPECTED_STATUSES[call.op]:
            problems.append(f"{describe(call)} answered {call.status}: {call.detail}")
    return problems


def check_creates(
    calls: Sequence[Call], spans: Mapping[str, SpanLog], final: Mapping[str, SpanState]
) -> list[str]:
    """Return creates answered wrongly, and spans in the database that nobody created."""
    problems = []
    acknowledged = defaultdict(int)
    for call in calls:
        if call.op != "create":
            continue
        if call.status == 201:
            acknowledged[call.uid] += 1
            if call.version != 1 or call.returned_label != call.label:
                problems.append(
                    f"{describe(call)} answered version {call.version} {call.returned_label}, "
                    f"not version 1 {call.label}"
                )
        elif call.uid in final:
            problems.append(f"{describe(call)} answered {call.status} but the span was saved")
        elif call.status == 400 and not duplicated(call, call.label, spans):
            problems.append(f"{describe(call)} answered 400 with no such span there: {call.detail}")
    problems += [f"span {uid} was created {n} times" for uid, n in acknowledged.items() if n > 1]
    sent = {call.uid for call in calls if call.op == "create"}
    problems += [
        f"span {uid} is in the database but nobody created it" for uid in final.keys() - sent
    ]
    return problems


def duplicated(call: Call, label: str | None, spans: Mapping[str, SpanLog]) -> bool:
    """Return whether another span over the text `call` concerns ever had `label`."""
    own = spans.get(call.uid)
    where = (own.create.start, own.create.end) if own else (call.start, call.end)
    return any(
        uid != call.uid
        and log.create.document == call.document
        and (log.create.start, log.create.end) == where
        and label in log.labels()
        for uid, log in spans.items()
    )


def check_chain(uid: str, log: SpanLog, state: SpanState | None) -> list[str]:
    """Return how the acknowledged writes of one span disagree with each other or `state`."""
    problems = []
    bases = sorted(update.sent_version for update in log.updates)
    if len(set(bases)) < len(bases):
        lost = sorted({base for base in bases if bases.count(base) > 1})
        problems.append(f"lost update: span {uid} got several 200s from version(s) {lost}")
    elif bases != list(range(1, log.top)):
        problems.append(f"span {uid}: updates acknowledged from versions {bases}, not 1..n")
    for update in log.updates:
        if update.version != update.sent_version + 1 or update.returned_label != update.label:
            problems.append(
                f"{describe(update)} answered version {update.version} "
                f"{update.returned_label}, not {update.sent_version + 1} {update.label}"
            )
    if len(log.deletes) > 1:
        problems.append(f"span {uid} was deleted {len(log.deletes)} times")
    if log.deletes and log.deletes[0].sent_version != log.top:
        problems.append(
            f"{describe(log.deletes[0])} answered 204, but acknowledged updates "
            f"took it to version {log.top}"
        )
    if state is None and not log.deletes:
        problems.append(f"span {uid} was created (201), never deleted, and is not in the database")
    if state is not None:
        problems += check_state(uid, log, state)
    return problems


def check_state(uid: str, log: SpanLog, state: SpanState) -> list[str]:
    """Return how the span in the database differs from its acknowledged writes."""
    if log.deletes:
        return [f"span {uid} was deleted (204) but is still in the database"]
    problems = []
    create = log.create
    if (state.document, state.start, state.end) != (create.document, create.start, create.end):
        problems.append(f"span {uid} moved: {state} was created at [{create.start}, {create.end})")
    if not state.gold:
        problems.append(f"span {uid} was created in the gold layer but is not gold")
    if state.version != log.top:
        problems.append(
            f"span {uid} is at version {state.version}, but {len(log.updates)} updates "
            f"were acknowledged (expected version {log.top})"
        )
    elif state.label != log.label_at(state.version):
        problems.append(
            f"span {uid} is labelled {state.label}, but the last acknowledged write "
            f"labelled it {log.label_at(state.version)}"
        )
    return problems


def check_rejections(calls: Sequence[Call], spans: Mapping[str, SpanLog]) -> list[str]:
    """Return the 409s, 404s and 400s on updates and deletes that the writes do not explain."""
    problems = []
    for call in calls:
        if call.op not in ("update", "delete") or call.status not in (400, 404, 409):
            continue
        log = spans.get(call.uid)
        if log is None:
            problems.append(f"{describe(call)}: a span that no create acknowledged")
        elif call.status == 409:
            problems += check_conflict(call, log)
        elif call.status == 404:
            if not any(delete.began < call.ended for delete in log.deletes):
                problems.append(f"{describe(call)} answered 404 before any delete of it")
        elif call.op == "update" and not duplicated(call, call.label, spans):
            problems.append(f"{describe(call)} answered 400 with no such span there: {call.detail}")
    return problems


def check_conflict(call: Call, log: SpanLog) -> list[str]:
    """Return a problem unless the 409 names a newer version that an acknowledged write made."""
    if call.version is None or call.version <= call.sent_version:
        return [f"{describe(call)} answered 409 though the span was at version {call.version}"]
    if call.version > log.top:
        return [f"{describe(call)} answered 409 naming version {call.version}, never acknowledged"]
    if call.returned_label != log.label_at(call.version):
        return [
            f"{describe(call)} answered 409 with {call.returned_label} at version "
            f"{call.version}, but that write labelled it {log.label_at(call.version)}"
        ]
    return []


def check_fetches(calls: Sequence[Call], spans: Mapping[str, SpanLog]) -> list[str]:
    """Return spans a fetch showed that acknowledged writes contradict, or that it missed."""
    problems = []
    for fetch in calls:
        if fetch.op != "fetch" or fetch.status != 200:
            continue
        shown = {seen.uid: seen for seen in fetch.seen}
        for seen in fetch.seen:
            problems += check_seen(fetch, seen, spans.get(seen.uid))
        for uid, log in spans.items():
            if (
                log.create.document == fetch.document
                and log.create.ended < fetch.began
                and uid not in shown
                and not any(delete.began < fetch.ended for delete in log.deletes)
            ):
                problems.append(f"fetch of document {fetch.document} missed created span {uid}")
    return problems


def check_seen(fetch: Call, seen: Seen, log: SpanLog | None) -> list[str]:
    where = f"fetch of document {fetch.document} (client {fetch.client})"
    if log is None:
        return [f"{where} showed span {seen.uid}, which no create acknowledged"]
    if seen.version > log.top or seen.label != log.label_at(seen.version):
        return [f"{where} showed {seen}, which no acknowledged write made"]
    if any(delete.ended < fetch.began for delete in log.deletes):
        return [f"{where} showed span {seen.uid} after its delete was acknowledged"]
    newer = [u.version for u in log.updates if u.ended < fetch.began and u.version > seen.version]
    if newer:
        return [f"{where} showed {seen} after version {max(newer)} was acknowledged"]
    return []


def check_links(
    calls: Sequence[Call],
    spans: Mapping[str, SpanLog],
    final: Mapping[str, SpanState],
    links: Sequence[LinkState],
) -> list[str]:
    """Return links that join the wrong labels, that nobody made, or that vanished unasked."""
    problems = []
    made = {call.relation: call for call in calls if call.op == "link" and call.status == 201}
    for link in links:
        source, target = final.get(link.source), final.get(link.target)
        labels = (source and source.label, target and target.label)
        if labels[0] != "QUOTE" or labels[1] not in SPEAKER_LABELS:
            problems.append(
                f"relation {link.relation} links {link.source} ({labels[0]}) to "
                f"{link.target} ({labels[1]}): a speaker link needs a QUOTE and an ACTOR "
                "or ANON_SOURCE"
            )
        if link.relation not in made:
            problems.append(f"relation {link.relation} is in the database but nobody linked it")
    kept = {link.relation for link in links}
    for relation, call in made.items():
        # A relabel or delete of either span that ended after the link began may have removed it.
        touched = [
            write
            for uid in (call.uid, call.target)
            if uid in spans
            for write in (*spans[uid].updates, *spans[uid].deletes)
            if write.ended > call.began
        ]
        if relation not in kept and not touched:
            problems.append(f"{describe(call)} (relation {relation}) is not in the database")
    return problems

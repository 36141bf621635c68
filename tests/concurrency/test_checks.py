from tests.concurrency.checks import Call, LinkState, Seen, SpanState, verify

DOCUMENT = 7


def call(op: str, status: int, began: float, **fields) -> Call:
    """Return a call of client 0 on DOCUMENT that took 0.5 s from `began`."""
    return Call(
        client=0, op=op, document=DOCUMENT, began=began, ended=began + 0.5, status=status, **fields
    )


def create(uid: str, at: float, *, label: str = "ACTOR", status: int = 201, start: int = 0):
    answered = {"version": 1, "returned_label": label} if status == 201 else {}
    return call("create", status, at, uid=uid, label=label, start=start, end=5, **answered)


def update(uid: str, at: float, sent: int, label: str, status: int = 200, **answered):
    if status == 200:
        answered = {"version": sent + 1, "returned_label": label}
    return call("update", status, at, uid=uid, label=label, sent_version=sent, **answered)


def delete(uid: str, at: float, sent: int, status: int = 204, **answered):
    return call("delete", status, at, uid=uid, sent_version=sent, **answered)


def state(uid: str, version: int, label: str, *, start: int = 0) -> dict[str, SpanState]:
    return {uid: SpanState(uid, DOCUMENT, label, start, 5, version)}


def contended_history() -> list[Call]:
    """Two clients relabel span a from version 1; the second is told version 2 is current."""
    return [
        create("a", 0),
        update("a", 1, 1, "QUOTE"),
        update("a", 1.2, 1, "FIGURE", status=409, version=2, returned_label="QUOTE"),
        update("a", 2, 2, "FIGURE"),
        call("fetch", 200, 3, seen=(Seen("a", 3, "FIGURE"),)),
    ]


def test_a_contended_but_correct_run_has_no_violations():
    assert verify(contended_history(), state("a", 3, "FIGURE")) == []


def test_a_deleted_span_answers_404_afterwards_and_is_gone():
    calls = [
        *contended_history(),
        delete("a", 4, 2, status=409, version=3, returned_label="FIGURE"),
        delete("a", 5, 3),
        update("a", 5.2, 3, "ACTOR", status=404),
        delete("a", 5.3, 3, status=404),
    ]

    assert verify(calls, {}) == []


def test_two_updates_acknowledged_from_the_same_version_are_a_lost_update():
    calls = [*contended_history(), update("a", 1.5, 1, "ANON_SOURCE")]

    problems = verify(calls, state("a", 3, "FIGURE"))

    assert any(p.startswith("lost update: span a") for p in problems)


def test_an_acknowledged_update_missing_from_the_database_is_reported():
    problems = verify(contended_history(), state("a", 2, "QUOTE"))

    assert problems == [
        "span a is at version 2, but 2 updates were acknowledged (expected version 3)"
    ]


def test_a_final_label_other_than_the_last_acknowledged_one_is_reported():
    problems = verify(contended_history(), state("a", 3, "ACTOR"))

    assert problems == [
        "span a is labelled ACTOR, but the last acknowledged write labelled it FIGURE"
    ]


def test_an_acknowledged_create_missing_from_the_database_is_reported():
    problems = verify(contended_history(), {})

    assert problems == ["span a was created (201), never deleted, and is not in the database"]


def test_an_acknowledged_delete_of_a_span_still_there_is_reported():
    calls = [*contended_history(), delete("a", 4, 3)]

    problems = verify(calls, state("a", 3, "FIGURE"))

    assert problems == ["span a was deleted (204) but is still in the database"]


def test_a_delete_acknowledged_from_an_old_version_is_reported():
    calls = [*contended_history(), delete("a", 4, 2)]

    problems = verify(calls, {})

    assert problems == [
        "delete of a from version 2 (client 0) answered 204, but acknowledged updates took it "
        "to version 3"
    ]


def test_a_conflict_that_names_the_version_sent_is_reported():
    calls = [*contended_history(), update("a", 4, 3, "ACTOR", status=409, version=3)]

    problems = verify(calls, state("a", 3, "FIGURE"))

    assert problems == [
        "update of a from version 3 (client 0) answered 409 though the span was at version 3"
    ]


def test_a_conflict_that_names_a_version_nobody_wrote_is_reported():
    calls = [*contended_history(), update("a", 4, 1, "ACTOR", status=409, version=4)]

    problems = verify(calls, state("a", 3, "FIGURE"))

    assert problems == [
        "update of a from version 1 (client 0) answered 409 naming version 4, never acknowledged"
    ]


def test_a_404_before_any_delete_is_reported():
    calls = [*contended_history(), update("a", 4, 3, "ACTOR", status=404)]

    problems = verify(calls, state("a", 3, "FIGURE"))

    assert problems == [
        "update of a from version 3 (client 0) answered 404 before any delete of it"
    ]


def test_server_errors_and_requests_without_answer_are_reported():
    calls = [
        *contended_history(),
        update("a", 4, 3, "ACTOR", status=500, detail="Server Error"),
        call("fetch", 0, 5, detail="TimeoutError: timed out"),
    ]

    problems = verify(calls, state("a", 3, "FIGURE"))

    assert problems == [
        "update of a from version 3 (client 0) answered 500: Server Error",
        f"fetch of document {DOCUMENT} (client 0) got no answer: TimeoutError: timed out",
    ]


def test_a_run_without_any_409_did_not_contend():
    problems = verify([create("a", 0)], state("a", 1, "ACTOR"))

    assert problems == ["no request got 409: the clients did not contend"]


def test_a_duplicate_create_answered_400_is_expected_but_not_if_saved():
    calls = [*contended_history(), create("b", 4, label="QUOTE", status=400)]
    assert verify(calls, state("a", 3, "FIGURE")) == []

    problems = verify(calls, {**state("a", 3, "FIGURE"), **state("b", 1, "QUOTE")})

    assert problems == ["create of b (client 0) answered 400 but the span was saved"]


def test_a_400_with_no_span_to_collide_with_is_reported():
    calls = [*contended_history(), create("b", 4, label="ACTOR", status=400, start=9)]

    problems = verify(calls, state("a", 3, "FIGURE"))

    assert problems == ["create of b (client 0) answered 400 with no such span there: "]


def test_a_span_that_no_create_acknowledged_is_reported():
    problems = verify(contended_history(), {**state("a", 3, "FIGURE"), **state("z", 1, "ACTOR")})

    assert problems == ["span z is in the database but nobody created it"]


def test_a_fetch_older_than_an_acknowledged_update_is_reported():
    calls = [*contended_history(), call("fetch", 200, 4, seen=(Seen("a", 2, "QUOTE"),))]

    problems = verify(calls, state("a", 3, "FIGURE"))

    assert problems == [
        f"fetch of document {DOCUMENT} (client 0) showed Seen(uid='a', version=2, "
        "label='QUOTE') after version 3 was acknowledged"
    ]


def test_a_fetch_that_misses_an_acknowledged_span_is_reported():
    calls = [*contended_history(), call("fetch", 200, 4, seen=())]

    problems = verify(calls, state("a", 3, "FIGURE"))

    assert problems == [f"fetch of document {DOCUMENT} missed created span a"]


def linked_history() -> list[Call]:
    """Quote q gets speaker s (relation 9) after s was relabelled ANON_SOURCE under contention."""
    return [
        create("q", 0, label="QUOTE"),
        create("s", 0, label="ACTOR", start=6),
        update("s", 1, 1, "ANON_SOURCE"),
        delete("s", 2, 1, status=409, version=2, returned_label="ANON_SOURCE"),
        call("link", 201, 3, uid="q", target="s", relation=9),
    ]


def linked_state(quote_label: str = "QUOTE", quote_version: int = 1) -> dict[str, SpanState]:
    return {**state("q", quote_version, quote_label), **state("s", 2, "ANON_SOURCE", start=6)}


def test_a_speaker_link_between_a_quote_and_an_anonymous_source_has_no_violations():
    assert verify(linked_history(), linked_state(), [LinkState(9, "q", "s")]) == []


def test_a_speaker_link_from_a_span_that_is_no_longer_a_quote_is_reported():
    calls = [*linked_history(), update("q", 4, 1, "FIGURE")]

    problems = verify(calls, linked_state("FIGURE", 2), [LinkState(9, "q", "s")])

    assert problems == [
        "relation 9 links q (FIGURE) to s (ANON_SOURCE): a speaker link needs a QUOTE and an "
        "ACTOR or ANON_SOURCE"
    ]


def test_an_acknowledged_link_of_untouched_spans_missing_from_the_database_is_reported():
    problems = verify(linked_history(), linked_state(), [])

    assert problems == ["link of q (client 0) (relation 9) is not in the database"]


def test_a_link_that_a_relabel_may_have_dropped_is_not_required():
    calls = [*linked_history(), update("q", 3.2, 1, "FIGURE")]

    assert verify(calls, linked_state("FIGURE", 2), []) == []


def test_a_link_nobody_made_is_reported():
    problems = verify(
        linked_history(), linked_state(), [LinkState(9, "q", "s"), LinkState(4, "q", "s")]
    )

    assert problems == ["relation 4 is in the database but nobody linked it"]

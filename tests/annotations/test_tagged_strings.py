"""Tagged strings: counts kept by database triggers, equal to the spans' after every write."""

import contextlib
import json
import random
import uuid
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.models import Annotation, TaggedString
from annotations.spans import create_span, delete_span, update_span
from teams.adjudication import accept_agreed, accept_spans
from teams.history import RevertError, document_history, revert_change
from tests.annotations.formats.corpora import byline_lines, make_synthetic_corpus
from tests.annotations.interchange.test_update import edit, write_lines
from tests.factories import make_corpus, make_document, make_team, make_user

TEXT = "Canada said Canada will. Mark Carney met Joly in Canada. “We are ready,” said Joly."
TRIGGERS = {
    "sqlite": {
        "annotations_taggedstring_span_inserted",
        "annotations_taggedstring_span_deleted",
        "annotations_taggedstring_span_changed",
    },
    "postgresql": {
        "annotations_taggedstring_spans_inserted",
        "annotations_taggedstring_spans_deleted",
        "annotations_taggedstring_spans_updated",
    },
}


def counted_from_spans() -> dict[tuple, int]:
    """Return the span count of each (corpus, label, text, layer annotator, gold), as the
    triggers should keep it: gold is one layer, whoever adjudicated it."""
    rows = Annotation.objects.values_list(
        "document__corpus", "label", "text", "annotator", "is_gold"
    )
    counts = Counter(
        (c, label, text, None if gold else a, gold) for c, label, text, a, gold in rows
    )
    return dict(counts)


def stored_counts() -> dict[tuple, int]:
    rows = TaggedString.objects.values_list(
        "corpus", "label", "text", "annotator", "is_gold", "spans"
    )
    return {tuple(row[:5]): row[5] for row in rows}


def assert_counts_match():
    stored = stored_counts()
    assert all(count > 0 for count in stored.values()), "a count of 0 was kept"
    assert stored == counted_from_spans()


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def document(team):
    return make_document(team.corpus, TEXT, external_id="canada")


def label(corpus, key):
    return corpus.labels.get(key=key)


def span_over(document, key, covered, *, occurrence=0, **fields):
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(covered, start + 1)
    return create_span(
        document=document,
        label=label(document.corpus, key),
        start=start,
        end=start + len(covered),
        covered=covered,
        attributes={},
        **{"annotator": None, **fields},
    )


def test_the_triggers_exist_after_every_migration(db):
    # A migration that remakes the span table on SQLite drops its triggers with it.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {name for (name,) in cursor.fetchall()}
    assert TRIGGERS[connection.vendor] <= names


def test_the_actions_keep_the_counts(team, document):
    ana, ben = team.users["ana"], team.users["ben"]
    first = span_over(document, "ACTOR", "Canada", annotator=ana)
    assert stored_counts() == {(team.corpus.pk, first.label_id, "Canada", ana.pk, False): 1}
    second = span_over(document, "ACTOR", "Canada", occurrence=1, annotator=ana)
    span_over(document, "ACTOR", "Canada", annotator=ben)
    span_over(document, "ACTOR", "Canada", is_gold=True, annotator=ben)
    span_over(document, "ACTOR", "Canada", occurrence=2, is_gold=True, annotator=ana)
    span_over(document, "ACTOR", "Joly")  # an analyst's span without an annotator
    assert_counts_match()
    assert TaggedString.objects.get(text="Canada", is_gold=True).spans == 2
    assert TaggedString.objects.get(text="Canada", annotator=ana).spans == 2

    # Move the edges: the string changes.
    second = update_span(span=second, version=1, bounds=(second.start, second.end - 2))
    assert second.text == "Cana"
    assert_counts_match()
    # Relabel.
    first = update_span(span=first, version=1, label=label(team.corpus, "ANON_SOURCE"))
    assert_counts_match()
    # Attributes only: nothing counted changes.
    first = update_span(span=first, version=2, attributes={"count": 2})
    assert_counts_match()
    delete_span(span=second)
    delete_span(span=first)
    assert_counts_match()
    assert not TaggedString.objects.filter(annotator=ana).exists()


def test_the_api_keeps_the_counts(client, team, document):
    mia = team.manager
    client.force_login(mia)
    spans = f"/api/documents/{document.pk}/spans/"
    start = TEXT.index("Mark Carney")
    created = client.post(
        spans,
        {"label": "ACTOR", "start": start, "end": start + 11, "text": "Mark Carney"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert_counts_match()
    span = f"{spans}{created.json()['uid']}/"
    moved = client.patch(
        span, {"version": 1, "start": start + 5, "end": start + 11}, content_type="application/json"
    )
    assert moved.status_code == 200, moved.json()
    relabelled = client.patch(
        span, {"version": 2, "label": "QUOTE"}, content_type="application/json"
    )
    assert relabelled.status_code == 200, relabelled.json()
    assert stored_counts() == {
        (team.corpus.pk, label(team.corpus, "QUOTE").pk, "Carney", mia.pk, False): 1
    }
    deleted = client.delete(span, {"version": 3}, content_type="application/json")
    assert deleted.status_code == 204
    assert stored_counts() == {}


def test_a_bulk_import_and_an_update_keep_the_counts(tmp_path, db):
    corpus = make_synthetic_corpus(tmp_path)
    assert TaggedString.objects.filter(corpus=corpus).exists()
    assert_counts_match()
    path = write_lines(tmp_path, edit(byline_lines(corpus)))
    report = import_paths([path], corpus=corpus, update=True)
    assert not report.failures, report.failures[0].problem
    assert report.changed == 2
    assert_counts_match()


def test_an_import_of_many_spans_of_few_strings_adds_them_up(tmp_path, db):
    corpus = get_or_create_corpus("Many")
    text = "Canada and Joly. " * 40
    lines = [
        {
            "id": f"doc-{number}",
            "text": f"{number}: {text}",
            "spans": [
                {"start": start, "end": start + 6, "label": "ACTOR", "annotator": name}
                for name in ("ana", "ben")
                for start in range(len(f"{number}: "), len(f"{number}: {text}"), 17)
            ],
        }
        for number in range(30)
    ]
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = import_paths([path], corpus=corpus)
    assert not report.failures, report.failures[0].problem
    assert sorted(TaggedString.objects.values_list("text", "spans")) == [
        ("Canada", 1200),
        ("Canada", 1200),
    ]
    assert_counts_match()


def test_a_string_longer_than_an_index_entry_is_counted(team):
    # PostgreSQL's index entries take at most 2,704 bytes: the unique index holds a digest.
    text = "Officials said: " + "“" + "a very long quote, " * 500 + "”"
    document = make_document(team.corpus, text)
    quote = text[text.index("“") :]
    span_over(document, "QUOTE", quote, annotator=team.users["ana"])
    span_over(document, "QUOTE", quote, annotator=team.users["ben"])
    assert_counts_match()
    assert TaggedString.objects.get(annotator=team.users["ana"]).text == quote


def test_adjudication_and_revert_keep_the_counts(team, document):
    ana, ben, rev = team.users["ana"], team.users["ben"], team.reviewer
    for analyst in (ana, ben):
        span_over(document, "ACTOR", "Mark Carney", annotator=analyst)
        span_over(document, "QUOTE", "We are ready,", annotator=analyst)
    joly = span_over(document, "ACTOR", "Joly", annotator=ben)
    span_over(document, "ANON_SOURCE", "Joly", annotator=ana)
    accept_agreed(document=document, reviewer=rev)
    assert_counts_match()
    [gold] = accept_spans(spans=[joly], reviewer=rev)
    assert_counts_match()
    # Choosing the other reading replaces the gold one.
    [other] = accept_spans(spans=[Annotation.objects.get(text="Joly", annotator=ana)], reviewer=rev)
    assert_counts_match()
    delete_span(span=other, editor=rev)
    assert_counts_match()
    # Revert every change, newest first, as far as the rules allow.
    reverted = 0
    for entry in document_history(document):
        if entry.kind == "span":
            # A refused revert writes nothing.
            with contextlib.suppress(RevertError):
                revert_change(kind="span", record_id=entry.record_id, document=document, user=rev)
                reverted += 1
            assert_counts_match()
    assert reverted >= 3


def test_deleting_a_document_a_corpus_or_a_user_keeps_the_counts(team, document):
    ana, ben, rev = team.users["ana"], team.users["ben"], team.reviewer
    other = make_document(team.corpus, "Joly met Canada.", external_id="other")
    for analyst in (ana, ben):
        span_over(document, "ACTOR", "Canada", annotator=analyst)
        span_over(other, "ACTOR", "Canada", annotator=analyst)
        span_over(other, "ACTOR", "Joly", annotator=analyst)
    span_over(other, "ACTOR", "Joly", is_gold=True, annotator=rev)
    second = make_corpus("Other")
    elsewhere = make_document(second, "Canada again.", external_id="elsewhere")
    span_over(elsewhere, "ACTOR", "Canada", annotator=ana)

    document.delete()
    assert_counts_match()
    assert TaggedString.objects.get(text="Canada", annotator=ana, corpus=team.corpus).spans == 1
    # The analysts' spans lose their annotator, the adjudicator's gold stays gold.
    ana.delete()
    rev.delete()
    assert_counts_match()
    assert (
        TaggedString.objects.get(text="Canada", annotator=None, is_gold=False, corpus=second).spans
        == 1
    )
    # A corpus whose labels tag spans is protected: its documents go first (as the admin does).
    team.corpus.documents.all().delete()
    assert_counts_match()
    team.corpus.delete()
    assert_counts_match()
    assert set(TaggedString.objects.values_list("corpus", flat=True)) == {second.pk}


def test_a_label_without_spans_is_deleted_with_no_counts_left(team, document):
    span = span_over(document, "FIGURE", "Canada", annotator=team.users["ana"])
    delete_span(span=span)
    label(team.corpus, "FIGURE").delete()
    assert_counts_match()


def test_one_statement_that_changes_many_spans_moves_their_counts(team, document):
    ana, ben = team.users["ana"], team.users["ben"]
    for analyst in (ana, ben):
        for occurrence in range(3):
            span_over(document, "ACTOR", "Canada", occurrence=occurrence, annotator=analyst)
    Annotation.objects.filter(annotator=ana).update(label=label(team.corpus, "QUOTE"))
    assert_counts_match()
    Annotation.objects.filter(annotator=ben, start__gt=0).update(is_gold=True)
    assert_counts_match()
    Annotation.objects.filter(label__key="QUOTE").update(annotator=ben)
    assert_counts_match()
    Annotation.objects.all().delete()
    assert stored_counts() == {}


PLACES = [
    (start, start + len(word))
    for word in ("Canada", "Joly")
    for start in range(len(TEXT))
    if TEXT.startswith(word, start)
]
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["create", "move", "relabel", "delete", "delete user"]),
        st.sampled_from(PLACES),
        st.sampled_from(["ACTOR", "QUOTE"]),
        st.sampled_from(["ana", "ben", None, "gold"]),
        st.integers(0, 1000),
    ),
    min_size=1,
    max_size=25,
)


def apply_write(operation, place, key, layer, chosen, *, document, users):
    """Write spans in SQL as a bulk path or a cascade would, around the actions' checks."""
    corpus = document.corpus
    if operation == "create" or chosen is None:
        start, end = place
        Annotation.objects.create(
            document=document,
            label=label(corpus, key),
            start=start,
            end=end,
            text=TEXT[start:end],
            # Gold names who adjudicated it; a deleted analyst's layer is no one's.
            annotator=next(iter(users.values()), None) if layer == "gold" else users.get(layer),
            is_gold=layer == "gold",
        )
    elif operation == "move":
        end = chosen.start + 2
        Annotation.objects.filter(pk=chosen.pk).update(end=end, text=TEXT[chosen.start : end])
    elif operation == "relabel":
        Annotation.objects.filter(pk=chosen.pk).update(label=label(corpus, key))
    elif operation == "delete":
        chosen.delete()
    elif chosen.annotator_id is not None:
        get_user_model().objects.filter(pk=chosen.annotator_id).delete()


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(OPERATIONS)
def test_any_sequence_of_writes_keeps_the_counts(operations):
    with transaction.atomic():
        corpus = make_corpus(f"Walk {uuid.uuid4().hex}")
        document = make_document(corpus, TEXT)
        names = [f"ana-{uuid.uuid4().hex[:8]}", f"ben-{uuid.uuid4().hex[:8]}"]
        users = dict(zip(["ana", "ben"], map(make_user, names), strict=True))
        for operation, place, key, layer, pick in operations:
            spans = list(Annotation.objects.filter(document=document).order_by("pk"))
            chosen = spans[pick % len(spans)] if spans else None
            users = {
                name: user
                for name, user in users.items()
                if get_user_model().objects.filter(pk=user.pk).exists()
            }
            try:
                with transaction.atomic():
                    apply_write(
                        operation, place, key, layer, chosen, document=document, users=users
                    )
            except IntegrityError:
                pass  # a span already in its layer: the savepoint undid the write
            assert_counts_match()
        transaction.set_rollback(True)


def test_a_random_walk_through_the_actions_keeps_the_counts(team, document):
    rng = random.Random(14)
    analysts = [team.users["ana"], team.users["ben"]]
    words = ["Canada", "Joly", "Mark Carney", "We are ready,"]
    for _ in range(60):
        spans = list(Annotation.objects.order_by("pk"))
        roll = rng.random()
        if roll < 0.5 or not spans:
            word = rng.choice(words)
            occurrences = TEXT.count(word)
            # A span already in its layer is refused, and nothing is written.
            with contextlib.suppress(ValidationError):
                span_over(
                    document,
                    rng.choice(["ACTOR", "QUOTE", "ANON_SOURCE"]),
                    word,
                    occurrence=rng.randrange(occurrences),
                    annotator=rng.choice(analysts),
                    is_gold=rng.random() < 0.2,
                )
        elif roll < 0.7:
            span = rng.choice(spans)
            with contextlib.suppress(ValidationError):
                update_span(
                    span=span,
                    version=span.version,
                    label=label(team.corpus, rng.choice(["ACTOR", "QUOTE"])),
                    bounds=(span.start, span.end - rng.randrange(span.end - span.start)),
                )
        else:
            delete_span(span=rng.choice(spans))
        assert_counts_match()


def test_deleting_a_span_locks_only_its_own_row(team, document):
    # The CI's concurrency check met a deadlock at commit: a delete's row lock, ordered by the
    # model's ordering, joined the document and the corpus and locked them FOR UPDATE, and a
    # concurrent write's foreign-key check of its tagged string (KEY SHARE on the corpus)
    # waited on it while the delete waited on that write.
    span = span_over(document, "ACTOR", "Canada", annotator=team.users["ana"])
    with CaptureQueriesContext(connection) as queries:
        delete_span(span=span, version=1)
    locking = [
        q["sql"] for q in queries if "annotations_annotation" in q["sql"].split(" FROM ")[-1]
    ]
    reads = [sql for sql in locking if sql.lstrip().upper().startswith("SELECT")]
    assert reads, "the delete reads its span first"
    assert not any("corpus_corpus" in sql or "corpus_document" in sql for sql in reads), reads
    if connection.vendor == "postgresql":
        assert any('FOR UPDATE OF "annotations_annotation"' in sql for sql in reads), reads

"""Chunked import through the driver's bulk path: same result, whole file or nothing."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.interchange import bulk_insert, imports
from annotations.interchange.bulk_insert import insert_rows
from annotations.interchange.export import documents_for_export, write_jsonl
from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.models import Annotation, Label, Relation
from corpus.models import Document, TaggedDocument
from tests.factories import EMOJI_TEXT

QUOTE = "We are ready."


def article(number: int, **overrides) -> dict:
    """Return a Byline line with an actor, a quote and its speaker, a figure and a source."""
    text = f"{EMOJI_TEXT} Story {number}: Joly said “{QUOTE}” after 150 billion-euro talks."
    quote = text.index(QUOTE)
    figure = text.index("150 billion-euro")
    joly = text.index("Joly")
    return {
        "id": f"d{number}",
        "text": text,
        "title": f"Story {number} 😀",
        "published": "2025-03-19",
        "url": f"https://example.com/{number}",
        "language": "en",
        "tags": ["defence", "Émoji", "DEFENCE"] if number % 2 else ["Canada"],
        "metadata": {"wire": "CP", "n": number},
        "spans": [
            {"id": "a", "start": joly, "end": joly + 4, "label": "ACTOR", "annotator": "ana"},
            {"id": "g", "start": joly, "end": joly + 4, "label": "ACTOR", "gold": True},
            {
                "id": "q",
                "start": quote,
                "end": quote + len(QUOTE),
                "label": "QUOTE",
                "annotator": "ana",
            },
            {
                "id": "f",
                "start": figure,
                "end": figure + 16,
                "label": "FIGURE",
                "annotator": "bo",
                "attributes": {"value": 150e9, "unit": "EUR", "approximate": False},
            },
        ],
        "relations": [{"type": "speaker", "from": "q", "to": "a"}],
        **overrides,
    }


def write_lines(tmp_path, name: str, lines: list) -> object:
    path = tmp_path / name
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


def export_bytes(corpus) -> bytes:
    out = io.BytesIO()
    write_jsonl(documents_for_export(corpus.documents.all()), out)
    return out.getvalue()


@pytest.fixture
def chunks_of_two(monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)


@pytest.mark.django_db
def test_import_in_chunks_stores_exactly_what_a_whole_file_import_stores(
    tmp_path, monkeypatch, django_assert_max_num_queries
):
    # Seven documents (four chunks of two), and d1's text again under another id.
    lines = [article(n) for n in range(1, 8)] + [article(1, id="copy-of-d1")]
    path = write_lines(tmp_path, "wire.jsonl", lines)
    whole = get_or_create_corpus("Whole")
    whole_report = import_paths([path], corpus=whole)

    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    chunked = get_or_create_corpus("Chunked")
    with django_assert_max_num_queries(60):
        report = import_paths([path], corpus=chunked)

    assert not report.failures
    assert (report.created, report.unchanged, report.spans, report.relations) == (7, 1, 28, 7)
    assert (whole_report.created, whole_report.spans) == (7, 28)
    assert export_bytes(chunked) == export_bytes(whole).replace(
        b'"corpus":"Whole"', b'"corpus":"Chunked"'
    )
    d1 = chunked.documents.get(external_id="d1")
    assert d1.published == datetime.date(2025, 3, 19)
    assert d1.metadata == {"wire": "CP", "n": 1}
    assert sorted(name.lower() for name in d1.tags.names()) == ["defence", "émoji"]
    assert d1.annotations.get(uid="g").is_gold
    assert d1.annotations.get(uid="f").attributes["value"] == 150e9
    assert Relation.objects.filter(document=d1).get().target.uid == "a"
    # "defence" and "DEFENCE" are one tag, linked once per document.
    assert chunked.tags.filter(name__iexact="defence").count() == 1
    assert d1.tagged_items.filter(tag__name__iexact="defence").count() == 1
    # As with bulk_create before, an import writes no history rows.
    assert Annotation.history.count() == 0
    assert Document.history.count() == 0


@pytest.mark.django_db
def test_rows_written_in_bulk_match_rows_the_orm_writes():
    corpus = get_or_create_corpus("Bulk")
    now = datetime.datetime(2025, 3, 19, 12, 30, tzinfo=datetime.UTC)
    rows = [
        (corpus.pk, f"x{i}", f"Text {i}.", f"{i}" * 64, datetime.date(2025, 3, 19), {"k": "é"})
        + ([], now, now)
        for i in range(3)
    ]
    assert (
        insert_rows(
            Document,
            ("corpus", "external_id", "text", "text_sha256", "published", "metadata")
            + ("quality_flags", "created_at", "updated_at"),
            rows,
        )
        == 3
    )
    stored = corpus.documents.get(external_id="x1")
    assert (stored.status, stored.created_at, stored.published) == (
        "new",
        now,
        datetime.date(2025, 3, 19),
    )
    # Exact JSON lookups match, as for a row the ORM saved (SQLite compares the text).
    assert corpus.documents.filter(metadata={"k": "é"}).count() == 3
    assert corpus.documents.flagged().count() == 0


@pytest.mark.django_db
def test_rows_beyond_one_insert_are_all_written(monkeypatch):
    monkeypatch.setattr(bulk_insert, "SQLITE_ROWS_PER_INSERT", 2)
    corpus = get_or_create_corpus("Batches")
    now = datetime.datetime(2025, 3, 19, 12, 30, tzinfo=datetime.UTC)
    names = ("corpus", "external_id", "text", "text_sha256", "metadata", "quality_flags")
    rows = [(corpus.pk, f"x{i}", f"Text {i}.", f"{i}" * 64, {}, []) for i in range(5)]
    assert (
        insert_rows(Document, (*names, "created_at", "updated_at"), [r + (now, now) for r in rows])
        == 5
    )
    assert sorted(corpus.documents.values_list("external_id", flat=True)) == [
        f"x{i}" for i in range(5)
    ]


@pytest.mark.django_db
def test_spans_without_an_id_each_get_their_own(tmp_path):
    line = article(1)
    for span in line["spans"]:
        del span["id"]
    del line["relations"]
    corpus = get_or_create_corpus("Ids")
    assert not import_paths([write_lines(tmp_path, "a.jsonl", [line])], corpus=corpus).failures
    uids = list(Annotation.objects.values_list("uid", flat=True))
    assert len(set(uids)) == 4
    assert all(len(uid) == 32 for uid in uids)


def test_a_field_needing_a_value_per_row_must_be_given():
    given = ("document", "label", "start", "end", "text", "attributes")
    with pytest.raises(ValueError, match=r"annotations\.Annotation\.uid has a callable default"):
        insert_rows(Annotation, given, [])
    with pytest.raises(ValueError, match=r"annotations\.Annotation\.created_at has auto_now_add"):
        insert_rows(Annotation, ("uid", *given), [])
    with pytest.raises(ValueError, match=r"annotations\.Annotation\.updated_at has auto_now,"):
        insert_rows(Annotation, ("uid", *given, "created_at"), [])


def assert_nothing_of_the_file() -> None:
    assert Document.objects.count() == 0
    assert Annotation.objects.count() == 0
    assert Relation.objects.count() == 0
    assert TaggedDocument.objects.count() == 0
    assert not Label.objects.filter(key="PLACE").exists()
    assert (
        not Annotation._meta.get_field("annotator")
        .related_model.objects.filter(username__in=["ana", "bo"])
        .exists()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("last_line", "message"),
    [
        ("{not json", ":6: invalid JSON"),
        ({"id": "d1", "text": "Another text."}, ":6: id: id 'd1' was already used on line 1"),
        (
            {"id": "d9", "text": "Paris.", "spans": [{"start": 0, "end": 50, "label": "ACTOR"}]},
            ":6: spans[0]: span [0, 50) is outside",
        ),
    ],
    ids=["broken-json", "id-from-first-chunk", "span-off-the-text"],
)
def test_a_problem_in_the_last_chunk_leaves_nothing_of_the_file(
    tmp_path, chunks_of_two, last_line, message
):
    # Chunks: d1 d2 | PLACE (a new label) d3 | d4 and the last line.
    place = {"id": "p", "text": "Paris.", "spans": [{"start": 0, "end": 5, "label": "PLACE"}]}
    lines = [article(1), article(2), place, article(3), article(4), last_line]
    path = write_lines(tmp_path, "bad.jsonl", lines)
    corpus = get_or_create_corpus("Broken")
    report = import_paths([path], corpus=corpus, create_labels=True)
    [failure] = report.failures
    assert str(failure.problem).startswith(f"{path}{message}")
    assert (report.created, report.spans, report.created_annotators) == (0, 0, [])
    assert_nothing_of_the_file()


@pytest.mark.django_db
def test_a_row_the_database_refuses_in_the_last_chunk_leaves_nothing_of_the_file(
    tmp_path, chunks_of_two
):
    # Two speakers for one quote passes validation; the database's constraint refuses it.
    last = article(5)
    figure = next(span for span in last["spans"] if span["id"] == "f")
    second_speaker = {"id": "a2", "start": figure["start"], "end": figure["end"], "label": "ACTOR"}
    last["spans"].append(second_speaker | {"annotator": "ana"})
    last["relations"].append({"type": "speaker", "from": "q", "to": "a2"})
    path = write_lines(tmp_path, "refused.jsonl", [*(article(n) for n in range(1, 5)), last])
    report = import_paths([path], corpus=get_or_create_corpus("Refused"))
    [failure] = report.failures
    assert str(failure.problem).startswith(f"{path}: the database refused the file")
    assert report.created == 0
    assert_nothing_of_the_file()


@pytest.mark.django_db
def test_reimport_in_chunks_creates_nothing(tmp_path, chunks_of_two):
    path = write_lines(tmp_path, "wire.jsonl", [article(n) for n in range(1, 6)])
    corpus = get_or_create_corpus("Again")
    first = import_paths([path], corpus=corpus)
    counts = (Document.objects.count(), Annotation.objects.count(), TaggedDocument.objects.count())
    second = import_paths([path], corpus=corpus)
    assert (first.created, first.unchanged) == (5, 0)
    assert (second.created, second.unchanged, second.spans, second.failures) == (0, 5, 0, [])
    assert counts == (5, 20, 8)
    assert (
        Document.objects.count(),
        Annotation.objects.count(),
        TaggedDocument.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_dry_run_in_chunks_checks_the_whole_file_and_writes_nothing(tmp_path, chunks_of_two):
    good = write_lines(tmp_path, "good.jsonl", [article(n) for n in range(1, 6)])
    bad = write_lines(tmp_path, "bad.jsonl", [*(article(n) for n in range(1, 5)), article(2)])
    report = import_paths([good, bad], corpus=get_or_create_corpus("Dry"), dry_run=True)
    assert report.files[0].created == 5
    assert str(report.files[1].problem).startswith(f"{bad}:5: id: id 'd2' was already used")
    assert_nothing_of_the_file()


@pytest.mark.django_db
def test_a_file_without_documents_still_fails(tmp_path):
    path = write_lines(tmp_path, "blank.jsonl", ["", "  "])
    [failure] = import_paths([path], corpus=get_or_create_corpus("Empty")).failures
    assert str(failure.problem) == f"{path}: file has no documents"


def count_import_queries(path, corpus_name: str) -> int:
    corpus = get_or_create_corpus(corpus_name)
    with CaptureQueriesContext(connection) as queries:
        assert not import_paths([path], corpus=corpus).failures
    return len(queries)


@pytest.mark.django_db
def test_import_queries_do_not_grow_with_the_documents_of_a_chunk(tmp_path):
    few = write_lines(tmp_path, "few.jsonl", [article(n) for n in range(1, 4)])
    many = write_lines(tmp_path, "many.jsonl", [article(n) for n in range(1, 41)])
    count_import_queries(few, "Warm-up")  # creates the annotators and tags both files name
    assert count_import_queries(few, "Few") == count_import_queries(many, "Many")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="planner statistics are PostgreSQL's: SQLite imports run no ANALYZE",
)
@pytest.mark.django_db
def test_planner_statistics_are_refreshed_after_a_large_file_on_postgresql(tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "ANALYZE_AFTER_ROWS", 10)
    small = write_lines(tmp_path, "small.jsonl", [article(1, spans=[], relations=[])])
    large = write_lines(tmp_path, "large.jsonl", [article(n) for n in range(2, 5)])
    corpus = get_or_create_corpus("Stats")
    with CaptureQueriesContext(connection) as queries:
        import_paths([small], corpus=corpus)
    assert not [q for q in queries if q["sql"].startswith("ANALYZE")]
    with CaptureQueriesContext(connection) as queries:
        import_paths([large], corpus=corpus)
    analyzed = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    assert analyzed == [
        'ANALYZE "corpus_document", "annotations_annotation", "annotations_relation", '
        '"corpus_taggeddocument", "annotations_taggedstring"'
    ]


@pytest.mark.django_db
def test_command_reports_each_chunk_written_at_verbosity_two(tmp_path, chunks_of_two):
    path = write_lines(tmp_path, "wire.jsonl", [article(n) for n in range(1, 6)])
    out = io.StringIO()
    call_command("import_documents", str(path), corpus="Wire", verbosity=2, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:3] == [f"writing {path}: {n} documents so far" for n in (2, 4, 5)]
    assert lines[-1] == (
        "Wire: created 5 documents (20 spans, 5 relations), unchanged 0, failed files 0 of 1"
    )

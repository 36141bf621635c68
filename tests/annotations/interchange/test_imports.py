import codecs
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotations.formats import FORMATS
from annotations.interchange.imports import get_or_create_corpus, import_paths, run_import
from annotations.interchange.plan import FileState, plan_chunk
from annotations.interchange.read import expand_paths, read_records
from annotations.interchange.records import DocumentRecord, ImportProblem, SpanRecord
from annotations.interchange.validate import CorpusState, length_limits
from annotations.models import Annotation, Relation
from corpus.models import Corpus, Document, sha256_hex
from tests.factories import SEED_PATHS, make_corpus

SEED_NYT, SEED_CP = SEED_PATHS


def import_files(*paths, corpus_name="Imported", **options):
    corpus = get_or_create_corpus(corpus_name)
    return corpus, import_paths(list(paths), corpus=corpus, **options)


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def jsonl(*records):
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", SEED_PATHS, ids=lambda path: path.name)
def test_seed_import_stores_the_file_text_byte_for_byte(seed):
    corpus, report = import_files(seed)
    assert report.created == 1
    assert not report.failures
    document = corpus.documents.get()
    assert document.text.encode("utf-8") == seed.read_bytes()
    assert document.external_id == seed.stem
    assert document.metadata["import"] == {"file": seed.name, "encoding": "utf-8"}


@pytest.mark.django_db
def test_seed_metadata_is_extracted():
    corpus, _ = import_files(SEED_NYT, SEED_CP)
    nyt = corpus.documents.get(external_id=SEED_NYT.stem)
    assert (nyt.source, nyt.dateline, nyt.published) == (
        "The New York Times",
        "OTTAWA, Ontario",
        None,
    )
    assert nyt.metadata["copyright_year"] == 2025
    assert nyt.title.startswith("Canada is in advanced talks with the European Union")
    cp = corpus.documents.get(external_id=SEED_CP.stem)
    assert (cp.source, cp.dateline, cp.published.isoformat()) == (
        "The Canadian Press",
        "OTTAWA",
        "2025-03-19",
    )
    # The publisher's name in the text is damaged; the inference is recorded, not hidden.
    assert "´ºÉ«Ö±²¥" in cp.metadata["extraction_notes"]["source"]
    assert cp.title.startswith("Foreign Affairs Minister Mélanie Joly says Canada")


@pytest.mark.django_db
def test_second_seed_is_flagged_for_both_kinds_of_encoding_damage_and_kept_as_is():
    corpus, _ = import_files(SEED_NYT, SEED_CP)
    assert corpus.documents.get(external_id=SEED_NYT.stem).quality_flags == []
    cp = corpus.documents.get(external_id=SEED_CP.stem)
    kinds = [flag["kind"] for flag in cp.quality_flags]
    assert kinds.count("gbk_as_latin1") == 4
    assert kinds.count("stray_nbsp_artifact") == 2
    for flag in cp.quality_flags:
        covered = cp.text[flag["start"] : flag["end"]]
        if flag["kind"] == "gbk_as_latin1":
            assert covered == "´ºÉ«Ö±²¥"
            assert flag["suggestion"] == "春色直播"
        else:
            assert covered == "Â"
        assert flag["note"]
    assert "´ºÉ«Ö±²¥" in cp.text  # flagged, never fixed
    assert Document.objects.flagged().get() == cp


@pytest.mark.django_db
def test_reimport_of_same_files_creates_nothing():
    corpus, first = import_files(SEED_NYT, SEED_CP)
    _, second = import_files(SEED_NYT, SEED_CP)
    assert (first.created, first.unchanged) == (2, 0)
    assert (second.created, second.unchanged) == (0, 2)
    assert corpus.documents.count() == 2


@pytest.mark.django_db
def test_same_text_under_another_name_is_not_a_duplicate(tmp_path):
    copy = write(tmp_path, "renamed.txt", SEED_NYT.read_bytes())
    corpus, _ = import_files(SEED_NYT)
    _, report = import_files(copy)
    assert (report.created, report.unchanged) == (0, 1)
    assert corpus.documents.count() == 1


@pytest.mark.django_db
def test_same_id_with_another_text_fails_and_keeps_the_stored_text(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write(tmp_path, "a/story.txt", "WASHINGTON - First version.")
    second = write(tmp_path, "b/story.txt", "WASHINGTON - Second version.")
    corpus, report = import_files(first, second)
    assert report.created == 1
    [failure] = report.failures
    assert "id 'story' exists" in str(failure.problem)
    assert "b/story.txt" in str(failure.problem)
    assert corpus.documents.get().text == "WASHINGTON - First version."


@pytest.mark.django_db
def test_bom_is_dropped_and_crlf_becomes_lf_and_both_are_recorded(tmp_path):
    path = write(tmp_path, "crlf.txt", codecs.BOM_UTF8 + b"OTTAWA - One.\r\nTwo.\r\n")
    corpus, _ = import_files(path)
    document = corpus.documents.get()
    assert document.text == "OTTAWA - One.\nTwo.\n"
    assert document.metadata["import"] == {
        "file": "crlf.txt",
        "encoding": "utf-8",
        "bom": True,
        "newline": "crlf",
    }


@pytest.mark.django_db
def test_utf16_file_with_bom_is_decoded_and_flagged(tmp_path):
    text = "BERLIN - Die Ministerin sagte, Österreich sei „bereit“.\n"
    path = write(tmp_path, "utf16.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    corpus, report = import_files(path)
    assert not report.failures
    document = corpus.documents.get()
    assert document.text == text
    [flag] = document.quality_flags
    assert (flag["kind"], flag["start"], flag["end"]) == ("encoding_guessed", 0, len(text))
    assert "not valid UTF-8" in flag["note"]
    assert "utf_16" in flag["note"]


@pytest.mark.django_db
def test_non_utf8_file_that_reads_differently_in_several_encodings_is_refused(tmp_path):
    text = "PARIS - Le ministre a déclaré que l'été serait chaud. « Nous sommes prêts ».\n" * 3
    path = write(tmp_path, "latin.txt", text.encode("cp1252"))
    corpus, report = import_files(path)
    [failure] = report.failures
    assert "reads differently as" in str(failure.problem)
    assert "cp1252" in str(failure.problem)
    assert corpus.documents.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\n", "file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("nul.txt", b"Text with a \x00 NUL", "NUL"),
        ("noise.txt", bytes(range(128, 256)) * 4, "not valid UTF-8"),
        ("notes.md", b"# not an article", "unsupported file type .md"),
    ],
)
def test_bad_text_files_fail_by_name_and_import_nothing(tmp_path, name, content, message):
    path = write(tmp_path, name, content)
    corpus, report = import_files(path)
    [failure] = report.failures
    assert message in str(failure.problem)
    assert name in str(failure.problem)
    assert corpus.documents.count() == 0


@pytest.mark.django_db
def test_jsonl_with_spans_relations_tags_and_annotators_is_imported(tmp_path):
    text = "Carney said: “We are ready.” Two officials agreed."
    path = write(
        tmp_path,
        "docs.jsonl",
        jsonl(
            {
                "id": "d1",
                "text": text,
                "title": "Ready",
                "tags": ["defence", "Canada"],
                "published": "2025-03-19",
                "spans": [
                    {
                        "id": "s1",
                        "start": 0,
                        "end": 6,
                        "label": "ACTOR",
                        "text": "Carney",
                        "annotator": "ana",
                    },
                    {"id": "s2", "start": 14, "end": 27, "label": "QUOTE", "annotator": "ana"},
                    {
                        "id": "s3",
                        "start": 29,
                        "end": 42,
                        "label": "ANON_SOURCE",
                        "attributes": {"count": 2},
                    },
                ],
                "relations": [{"type": "speaker", "from": "s2", "to": "s1"}],
            },
            {"id": "d2", "text": "No spans here."},
        ),
    )
    corpus, report = import_files(path)
    assert (report.created, report.spans, report.relations) == (2, 3, 1)
    assert report.created_annotators == ["ana"]
    document = corpus.documents.get(external_id="d1")
    assert sorted(document.tags.names()) == ["Canada", "defence"]
    quote = document.annotations.get(uid="s2")
    assert quote.text == "We are ready."
    assert quote.annotator.username == "ana"
    assert not quote.annotator.is_active
    assert Relation.objects.get().target.uid == "s1"
    assert document.annotations.get(uid="s3").attributes == {"count": 2}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("{not json", ":2: invalid JSON"),
        ('{"text": "No id."}', ":2: id: is required"),
        ('{"id": 7, "text": "x"}', ":2: id: must be string, not integer"),
        (
            '{"id": "b", "text": "Short.", "spans": [{"start": 0, "end": 99, "label": "ACTOR"}]}',
            ":2: spans[0]: span [0, 99) is outside",
        ),
        (
            '{"id": "b", "text": "Short.", '
            '"spans": [{"start": 0, "end": 5, "label": "ACTOR", "text": "Other"}]}',
            "covers 'Short', not 'Other'",
        ),
        (
            '{"id": "b", "text": "Short.", "spans": [{"start": 0, "end": 5, "label": "PLACE"}]}',
            "spans[0].label: unknown label 'PLACE'",
        ),
        (
            '{"id": "b", "text": "Short.", "spans": [{"start": 0.5, "end": 5, "label": "ACTOR"}]}',
            "spans[0].start: must be integer",
        ),
        (
            '{"id": "b", "text": "Short.", '
            '"relations": [{"type": "speaker", "from": "x", "to": "y"}]}',
            "relations[0].from: no span with id 'x'",
        ),
        (
            '{"id": "b", "text": "Ann said: yes.", "spans": ['
            '{"id": "q", "start": 10, "end": 13, "label": "QUOTE", "annotator": "ann"}, '
            '{"id": "a", "start": 0, "end": 3, "label": "ACTOR", "annotator": "bob"}], '
            '"relations": [{"type": "speaker", "from": "q", "to": "a"}]}',
            "relations[0]: a relation links two spans of the same layer",
        ),
        (
            '{"id": "b", "text": "Ann said: yes.", "spans": ['
            '{"id": "q", "start": 10, "end": 13, "label": "QUOTE", "gold": true}, '
            '{"id": "a", "start": 0, "end": 3, "label": "ACTOR"}], '
            '"relations": [{"type": "speaker", "from": "q", "to": "a"}]}',
            "relations[0]: a relation links two spans of the same layer",
        ),
        ('{"id": "b", "text": "Short.", "text_sha256": "00"}', "text_sha256: does not match"),
        (
            '{"id": "b", "text": "Short.", "tags": ["a\\u0000b"]}',
            ":2: tags[0]: tag contains a NUL character (U+0000) at character 1",
        ),
        ('{"id": "a", "text": "Again another text."}', "id 'a' was already used on line 1"),
        ('{"id": "b", "text": "Short.", "schema_version": 2}', "schema version 2 is not supported"),
    ],
)
def test_jsonl_with_one_broken_line_imports_none_of_its_documents(tmp_path, bad_line, message):
    path = write(
        tmp_path, "batch.jsonl", jsonl({"id": "a", "text": "A good document."}) + bad_line + "\n"
    )
    corpus, report = import_files(path)
    [failure] = report.failures
    assert message in str(failure.problem)
    assert str(failure.problem).startswith(str(path))
    assert corpus.documents.count() == 0
    assert Annotation.objects.count() == 0


@pytest.mark.django_db
def test_unknown_labels_are_created_only_when_asked(tmp_path):
    path = write(
        tmp_path,
        "x.jsonl",
        jsonl({"id": "b", "text": "Paris.", "spans": [{"start": 0, "end": 5, "label": "PLACE"}]}),
    )
    corpus, report = import_files(path, create_labels=True)
    assert report.created_labels == ["PLACE"]
    assert corpus.documents.get().annotations.get().label.key == "PLACE"


@pytest.mark.django_db
def test_dry_run_validates_and_writes_nothing(tmp_path):
    corpus, report = import_files(SEED_NYT, dry_run=True)
    assert report.created == 1
    assert corpus.documents.count() == 0


def test_folders_are_searched_recursively_and_globs_expand(tmp_path):
    (tmp_path / "2025" / "03").mkdir(parents=True)
    a = write(tmp_path, "2025/03/a.txt", "x")
    b = write(tmp_path, "2025/b.jsonl", "{}")
    write(tmp_path, "2025/readme.md", "x")
    assert expand_paths([str(tmp_path)]) == [b, a] or expand_paths([str(tmp_path)]) == [a, b]
    assert expand_paths([str(tmp_path / "**" / "*.txt")]) == [a]
    with pytest.raises(Exception, match="no such file"):
        expand_paths([str(tmp_path / "missing")])


@pytest.mark.django_db
def test_command_prints_a_summary_and_exits_non_zero_when_a_file_fails(tmp_path):
    bad = write(tmp_path, "bad.jsonl", "{oops\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 file\\(s\\) failed"):
        call_command(
            "import_documents",
            str(SEED_NYT.parent),
            str(bad),
            corpus="Seed articles",
            stdout=out,
            stderr=err,
        )
    assert f"{bad}:1: invalid JSON" in err.getvalue()
    assert (
        "created 2 documents (0 spans, 0 relations), unchanged 0, failed files 1 of 3"
        in out.getvalue()
    )
    assert Corpus.objects.get().documents.count() == 2
    out = io.StringIO()
    call_command("import_documents", str(SEED_NYT.parent), corpus="Seed articles", stdout=out)
    assert (
        "created 0 documents (0 spans, 0 relations), unchanged 2, failed files 0 of 2"
        in out.getvalue()
    )


def test_with_a_format_folders_are_searched_for_its_files_and_brat_folders_stay_whole(tmp_path):
    (tmp_path / "in").mkdir()
    a = write(tmp_path, "in/a.conll", "x\tO\n")
    write(tmp_path, "in/b.jsonl", "{}")
    write(tmp_path, "in/c.txt", "x")
    assert expand_paths([str(tmp_path / "in")], format_name="conll") == [a]
    assert expand_paths([str(tmp_path / "in")], format_name="brat") == [tmp_path / "in"]
    zipped = write(tmp_path, "corpus.zip", b"PK")
    assert expand_paths([str(tmp_path / "*.zip")], format_name="brat") == [zipped]


def test_an_unknown_format_is_an_import_problem(tmp_path):
    path = write(tmp_path, "a.jsonl", "{}")
    with pytest.raises(ImportProblem, match="no format called 'xml'"):
        read_records(path, format_name="xml")


@pytest.mark.django_db
def test_import_command_reads_another_tools_format_and_dry_runs_it(tmp_path):
    path = write(
        tmp_path,
        "tasks.jsonl",
        jsonl(
            {"text": "Carney spoke in 😀 Paris.", "label": [[18, 23, "PLACE"]]},
            {"text": "Joly agreed.", "label": [[0, 4, "ACTOR"]]},
        ),
    )
    out = io.StringIO()
    call_command(
        "import_documents",
        str(path),
        corpus="Wire",
        format="doccano",
        create_labels=True,
        dry_run=True,
        stdout=out,
    )
    assert "Wire: would create 2 documents" in out.getvalue()
    assert not Corpus.objects.exists()
    out = io.StringIO()
    call_command(
        "import_documents",
        str(path),
        corpus="Wire",
        format="doccano",
        create_labels=True,
        stdout=out,
    )
    assert "created labels: PLACE" in out.getvalue()
    paris = Annotation.objects.get(label__key="PLACE")
    assert (paris.document.external_id, paris.text) == ("tasks-1", "Paris")
    with pytest.raises(CommandError, match=r"no \.conll files found"):
        call_command("import_documents", str(tmp_path), corpus="Wire", format="conll")


@pytest.mark.django_db
def test_existing_non_ascii_tag_is_reused(tmp_path):
    first = write(tmp_path, "a.jsonl", jsonl({"id": "a", "text": "One.", "tags": ["Émoji"]}))
    second = write(tmp_path, "b.jsonl", jsonl({"id": "b", "text": "Two.", "tags": ["Émoji"]}))
    corpus, report = import_files(first, second)
    assert not report.failures
    assert sorted(d.tags.names()[0] for d in corpus.documents.all()) == ["Émoji", "Émoji"]


def byline_line_with_attributes(attributes: dict) -> dict:
    text = "Mark Carney spoke."
    return {
        "schema_version": 1,
        "id": "d1",
        "corpus": "Elsewhere",
        "title": "",
        "source": "",
        "published": None,
        "dateline": None,
        "url": None,
        "language": "en",
        "tags": [],
        "metadata": {},
        "quality_flags": [],
        "text": text,
        "text_sha256": sha256_hex(text),
        "spans": [
            {
                "id": "s1",
                "start": 0,
                "end": 11,
                "label": "ACTOR",
                "text": "Mark Carney",
                "annotator": None,
                "attributes": attributes,
            }
        ],
        "relations": [],
    }


# CoNLL carries no attributes. A lone surrogate never gets this far in a file: every reader
# decodes strictly (orjson refuses a "\udc80" escape), so the files carry a NUL.
@pytest.mark.django_db
@pytest.mark.parametrize("format_name", [name for name in FORMATS if name != "conll"])
@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"comment": "a\x00b"}, "spans[0]: attribute 'comment' contains a NUL character"),
        ({"comm\x00ent": "a"}, "spans[0]: attribute name 'comm\\x00ent' contains a NUL character"),
    ],
)
def test_every_format_refuses_a_nul_in_attributes_naming_file_and_field(
    tmp_path, format_name, attributes, message
):
    fmt = FORMATS[format_name]
    path = tmp_path / f"input{fmt.suffix}"
    with path.open("wb") as out:
        fmt.write([byline_line_with_attributes(attributes)], out)
    corpus, report = import_files(path, format_name=format_name)
    [failure] = report.failures
    assert str(failure.problem).startswith(f"{path}:")
    if format_name == "label-studio":
        # Label Studio's tasks have no lines: the problem names the task and the region.
        message = message.replace("spans[0]", "tasks[0].annotations[0].result[0] (region 's1')")
    assert message in str(failure.problem)
    assert corpus.documents.count() == 0


@pytest.mark.django_db
def test_a_lone_surrogate_in_attributes_is_refused_at_its_line(tmp_path):
    good = jsonl({"id": "a", "text": "A good document."})
    bad = (
        '{"id": "b", "text": "Short.", "spans": [{"start": 0, "end": 5, "label": "ACTOR", '
        '"attributes": {"comment": "x\\udc80"}}]}\n'
    )
    path = write(tmp_path, "batch.jsonl", good + bad)
    corpus, report = import_files(path)
    [failure] = report.failures
    assert str(failure.problem).startswith(f"{path}:2: invalid JSON")
    assert corpus.documents.count() == 0


@pytest.mark.django_db
def test_a_record_with_a_lone_surrogate_in_attributes_is_refused_naming_the_field():
    corpus = get_or_create_corpus("Imported")
    record = DocumentRecord(
        external_id="a",
        text="Mark Carney spoke.",
        spans=[
            SpanRecord(uid=None, start=0, end=11, label="ACTOR", attributes={"comment": "\udc80"})
        ],
        line=3,
    )
    with pytest.raises(ImportProblem) as refused:
        plan_chunk([record], CorpusState(corpus, create_labels=False), FileState(path=Path("f")))
    assert str(refused.value).startswith("f:3: spans[0]: attribute 'comment' contains a lone")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("annotator", "message"),
    [
        ("gold", "'gold' names a layer (all, gold, suggestions), not an annotator"),
        ("All", "'All' names a layer (all, gold, suggestions), not an annotator"),
        ("ana smith", "'ana smith' is not a valid username (letters, digits and @.+-_ only)"),
        ("ana/../x", "'ana/../x' is not a valid username (letters, digits and @.+-_ only)"),
    ],
)
def test_annotators_must_be_valid_usernames_that_name_no_layer(tmp_path, annotator, message):
    span = {"start": 0, "end": 3, "label": "ACTOR", "annotator": annotator}
    path = write(tmp_path, "a.jsonl", jsonl({"id": "a", "text": "Ana met.", "spans": [span]}))
    corpus, report = import_files(path)
    [failure] = report.failures
    assert str(failure.problem) == f"{path}:1: spans[0].annotator: {message}"
    assert corpus.documents.count() == 0
    assert not get_user_model().objects.filter(username=annotator).exists()


@pytest.mark.django_db
def test_a_document_imported_with_spans_is_in_progress_and_one_without_is_new(tmp_path):
    path = write(
        tmp_path,
        "x.jsonl",
        jsonl(
            {"id": "a", "text": "Paris.", "spans": [{"start": 0, "end": 5, "label": "ACTOR"}]},
            {"id": "b", "text": "Rome."},
        ),
    )
    corpus, report = import_files(path)
    assert not report.failures
    statuses = dict(corpus.documents.values_list("external_id", "status"))
    assert statuses == {"a": "in_progress", "b": "new"}


def count_every_table() -> dict[str, int]:
    """Return the row count of every model's table, history, taggit and auth included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def everything_an_import_writes(tmp_path) -> Path:
    """Write a file that would create documents, spans, a relation, a label, tags and a user."""
    return write(
        tmp_path,
        "all.jsonl",
        jsonl(
            {
                "id": "d1",
                "text": "Joly said: Ready. In Paris.",
                "tags": ["Canada"],
                "spans": [
                    {"id": "j", "start": 0, "end": 4, "label": "ACTOR", "annotator": "newcomer"},
                    {"id": "q", "start": 11, "end": 17, "label": "QUOTE", "annotator": "newcomer"},
                    {"start": 21, "end": 26, "label": "PLACE"},
                ],
                "relations": [{"type": "speaker", "from": "q", "to": "j"}],
            }
        ),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("corpus_exists", [False, True], ids=["new corpus", "existing corpus"])
def test_dry_run_writes_nothing_at_all_and_says_what_it_would_create(tmp_path, corpus_exists):
    if corpus_exists:
        make_corpus(name="Wire")
    path = everything_an_import_writes(tmp_path)
    before = count_every_table()
    out = io.StringIO()
    call_command(
        "import_documents",
        str(path),
        "--corpus",
        "Wire",
        "--create-labels",
        "--dry-run",
        stdout=out,
    )
    assert count_every_table() == before
    said = out.getvalue()
    assert ("would create corpus 'Wire' with labels ACTOR, FIGURE" in said) is not corpus_exists
    assert "would create labels: PLACE" in said
    assert "would create inactive accounts for unknown annotators" in said
    assert "Wire: would create 1 documents (3 spans, 1 relations)" in said


@pytest.mark.django_db
def test_run_import_reports_progress_per_file_and_returns_the_report(tmp_path):
    good = write(tmp_path, "good.jsonl", jsonl({"id": "a", "text": "One."}))
    bad = write(tmp_path, "bad.jsonl", "{oops\n")
    progress = []
    report = run_import([str(tmp_path / "*.jsonl")], corpus="Wire", on_progress=progress.append)
    assert report.corpus == Corpus.objects.get(name="Wire")
    assert (report.created, len(report.failures)) == (1, 1)
    assert [
        (event.path, event.files_done, event.files_total, event.written, event.outcome)
        for event in progress
    ] == [
        (bad, 1, 2, 0, report.files[0]),
        (good, 1, 2, 1, None),
        (good, 2, 2, 1, report.files[1]),
    ]
    assert report.files[0].problem is not None


def test_run_import_refuses_arguments_that_name_no_importable_file(tmp_path):
    write(tmp_path, "notes.md", "x")
    with pytest.raises(ImportProblem, match=r"no \.conll files found"):
        run_import([tmp_path], corpus="Wire", format_name="conll")


def test_length_limits_are_the_model_fields_max_length():
    limits = length_limits()
    assert limits["id"] == Document._meta.get_field("external_id").max_length
    assert limits["title"] == Document._meta.get_field("title").max_length
    assert limits["span id"] == Annotation._meta.get_field("uid").max_length
    assert limits["annotator"] == get_user_model()._meta.get_field("username").max_length

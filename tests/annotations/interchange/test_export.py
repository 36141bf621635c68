import hashlib
import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotations.formats import FORMATS
from annotations.interchange import export
from annotations.interchange.export import (
    documents_for_export,
    export_jsonl,
    write_export,
    write_jsonl,
)
from annotations.interchange.imports import get_or_create_corpus, import_paths
from tests.factories import (
    EMOJI_TEXT,
    SEED_PATHS,
    make_annotation,
    make_document,
    make_speaker_relation,
)
from tests.jobs.exports import export_through_admin

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "docs/byline-export.schema.json").read_text()
)


def export_lines(corpus, **filters) -> list[dict]:
    out = io.BytesIO()
    write_jsonl(documents_for_export(corpus.documents.all(), **filters), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def annotated(corpus, analyst):
    """A corpus with the seeds and an emoji document, annotated with every feature."""
    import_paths(SEED_PATHS, corpus=corpus)
    emoji = make_document(corpus, external_id="emoji")
    emoji.tags.add("sport", "Canada")
    quote = make_annotation(emoji, "QUOTE", "We are ready.", annotator=analyst)
    carney = make_annotation(emoji, "ACTOR", "Mark Carney", annotator=analyst)
    make_annotation(emoji, "ACTOR", "Fans", attributes={"comment": "crowd, not a named actor?"})
    make_speaker_relation(quote, carney)
    seed = corpus.documents.get(external_id=SEED_PATHS[0].stem)
    make_annotation(
        seed,
        "FIGURE",
        "$163 billion",
        attributes={"value": 163e9, "unit": "USD", "approximate": False},
    )
    make_annotation(
        seed,
        "ANON_SOURCE",
        "Two officials",
        attributes={"count": 2, "affiliation": "EU and Canada"},
    )
    make_annotation(seed, "ACTOR", "Prime Minister Mark Carney", annotator=analyst)
    return corpus


@pytest.mark.django_db
def test_every_exported_line_matches_the_json_schema_and_the_offsets(annotated):
    lines = export_lines(annotated)
    assert [line["id"] for line in lines] == sorted(line["id"] for line in lines)
    for line in lines:
        jsonschema.validate(line, SCHEMA)
        assert line["text_sha256"] == hashlib.sha256(line["text"].encode()).hexdigest()
        for span in line["spans"]:
            assert line["text"][span["start"] : span["end"]] == span["text"]
        assert [(s["start"], s["end"], s["label"]) for s in line["spans"]] == sorted(
            (s["start"], s["end"], s["label"]) for s in line["spans"]
        )


@pytest.mark.django_db
def test_span_after_emoji_exports_code_point_offsets(annotated):
    [emoji] = [line for line in export_lines(annotated) if line["id"] == "emoji"]
    carney = next(span for span in emoji["spans"] if span["text"] == "Mark Carney")
    assert carney["start"] == EMOJI_TEXT.index("Mark Carney")
    assert emoji["text"][carney["start"] : carney["end"]] == "Mark Carney"
    assert emoji["tags"] == ["Canada", "sport"]
    quote = next(span for span in emoji["spans"] if span["label"] == "QUOTE")
    assert emoji["relations"] == [{"type": "speaker", "from": quote["id"], "to": carney["id"]}]
    assert quote["annotator"] == "analyst"


@pytest.mark.django_db
def test_export_import_export_is_identical(annotated, tmp_path):
    first = tmp_path / "first.jsonl"
    export_jsonl(documents_for_export(annotated.documents.all()), first)
    copy = get_or_create_corpus(annotated.name + " copy")
    report = import_paths([first], corpus=copy)
    assert not report.failures
    assert report.created == 3
    second = tmp_path / "second.jsonl"
    export_jsonl(documents_for_export(copy.documents.all()), second)
    assert second.read_text().replace(copy.name, annotated.name) == first.read_text()


@pytest.mark.django_db
def test_filters_select_labels_tags_and_annotator(annotated):
    by_label = export_lines(annotated, labels=["ACTOR"])
    assert {span["label"] for line in by_label for span in line["spans"]} == {"ACTOR"}
    assert all(line["relations"] == [] for line in by_label)  # the quote end was filtered out
    assert [line["id"] for line in export_lines(annotated, tags=["canada"])] == ["emoji"]
    mine = export_lines(annotated, annotator="analyst")
    assert {span["annotator"] for line in mine for span in line["spans"]} == {"analyst"}
    assert len(mine) == 3  # documents stay, only spans are filtered


@pytest.mark.django_db
def test_exporting_quotes_keeps_their_speaker_spans_and_relations(annotated):
    by_label = export_lines(annotated, labels=["QUOTE"])
    emoji = next(line for line in by_label if line["id"] == "emoji")
    assert sorted((span["label"], span["text"]) for span in emoji["spans"]) == [
        ("ACTOR", "Mark Carney"),
        ("QUOTE", "We are ready."),
    ]
    assert len(emoji["relations"]) == 1
    # Only the speakers: the other actors of the document stay out.
    assert {span["text"] for line in by_label for span in line["spans"]} == {
        "We are ready.",
        "Mark Carney",
    }


@pytest.mark.django_db
def test_export_queries_grow_with_chunks_not_with_documents(
    annotated, monkeypatch, django_assert_num_queries
):
    for i in range(20):
        document = make_document(
            annotated, text=f"Doc {i}: Mark Carney spoke.", external_id=f"x{i}"
        )
        make_annotation(document, "ACTOR", "Mark Carney")
        document.tags.add("bulk", f"tag {i}")
    monkeypatch.setattr(export, "CHUNK_SIZE", 5)
    # The documents once; spans, relations and tags per chunk of 5.
    with django_assert_num_queries(1 + 3 * 5):
        assert len(export_lines(annotated)) == 23


@pytest.mark.django_db
def test_failed_export_leaves_no_file_behind(annotated, tmp_path, monkeypatch):
    target = tmp_path / "out.jsonl"
    target.write_text("previous export\n")

    def explode(document, **rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export.byline, "document_line", explode)
    with pytest.raises(RuntimeError):
        export_jsonl(documents_for_export(annotated.documents.all()), target)
    assert target.read_text() == "previous export\n"
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.django_db
def test_export_command_writes_a_file_or_stdout(annotated, tmp_path):
    target = tmp_path / "corpus.jsonl"
    err = io.StringIO()
    call_command("export_annotations", corpus=annotated.name, output=str(target), stderr=err)
    assert f"wrote 3 documents to {target}" in err.getvalue()
    out = io.StringIO()
    call_command("export_annotations", corpus=annotated.name, label=["FIGURE"], stdout=out)
    assert len(out.getvalue().splitlines()) == 3
    figures = [span for line in out.getvalue().splitlines() for span in json.loads(line)["spans"]]
    assert [span["attributes"] for span in figures] == [
        {"value": 163e9, "unit": "USD", "approximate": False}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"corpus": "Nope"}, "no corpus called 'Nope'"),
        ({"label": ["PLACE"]}, "has no label PLACE"),
        ({"annotator": "ghost"}, "no user called 'ghost'"),
        ({"output": "/nonexistent/dir/x.jsonl"}, "does not exist"),
    ],
)
def test_export_command_rejects_bad_options(annotated, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_annotations", **{"corpus": annotated.name, **options})


@pytest.mark.django_db
def test_line_breaking_characters_inside_strings_do_not_break_lines(corpus):
    text = "One\u0085two\u2028three\u2029four\nfive"
    make_document(corpus, text=text, external_id="breaks")
    out = io.BytesIO()
    write_jsonl(documents_for_export(corpus.documents.all()), out)
    exported = out.getvalue().decode()
    assert len(exported.splitlines()) == 1
    assert json.loads(exported)["text"] == text


@pytest.mark.django_db
def test_every_format_exports_with_a_constant_number_of_queries(
    annotated, django_assert_max_num_queries
):
    for i in range(20):
        document = make_document(
            annotated, text=f"Doc {i}: Mark Carney spoke.", external_id=f"x{i}"
        )
        make_annotation(document, "ACTOR", "Mark Carney")
        document.tags.add("bulk")
    documents = documents_for_export(annotated.documents.all())
    for format_name in FORMATS:
        with django_assert_max_num_queries(6):
            summary = write_export(documents, io.BytesIO(), format_name=format_name)
        assert summary.documents == 23, format_name


@pytest.mark.django_db
def test_export_command_writes_other_formats_to_stdout_with_warnings_on_stderr(annotated):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_annotations", corpus=annotated.name, format="doccano", stdout=out)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [
        SEED_PATHS[0].stem,
        SEED_PATHS[1].stem,
        "emoji",
    ]
    out = io.StringIO()
    call_command(
        "export_annotations", corpus=annotated.name, format="conll", stdout=out, stderr=err
    )
    assert out.getvalue().count("# newdoc id = ") == 3
    assert "warning: 1 relation(s) cannot be expressed in CoNLL" in err.getvalue()


@pytest.mark.django_db
def test_export_command_writes_a_format_atomically_to_a_file(annotated, tmp_path):
    target = tmp_path / "corpus.json"
    err = io.StringIO()
    call_command(
        "export_annotations",
        corpus=annotated.name,
        format="label-studio",
        output=str(target),
        stderr=err,
    )
    assert f"wrote 3 documents to {target}" in err.getvalue()
    assert len(json.loads(target.read_text())) == 3
    # Label Studio's labeling config is written beside the tasks.
    config = tmp_path / "label_config.xml"
    assert sorted(tmp_path.iterdir()) == [target, config]
    assert '<Label value="QUOTE"/>' in config.read_text()


@pytest.mark.django_db
def test_admin_export_action_offers_every_format(annotated, admin_client):
    url = reverse("admin:corpus_document_changelist")
    selected = list(annotated.documents.values_list("pk", flat=True))
    page = admin_client.post(
        url, {"action": "export_documents", "_selected_action": selected}
    ).content.decode()
    assert all(f'<option value="{name}"' in page for name in FORMATS)
    downloads = {}
    for format_name in ("spacy", "brat"):
        [job] = export_through_admin(admin_client, selected, format_name=format_name)
        response = admin_client.get(reverse("jobs:download", args=[job.pk]))
        assert response.status_code == 200
        downloads[format_name] = b"".join(response.streaming_content)
    spacy_file = downloads["spacy"]
    assert spacy_file.startswith(b"x")  # zlib, as DocBin writes
    names = zipfile.ZipFile(io.BytesIO(downloads["brat"])).namelist()
    assert names[-1] == "annotation.conf"
    assert "emoji.ann" in names

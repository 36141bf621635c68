import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.formats.doccano import write_doccano
from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.interchange.read import read_records
from tests.annotations.formats.corpora import EMOJI, complete, synthetic_lines

# doccano's own example for sequence labelling (backend/data_export/pipeline/examples/
# sequence_labeling/example.jsonl), byte for byte, spaces inside the brackets included.
DOCCANO_EXAMPLE = (
    '{"text": "EU rejects German call to boycott British lamb.", "label": [ [0, 2, "ORG"], '
    '[11, 17, "MISC"] ]}\n'
    '{"text": "Peter Blackburn", "label": [ [0, 15, "PERSON"] ]}\n'
    '{"text": "President Obama", "label": [ [10, 15, "PERSON"] ]}\n'
)


def write(tmp_path, content, name="example.jsonl"):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def doccano_lines(*lines, relation_shape=True):
    out = io.BytesIO()
    write_doccano([complete(line) for line in lines], out, relation_shape=relation_shape)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_doccanos_documented_example_imports(tmp_path):
    path = write(tmp_path, DOCCANO_EXAMPLE)
    corpus = get_or_create_corpus("doccano")
    report = import_paths([path], corpus=corpus, format_name="doccano", create_labels=True)
    assert not report.failures
    assert (report.created, report.spans) == (3, 4)
    assert sorted(report.created_labels) == ["MISC", "ORG", "PERSON"]
    spans = {
        (span.document.external_id, span.label.key, span.text)
        for document in corpus.documents.all()
        for span in document.annotations.select_related("label", "document")
    }
    assert spans == {
        ("example-1", "ORG", "EU"),
        ("example-1", "MISC", "German"),
        ("example-2", "PERSON", "Peter Blackburn"),
        ("example-3", "PERSON", "Obama"),
    }


@pytest.mark.django_db
def test_unknown_labels_in_doccano_fail_with_file_line_and_field(tmp_path):
    path = write(tmp_path, DOCCANO_EXAMPLE)
    report = import_paths([path], corpus=get_or_create_corpus("doccano"), format_name="doccano")
    [failure] = report.failures
    assert str(failure.problem).startswith(f"{path}:1: spans[0].label: unknown label 'ORG'")


def test_an_export_that_cannot_hold_links_is_in_the_sequence_labelling_shape():
    emoji, *_ = synthetic_lines()
    emoji = emoji | {"relations": []}
    [line] = doccano_lines(emoji, relation_shape=False)
    assert list(line)[:3] == ["id", "text", "label"]
    figure = next(s for s in emoji["spans"] if s["id"] == "money")
    # doccano counts code points, as Python does: no conversion after the emoji.
    assert [figure["start"], figure["end"], "FIGURE"] in line["label"]
    assert EMOJI[figure["start"] : figure["end"]] == "1.5 million 💶"
    assert line["byline_spans"][
        line["label"].index([figure["start"], figure["end"], "FIGURE"])
    ] == {
        "start": figure["start"],
        "end": figure["end"],
        "label": "FIGURE",
        "id": "money",
        "annotator": None,
        "attributes": {"value": 1.5e6, "unit": "EUR", "approximate": True},
    }
    assert line["tags"] == ["sport", "Emoji"]


def test_a_document_with_relations_uses_doccanos_relation_shape():
    emoji, *_ = synthetic_lines()
    [line] = doccano_lines(emoji)
    assert "label" not in line
    entities = {entity["id"]: entity for entity in line["entities"]}
    assert all(set(r) == {"id", "from_id", "to_id", "type"} for r in line["relations"])

    def covered(entity_id):
        entity = entities[entity_id]
        return EMOJI[entity["start_offset"] : entity["end_offset"]]

    assert {(covered(r["from_id"]), r["type"], covered(r["to_id"])) for r in line["relations"]} == {
        ("We are ready.\nWe always were.", "speaker", "Mark Carney"),
        ("Ça va,", "speaker", "Zoe\u0308"),
    }


def test_keys_doccano_adds_are_kept_as_metadata(tmp_path):
    path = write(
        tmp_path,
        json.dumps(
            {
                "id": 17,
                "text": "Carney spoke.",
                "label": [[0, 6, "ACTOR"]],
                "Comments": [],
                "batch": 3,
            }
        )
        + "\n",
    )
    [record] = read_records(path, format_name="doccano")
    assert record.external_id == "17"
    assert record.metadata == {"doccano": {"Comments": [], "batch": 3}}
    assert [(s.start, s.end, s.label, s.uid) for s in record.spans] == [(0, 6, "ACTOR", None)]


def test_entities_without_recorded_ids_are_named_after_doccanos_ids(tmp_path):
    text = "“Ready,” said Carney."
    line = {
        "text": text,
        "entities": [
            {"id": 4, "start_offset": 1, "end_offset": 6, "label": "QUOTE"},
            {"id": 9, "start_offset": 14, "end_offset": 20, "label": "ACTOR"},
        ],
        "relations": [{"id": 0, "from_id": 4, "to_id": 9, "type": "speaker"}],
    }
    [record] = read_records(write(tmp_path, json.dumps(line) + "\n"), format_name="doccano")
    assert [span.uid for span in record.spans] == ["doccano-4", "doccano-9"]
    assert [(r.type, r.source, r.target) for r in record.relations] == [
        ("speaker", "doccano-4", "doccano-9")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"text": "Short.", "label": [[0, 2]]}', ":2: label[0]: must be [start, end, label]"),
        (
            '{"text": "Short.", "label": [[0, 99, "ACTOR"]]}',
            ":2: spans[0]: span [0, 99) is outside",
        ),
        ('{"label": []}', ":2: text: is required"),
        ("[1, 2]", ":2: expected an object, got array"),
        ("{oops", ":2: invalid JSON"),
        (
            '{"text": "Short.", "entities": [], "relations": '
            '[{"from_id": 1, "to_id": 2, "type": "speaker"}]}',
            ":2: relations[0].from_id: no entity with id 1",
        ),
        (
            '{"text": "Short.", "label": [[0, 5, "ACTOR"]], "byline_spans": [{"id": "s1"}]}',
            ":2: byline_spans[0].start: is required",
        ),
    ],
)
def test_a_broken_doccano_line_fails_the_file_with_its_line_and_field(tmp_path, bad_line, message):
    path = write(tmp_path, '{"text": "Fine."}\n' + bad_line + "\n")
    corpus = get_or_create_corpus("doccano")
    report = import_paths([path], corpus=corpus, format_name="doccano")
    [failure] = report.failures
    assert f"{path}{message}" in str(failure.problem)
    assert corpus.documents.count() == 0


def test_every_line_of_a_file_has_the_relation_shape_when_one_needs_it():
    emoji, chinese, japanese = synthetic_lines()
    lines = doccano_lines(
        emoji, chinese | {"relations": []}, japanese | {"spans": [], "relations": []}
    )
    # doccano turns keys missing from some lines into NaN metadata and refuses the upload.
    assert len({tuple(line) for line in lines}) == 1
    assert [line["relations"] for line in lines[1:]] == [[], []]
    assert all("label" not in line for line in lines)


@pytest.mark.django_db
def test_the_export_command_writes_the_relation_shape_for_a_news_corpus(tmp_path):
    path = write(
        tmp_path,
        DOCCANO_EXAMPLE.replace("ORG", "ACTOR").replace("MISC", "ACTOR").replace("PERSON", "ACTOR"),
    )
    corpus = get_or_create_corpus("doccano")
    import_paths([path], corpus=corpus, format_name="doccano")
    out = tmp_path / "out.jsonl"
    call_command(
        "export_annotations",
        corpus="doccano",
        format="doccano",
        output=str(out),
        stderr=io.StringIO(),
    )
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    # No document has a link, but a news corpus can hold one: doccano's relation project.
    assert [line["relations"] for line in lines] == [[], [], []]


def test_overlapping_spans_get_a_warning_naming_doccanos_setting():
    emoji, *_ = synthetic_lines()
    summary = write_doccano([complete(emoji)], io.BytesIO())
    [warning] = summary.warnings
    # "Mark" in the two copies of "Mark Carney"; "families" in "👨‍👩‍👧 families" and "families got".
    assert warning.startswith("5 spans in 1 documents overlap another span")
    assert "Allow overlapping entity" in warning
    assert not write_doccano(
        [complete(emoji | {"spans": emoji["spans"][:1], "relations": []})], io.BytesIO()
    ).warnings


def edited_in_doccano(tmp_path):
    """Our line for a document as doccano exports it after edits: entities in another order
    and with doccano's ids, one added, one deleted, one relabelled."""
    text = "“Ready,” said Carney, and Joly agreed."
    ready, carney, joly = (text.index(w) for w in ("Ready", "Carney", "Joly"))
    details = [
        {
            "start": ready,
            "end": ready + 6,
            "label": "QUOTE",
            "id": "q",
            "annotator": "ana",
            "attributes": {},
        },
        {
            "start": carney,
            "end": carney + 6,
            "label": "ACTOR",
            "id": "c",
            "annotator": "ana",
            "attributes": {"comment": "PM"},
        },
        {
            "start": carney,
            "end": carney + 6,
            "label": "ACTOR",
            "id": "c-gold",
            "annotator": "ben",
            "attributes": {},
            "gold": True,
        },
        {
            "start": joly,
            "end": joly + 4,
            "label": "ACTOR",
            "id": "j",
            "annotator": "ben",
            "attributes": {},
        },
    ]
    line = {
        "id": "doc",
        "text": text,
        "entities": [
            # Relabelled, and listed first: matched by range, not by position.
            {"id": 31, "start_offset": joly, "end_offset": joly + 4, "label": "ANON_SOURCE"},
            {"id": 12, "start_offset": carney, "end_offset": carney + 6, "label": "ACTOR"},
            {"id": 10, "start_offset": ready, "end_offset": ready + 6, "label": "QUOTE"},
            {"id": 11, "start_offset": carney, "end_offset": carney + 6, "label": "ACTOR"},
            # Added in doccano.
            {"id": 40, "start_offset": 0, "end_offset": 1, "label": "ACTOR"},
        ],
        "relations": [{"id": 3, "from_id": 10, "to_id": 11, "type": "speaker"}],
        "byline_spans": details,
    }
    return write(tmp_path, json.dumps(line, ensure_ascii=False) + "\n")


def test_byline_spans_are_matched_by_range_and_label_never_by_position(tmp_path):
    [record] = read_records(edited_in_doccano(tmp_path), format_name="doccano")
    spans = {
        span.uid: (span.label, span.annotator, span.gold, span.attributes, span.unclaimed)
        for span in record.spans
    }
    assert spans == {
        "j": ("ANON_SOURCE", "ben", False, {}, False),
        # Identical spans go in the order doccano made them: the lower id first.
        "c-gold": ("ACTOR", "ben", True, {}, False),
        "q": ("QUOTE", "ana", False, {}, False),
        "c": ("ACTOR", "ana", False, {"comment": "PM"}, False),
        "doccano-40": ("ACTOR", None, False, {}, True),
    }
    assert [(r.source, r.target) for r in record.relations] == [("q", "c")]


def test_a_span_deleted_in_doccano_is_gone(tmp_path):
    text = "Carney met Joly."
    line = {
        "text": text,
        "entities": [{"id": 5, "start_offset": 11, "end_offset": 15, "label": "ACTOR"}],
        "relations": [],
        "byline_spans": [
            {
                "start": 0,
                "end": 6,
                "label": "ACTOR",
                "id": "c",
                "annotator": "ana",
                "attributes": {},
            },
            {
                "start": 11,
                "end": 15,
                "label": "ACTOR",
                "id": "j",
                "annotator": "ana",
                "attributes": {},
            },
        ],
    }
    [record] = read_records(write(tmp_path, json.dumps(line) + "\n"), format_name="doccano")
    assert [(span.uid, span.annotator) for span in record.spans] == [("j", "ana")]


@pytest.mark.django_db
def test_a_corpus_that_cannot_hold_a_link_is_exported_in_the_label_shape(tmp_path):
    corpus = get_or_create_corpus("doccano")
    import_paths(
        [write(tmp_path, DOCCANO_EXAMPLE)], corpus=corpus, format_name="doccano", create_labels=True
    )
    corpus.labels.filter(key="QUOTE").delete()
    out = tmp_path / "out.jsonl"
    call_command(
        "export_annotations",
        corpus="doccano",
        format="doccano",
        output=str(out),
        stderr=io.StringIO(),
    )
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["label"] for line in lines] == [
        [[0, 2, "ORG"], [11, 17, "MISC"]],
        [[0, 15, "PERSON"]],
        [[10, 15, "PERSON"]],
    ]
    assert all("entities" not in line for line in lines)


def test_the_doccano_walkthrough_names_the_settings_the_peer_test_uses():
    """docs/export-format.md tells a person what tests/peers/test_doccano.py does through
    doccano's API (`make test-peers`): keep the two in step."""
    docs = (Path(__file__).resolve().parents[3] / "docs" / "export-format.md").read_text()
    peer_test = Path(__file__).resolve().parents[2] / "peers" / "test_doccano.py"
    tools = Path(__file__).resolve().parents[3] / "bench" / "peers.py"
    for setting in ("Sequence Labeling", "Allow overlapping entity", "Use relation labeling"):
        assert f"**{setting}**" in docs
    assert "**JSONL(Relation)**" in docs
    assert "allow_overlapping=True, use_relation=True" in peer_test.read_text()
    # The page's JSONL(Relation) option is doccano's RelationExtraction import task.
    assert '"RelationExtraction" if relations' in tools.read_text()

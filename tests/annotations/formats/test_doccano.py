import io
import json

import pytest

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

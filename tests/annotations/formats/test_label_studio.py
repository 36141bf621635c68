import io
import json
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model

from annotations.formats.label_studio import (
    code_points_from_utf16,
    label_config,
    write_label_studio,
)
from annotations.interchange.export import documents_for_export, export_facts
from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.interchange.read import read_records
from annotations.interchange.records import ImportProblem
from annotations.models import Annotation
from tests.annotations.formats.corpora import EMOJI, complete, synthetic_lines
from tests.factories import make_document

# Label Studio's own emoji test data ("NER - Emoji - Text"): the region "test" is 21-25.
CAT = "🐱 Warning: This is a test text"


def task_file(tmp_path, tasks):
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def labels_result(start, end, text, label="ACTOR", region="r1"):
    return {
        "id": region,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    }


def test_offsets_are_code_points_as_label_studio_counts_them(tmp_path):
    tasks = [{"data": {"text": CAT}, "annotations": [{"result": [labels_result(21, 25, "test")]}]}]
    [record] = read_records(task_file(tmp_path, tasks), format_name="label-studio")
    [span] = record.spans
    assert (span.start, span.end, CAT[span.start : span.end]) == (21, 25, "test")
    assert record.external_id == "tasks-1"


def test_utf16_offsets_of_label_studio_before_1_4_are_converted_when_the_text_proves_them(
    tmp_path,
):
    # In a JavaScript string the cat is two units, so "test" was stored as 22-26.
    tasks = [{"data": {"text": CAT}, "annotations": [{"result": [labels_result(22, 26, "test")]}]}]
    [record] = read_records(task_file(tmp_path, tasks), format_name="label-studio")
    assert [(s.start, s.end) for s in record.spans] == [(21, 25)]
    assert code_points_from_utf16(CAT, 1, 2) is None  # inside the surrogate pair


def test_offsets_matching_neither_count_are_reported(tmp_path):
    tasks = [{"data": {"text": CAT}, "annotations": [{"result": [labels_result(3, 7, "test")]}]}]
    path = task_file(tmp_path, tasks)
    with pytest.raises(
        ImportProblem, match=r"tasks\[0\]\.spans\[0\]: span \[3, 7\) covers 'arni', not 'test'"
    ):
        read_records(path, format_name="label-studio")


def test_a_task_has_the_document_and_one_annotation_per_annotator():
    emoji, *_ = synthetic_lines()
    out = io.BytesIO()
    write_label_studio([complete(emoji)], out)
    [task] = json.loads(out.getvalue())
    assert task["data"]["text"] == EMOJI
    assert task["data"]["id"] == "emoji and combining"
    assert task["data"]["tags"] == ["sport", "Emoji"]
    annotators = [annotation.get("annotator", "(gold)") for annotation in task["annotations"]]
    # In the order of each layer's first span; ana's own layer, then the gold one.
    assert annotators == [None, "ben", "ana", "(gold)"]
    # Label Studio marks every imported annotation ground_truth: Byline never writes or reads it.
    assert not any("ground_truth" in annotation for annotation in task["annotations"])
    # The layer facts travel where Label Studio keeps them verbatim, in the task's data.
    regions = task["data"]["byline_regions"]
    assert regions["carney"] == {"annotator": "ana", "gold": False}
    assert regions["carney-gold"] == {"annotator": "ana", "gold": True}
    assert regions["fans"] == {"annotator": None, "gold": False}
    assert set(regions) == {span["id"] for span in emoji["spans"]}
    results = [r for a in task["annotations"] for r in a["result"]]
    money = [r for r in results if r.get("id") == "money"]
    assert [(r["type"], r["from_name"]) for r in money] == [
        ("labels", "label"),
        ("number", "value"),
        ("textarea", "unit"),
        ("choices", "approximate"),
    ]
    assert money[0]["value"]["text"] == "1.5 million 💶"
    assert money[3]["value"]["choices"] == ["true"]
    relations = [r for r in results if r["type"] == "relation"]
    assert {(r["from_id"], r["to_id"], tuple(r["labels"])) for r in relations} == {
        ("ready", "carney", ("speaker",)),
        ("cava", "zoe", ("speaker",)),
    }


def test_predictions_come_in_unattributed_and_cancelled_annotations_are_skipped(tmp_path):
    text = "Carney spoke to Joly."
    tasks = [
        {
            "id": 7,
            "data": {"text": text, "section": "politics"},
            "annotations": [
                {"was_cancelled": True, "result": [labels_result(16, 20, "Joly", region="x")]}
            ],
            "predictions": [{"model_version": "v1", "result": [labels_result(0, 6, "Carney")]}],
        }
    ]
    [record] = read_records(task_file(tmp_path, tasks), format_name="label-studio")
    assert record.external_id == "7"
    assert [(s.uid, s.start, s.end, s.annotator) for s in record.spans] == [("r1", 0, 6, None)]
    assert record.metadata == {"label_studio": {"section": "politics"}}


def test_per_region_results_become_attributes(tmp_path):
    text = "about 1.3% of output"
    region = labels_result(0, 10, "about 1.3%", label="FIGURE")
    per_region = [
        {"id": "r1", "from_name": "value", "type": "number", "value": {"number": 1.3}},
        {"id": "r1", "from_name": "approximate", "type": "choices", "value": {"choices": ["true"]}},
        {"id": "r1", "from_name": "comment", "type": "textarea", "value": {"text": ["a", "b"]}},
        {"id": "r1", "from_name": "unit", "type": "textarea", "value": {"text": []}},
    ]
    tasks = {"data": {"text": text}, "annotations": [{"result": [region, *per_region]}]}
    [record] = read_records(task_file(tmp_path, tasks), format_name="label-studio")
    assert record.spans[0].attributes == {
        "value": 1.3,
        "approximate": True,
        "comment": "a\nb",
        "unit": None,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ({"data": {}}, "tasks[0].data.text: is required"),
        ("nope", "expected a list of tasks, got string"),
        (
            [{"data": {"text": "Short."}, "annotations": [{"result": [{"type": "labels"}]}]}],
            "tasks[0].annotations[0].result[0].id: is required",
        ),
        (
            [
                {
                    "data": {"text": "Short."},
                    "annotations": [
                        {"result": [labels_result(0, 5, "Short"), {"type": "relation"}]}
                    ],
                }
            ],
            "tasks[0].annotations[0].result[1].from_id: no labelled region None",
        ),
        (
            [
                {
                    "data": {"text": "Short."},
                    "annotations": [
                        {
                            "result": [
                                labels_result(0, 5, "Short"),
                                {"id": "r1", "from_name": "x", "type": "taxonomy", "value": {}},
                            ]
                        }
                    ],
                }
            ],
            "tasks[0].annotations[0].result[1] (region 'r1').type: result type 'taxonomy' is not "
            "supported",
        ),
    ],
)
def test_a_broken_task_fails_the_file_naming_the_task_and_field(tmp_path, tasks, message):
    path = task_file(tmp_path, tasks)
    corpus = get_or_create_corpus("ls")
    report = import_paths([path], corpus=corpus, format_name="label-studio")
    [failure] = report.failures
    assert str(failure.problem) == f"{path}: {message}"
    assert corpus.documents.count() == 0


def test_a_region_with_an_empty_id_is_a_region_like_any_other(tmp_path):
    text = "Joly said: Ready."
    relation = {"type": "relation", "from_id": "", "to_id": "j", "labels": ["speaker"]}
    results = [labels_result(11, 16, "Ready", "QUOTE", ""), labels_result(0, 4, "Joly"), relation]
    results[1]["id"] = "j"
    tasks = [{"data": {"text": text}, "annotations": [{"result": results}]}]
    [record] = read_records(task_file(tmp_path, tasks), format_name="label-studio")
    assert [(s.uid, s.label) for s in record.spans] == [("", "QUOTE"), ("j", "ACTOR")]
    assert [(r.source, r.target) for r in record.relations] == [("", "j")]


def test_layer_facts_come_from_byline_regions_never_from_ground_truth(tmp_path):
    text = "Carney met Joly."
    tasks = [
        {
            "data": {
                "text": text,
                "id": "doc",
                "byline_regions": {
                    "c": {"annotator": "ana", "gold": False},
                    "c2": {"annotator": "ben", "gold": False},
                    "j": {"annotator": "ben", "gold": True},
                },
            },
            # As Label Studio exports our import: every annotation ground truth, no annotator.
            "annotations": [
                {
                    "ground_truth": True,
                    "completed_by": 1,
                    "result": [
                        labels_result(0, 6, "Carney", region="c"),
                        labels_result(0, 6, "Carney", region="c2"),
                        labels_result(11, 15, "Joly", region="j"),
                        labels_result(11, 15, "Joly", region="new"),
                    ],
                }
            ],
        }
    ]
    [record] = read_records(task_file(tmp_path, tasks), format_name="label-studio")
    assert [(s.uid, s.annotator, s.gold, s.unclaimed) for s in record.spans] == [
        ("c", "ana", False, False),
        ("c2", "ben", False, False),
        ("j", "ben", True, False),
        # Made in Label Studio; a bare id names no Byline user.
        ("new", None, False, True),
    ]


@pytest.mark.django_db
def test_a_region_made_in_label_studio_goes_to_the_user_with_completed_bys_email(tmp_path):
    rita = get_user_model().objects.create(username="rita", email="Rita@Example.org")
    tasks = [
        {
            "data": {"text": "Carney met Joly.", "id": "doc"},
            "annotations": [
                {
                    "completed_by": {"id": 4, "email": "rita@example.org"},
                    "result": [labels_result(0, 6, "Carney")],
                },
                {
                    "completed_by": {"id": 5, "email": "nobody@example.org"},
                    "result": [labels_result(11, 15, "Joly", region="r2")],
                },
            ],
        }
    ]
    corpus = get_or_create_corpus("ls")
    report = import_paths([task_file(tmp_path, tasks)], corpus=corpus, format_name="label-studio")
    assert not report.failures
    spans = {
        span.uid: span.annotator for span in Annotation.objects.filter(document__corpus=corpus)
    }
    assert spans == {"r1": rita, "r2": None}


@pytest.mark.django_db
def test_a_refused_region_is_named_with_its_task_and_region_id(tmp_path):
    tasks = [
        {"data": {"text": "Fine.", "id": "a"}},
        {
            "data": {"text": "Carney met Joly.", "id": "b"},
            "annotations": [
                {"result": [labels_result(0, 6, "Carney", label="PERSON", region="p7")]}
            ],
        },
    ]
    path = task_file(tmp_path, tasks)
    report = import_paths([path], corpus=get_or_create_corpus("ls"), format_name="label-studio")
    [failure] = report.failures
    assert str(failure.problem).startswith(
        f"{path}: tasks[1].annotations[0].result[0] (region 'p7').label: unknown label 'PERSON'"
    )


@pytest.mark.django_db
def test_the_labeling_config_has_a_control_for_every_attribute_of_every_label(tmp_path):
    corpus = get_or_create_corpus("ls")
    make_document(corpus)
    corpus.labels.create(
        key="PLACE", name="Place", attribute_spec={"count": "integer", "real": "boolean"}
    )
    config = label_config(export_facts(documents_for_export(corpus.documents.all())))
    root = ElementTree.fromstring(config)
    assert [label.get("value") for label in root.iter("Label")] == [
        "ACTOR",
        "ANON_SOURCE",
        "FIGURE",
        "PLACE",
        "QUOTE",
    ]
    assert [relation.get("value") for relation in root.iter("Relation")] == ["speaker"]
    controls = {
        element.get("name"): element.tag
        for element in root.iter()
        if element.get("perRegion") == "true"
    }
    assert controls == {
        "value": "Number",
        "unit": "TextArea",
        "approximate": "Choices",
        "real": "Choices",
        # Two labels have a count: one control, shown for both.
        "count": "Number",
        "affiliation": "TextArea",
        "reason_given": "TextArea",
        "comment": "TextArea",
    }

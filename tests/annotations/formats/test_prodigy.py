import io
import json

import pytest

from annotations.formats.prodigy import write_prodigy
from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.interchange.read import read_records
from tests.annotations.formats.corpora import CHINESE, complete, synthetic_lines


def write(tmp_path, *tasks):
    path = tmp_path / "tasks.jsonl"
    path.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tasks), "utf-8")
    return path


def test_a_task_has_text_spans_and_meta():
    chinese = synthetic_lines()[1]
    out = io.BytesIO()
    write_prodigy([complete(chinese)], out)
    task = json.loads(out.getvalue())
    quote = CHINESE.index("我们准备好了。")
    assert list(task) == ["text", "spans", "relations", "meta"]
    assert task["spans"][0] == {
        "start": 0,
        "end": 4,
        "label": "ACTOR",
        "text": "北京市长",
        "id": "mayor",
        "annotator": None,
        "attributes": {},
    }
    assert task["relations"] == [
        {
            "head_span": {"start": quote, "end": quote + 7, "label": "QUOTE", "id": "quote"},
            "child_span": {"start": 0, "end": 4, "label": "ACTOR", "id": "mayor"},
            "label": "speaker",
        }
    ]
    assert task["meta"]["id"] == "中文/北京"
    assert task["meta"]["language"] == "zh"


def test_a_prodigy_annotation_imports_without_its_tokens(tmp_path):
    text = "“Ready,” said Carney."
    task = {
        "text": text,
        "tokens": [{"text": "“", "start": 0, "end": 1, "id": 0}],
        "_input_hash": 12,
        "_task_hash": 34,
        "answer": "accept",
        "spans": [
            {"start": 1, "end": 6, "label": "QUOTE", "token_start": 1, "token_end": 1},
            {"start": 14, "end": 20, "label": "ACTOR", "text": "Carney"},
        ],
        "relations": [
            {
                "head": 1,
                "child": 5,
                "head_span": {"start": 1, "end": 6, "label": "QUOTE"},
                "child_span": {"start": 14, "end": 20, "label": "ACTOR"},
                "label": "speaker",
            }
        ],
        "meta": {"source": "Wire", "section": "politics"},
    }
    [record] = read_records(write(tmp_path, task), format_name="prodigy")
    assert record.external_id == "tasks-1"
    assert record.source == "Wire"
    assert record.metadata == {
        "prodigy": {
            "_input_hash": 12,
            "_task_hash": 34,
            "answer": "accept",
            "meta": {"section": "politics"},
        }
    }
    assert [(s.uid, s.start, s.end, s.label) for s in record.spans] == [
        ("prodigy-0", 1, 6, "QUOTE"),
        ("prodigy-1", 14, 20, "ACTOR"),
    ]
    assert [(r.type, r.source, r.target) for r in record.relations] == [
        ("speaker", "prodigy-0", "prodigy-1")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("task", "message"),
    [
        (
            {"text": "Short.", "spans": [{"start": 0, "label": "ACTOR"}]},
            ":1: spans[0].end: is required",
        ),
        (
            {"text": "Short.", "spans": [{"start": 0, "end": 5, "label": "ACTOR", "text": "Shor"}]},
            ":1: spans[0]: span [0, 5) covers 'Short', not 'Shor'",
        ),
        (
            {
                "text": "Short.",
                "spans": [],
                "relations": [
                    {
                        "head_span": {"start": 0, "end": 5, "label": "QUOTE"},
                        "child_span": {"start": 0, "end": 5, "label": "ACTOR"},
                        "label": "speaker",
                    }
                ],
            },
            ":1: relations[0].head_span: no span QUOTE [0, 5) in this task",
        ),
    ],
)
def test_a_broken_task_fails_the_file_with_its_line_and_field(tmp_path, task, message):
    path = write(tmp_path, task)
    report = import_paths([path], corpus=get_or_create_corpus("p"), format_name="prodigy")
    [failure] = report.failures
    assert str(failure.problem).startswith(f"{path}{message}")

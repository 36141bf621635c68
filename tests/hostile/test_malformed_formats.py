"""The malformed values of the penetration test: each is refused by file and field, and an
import goes on with the next file."""

import io
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
import srsly

from annotations.formats import get_format
from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.interchange.read import read_records
from annotations.interchange.records import ImportProblem
from annotations.models import Annotation
from tests.annotations.formats.corpora import complete, synthetic_lines


def written(format_name: str) -> bytes:
    out = io.BytesIO()
    get_format(format_name).write([complete(synthetic_lines()[0])], out)
    return out.getvalue()


def first_result(task: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(
        result
        for annotation in task["annotations"]
        for result in annotation["result"]
        if result["type"] == kind
    )


def label_studio_from_id_list(task: dict[str, Any]) -> None:
    first_result(task, "relation")["from_id"] = ["ready"]


def label_studio_labels_int(task: dict[str, Any]) -> None:
    first_result(task, "relation")["labels"] = 7


def label_studio_textarea_not_list(task: dict[str, Any]) -> None:
    first_result(task, "textarea")["value"]["text"] = 5


def webanno_body_null(page: dict[str, Any]) -> None:
    link = next(item for item in page["items"] if item.get("motivation") == "linking")
    link["body"] = None


def webanno_target_list(page: dict[str, Any]) -> None:
    link = next(item for item in page["items"] if item.get("motivation") == "linking")
    link["target"] = [link["target"]]


def webanno_selector_type_list(page: dict[str, Any]) -> None:
    for selector in page["items"][0]["target"]["selector"]:
        selector["type"] = [selector["type"]]


def spacy_without_attrs(message: dict[str, Any]) -> None:
    message["attrs"] = []


MALFORMED = {
    "label-studio from_id list": (
        "label-studio",
        label_studio_from_id_list,
        r"tasks\[0\]\.annotations\[\d\]\.result\[\d+\]\.from_id: must be string, not array",
    ),
    "label-studio labels int": (
        "label-studio",
        label_studio_labels_int,
        r"tasks\[0\]\.annotations\[\d\]\.result\[\d+\]\.labels: must be array, not integer",
    ),
    "label-studio textarea text int": (
        "label-studio",
        label_studio_textarea_not_list,
        # A result names its region, as every problem in a Label Studio task does.
        r"result\[\d+\] \(region '\w+'\)\.value\.text: must be array, not integer",
    ),
    "webanno body null": ("webanno", webanno_body_null, r":1: items\[\d+\]: a linking"),
    "webanno target list": ("webanno", webanno_target_list, r":1: items\[\d+\]: a linking"),
    "webanno selector type list": (
        "webanno",
        webanno_selector_type_list,
        r":1: items\[0\]\.target\.selector: needs a TextPositionSelector",
    ),
    "spacy attrs empty": ("spacy", spacy_without_attrs, r"attrs: must be spaCy attribute ids"),
}


def malformed_file(folder: Path, format_name: str, mutate) -> Path:
    """Write the synthetic document in `format_name`, with `mutate` applied to it."""
    data = written(format_name)
    if format_name == "spacy":
        message = srsly.msgpack_loads(zlib.decompress(data))
        mutate(message)
        data = zlib.compress(srsly.msgpack_dumps(message))
    elif format_name == "label-studio":
        tasks = json.loads(data)
        mutate(tasks[0])
        data = json.dumps(tasks).encode()
    else:
        page = json.loads(data)
        mutate(page)
        data = json.dumps(page).encode() + b"\n"
    path = folder / f"malformed{get_format(format_name).suffix}"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_value_is_refused_by_file_and_field(tmp_path, case):
    format_name, mutate, message = MALFORMED[case]
    path = malformed_file(tmp_path, format_name, mutate)
    with pytest.raises(ImportProblem, match=message) as refused:
        read_records(path, format_name=format_name)
    assert str(refused.value).startswith(str(path))


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["label-studio labels int", "webanno body null"])
def test_an_import_goes_on_with_the_next_file_after_a_malformed_one(tmp_path, case):
    format_name, mutate, _ = MALFORMED[case]
    bad = malformed_file(tmp_path, format_name, mutate)
    good = tmp_path / f"good{get_format(format_name).suffix}"
    good.write_bytes(written(format_name))
    report = import_paths(
        [bad, good], corpus=get_or_create_corpus("Hostile"), format_name=format_name
    )
    assert [outcome.problem is not None for outcome in report.files] == [True, False]
    assert report.files[1].spans == Annotation.objects.count() > 0

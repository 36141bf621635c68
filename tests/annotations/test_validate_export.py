import io
import json

import pytest
from django.core.management import CommandError, call_command

from annotations.interchange.export import documents_for_export, export_jsonl
from tests.annotations.formats.corpora import make_synthetic_corpus


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "export.jsonl"
    corpus = make_synthetic_corpus(tmp_path)
    export_jsonl(documents_for_export(corpus.documents.all()), path)
    return path


def validate(path):
    out = io.StringIO()
    try:
        call_command("validate_export", str(path), stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def rewrite(path, change, line_number=1):
    lines = path.read_text(encoding="utf-8").splitlines()
    line = json.loads(lines[line_number - 1])
    changed = change(line)
    lines[line_number - 1] = changed if isinstance(changed, str) else json.dumps(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.django_db
def test_an_export_is_valid(export):
    out, error = validate(export)
    assert error is None
    assert out == f"{export}: valid\n"


def set_key(key, value):
    return lambda line: line.__setitem__(key, value)


def set_span(index, key, value):
    return lambda line: line["spans"][index].__setitem__(key, value)


def swap_first_spans(line):
    line["spans"][0], line["spans"][1] = line["spans"][1], line["spans"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "line_number", "expected"),
    [
        (set_span(0, "text", "Fanz"), 1, ":1: spans[0].text: is 'Fanz', but text[0:4] is 'Fans'"),
        (set_span(0, "end", 9999), 1, ":1: spans[0]: [0, 9999) is outside a text of"),
        (set_span(1, "start", "5"), 1, ":1: spans[1].start: '5' is not of type 'integer'"),
        (set_key("text_sha256", "0" * 64), 1, ":1: text_sha256: does not match the SHA-256"),
        (swap_first_spans, 1, ":1: spans[1]: is out of order"),
        (
            lambda line: line["spans"][1].__setitem__("id", line["spans"][0]["id"]),
            1,
            ":1: spans[1].id: 'fans' is used twice",
        ),
        (
            lambda line: line["relations"][0].__setitem__("to", "nobody"),
            1,
            ":1: relations[0].to: no span with id 'nobody'",
        ),
        (lambda line: line.pop("quality_flags"), 2, ":2: quality_flags: is required"),
        (set_key("published", "19 March"), 1, ":1: published: '19 March' does not match"),
        (set_key("schema_version", 2), 3, ":3: schema_version: 1 was expected"),
        (lambda line: "{not json", 2, ":2: invalid JSON"),
        (set_key("id", "japanese"), 1, ":2: id: 'japanese' was already used on line 1"),
    ],
)
def test_each_problem_is_reported_by_file_line_and_field(export, change, line_number, expected):
    lines = export.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [
        "emoji and combining",
        "japanese",
        "中文/北京",
    ]
    rewrite(export, change, line_number)
    out, error = validate(export)
    assert f"{export}{expected}" in out
    assert error is not None
    assert "problem(s)" in error


@pytest.mark.django_db
def test_blank_lines_and_empty_files_are_problems(export, tmp_path):
    export.write_text(export.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    out, error = validate(export)
    assert f"{export}:4: blank line" in out
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert validate(empty) == (f"{empty}: file is empty\n", f"{empty}: 1 problem(s)")


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no file"):
        call_command("validate_export", str(tmp_path / "nope.jsonl"), stdout=io.StringIO())

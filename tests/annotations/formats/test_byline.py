import io
import json

import pandas as pd
import pytest

from annotations.formats import FORMATS, get_format
from annotations.formats.byline import parse_line, parse_object, read_byline
from annotations.interchange.export import documents_for_export, write_export, write_jsonl
from annotations.interchange.records import ImportProblem
from tests.annotations.formats.corpora import make_synthetic_corpus, synthetic_lines


@pytest.mark.django_db
def test_the_byline_format_writes_what_the_jsonl_export_writes(tmp_path):
    corpus = make_synthetic_corpus(tmp_path)
    documents = documents_for_export(corpus.documents.all())
    jsonl, through_registry = io.BytesIO(), io.BytesIO()
    write_jsonl(documents, jsonl)
    summary = write_export(documents, through_registry, format_name="byline")
    assert through_registry.getvalue() == jsonl.getvalue()
    assert (summary.documents, summary.warnings) == (3, [])


@pytest.mark.django_db
def test_the_export_loads_with_pandas(tmp_path):
    corpus = make_synthetic_corpus(tmp_path)
    path = tmp_path / "corpus.jsonl"
    with path.open("wb") as out:
        write_jsonl(documents_for_export(corpus.documents.all()), out)
    frame = pd.read_json(path, lines=True)
    assert list(frame["id"]) == ["emoji and combining", "japanese", "中文/北京"]
    spans = frame.set_index("id").loc["emoji and combining", "spans"]
    text = frame.set_index("id").loc["emoji and combining", "text"]
    assert all(text[s["start"] : s["end"]] == s["text"] for s in spans)


def test_a_decoded_line_parses_as_its_bytes_do():
    line = synthetic_lines()[0]
    assert parse_object(line) == parse_line(json.dumps(line))


def test_read_byline_names_the_line_of_a_broken_document(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "a", "text": "Fine."}\n\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(ImportProblem) as problem:
        list(read_byline(path))
    assert str(problem.value) == f"{path}:3: text: is required"


def test_the_registry_names_every_format_with_a_suffix_and_description():
    assert list(FORMATS) == [
        "byline",
        "doccano",
        "label-studio",
        "spacy",
        "prodigy",
        "brat",
        "webanno",
        "conll",
    ]
    assert all(fmt.suffix.startswith(".") and fmt.description for fmt in FORMATS.values())
    with pytest.raises(LookupError, match="no format called 'xml' \\(there are byline, doccano"):
        get_format("xml")

import io
import json

import pytest
import spacy
from django.core.management import call_command
from spacy.tokens import DocBin

from annotations.formats.spacy import write_spacy
from annotations.interchange.read import read_records
from annotations.interchange.records import ImportProblem
from tests.annotations.formats.corpora import (
    CP,
    JAPANESE,
    annotate_seeds,
    byline_lines,
    complete,
    synthetic_lines,
)


def spacy_file(tmp_path, lines, name="corpus.spacy"):
    out = io.BytesIO()
    summary = write_spacy([complete(line) for line in lines], out)
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path, summary


@pytest.mark.django_db
def test_the_export_loads_in_spacy_with_its_spans_and_entities(corpus, tmp_path):
    annotate_seeds(corpus)
    path = tmp_path / "seed.spacy"
    err = io.StringIO()
    call_command(
        "export_annotations", corpus=corpus.name, format="spacy", output=str(path), stderr=err
    )
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    lines = byline_lines(corpus)
    assert [doc.text for doc in docs] == [line["text"] for line in lines]
    for doc, line in zip(docs, lines, strict=True):
        in_spacy = {(s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]}
        exported = {(s["start"], s["end"], s["label"]) for s in line["spans"]}
        ents = [(e.start_char, e.end_char) for e in doc.ents]
        assert ents == sorted(ents)
        assert all(
            end <= next_start for (_, end), (next_start, _) in zip(ents, ents[1:], strict=False)
        )
        assert {(e.start_char, e.end_char, e.label_) for e in doc.ents} <= in_spacy
        if line["id"] == CP:
            # "´ºÉ«Ö±²¥" runs into "that": no token ends there, so spaCy has no such span.
            assert exported - in_spacy == {
                (s["start"], s["end"], "ACTOR") for s in line["spans"] if s["text"] == "´ºÉ«Ö±²¥"
            }
            assert "1 span(s) do not align to spaCy tokens" in err.getvalue()
            assert "´ºÉ«Ö±²¥" in err.getvalue()
        else:
            assert in_spacy == exported
        assert json.loads(doc.user_data["byline"])["spans"] == line["spans"]


def test_spans_that_overlap_nothing_are_entities(tmp_path):
    text = "Mark Carney met Joly in Paris."
    line = {
        "id": "d",
        "text": text,
        "spans": [
            {
                "id": "a",
                "start": 0,
                "end": 11,
                "label": "ACTOR",
                "text": "Mark Carney",
                "annotator": None,
                "attributes": {},
            },
            {
                "id": "b",
                "start": 0,
                "end": 4,
                "label": "ACTOR",
                "text": "Mark",
                "annotator": None,
                "attributes": {},
            },
            {
                "id": "c",
                "start": 16,
                "end": 20,
                "label": "ACTOR",
                "text": "Joly",
                "annotator": None,
                "attributes": {},
            },
        ],
    }
    path, summary = spacy_file(tmp_path, [line])
    [doc] = DocBin().from_disk(path).get_docs(spacy.blank("en").vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [("Mark Carney", "ACTOR"), ("Joly", "ACTOR")]
    assert len(doc.spans["sc"]) == 3
    assert summary.warnings == []


def test_what_was_changed_in_spacy_wins_and_the_rest_comes_back_as_recorded(tmp_path):
    emoji, *_ = synthetic_lines()
    path, summary = spacy_file(tmp_path, [emoji])
    assert any("Zoe\u0308" in warning for warning in summary.warnings)
    nlp = spacy.blank("en")
    doc_bin = DocBin(store_user_data=True).from_disk(path)
    [doc] = doc_bin.get_docs(nlp.vocab)
    kept = [s for s in doc.spans["sc"] if s.text != "Mark"]
    cheered = emoji["text"].index("cheered")
    doc.spans["sc"] = [*kept, doc.char_span(cheered, cheered + 7, label="ACTOR")]
    edited = DocBin(store_user_data=True)
    edited.add(doc)
    edited.to_disk(tmp_path / "edited.spacy")
    [record] = read_records(tmp_path / "edited.spacy", format_name="spacy")
    by_text = {emoji["text"][s.start : s.end]: s for s in record.spans}
    assert "Mark" not in by_text  # removed in spaCy
    assert by_text["cheered"].uid is None  # added in spaCy, unattributed
    carneys = [s for s in record.spans if emoji["text"][s.start : s.end] == "Mark Carney"]
    assert [(s.uid, s.annotator, s.gold) for s in carneys] == [
        ("carney", "ana", False),
        ("carney-gold", "ana", True),
    ]
    # Not aligned to tokens, so only in user_data: never lost.
    assert by_text["Zoe\u0308"].uid == "zoe"
    assert by_text["1.5 million 💶"].attributes == {
        "value": 1.5e6,
        "unit": "EUR",
        "approximate": True,
    }
    assert {(r.source, r.target) for r in record.relations} == {
        ("ready", "carney"),
        ("cava", "zoe"),
    }


def test_a_docbin_from_elsewhere_imports_its_entities(tmp_path):
    nlp = spacy.blank("en")
    doc = nlp("Carney met Joly.")
    doc.ents = [doc.char_span(0, 6, label="ACTOR"), doc.char_span(11, 15, label="ACTOR")]
    doc_bin = DocBin()
    doc_bin.add(doc)
    doc_bin.to_disk(tmp_path / "ner.spacy")
    [record] = read_records(tmp_path / "ner.spacy", format_name="spacy")
    assert record.external_id == "ner-1"
    assert [(s.start, s.end, s.label) for s in record.spans] == [(0, 6, "ACTOR"), (11, 15, "ACTOR")]


def test_a_language_spacy_cannot_tokenise_here_falls_back_with_a_warning(tmp_path):
    *_, japanese = synthetic_lines()
    _, summary = spacy_file(tmp_path, [japanese])
    assert summary.warnings[0].startswith("language 'ja': spaCy's tokenizer for it needs a package")
    assert f"{JAPANESE[3:5]!r}" in summary.warnings[1]


def test_a_file_that_is_not_a_docbin_is_refused(tmp_path):
    path = tmp_path / "notes.spacy"
    path.write_bytes(b"just some text")
    with pytest.raises(ImportProblem, match="not a spaCy DocBin file"):
        read_records(path, format_name="spacy")

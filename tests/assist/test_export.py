import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from annotations.formats.byline import parse_line
from annotations.interchange.imports import import_paths
from annotations.interchange.records import ImportProblem
from annotations.models import Annotation
from annotations.validation import validate_annotator_name
from assist.models import Suggestion
from assist.suggest import suggest_documents
from corpus.models import Assignment
from teams.corpus_agreement import corpus_agreement
from tests.factories import make_annotation, make_corpus, make_document, make_team

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/byline-export.schema.json").read_text()
)
TEXT = "Mark Carney said: “We are ready.” Joly agreed; prices rose 5 per cent. Canada."


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def document(team, fake_suggesters):
    document = make_document(team.corpus, TEXT, external_id="story")
    document.tags.add("trade")
    return document


def export(corpus, **options) -> list[dict]:
    out = io.StringIO()
    call_command("export_annotations", corpus=corpus.name, stdout=out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_suggestions_layer_exports_spans_attributes_and_speakers(document, team):
    suggest_documents(corpus=team.corpus)
    [line] = export(team.corpus, layer="suggestions")
    jsonschema.validate(line, SCHEMA)
    assert (line["id"], line["tags"], line["text"]) == ("story", ["trade"], TEXT)
    spans = {span["text"]: span for span in line["spans"]}
    assert set(spans) == {"Mark Carney", "We are ready.", "Joly", "5 per cent", "Canada"}
    quote, carney = spans["We are ready."], spans["Mark Carney"]
    assert quote["suggestion"] == {"suggester": "quotes", "score": 0.95}
    assert (quote["annotator"], "gold" in quote) == (None, False)
    assert spans["5 per cent"]["attributes"] == {"unit": "%", "guess": True}
    assert line["relations"] == [{"type": "speaker", "from": quote["id"], "to": carney["id"]}]
    assert [span["start"] for span in line["spans"]] == sorted(s["start"] for s in line["spans"])


def test_the_suggestions_layer_exports_one_label_without_dangling_links(document, team):
    suggest_documents(corpus=team.corpus)
    [line] = export(team.corpus, layer="suggestions", label=["QUOTE"])
    assert [span["label"] for span in line["spans"]] == ["QUOTE"]
    assert line["relations"] == []


def test_suggestions_are_in_no_export_of_every_layer_nor_in_agreement(document, team):
    ana, ben = team.users["ana"], team.users["ben"]
    for user in (ana, ben):
        Assignment.objects.create(document=document, annotator=user)
    make_annotation(document, "ACTOR", "Mark Carney", annotator=ana)
    make_annotation(document, "ACTOR", "Joly", annotator=ben)
    before_export = export(team.corpus, layer="all")
    before_agreement = corpus_agreement(team.corpus)
    suggest_documents(corpus=team.corpus)
    assert Suggestion.objects.count() == 5
    assert export(team.corpus, layer="all") == before_export
    assert export(team.corpus) == before_export
    assert [span["text"] for span in before_export[0]["spans"]] == ["Mark Carney", "Joly"]
    assert corpus_agreement(team.corpus) == before_agreement
    assert export(team.corpus, layer="gold")[0]["spans"] == []


def test_the_suggestions_layer_has_no_annotator_to_filter_by(document, team):
    with pytest.raises(CommandError, match="the suggestions layer has no annotator"):
        export(team.corpus, layer="suggestions", annotator="ana")


@pytest.mark.parametrize("name", ["suggestions", "Suggestions"])
def test_no_analyst_may_be_called_like_the_suggestions_layer(name):
    with pytest.raises(ValidationError, match="names a layer"):
        validate_annotator_name(name)


def test_an_accepted_span_exports_its_suggester_and_imports_back(document, team, tmp_path):
    ana = team.users["ana"]
    make_annotation(document, "ACTOR", "Joly", annotator=ana)
    make_annotation(
        document, "ACTOR", "Canada", annotator=ana, suggester="actors", suggestion_score=0.8
    )
    [line] = export(team.corpus, layer="ana")
    jsonschema.validate(line, SCHEMA)
    by_text = {span["text"]: span for span in line["spans"]}
    assert "suggestion" not in by_text["Joly"]
    assert by_text["Canada"]["suggestion"] == {"suggester": "actors", "score": 0.8}
    path = tmp_path / "ana.jsonl"
    path.write_text(json.dumps(line) + "\n")
    copy = make_corpus("Copy")
    import_paths([path], corpus=copy)
    spans = Annotation.objects.filter(document__corpus=copy)
    assert {(s.text, s.suggester, s.suggestion_score) for s in spans} == {
        ("Joly", "", None),
        ("Canada", "actors", 0.8),
    }
    [again] = export(copy)
    assert again["spans"] == line["spans"]


@pytest.mark.parametrize(
    ("suggestion", "message"),
    [
        ({"suggester": "a", "score": 2}, "spans[0].suggestion.score: must be from 0 to 1, not 2"),
        ({"score": 0.5}, "spans[0].suggestion.suggester: is required"),
        ({"suggester": ""}, "spans[0].suggestion.suggester: must be 1 to 50 characters"),
        ("actors", "spans[0].suggestion: must be object, not string"),
    ],
)
def test_a_broken_suggestion_is_refused_naming_its_field(suggestion, message):
    line = {
        "id": "d",
        "text": "Canada",
        "spans": [{"start": 0, "end": 6, "label": "ACTOR", "suggestion": suggestion}],
    }
    with pytest.raises(ImportProblem) as caught:
        parse_line(json.dumps(line))
    assert str(caught.value) == message

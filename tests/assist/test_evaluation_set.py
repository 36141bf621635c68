"""The evaluation set: the committed JSONL is what the markup builds, and it imports."""

import io
import itertools
import json

import pytest
from django.core.management import call_command

from annotations.models import Annotation, Relation
from assist.evaluation import build
from assist.evaluation.build import MarkupError, parse_body, read_source
from assist.scoring import evaluate
from assist.scoring_layers import load_layer
from corpus.models import Corpus


@pytest.mark.parametrize("name", build.SETS)
def test_rebuilding_gives_the_committed_files_byte_for_byte(name):
    committed = (build.HERE / f"{name}.jsonl").read_bytes()
    assert build.build(name).encode("utf-8") == committed


CP_TAGLINE = "This report by The Canadian Press was first published"


def read_set(name):
    with (build.HERE / f"{name}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_the_sets_have_the_promised_sizes_and_share_no_passage():
    sets = {name: read_set(name) for name in build.SETS}
    assert {name: len(records) for name, records in sets.items()} == {
        "dev": 77,
        "test": 30,
        "holdout": 30,
        "holdout2": 20,
        "holdout3": 30,
        "holdout4": 30,
        "holdout5": 30,
        "holdout6": 60,
        "holdout7": 60,
        "holdout8": 60,
        "holdout9": 60,
        "holdout10": 60,
        "holdout11": 60,
        "holdout12": 60,
        "holdout13": 60,
        "holdout14": 60,
        "holdout15": 60,
        "holdout16": 60,
        "holdout17": 60,
        "holdout18": 60,
        "holdout19": 60,
        "holdout20": 60,
        "holdout21": 60,
        "holdout22": 60,
        "holdout23": 60,
        "holdout24": 60,
        "holdout25": 60,
        "holdout26": 60,
        "holdout27": 60,
        "holdout28": 60,
        "holdout29": 60,
        "holdout30": 60,
        "holdout31": 60,
        "holdout32": 60,
    }
    texts = {name: {r["text"] for r in records} for name, records in sets.items()}
    ids = {name: {r["id"] for r in records} for name, records in sets.items()}
    for name, other in itertools.combinations(build.SETS, 2):
        assert not texts[name] & texts[other], (name, other)
        assert not ids[name] & ids[other], (name, other)
    for record in itertools.chain.from_iterable(sets.values()):
        quotes = {s["id"] for s in record["spans"] if s["label"] == "QUOTE"}
        assert quotes == {r["from"] for r in record["relations"]}, record["id"]


@pytest.mark.parametrize("name", [name for name in build.SETS if name.startswith("holdout")])
def test_no_holdout_paragraph_is_borrowed_from_another_set(name):
    # A held-out set was written fresh: not even one paragraph is copied from another set.
    # The Canadian Press's closing tagline is the agency's boilerplate, not a paragraph.
    def paragraphs(records):
        return {
            line.strip()
            for record in records
            for line in record["text"].split("\n")
            if len(line.split()) >= 8 and not line.startswith(CP_TAGLINE)
        }

    seen = set().union(*(paragraphs(read_set(other)) for other in build.SETS if other != name))
    assert not paragraphs(read_set(name)) & seen


@pytest.mark.django_db
def test_import_documents_imports_every_set_into_gold():
    for name, corpus in build.CORPUS_NAMES.items():
        path = build.HERE / f"{name}.jsonl"
        records = [json.loads(line) for line in path.open(encoding="utf-8")]
        call_command("import_documents", str(path), corpus=corpus, stdout=io.StringIO())
        imported = Annotation.objects.filter(document__corpus__name=corpus)
        assert imported.count() == sum(len(r["spans"]) for r in records)
        assert not imported.filter(is_gold=False).exists()
        assert Relation.objects.filter(document__corpus__name=corpus).count() == sum(
            len(r["relations"]) for r in records
        )
        gold = load_layer(Corpus.objects.get(name=corpus), "gold")
        result = evaluate(gold, gold)
        assert {rates.f1 for rates in result.exact.values()} == {1.0}
        assert result.speaker["accuracy"].share == 1.0


def test_markup_spans_nest_and_carry_attributes(tmp_path):
    text, spans = parse_body(
        "{A#c|Carney} said “{Q@c|{A|Canada} will pay {F~ 50 percent|about half}.}” "
        '{S#o n=2 aff="EU" why="not authorized"|Two officials} agreed.',
        path=tmp_path / "x.txt",
        first_line=1,
    )
    assert text == "Carney said “Canada will pay about half.” Two officials agreed."
    found = {(s.label, text[s.start : s.end]): s for s in spans}
    assert found[("QUOTE", "Canada will pay about half.")].speaker == "c"
    assert found[("FIGURE", "about half")].attributes == {
        "value": 50,
        "unit": "percent",
        "approximate": True,
    }
    assert found[("ANON_SOURCE", "Two officials")].attributes == {
        "count": 2,
        "affiliation": "EU",
        "reason_given": "not authorized",
    }


PASSAGE = """=== p-1
title: T
---
{A#c|Carney} said: “{Q@c|We are ready to go further than anyone has asked of us.}” """


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{A|Carney said.", "span is never closed"),
        ("Carney} said.", "a `}` closes no span"),
        ("{Q|We are ready.}", "needs its speaker"),
        ("{Q@x|We are ready.}", "@x names no ACTOR or ANON_SOURCE span"),
        ("{A#c|Carney} said “{Q@c|“We are ready.}”", "takes in a quotation mark"),
        ("{F 5 USD|($5)}", "parentheses stay outside"),
        ("{F five USD|$5}", "is not a number"),
        ("{A| Carney}", "empty or spaced"),
        ("{X|Carney}", "does not start with A, F, Q or S"),
    ],
)
def test_markup_errors_name_the_file_and_line(tmp_path, body, reason):
    path = tmp_path / "bad.txt"
    filler = " ".join(["word"] * 90)
    path.write_text(f"=== p-1\ntitle: T\n---\n{filler}\n{body}\n", encoding="utf-8")
    with pytest.raises(MarkupError, match=reason) as error:
        read_source(path)
    assert str(error.value).startswith(f"{path}:5: ")


def test_a_passage_outside_the_word_range_is_refused(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text(PASSAGE, encoding="utf-8")
    with pytest.raises(MarkupError, match="words, not"):
        read_source(path)

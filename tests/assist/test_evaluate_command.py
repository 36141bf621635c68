import io
import json

import pytest
from django.core.management import CommandError, call_command

from assist.scoring_layers import LAYER_LOADERS, load_layer
from corpus.models import Corpus

TEXT = "Carney said: “We are ready.” Two officials said $5 billion was offered."


def span(uid, start, end, label, *, gold, attributes=None):
    return {
        "id": uid,
        "start": start,
        "end": end,
        "label": label,
        "text": TEXT[start:end],
        "annotator": None if gold else "ana",
        "attributes": attributes or {},
        **({"gold": True} if gold else {}),
    }


def document():
    # Gold: the actor, the quote with its speaker, the figure, the anonymous source.
    # Ana's layer: the actor, the quote at another width with the speaker, a wrong figure unit.
    figure = {"value": 5_000_000_000, "unit": "USD", "approximate": False}
    spans = [
        span("g1", 0, 6, "ACTOR", gold=True),
        span("a1", 0, 6, "ACTOR", gold=False),
        span("g2", 14, 27, "QUOTE", gold=True),
        span("a2", 14, 28, "QUOTE", gold=False),
        span("g3", 29, 42, "ANON_SOURCE", gold=True, attributes={"count": 2}),
        span("g4", 48, 58, "FIGURE", gold=True, attributes=figure),
        span("a4", 48, 58, "FIGURE", gold=False, attributes={**figure, "unit": "CAD"}),
    ]
    spans.sort(key=lambda s: (s["start"], s["end"], s["label"]))
    return {
        "id": "wire-1",
        "title": "Carney ready",
        "text": TEXT,
        "spans": spans,
        "relations": [
            {"type": "speaker", "from": "g2", "to": "g1"},
            {"type": "speaker", "from": "a2", "to": "a1"},
        ],
    }


@pytest.fixture
def corpus(db, tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps(document(), ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("import_documents", str(path), corpus="Wire", stdout=io.StringIO())
    return Corpus.objects.get(name="Wire")


def evaluate(*args):
    out = io.StringIO()
    call_command("evaluate", *args, stdout=out)
    return out.getvalue()


def test_load_layer_reads_a_human_layer_with_its_speakers(corpus):
    gold = load_layer(corpus, "gold")
    assert [(s.label, s.start, s.end) for s in gold] == [
        ("ACTOR", 0, 6),
        ("QUOTE", 14, 27),
        ("ANON_SOURCE", 29, 42),
        ("FIGURE", 48, 58),
    ]
    quote = gold[1]
    assert (quote.speaker.start, quote.speaker.end, quote.speaker.label) == (0, 6, "ACTOR")
    assert {s.document for s in gold} == {"wire-1"}
    assert [s.label for s in load_layer(corpus, "ana")] == ["ACTOR", "QUOTE", "FIGURE"]


def test_gold_against_gold_scores_one_everywhere(corpus):
    scores = json.loads(
        evaluate("--corpus", "Wire", "--reference", "gold", "--candidate", "gold", "--json")
    )
    assert {label: row["exact"]["f1"] for label, row in scores["labels"].items()} == {
        "ACTOR": 1.0,
        "FIGURE": 1.0,
        "QUOTE": 1.0,
        "ANON_SOURCE": 1.0,
    }
    assert scores["speaker"]["accuracy"] == {"correct": 1, "total": 1, "share": 1.0}
    assert scores["acceptance"] is None


def test_an_analyst_layer_against_gold(corpus):
    scores = json.loads(
        evaluate("--corpus", "Wire", "--reference", "gold", "--candidate", "ana", "--json")
    )
    labels = scores["labels"]
    assert labels["QUOTE"]["exact"]["matched"] == 0
    assert labels["QUOTE"]["overlap"]["matched"] == 1
    assert labels["ANON_SOURCE"]["exact"] == {
        "reference": 1,
        "candidate": 0,
        "matched": 0,
        "precision": None,
        "recall": 0.0,
        "f1": 0.0,
    }
    assert scores["speaker"]["accuracy"]["total"] == 0
    assert scores["speaker"]["overlap_quote_overlap_speaker"]["share"] == 1.0
    assert scores["figure"]["value"]["share"] == 1.0
    assert scores["figure"]["unit"]["share"] == 0.0


def test_the_table_is_readable(corpus):
    out = evaluate("--corpus", "Wire", "--reference", "gold", "--candidate", "ana")
    lines = out.splitlines()
    assert lines[0] == "Wire: ana scored against gold"
    assert lines[2].split()[:8] == ["ACTOR", "1", "1", "│", "1", "1.000", "1.000", "1.000"]
    assert "FIGURE attributes of exact matches: value 1.000 (1/1), unit 0.000 (0/1)" in out


def test_exclude_scores_only_the_spans_outside_another_layer(corpus):
    scores = json.loads(
        evaluate(
            "--corpus",
            "Wire",
            "--reference",
            "gold",
            "--candidate",
            "gold",
            "--label",
            "ACTOR",
            "--label",
            "FIGURE",
            "--exclude",
            "ana",
            "--json",
        )  # fmt: skip
    )
    assert list(scores["labels"]) == ["ACTOR", "FIGURE"]
    assert scores["labels"]["ACTOR"]["exact"]["reference"] == 0
    assert scores["speaker"] is None


def test_a_registered_machine_layer_is_loaded_by_its_loader(corpus, monkeypatch):
    monkeypatch.setitem(LAYER_LOADERS, "machine", lambda c: load_layer(c, "ana"))
    scores = json.loads(
        evaluate("--corpus", "Wire", "--reference", "gold", "--candidate", "machine", "--json")
    )
    assert scores["candidate"] == "machine"
    assert scores["labels"]["ACTOR"]["exact"]["matched"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--corpus", "Nowhere", "--reference", "gold", "--candidate", "gold"), "no corpus"),
        (("--corpus", "Wire", "--reference", "gold", "--candidate", "all"), "name one layer"),
    ],
)
def test_bad_arguments_are_clear_errors(corpus, args, message):
    with pytest.raises(CommandError, match=message):
        evaluate(*args)

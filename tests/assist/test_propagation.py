import io
import json

import pytest
from django.core.management import call_command

from annotations.models import Annotation
from assist.evaluation import build
from assist.evaluation.propagation import (
    FIRST_MENTIONS_ANALYST,
    first_mention_lines,
    first_mention_places,
    with_first_mentions,
)


def record(doc_id, text, actors):
    spans = []
    for n, name in enumerate(actors):
        start = text.index(name, spans[-1]["end"] if spans else 0)
        spans.append(
            {
                "id": f"{doc_id}-{n}",
                "start": start,
                "end": start + len(name),
                "label": "ACTOR",
                "text": name,
                "annotator": None,
                "attributes": {},
                "gold": True,
            }
        )
    return {"id": doc_id, "text": text, "spans": spans, "relations": []}


TEXT_A = "Canada and the U.S. met. Canada agreed; U.S. did not."
RECORDS = [
    record("a", TEXT_A, ["Canada", "the U.S.", "Canada", "U.S."]),
    record("b", "Canada said no.", ["Canada"]),
]


def test_first_mentions_are_per_distinct_string_across_the_corpus():
    assert first_mention_places(RECORDS) == {("a", 0, 6), ("a", 11, 19), ("a", 40, 44)}


def test_first_mentions_per_document():
    assert ("b", 0, 6) in first_mention_places(RECORDS, scope="document")


def test_an_unknown_scope_is_refused():
    with pytest.raises(ValueError, match="scope"):
        first_mention_places(RECORDS, scope="sentence")


def test_the_first_mentions_are_copied_into_the_analyst_layer_in_order():
    result = with_first_mentions(RECORDS[0], first_mention_places(RECORDS), corpus="P")
    assert result["corpus"] == "P"
    copies = [s for s in result["spans"] if s.get("annotator") == FIRST_MENTIONS_ANALYST]
    assert [(s["start"], s["text"], "gold" in s) for s in copies] == [
        (0, "Canada", False),
        (11, "the U.S.", False),
        (40, "U.S.", False),
    ]
    assert [s["start"] for s in result["spans"]] == sorted(s["start"] for s in result["spans"])
    assert len(RECORDS[0]["spans"]) == 4  # the input is left as it was


@pytest.mark.django_db
def test_the_first_mentions_file_of_the_dev_set_imports(tmp_path):
    records = [json.loads(line) for line in (build.HERE / "dev.jsonl").open(encoding="utf-8")]
    path = tmp_path / "dev-propagation.jsonl"
    path.write_text("".join(line + "\n" for line in first_mention_lines(records)), "utf-8")
    call_command("import_documents", str(path), corpus="Propagation", stdout=io.StringIO())
    spans = Annotation.objects.filter(document__corpus__name="Propagation")
    first = spans.filter(annotator__username=FIRST_MENTIONS_ANALYST)
    actors = {s["text"] for r in records for s in r["spans"] if s["label"] == "ACTOR"}
    assert first.count() == len(actors)
    assert spans.filter(is_gold=True).count() == sum(len(r["spans"]) for r in records)

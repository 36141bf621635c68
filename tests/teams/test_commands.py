"""The CLI permission path, and exporting layers: gold, one analyst, all."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotations.interchange.imports import get_or_create_corpus, import_paths
from teams.adjudication import accept_agreed
from tests.factories import (
    make_annotation,
    make_corpus,
    make_document,
    make_speaker_relation,
    make_team,
    make_user,
)

TEXT = "Mark Carney said: “We are ready.” Two officials disagreed."


@pytest.fixture
def adjudicated(db):
    corpus = make_corpus("Desk")
    make_corpus("Elsewhere")
    document = make_document(corpus, text=TEXT, external_id="d1")
    users = make_team(corpus, outsiders=()).users
    for analyst in (users["ana"], users["ben"]):
        quote = make_annotation(document, "QUOTE", "We are ready.", annotator=analyst)
        make_speaker_relation(
            quote, make_annotation(document, "ACTOR", "Mark Carney", annotator=analyst)
        )
    make_annotation(document, "ANON_SOURCE", "Two officials", annotator=users["ana"])
    accept_agreed(document=document, reviewer=users["rev"])
    return corpus, users


def export(**options) -> list[dict]:
    out = io.StringIO()
    call_command("export_annotations", stdout=out, stderr=io.StringIO(), **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_layer_gold_exports_the_adjudicated_layer_with_its_relation(adjudicated):
    [line] = export(corpus="Desk", layer="gold")
    assert sorted((s["label"], s["text"]) for s in line["spans"]) == [
        ("ACTOR", "Mark Carney"),
        ("QUOTE", "We are ready."),
    ]
    assert all(s["gold"] is True and s["annotator"] == "rev" for s in line["spans"])
    assert len(line["relations"]) == 1


def test_layer_of_one_analyst_and_all_layers(adjudicated):
    [ana] = export(corpus="Desk", layer="ana")
    assert {s["annotator"] for s in ana["spans"]} == {"ana"}
    assert "gold" not in ana["spans"][0]
    assert len(ana["spans"]) == 3
    [everything] = export(corpus="Desk")
    assert len(everything["spans"]) == 3 + 2 + 2
    with pytest.raises(CommandError, match="no user called 'nobody'"):
        export(corpus="Desk", layer="nobody")


def test_gold_layer_survives_export_and_import(adjudicated, tmp_path):
    path = tmp_path / "desk.jsonl"
    call_command("export_annotations", corpus="Desk", output=str(path), stderr=io.StringIO())
    copy = get_or_create_corpus("Copy")
    assert not import_paths([path], corpus=copy).failures
    assert copy.documents.get().annotations.filter(is_gold=True).count() == 2
    again = tmp_path / "copy.jsonl"
    call_command("export_annotations", corpus="Copy", output=str(again), stderr=io.StringIO())
    assert again.read_text().replace('"Copy"', '"Desk"') == path.read_text()


@pytest.mark.parametrize(
    ("command", "extra"),
    [("export_annotations", {}), ("agreement", {})],
)
def test_acting_for_a_user_hides_corpora_they_may_not_use(adjudicated, command, extra):
    out = io.StringIO()
    call_command(command, corpus="Desk", as_user="mia", stdout=out, stderr=io.StringIO(), **extra)
    for outsider in ["ana", "ben"] if command == "export_annotations" else ["ana"]:
        with pytest.raises(CommandError, match="no corpus called 'Desk'"):
            call_command(command, corpus="Desk", as_user=outsider, stdout=io.StringIO(), **extra)
    with pytest.raises(CommandError, match="no corpus called 'Elsewhere'"):
        call_command(command, corpus="Elsewhere", as_user="mia", stdout=io.StringIO(), **extra)
    with pytest.raises(CommandError, match="no active user called 'ghost'"):
        call_command(command, corpus="Desk", as_user="ghost", stdout=io.StringIO(), **extra)


def test_reviewer_may_run_agreement_but_not_export(adjudicated):
    call_command("agreement", corpus="Desk", as_user="rev", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no corpus called 'Desk'"):
        export(corpus="Desk", as_user="rev")


def test_import_for_a_user_needs_a_corpus_they_manage(adjudicated, tmp_path):
    article = tmp_path / "story.txt"
    article.write_text("OTTAWA - A new story.")
    out = io.StringIO()
    call_command("import_documents", str(article), corpus="Desk", as_user="mia", stdout=out)
    assert "created 1 documents" in out.getvalue()
    with pytest.raises(CommandError, match="no corpus called 'Desk'"):
        call_command(
            "import_documents", str(article), corpus="Desk", as_user="ana", stdout=io.StringIO()
        )
    with pytest.raises(CommandError, match="no corpus called 'New'"):
        call_command(
            "import_documents", str(article), corpus="New", as_user="mia", stdout=io.StringIO()
        )


def test_import_for_a_user_attributes_spans_to_members_only_or_fails_naming_the_others(
    adjudicated, tmp_path
):
    make_user("eve")  # an account, but no member of Desk
    text = "Ana, Eve and Zed met."
    spans = [
        {"start": start, "end": start + 3, "label": "ACTOR", "annotator": name}
        for start, name in [(0, "ana"), (5, "eve"), (13, "zed")]
    ]
    path = tmp_path / "attributed.jsonl"
    path.write_text(json.dumps({"id": "met", "text": text, "spans": spans}) + "\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command(
            "import_documents",
            str(path),
            corpus="Desk",
            as_user="mia",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert (
        f"{path}:1: spans[1].annotator: spans are attributed to people who are not members of "
        "corpus 'Desk': eve, zed"
    ) in err.getvalue()
    corpus, _ = adjudicated
    assert not corpus.documents.filter(external_id="met").exists()
    assert not get_user_model().objects.filter(username="zed").exists()
    path.write_text(json.dumps({"id": "met", "text": text, "spans": spans[:1]}) + "\n")
    out = io.StringIO()
    call_command("import_documents", str(path), corpus="Desk", as_user="mia", stdout=out)
    assert "created 1 documents (1 spans" in out.getvalue()

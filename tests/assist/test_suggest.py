import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from assist import registry
from assist.candidates import ACTOR, QUOTE, Candidate, SpanRef
from assist.models import Suggestion
from assist.suggest import known_strings, layer_condition, suggest_document, suggest_documents
from tests.factories import make_annotation, make_document, make_team

TEXT = "Mark Carney said: “We are ready.” Joly agreed; prices rose 5 per cent. Canada."


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def document(team, fake_suggesters):
    return make_document(team.corpus, TEXT, external_id="story")


def rows(document) -> list[tuple]:
    return list(
        Suggestion.objects.filter(document=document)
        .order_by("start", "label__key")
        .values_list("label__key", "start", "end", "suggester", "speaker__start")
    )


def test_suggest_replaces_a_documents_suggestions_idempotently(document, team):
    report = suggest_documents(corpus=team.corpus)
    assert (report.documents, report.counts) == (
        1,
        Counter({"ACTOR": 3, "QUOTE": 1, "FIGURE": 1}),
    )
    first = rows(document)
    quote = TEXT.index("We")
    assert ("QUOTE", quote, quote + 13, "quotes", 0) in first
    suggest_documents(corpus=team.corpus)
    assert rows(document) == first
    assert Suggestion.objects.count() == 5


def test_suggest_for_some_labels_keeps_the_others_and_relinks_quotes(document, team):
    suggest_documents(corpus=team.corpus)
    suggest_documents(corpus=team.corpus, labels=["QUOTE"])
    # The new quote names the ACTOR suggestion kept from the first run.
    assert ("QUOTE", TEXT.index("We"), TEXT.index("We") + 13, "quotes", 0) in rows(document)
    report = suggest_documents(corpus=team.corpus, labels=["ACTOR"])
    assert report.counts == Counter({"ACTOR": 3})
    # The quote kept loses its speaker, which was deleted with the old ACTORs.
    assert ("QUOTE", TEXT.index("We"), TEXT.index("We") + 13, "quotes", None) in rows(document)
    assert Suggestion.objects.count() == 5


def test_suggest_for_chosen_documents_leaves_the_others(document, team):
    other = make_document(team.corpus, "Joly spoke.", external_id="other")
    suggest_documents(corpus=team.corpus, document_ids=[other.pk])
    assert rows(document) == []
    assert [row[0] for row in rows(other)] == ["ACTOR"]


def test_suggest_refuses_labels_and_documents_the_corpus_lacks(document, team):
    with pytest.raises(LookupError, match="has no label NOPE"):
        suggest_documents(corpus=team.corpus, labels=["NOPE"])
    with pytest.raises(LookupError, match="has no document 999999"):
        suggest_documents(corpus=team.corpus, document_ids=[999999])


def test_a_suggester_proposing_outside_the_text_is_named(document, team, fake_suggesters):
    def broken(analysis, context, found):
        return [Candidate(ACTOR, 0, len(analysis.text) + 1, "broken", 0.5)]

    fake_suggesters["actors"] = registry.RegisteredSuggester("actors", frozenset({ACTOR}), broken)
    with pytest.raises(ValueError, match="suggester broken proposed ACTOR"):
        suggest_documents(corpus=team.corpus)


def test_known_strings_come_from_the_layer_asked_for(document, team):
    ana, ben = team.users["ana"], team.users["ben"]
    make_annotation(document, "ACTOR", "Joly", annotator=ana)
    make_annotation(document, "ANON_SOURCE", "Joly", annotator=ben)
    make_annotation(document, "QUOTE", "We are ready.", annotator=ben)
    make_annotation(document, "ACTOR", "Canada", is_gold=True)
    assert known_strings(team.corpus, layer_condition("ana")) == {"Joly": "ACTOR"}
    assert known_strings(team.corpus, layer_condition("gold")) == {"Canada": "ACTOR"}
    every = known_strings(team.corpus, layer_condition("all"))
    # A tie between labels goes to the first key.
    assert every == {"Joly": "ACTOR", "We are ready.": "QUOTE", "Canada": "ACTOR"}
    assert layer_condition(None) is None


def test_the_known_strings_reach_the_suggesters(document, team, fake_suggesters):
    seen = []

    def spy(analysis, context, found):
        seen.append(dict(context.known))
        return []

    fake_suggesters["propagation"] = registry.RegisteredSuggester(
        "propagation", frozenset({ACTOR}), spy
    )
    make_annotation(document, "ACTOR", "Joly", annotator=team.users["ana"])
    suggest_documents(corpus=team.corpus, propagate_from="ana")
    suggest_document(document, known={"Canada": ACTOR})
    assert seen == [{"Joly": "ACTOR"}, {"Canada": "ACTOR"}]


def test_the_layers_own_spans_in_each_document_reach_the_suggesters(
    document, team, fake_suggesters
):
    seen = {}

    def spy(analysis, context, found):
        seen[analysis.text] = context.layer_spans
        return []

    fake_suggesters["propagation"] = registry.RegisteredSuggester(
        "propagation", frozenset({ACTOR}), spy
    )
    other = make_document(team.corpus, "Joly spoke.", external_id="other")
    make_annotation(document, "ACTOR", "Joly", annotator=team.users["ana"])
    make_annotation(document, "ACTOR", "Canada", annotator=team.users["ben"])
    suggest_documents(corpus=team.corpus, propagate_from="ana")
    joly = TEXT.index("Joly")
    assert seen == {TEXT: (SpanRef(joly, joly + 4, ACTOR),), other.text: ()}
    suggest_documents(corpus=team.corpus)
    assert seen == {TEXT: (), other.text: ()}


def test_suggest_document_replaces_one_documents_suggestions(document, team):
    other = make_document(team.corpus, "Joly spoke.", external_id="other")
    suggest_documents(corpus=team.corpus)
    counts = suggest_document(document, known={})
    assert counts == Counter({ACTOR: 3, QUOTE: 1, "FIGURE": 1})
    assert Suggestion.objects.filter(document=other).count() == 1
    assert Suggestion.objects.count() == 6


def test_suggest_command_prints_counts_per_label(document, team):
    out = io.StringIO()
    call_command("suggest", corpus=team.corpus.name, stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert lines[:3] == ["ACTOR: 3", "FIGURE: 1", "QUOTE: 1"]
    assert lines[3].startswith("5 suggestions in 1 documents (")
    out = io.StringIO()
    call_command(
        "suggest",
        corpus=team.corpus.name,
        label=["QUOTE"],
        document=[document.pk],
        propagate_from="gold",
        stdout=out,
    )
    assert out.getvalue().splitlines()[0] == "QUOTE: 1"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"corpus": "Nowhere"}, "no corpus called 'Nowhere'"),
        ({"label": ["NOPE"]}, "has no label NOPE"),
        ({"document": [999999]}, "has no document 999999"),
        ({"propagate_from": "nobody"}, "no user called 'nobody'"),
        ({"propagate_from": "suggestions"}, "propagate from a human layer"),
        ({"as_user": "ana"}, "no corpus called 'Desk'"),
    ],
)
def test_suggest_command_refuses_bad_input(document, team, options, message):
    options = {"corpus": team.corpus.name} | options
    with pytest.raises(CommandError, match=message):
        call_command("suggest", stdout=io.StringIO(), **options)

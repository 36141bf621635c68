"""The history page says each change as a sentence: label names, the spans a link joins, gold."""

import pytest
from django.urls import reverse

from annotations.models import Annotation, Label
from annotations.relations import create_relation, retarget_relation
from annotations.spans import create_span, update_span
from teams.history import document_history
from teams.history_wording import quoted, with_article
from tests.factories import make_corpus, make_document, make_team

TEXT = "Donald Trump and Mark Carney met. “the most European of non-European countries,” one said."


@pytest.fixture
def changed(db):
    corpus = make_corpus("Wording")
    document = make_document(corpus, text=TEXT, external_id="w1")
    team = make_team(corpus, assigned=[document])
    ana, rev = team.users["ana"], team.users["rev"]
    label = {key: Label.objects.get(corpus=corpus, key=key) for key in ("ACTOR", "QUOTE")}
    anon = Label.objects.get(corpus=corpus, key="ANON_SOURCE")

    def span(key, covered, *, gold=False, who=ana):
        start = TEXT.index(covered)
        return create_span(
            document=document,
            label=label[key],
            start=start,
            end=start + len(covered),
            covered=covered,
            attributes={},
            annotator=None if gold else who,
            is_gold=gold,
            editor=who,
        )

    trump = span("ACTOR", "Donald Trump")
    carney = span("ACTOR", "Mark Carney")
    quote = span("QUOTE", "the most European of non-European countries,")
    link = create_relation(
        document=document,
        relation_type="speaker",
        source=quote,
        target=trump,
        annotator=ana,
        editor=ana,
    )
    retarget_relation(relation=link, target=carney, editor=ana)
    carney.refresh_from_db()
    update_span(span=carney, version=carney.version, label=anon, editor=ana)
    span("ACTOR", "Mark Carney", gold=True, who=rev)
    return corpus, document, team


def test_history_rows_read_like_sentences(changed):
    _, document, _ = changed
    entries = document_history(document)
    headlines = [entry.headline for entry in entries]
    lines = [line for entry in entries for line in entry.change_lines]
    assert headlines[0] == "Added a gold ACTOR span ‘Mark Carney’"
    assert "Added an ACTOR span ‘Donald Trump’" in headlines
    assert "Added a QUOTE span ‘the most European of non-European count…’" in headlines
    assert "label: ACTOR → ANON_SOURCE" in lines
    assert (
        "speaker of ‘the most European of non-European count…’: ‘Donald Trump’ → ‘Mark Carney’"
        in lines
    )
    assert any(h.startswith("Linked the speaker of ‘the most European") for h in headlines)


def test_the_history_page_shows_the_sentences_not_ids(client, changed):
    _, document, team = changed
    client.force_login(team.users["rev"])
    html = client.get(reverse("teams:history", args=[document.pk])).content.decode()
    assert "label: ACTOR → ANON_SOURCE" in html
    assert "Added a gold ACTOR span" in html
    assert "span [" not in html  # no raw "span 12 → span 13" ids


@pytest.mark.parametrize(
    ("word", "expected"),
    [("ACTOR span", "an ACTOR span"), ("QUOTE span", "a QUOTE span"), ("gold x", "a gold x")],
)
def test_articles_follow_the_word(word, expected):
    assert with_article(word) == expected


def test_long_texts_are_cut_with_an_ellipsis_and_spaces_folded():
    assert quoted("a\n  b") == "‘a b’"
    assert quoted("x" * 50) == "‘" + "x" * 39 + "…’"


def test_a_span_known_only_as_it_stands_is_named(changed):
    _, document, _ = changed
    Annotation.history.filter(document_id=document.pk).delete()
    assert all(
        "no longer recorded" not in line
        for e in document_history(document)
        for line in e.change_lines
    )

import datetime
import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus.models import Assignment, Document, Membership
from tests.factories import (
    EMOJI_TEXT,
    make_annotation,
    make_corpus,
    make_document,
    make_speaker_relation,
    make_user,
)


@pytest.fixture
def signed_in(client, analyst):
    client.force_login(analyst)
    return client


def make_documents(corpus, count: int, **overrides) -> list[Document]:
    return [
        make_document(
            corpus, text=f"Article {i} about Canada.", external_id=f"a{i:03}", **overrides
        )
        for i in range(count)
    ]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def data_island(response) -> dict:
    match = re.search(
        r'<script id="annotator-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


# Logging in


def test_every_page_requires_a_login(client, corpus):
    document = make_document(corpus)
    for url in [
        "/",
        f"/corpora/{corpus.slug}/",
        f"/corpora/{corpus.slug}/next/",
        f"/documents/{document.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_the_login_form_logs_in_and_logout_logs_out(client, analyst):
    page = client.get("/accounts/login/")
    assert b'name="username"' in page.content
    assert b"no sign-up" in page.content
    wrong = client.post("/accounts/login/", {"username": "analyst", "password": "nope"})
    assert wrong.status_code == 200
    assert b"Please enter a correct username and password" in wrong.content
    response = client.post(
        "/accounts/login/", {"username": "analyst", "password": "pw-for-tests-only"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


# Corpora


def test_corpus_list_shows_document_counts_and_progress(signed_in, corpus, analyst):
    make_documents(corpus, 1, status=Document.Status.DONE)
    statuses = [Document.Status.IN_PROGRESS] * 2 + [Document.Status.NEW]
    for i, status in enumerate(statuses):
        make_document(corpus, text=f"Other text {i}.", external_id=f"b{i}", status=status)
    empty = make_corpus("Empty corpus")
    Membership.objects.create(corpus=empty, user=analyst, role="annotator")
    make_corpus("Not a member")
    response = signed_in.get("/")
    corpora = {c.name: c for c in response.context["corpora"]}
    seen = corpora["Test corpus"]
    assert (seen.document_count, seen.done_count, seen.in_progress_count, seen.new_count) == (
        4,
        1,
        2,
        1,
    )
    assert corpora["Empty corpus"].document_count == 0
    assert "Not a member" not in corpora
    html = response.content.decode()
    assert "1 done" in html
    assert "2 in progress" in html
    assert "1 new" in html
    assert f'href="/corpora/{corpus.slug}/"' in html


def test_corpus_list_takes_the_same_queries_for_one_or_many_corpora(signed_in, analyst):
    def member_corpus(name: str):
        corpus = make_corpus(name)
        Membership.objects.create(corpus=corpus, user=analyst, role="manager")
        return corpus

    make_documents(member_corpus("First"), 2)
    signed_in.get("/")
    one = queries_for(signed_in, "/")
    for i in range(6):
        make_documents(member_corpus(f"More {i}"), 3)
    assert len(signed_in.get("/").context["corpora"]) == 7
    assert queries_for(signed_in, "/") == one <= 4


# Documents of a corpus


def test_document_list_shows_metadata_status_tags_and_span_counts(signed_in, corpus):
    document = make_document(
        corpus,
        external_id="wire-1",
        title="Carney in Paris",
        source="The Wire",
        published=datetime.date(2025, 3, 19),
        status=Document.Status.IN_PROGRESS,
    )
    document.tags.add("defence", "Canada")
    make_annotation(document, "ACTOR", "Mark Carney")
    make_annotation(document, "ACTOR", "Fans")
    make_annotation(document, "QUOTE", "We are ready.")
    response = signed_in.get(f"/corpora/{corpus.slug}/")
    ((row_document, counts),) = response.context["rows"]
    assert row_document == document
    assert [(label.key, count) for label, count in counts] == [
        ("ACTOR", 2),
        ("FIGURE", 0),
        ("QUOTE", 1),
        ("ANON_SOURCE", 0),
    ]
    html = response.content.decode()
    for text in ["Carney in Paris", "The Wire", "2025-03-19", "defence", "Canada", "In progress"]:
        assert text in html
    assert f'href="/documents/{document.pk}/"' in html


def test_documents_are_filtered_by_status_tag_label_and_text(signed_in, corpus):
    done, tagged, quoted, plain = [
        make_document(corpus, text=text, external_id=name)
        for name, text in [
            ("done", "Ottawa signs the deal."),
            ("tagged", "Brussels waits."),
            ("quoted", "“We are ready,” said Carney."),
            ("plain", "Nothing happens in Ottawa."),
        ]
    ]
    Document.objects.filter(pk=done.pk).update(status=Document.Status.DONE)
    tagged.tags.add("Defence")
    make_annotation(quoted, "QUOTE", "We are ready,")
    url = f"/corpora/{corpus.slug}/"

    def listed(**query) -> set[str]:
        page = signed_in.get(url, query).context["page"]
        return {document.external_id for document in page}

    assert listed() == {"done", "tagged", "quoted", "plain"}
    assert listed(status="done") == {"done"}
    assert listed(status="new") == {"tagged", "quoted", "plain"}
    assert listed(tag="defence") == {"tagged"}
    assert listed(label="QUOTE") == {"quoted"}
    assert listed(q="ottawa") == {"done", "plain"}
    assert listed(q="ottawa", status="new") == {"plain"}
    assert listed(label="NOT_A_LABEL") == {"done", "tagged", "quoted", "plain"}


def test_an_annotator_counts_and_filters_by_label_in_their_own_layer_only(client, corpus):
    ana, ben = make_user("ana"), make_user("ben")
    for user in (ana, ben):
        Membership.objects.create(corpus=corpus, user=user, role=Membership.Role.ANNOTATOR)
    mine, theirs = (
        make_document(corpus, external_id="mine"),
        make_document(corpus, text=EMOJI_TEXT + " Again.", external_id="theirs"),
    )
    for document in (mine, theirs):
        for user in (ana, ben):
            Assignment.objects.create(document=document, annotator=user)
    make_annotation(mine, "QUOTE", "We are ready.", annotator=ana)
    make_annotation(theirs, "QUOTE", "We are ready.", annotator=ben)
    make_annotation(theirs, "QUOTE", "We are ready.", is_gold=True)
    make_annotation(theirs, "ACTOR", "Mark Carney", annotator=ana)
    client.force_login(ana)
    url = f"/corpora/{corpus.slug}/"

    def counts(response) -> dict[str, dict[str, int]]:
        return {
            document.external_id: {label.key: n for label, n in row if n}
            for document, row in response.context["rows"]
        }

    assert counts(client.get(url)) == {"mine": {"QUOTE": 1}, "theirs": {"ACTOR": 1}}
    assert counts(client.get(url, {"label": "QUOTE"})) == {"mine": {"QUOTE": 1}}
    Membership.objects.filter(user=ana).update(role=Membership.Role.REVIEWER)
    assert counts(client.get(url, {"label": "QUOTE"})) == {
        "mine": {"QUOTE": 1},
        "theirs": {"ACTOR": 1, "QUOTE": 2},
    }


def test_document_list_is_paginated_and_pages_keep_the_filters(signed_in, corpus):
    make_documents(corpus, 55)
    first = signed_in.get(f"/corpora/{corpus.slug}/", {"status": "new"})
    assert len(first.context["page"]) == 50
    assert 'href="?status=new&amp;page=2"' in first.content.decode()
    second = signed_in.get(f"/corpora/{corpus.slug}/", {"status": "new", "page": 2})
    assert [d.external_id for d in second.context["page"]] == [f"a{i:03}" for i in range(50, 55)]
    assert "Page 2 of 2" in second.content.decode()


def test_document_list_takes_the_same_queries_for_few_or_many_documents(signed_in, corpus):
    def annotate(documents):
        for document in documents:
            document.tags.add("canada", f"t-{document.external_id}")
            make_annotation(document, "ACTOR", "Canada")
            make_annotation(document, "FIGURE", "Article")

    annotate(make_documents(corpus, 2))
    url = f"/corpora/{corpus.slug}/"
    signed_in.get(url)
    few = queries_for(signed_in, url)
    annotate(
        make_document(corpus, text=f"More {i} on Canada. Article.", external_id=f"m{i}")
        for i in range(40)
    )
    assert queries_for(signed_in, url) == few <= 10


def test_next_unannotated_opens_the_first_document_not_done(signed_in, corpus):
    first, second, third = make_documents(corpus, 3)
    Document.objects.filter(pk=first.pk).update(status=Document.Status.DONE)
    url = f"/corpora/{corpus.slug}/next/"
    assert signed_in.get(url)["Location"] == f"/documents/{second.pk}/"
    assert signed_in.get(url, {"after": second.pk})["Location"] == f"/documents/{third.pk}/"
    assert signed_in.get(url, {"after": third.pk})["Location"] == f"/documents/{second.pk}/"
    Document.objects.update(status=Document.Status.DONE)
    response = signed_in.get(url, {"after": third.pk}, follow=True)
    assert response.redirect_chain == [(f"/corpora/{corpus.slug}/", 302)]
    assert "Every document of Test corpus is done." in response.content.decode()


def test_an_unknown_corpus_answers_404(signed_in):
    assert signed_in.get("/corpora/nothing-here/").status_code == 404
    assert signed_in.get("/corpora/nothing-here/next/").status_code == 404


# The annotation page


def test_annotation_page_hands_the_document_to_the_script(signed_in, corpus):
    document = make_document(corpus, external_id="emoji")
    quote = make_annotation(document, "QUOTE", "We are ready.")
    carney = make_annotation(document, "ACTOR", "Mark Carney")
    make_speaker_relation(quote, carney)
    response = signed_in.get(f"/documents/{document.pk}/")
    assert response.status_code == 200
    data = data_island(response)
    assert data["text"] == EMOJI_TEXT
    assert [(s["label"], s["text"]) for s in data["spans"]] == [
        ("ACTOR", "Mark Carney"),
        ("QUOTE", "We are ready."),
    ]
    assert data["relations"][0]["source"] == quote.uid
    assert data["api"]["spans"] == f"/api/documents/{document.pk}/spans/"
    assert data["speaker"] == {"source": "QUOTE", "targets": ["ACTOR", "ANON_SOURCE"]}
    html = response.content.decode()
    assert 'data-label="ACTOR"' in html
    assert "<kbd>a</kbd>" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'href="/corpora/{corpus.slug}/next/?after={document.pk}"' in html


def test_annotation_page_loads_one_module_and_preloads_every_module_it_imports(signed_in, corpus):
    document = make_document(corpus)
    html = signed_in.get(f"/documents/{document.pk}/").content.decode()
    assert re.findall(r'<script type="module" src="([^"]+)"', html) == [
        "/static/annotations/annotator.js"
    ]
    preloaded = re.findall(r'<link rel="modulepreload" href="/static/annotations/([^"]+)"', html)
    modules = {path.name for path in (settings.BASE_DIR / "static/annotations").glob("*.js")}
    assert sorted(preloaded) == sorted(modules - {"annotator.js"})


def test_annotation_page_takes_the_same_queries_for_3_or_60_spans(signed_in, corpus):
    words = " ".join(f"w{i}" for i in range(60))
    small = make_document(corpus, text=words)
    large = make_document(corpus, text=words + ".")
    for document, count in [(small, 3), (large, 60)]:
        document.tags.add("x", "y")
        for i in range(count):
            make_annotation(document, "ACTOR", f"w{i}")
    signed_in.get(f"/documents/{small.pk}/")
    few = queries_for(signed_in, f"/documents/{small.pk}/")
    # Two more than before issue 15: the analysts whose layers the switcher offers, and the
    # analysts' progress beside the status badge.
    assert queries_for(signed_in, f"/documents/{large.pk}/") == few <= 12


def test_hostile_text_title_and_labels_are_escaped(signed_in, corpus):
    corpus.labels.create(key="HOSTILE", name="<img src=x onerror=alert(1)>", position=9)
    title = "<script>alert('title')</script>"
    text = "<script>alert(1)</script> <img src=x onerror=alert(2)> javascript:alert(3)"
    document = make_document(corpus, text=text, title=title, source="<b>Wire</b>")
    document.tags.add("<script>alert(4)</script>")
    make_annotation(document, "HOSTILE", "<script>alert(1)</script>")
    for url in [f"/documents/{document.pk}/", f"/corpora/{corpus.slug}/"]:
        html = signed_in.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img" not in html, url
        assert "<b>Wire" not in html, url
        assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html, url
    page = signed_in.get(f"/documents/{document.pk}/")
    assert "\\u003Cscript\\u003Ealert(1)" in page.content.decode()
    assert data_island(page)["text"] == text


def test_annotation_page_answers_404_outside_the_visible_corpora(signed_in, corpus, analyst):
    document = make_document(corpus)
    assert signed_in.get(f"/documents/{document.pk + 1}/").status_code == 404
    Membership.objects.filter(user=analyst).delete()
    assert signed_in.get(f"/documents/{document.pk}/").status_code == 404
    assert signed_in.get(f"/corpora/{corpus.slug}/").status_code == 404
    assert list(signed_in.get("/").context["corpora"]) == []


def test_a_user_sees_only_the_corpora_they_are_a_member_of(client, corpus):
    newcomer = make_user("newcomer")
    client.force_login(newcomer)
    assert list(client.get("/").context["corpora"]) == []
    assert client.get(f"/corpora/{corpus.slug}/").status_code == 404
    Membership.objects.create(corpus=corpus, user=newcomer, role="reviewer")
    assert [c.name for c in client.get("/").context["corpora"]] == ["Test corpus"]

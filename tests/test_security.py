"""The Content-Security-Policy and the protections the penetration test found holding."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from corpus.models import Assignment, Membership
from tests.factories import (
    make_annotation,
    make_corpus,
    make_document,
    make_speaker_relation,
    make_user,
)

TEXT = "Mark Carney said: “We are ready.” Two officials disagreed."


class InlineCode(HTMLParser):
    """Collect what a CSP without 'unsafe-inline' would refuse to run."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # json_script's blocks are data (type="application/json"), never run.
        runs = attributes.get("type") != "application/json"
        if tag == "script" and "src" not in attributes and runs:
            self.found.append(self.get_starttag_text())
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(self.get_starttag_text())


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def newsroom(db):
    """A superuser and a corpus with a document that has spans, a link and history."""
    boss = make_user("boss", is_staff=True, is_superuser=True)
    corpus = make_corpus("Desk")
    document = make_document(corpus, text=TEXT, external_id="d1")
    Membership.objects.create(corpus=corpus, user=boss, role=Membership.Role.MANAGER)
    Assignment.objects.create(document=document, annotator=boss)
    quote = make_annotation(document, "QUOTE", "We are ready.", annotator=boss)
    make_speaker_relation(quote, make_annotation(document, "ACTOR", "Mark Carney", annotator=boss))
    return boss, corpus, document


def page_urls(corpus, document) -> list[str]:
    """Every page of the site and of the admin that a superuser can open for `document`."""
    urls = [
        reverse("corpus:list"),
        reverse("corpus:documents", args=[corpus.slug]),
        reverse("annotations:annotate", args=[document.pk]),
        reverse("teams:review", args=[document.pk]),
        reverse("teams:history", args=[document.pk]),
        reverse("teams:agreement", args=[corpus.slug]),
        reverse("admin:index"),
        reverse("admin:password_change"),
    ]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        instance = model._default_manager.first()
        if instance is not None:
            urls += [
                reverse(f"{prefix}_{view}", args=[instance.pk])
                for view in ("change", "history", "delete")
            ]
        if instance is not None and hasattr(model, "history"):  # django-simple-history's
            record = instance.history.first()
            urls.append(reverse(f"{prefix}_simple_history", args=[instance.pk, record.pk]))
    return urls


def test_every_page_and_admin_page_sends_a_policy_without_inline_script(client, newsroom):
    boss, corpus, document = newsroom
    client.force_login(boss)
    for url in page_urls(corpus, document):
        response = client.get(url)
        # Refusals are pages too (django-axes' records cannot be added by hand).
        assert response.status_code in {200, 403}, url
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in response.headers["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'", url
        assert policy["default-src"] == "'self'", url
        assert policy["object-src"] == "'none'", url
        assert policy["frame-ancestors"] == "'none'", url
        assert policy["base-uri"] == "'self'", url
        assert policy["form-action"] == "'self'", url
        assert inline_code(response.content.decode()) == [], url


def test_the_login_and_lockout_pages_send_the_policy(client, db):
    assert "script-src 'self'" in client.get("/accounts/login/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in client.get("/admin/login/").headers["Content-Security-Policy"]
    for _ in range(11):
        locked = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert locked.status_code == 429
    assert "script-src 'self'" in locked.headers["Content-Security-Policy"]


# What the penetration test found holding, kept so that the changes above cannot undo it.


def test_pages_refuse_to_be_framed(client, db):
    for url in ["/accounts/login/", "/admin/login/"]:
        assert client.get(url).headers["X-Frame-Options"] == "DENY"


def test_logging_in_never_redirects_to_another_site(client, db):
    make_user("editor")
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "editor", "password": "pw-for-tests-only", "next": "//evil.example/"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"

"""Hostile input for the importers: each file fails clearly, by name, and leaves nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotations.models import Annotation, Label, Relation
from corpus.models import Corpus, Document

FILES = Path(__file__).resolve().parent / "files"

# file name -> what the error must say (after "<path>:<line>: ")
REFUSED = {
    "empty.txt": "file is empty",
    "whitespace.txt": "file is empty",
    "binary.txt": "binary",
    "nul-bytes.txt": "NUL",
    "invalid-utf8.txt": "not valid UTF-8",
    "empty.jsonl": "file has no documents",
    "binary.jsonl": ":1: invalid JSON",
    "utf16-bom.jsonl": ":1: invalid JSON",
    "broken-json.jsonl": ":2: invalid JSON",
    "deeply-nested.jsonl": ":2: invalid JSON: depth limit exceeded",
    "nested-metadata.jsonl": ":2: metadata: nests deeper than 64 levels",
    "wrong-types.jsonl": ":2: id: must be string, not array",
    "text-not-string.jsonl": ":2: text: must be string, not integer",
    "negative-offset.jsonl": ":2: spans[0]: span [-1, 4) is outside",
    "huge-offset.jsonl": ":2: spans[0].end: must be integer, not number",
    "float-offset.jsonl": ":2: spans[0].start: must be integer, not number",
    "end-before-start.jsonl": ":2: spans[0]: span [5, 2) is empty or reversed",
    "offset-past-text.jsonl": ":2: spans[0]: span [6, 60) is outside a text of 11 characters",
    "text-mismatch.jsonl": ":2: spans[0]: span [0, 5) covers 'Short', not 'Shirt'",
    "unknown-label.jsonl": ":2: spans[0].label: unknown label 'WEAPON'",
    "duplicate-id.jsonl": ":2: id: id 'good' was already used on line 1",
    "duplicate-span-id.jsonl": ":2: spans[1].id: span id 's' is used twice",
    "relation-to-missing-span.jsonl": ":2: relations[0].to: no span with id 'nobody'",
    "bad-attribute.jsonl": ":2: spans[0]: attribute 'value' of FIGURE must be a number",
    "nul-in-text.jsonl": ":2: text: contains NUL characters",
    "lone-surrogate.jsonl": ":2: invalid JSON: no low surrogate in string",
    "id-too-long.jsonl": ":2: id: is 300 characters long; the limit is 255",
    "bad-date.jsonl": ":2: published: 'March 19' is not a date",
    "schema-version.jsonl": ":2: schema_version: schema version 99 is not supported",
    "not-an-object.jsonl": ":2: expected an object, got array",
    "sha-mismatch.jsonl": ":2: text_sha256: does not match",
}


def import_file(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 file\\(s\\) failed"):
        call_command("import_documents", str(path), corpus="Hostile", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def assert_nothing_imported() -> None:
    assert Document.objects.count() == 0
    assert Annotation.objects.count() == 0
    assert Relation.objects.count() == 0
    assert Label.objects.exclude(key__in=["ACTOR", "FIGURE", "QUOTE", "ANON_SOURCE"]).count() == 0


def test_every_hostile_file_is_covered():
    on_disk = {path.name for path in FILES.iterdir()}
    assert on_disk == set(REFUSED) | {"html-everywhere.jsonl"}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "message"), sorted(REFUSED.items()))
def test_hostile_file_fails_by_file_line_and_field_and_imports_nothing(name, message):
    path = FILES / name
    out, err = import_file(path)
    assert f"error: {path}" in err
    assert message in err
    assert "failed files 1 of 1" in out
    assert_nothing_imported()


@pytest.mark.django_db
def test_fifty_megabyte_single_line_is_refused_without_harm(tmp_path):
    path = tmp_path / "huge.jsonl"
    with path.open("w") as handle:
        handle.write('{"id": "huge", "text": "' + "news " * 10_000_000 + '"}\n')
    assert path.stat().st_size > 50_000_000
    _, err = import_file(path)
    assert f"{path}:1: text: has 50,000,000 characters; a document may have 10,000,000" in err
    assert_nothing_imported()


@pytest.mark.django_db
def test_html_in_every_field_is_kept_as_text_and_rendered_inert(admin_client):
    path = FILES / "html-everywhere.jsonl"
    import_file_ok(path)
    document = Document.objects.get()
    assert document.text.startswith("<script>alert('text')</script>")
    page = admin_client.get(reverse("admin:corpus_document_change", args=[document.pk]))
    html = page.content.decode()
    for payload in ["<script>alert(", "<img src=x onerror", "<svg onload", "<b onmouseover"]:
        assert payload not in html
    assert "&lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;" in html


def import_file_ok(path: Path) -> tuple[str, str]:
    """Import the file, which is hostile to renderers but valid: HTML in text is just text."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_documents", str(path), corpus="Hostile", stdout=out, stderr=err)
    assert "created 1 documents" in out.getvalue(), err.getvalue()
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_javascript_url_is_refused(tmp_path):
    path = tmp_path / "js-url.jsonl"
    path.write_text('{"id": "u", "text": "A story.", "url": "javascript:alert(1)"}\n')
    _, err = import_file(path)
    assert ":1: url: must be an http:// or https:// URL" in err
    assert not Corpus.objects.get(name="Hostile").documents.exists()

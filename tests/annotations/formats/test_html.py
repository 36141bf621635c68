import datetime
import hashlib
import io
import socket
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.formats import (
    FORMATS,
    IMPORT_FORMATS,
    format_for_suffix,
    get_export_format,
    get_format,
)
from annotations.formats.html import read_html
from annotations.interchange.imports import get_or_create_corpus, import_paths, run_import
from annotations.interchange.read import expand_paths, read_records
from annotations.interchange.records import ImportProblem
from annotations.models import Annotation, Label
from annotations.spans import save_span
from corpus.models import Document, sha256_hex
from tests.factories import make_user

ARTICLE = Path(__file__).resolve().parents[2] / "fixtures" / "harbour-strike.html"
QUOTE = (
    "“Our members have been offered a real-terms pay cut for the third year running,” said "
    "Maria Okafor"
)


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test at any attempt to resolve a name or open a connection."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def page(tmp_path, name, body, *, head="", charset="utf-8"):
    path = tmp_path / name
    html = (
        f'<!DOCTYPE html><html><head><meta charset="{charset}">{head}</head>'
        f"<body><article>{body}</article></body></html>"
    )
    path.write_bytes(html.encode(charset))
    return path


def test_an_article_yields_its_text_title_author_date_site_and_canonical_url(no_network):
    [record] = read_html(ARTICLE)
    assert record.external_id == "harbour-strike"
    assert record.title == "Dock workers vote to strike over pay"
    assert record.source == "Harbour Gazette"
    assert record.published == datetime.date(2026, 3, 12)
    assert record.url == "https://www.harbourgazette.example/news/2026/03/12/dock-workers-strike"
    assert record.language == "en-GB"
    assert record.metadata["author"] == "Priya Raman"
    assert record.metadata["description"].startswith("Nine in ten union members")
    # Main text only: no navigation, scripts, related links or footer.
    assert record.text.startswith("Dock workers vote to strike over pay\nSOUTHPORT — Dock")
    assert record.text.endswith("unless a new offer is made.")
    for boilerplate in ("Most read", "Privacy", "analytics", "font-family", "All rights"):
        assert boilerplate not in record.text
    assert "<" not in record.text


def test_the_html_file_name_and_sha256_are_kept_in_metadata(no_network):
    [record] = read_html(ARTICLE)
    assert record.metadata["import"] == {
        "file": "harbour-strike.html",
        "format": "html",
        "encoding": "utf-8",
        "html_sha256": hashlib.sha256(ARTICLE.read_bytes()).hexdigest(),
    }


@pytest.mark.django_db
def test_the_stored_text_is_the_extracted_text_and_offsets_point_into_it(no_network):
    corpus = get_or_create_corpus("Pages")
    report = import_paths([ARTICLE], corpus=corpus)
    assert (report.created, report.failures) == (1, [])
    document = Document.objects.get(corpus=corpus, external_id="harbour-strike")
    [record] = read_html(ARTICLE)
    assert document.text == record.text
    assert document.text_sha256 == sha256_hex(record.text)
    assert document.metadata["import"]["html_sha256"] != document.text_sha256
    start = document.text.index(QUOTE)
    span = save_span(
        span=Annotation(
            document=document,
            label=Label.objects.get(corpus=corpus, key="QUOTE"),
            start=start,
            end=start + len(QUOTE),
            text=QUOTE,
            annotator=make_user("ana"),
        ),
        editor=None,
    )
    assert document.text[span.start : span.end] == span.text == QUOTE


@pytest.mark.django_db
def test_reimporting_the_same_page_adds_nothing(no_network):
    corpus = get_or_create_corpus("Pages")
    import_paths([ARTICLE], corpus=corpus)
    again = import_paths([ARTICLE], corpus=corpus)
    assert (again.created, again.unchanged) == (0, 1)


def test_nothing_is_fetched_even_when_the_page_names_urls_everywhere(tmp_path, no_network):
    path = page(
        tmp_path,
        "linked.html",
        "<p>" + "The council met on Monday to discuss the harbour plan. " * 5 + "</p>"
        '<img src="https://images.example/p.jpg"><iframe src="http://169.254.169.254/"></iframe>',
        head=(
            '<link rel="canonical" href="http://127.0.0.1:8000/admin/">'
            '<meta property="og:image" content="https://images.example/p.jpg">'
            '<link rel="stylesheet" href="https://cdn.example/site.css">'
            '<script src="https://cdn.example/app.js"></script>'
        ),
    )
    [record] = read_html(path)
    assert record.text.startswith("The council met on Monday")
    assert record.url == "http://127.0.0.1:8000/admin/"
    assert no_network == []


def test_a_file_holding_only_a_url_is_refused_without_fetching_it(tmp_path, no_network):
    path = tmp_path / "link.html"
    path.write_text("https://www.harbourgazette.example/news/2026/03/12/dock-workers-strike")
    with pytest.raises(ImportProblem) as caught:
        list(read_html(path))
    assert caught.value.path == path
    assert no_network == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not an HTML document"),
        (b"   \n", "not an HTML document"),
        (b"<html><body><script>var page = 1;</script></body></html>", "no article text"),
        (b"<html><head><title>Empty</title></head><body></body></html>", "no article text"),
    ],
)
def test_a_page_without_article_text_fails_naming_the_file(tmp_path, content, message):
    path = tmp_path / "broken.html"
    path.write_bytes(content)
    with pytest.raises(ImportProblem) as caught:
        read_records(path)
    assert caught.value.path == path
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))


def test_a_declared_windows_1252_page_is_read_in_that_encoding(tmp_path):
    body = "<p>" + "Le prêt de 40 € a été accordé à la société portuaire. " * 4 + "</p>"
    path = page(tmp_path, "cp1252.html", body, charset="windows-1252")
    [record] = read_html(path)
    assert "Le prêt de 40 € a été accordé" in record.text
    assert record.metadata["import"]["encoding"] == "cp1252"


def test_a_page_declared_latin_1_is_read_as_browsers_do_windows_1252(tmp_path):
    body = "<p>" + "“Smart quotes” cost 3 € on the quayside, the harbour master said. " * 3
    path = page(tmp_path, "latin.html", body + "</p>", charset="windows-1252")
    path.write_bytes(path.read_bytes().replace(b"windows-1252", b"iso-8859-1"))
    [record] = read_html(path)
    assert "“Smart quotes” cost 3 €" in record.text


def test_bytes_that_break_the_declared_charset_fail_clearly(tmp_path):
    path = tmp_path / "liar.html"
    path.write_bytes(b'<html><head><meta charset="utf-8"></head><body><p>caf\xe9</p></body></html>')
    with pytest.raises(ImportProblem, match="declares charset 'utf-8' but byte"):
        read_records(path)


def test_html_is_read_by_suffix_and_found_in_folders(tmp_path):
    (tmp_path / "page.htm").write_bytes(ARTICLE.read_bytes())
    (tmp_path / "notes.md").write_text("not imported")
    assert expand_paths([str(tmp_path)]) == [tmp_path / "page.htm"]
    assert expand_paths([str(tmp_path)], format_name="html") == [tmp_path / "page.htm"]
    assert read_records(tmp_path / "page.htm")[0].source == "Harbour Gazette"


def test_html_is_an_import_format_only():
    assert get_format("html").write is None
    assert "html" in IMPORT_FORMATS
    assert "html" not in FORMATS
    assert all(fmt.write is not None for fmt in FORMATS.values())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.html", "html"),
        ("A.HTM", "html"),
        ("a.jsonl", "byline"),
        ("a.txt", None),
        ("a.json", "label-studio"),
        ("a.spacy", "spacy"),
        ("a.conll", "conll"),
        ("a.pdf", None),
    ],
)
def test_the_format_of_a_file_is_told_by_its_suffix(name, expected):
    assert format_for_suffix(name) == expected


@pytest.mark.django_db
def test_the_command_imports_a_page_with_its_metadata(no_network):
    out = io.StringIO()
    call_command("import_documents", str(ARTICLE), corpus="Pages", stdout=out)
    assert "created 1 documents" in out.getvalue()
    document = Document.objects.get(external_id="harbour-strike")
    assert document.source == "Harbour Gazette"
    assert document.metadata["author"] == "Priya Raman"


@pytest.mark.django_db
def test_a_dry_run_of_a_page_writes_nothing():
    report = run_import([ARTICLE], corpus="Pages", dry_run=True)
    assert report.created == 1
    assert not Document.objects.exists()


def test_an_html_export_is_refused_as_read_only():
    with pytest.raises(LookupError, match="no export format called 'html'"):
        get_export_format("html")
    assert get_export_format("byline") is FORMATS["byline"]

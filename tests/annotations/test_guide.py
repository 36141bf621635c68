"""The guidelines panel: label descriptions and the annotation guide, rendered safely."""

from django.urls import reverse

from annotations.guide import annotation_guide, render_guide
from tests.factories import make_corpus, make_document, make_team


def test_the_guide_is_rendered_from_markdown():
    html = annotation_guide()
    assert "<h1>Annotation guide</h1>" in html
    assert "<h2>ACTOR</h2>" in html
    assert "<strong>Prime Minister Mark Carney</strong>" in html


def test_html_and_script_links_in_a_guide_stay_inert():
    html = render_guide(
        "# Guide\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        "[click](javascript:alert(3)) [ok](https://example.org)"
    )
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert '<a href="https://example.org">ok</a>' in html


def test_the_annotation_page_has_the_guidelines_panel(client, db):
    corpus = make_corpus("Desk")
    document = make_document(corpus, text="Mark Carney spoke.", external_id="d")
    team = make_team(corpus, assigned=[document])
    client.force_login(team.users["ana"])
    html = client.get(reverse("annotations:annotate", args=[document.pk])).content.decode()
    assert 'id="guidelines"' in html
    assert "<h2>QUOTE</h2>" in html
    description = corpus.labels.get(key="ANON_SOURCE").description
    assert description
    assert description[:30] in html

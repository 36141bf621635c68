"""403 and 404 pages use the site's layout, say why, and link back."""

from django.urls import reverse

from tests.factories import make_corpus, make_document, make_team


def test_a_missing_document_answers_a_404_page_in_the_site_layout(client, db):
    corpus = make_corpus("Desk")
    team = make_team(corpus)
    client.force_login(team.users["ana"])
    response = client.get("/documents/987654/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in html
    assert "does not exist, or it belongs to a corpus you are not a member of" in html
    assert f'href="{reverse("corpus:list")}"' in html


def test_a_refused_page_answers_a_403_page_saying_why(client, db):
    corpus = make_corpus("Desk")
    document = make_document(corpus, text="Text.", external_id="d")
    team = make_team(corpus, assigned=[document])
    client.force_login(team.users["ana"])
    response = client.get(reverse("teams:review", args=[document.pk]))
    html = response.content.decode()
    assert response.status_code == 403
    assert 'class="site-header"' in html
    assert "reviewing needs the reviewer or manager role in this corpus" in html
    assert "Back to your corpora" in html


def test_the_404_page_escapes_the_path(client, db):
    response = client.get("/<script>x</script>/")
    assert response.status_code == 404
    assert "<script>x" not in response.content.decode()

"""bench/annotation_page.py measures what an analyst opens: check its document is that."""

import pytest

from bench.annotation_page import build_document


@pytest.mark.django_db
def test_the_benchmark_document_opens_with_every_span_for_its_analyst(client):
    document = build_document(chars=5_000, span_count=40)
    # Through the login form, as the benchmark's browser does (the lockout needs a request).
    login = client.post(
        "/accounts/login/", {"username": "bench", "password": "bench-password-not-secret"}
    )
    assert login.status_code == 302
    page = client.get(f"/documents/{document.pk}/")
    assert page.status_code == 200
    api = client.get(f"/api/documents/{document.pk}/")
    assert len(api.json()["spans"]) == 40

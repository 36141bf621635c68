"""Fuzz the JSON API from its OpenAPI schema: no 5xx, and responses match the schema."""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from corpus.models import Membership
from tests.factories import EMOJI_TEXT, make_annotation, make_corpus, make_document, make_user

# The same document /api/schema/ publishes (its test checks that), built without a request.
schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))
)


@pytest.fixture
def token(db):
    """A manager's token, and documents with spans for the fuzzer to find at low ids."""
    user = make_user("fuzzer")
    corpus = make_corpus("Fuzzed")
    Membership.objects.create(corpus=corpus, user=user, role="manager")
    for i in range(3):
        document = make_document(corpus, text=f"{EMOJI_TEXT} {i}", external_id=f"f{i}")
        make_annotation(document, "ACTOR", "Mark Carney", annotator=user)
        make_annotation(document, "QUOTE", "We are ready.")
    return Token.objects.create(user=user).key


@pytest.fixture
def app():
    """The project's WSGI app, built now so its middleware reads the tests' settings.

    Like Django's test client, it must not close the database connection after each request:
    that connection holds the test's transaction (PostgreSQL would lose it).
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_every_generated_request_without_a_server_error(case, token, app):
    # What the API must guarantee for any input: no 5xx, and every answer is what the schema
    # says. (Schema-valid input may still be refused, e.g. a label key the corpus lacks.)
    case.call_and_validate(
        app=app,
        base_url="http://localhost",
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )

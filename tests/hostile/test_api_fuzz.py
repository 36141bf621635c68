"""Fuzz the JSON API from its OpenAPI schema: no 5xx, and responses match the schema.

Path parameters are pinned to the documents, spans and links the fuzzing user works on, and
three writes in four get real values in their bodies (a label the corpus has, offsets over a
word with its text, uids of the document's spans), so that requests reach real objects: the
last test checks that at least 30% of answers are 2xx and that every write succeeded.
"""

import json
import re
from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from annotations.models import Relation
from assist.models import Suggestion
from corpus.models import Assignment, Membership
from tests.factories import (
    EMOJI_TEXT,
    make_annotation,
    make_corpus,
    make_document,
    make_user,
)

# Explicit ids, so that the schema below can name the rows before the fixture makes them: far
# above what the tables' sequences reach in a test run.
DOCUMENTS = (1_000_001, 1_000_002, 1_000_003)
RELATION_BASE = 1_000_000
SPANS = ("carney", "quote", "fans", "cheered")
LABELS = ("ACTOR", "QUOTE", "FIGURE", "ANON_SOURCE")
WORDS = [
    {"start": m.start(), "end": m.end(), "text": m.group()} for m in re.finditer(r"\w+", EMOJI_TEXT)
]
WRITES = {"POST", "PATCH", "PUT", "DELETE"}


def span_uid(document: int, name: str) -> str:
    return f"fuzz-{document}-{name}"


def relation_id(document: int) -> int:
    return RELATION_BASE + DOCUMENTS.index(document) + 1


def pinned(openapi: dict) -> dict:
    """Return `openapi` with each path parameter limited to the ids of the fixture's rows."""
    values = {
        "id": list(DOCUMENTS),
        "uid": [span_uid(document, name) for document in DOCUMENTS for name in SPANS],
        "relation_id": [relation_id(document) for document in DOCUMENTS],
    }
    for operations in openapi["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    parameter["schema"]["enum"] = values[parameter["name"]]
    return openapi


# The same document /api/schema/ publishes (its test checks that), built without a request.
schema = schemathesis.openapi.from_dict(
    pinned(json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True))))
)


# For a write the fuzzer's own values rarely pass (a label the corpus has, offsets with their
# text, the version a span is at, spans of the same document): values that do, by operation.
REAL_BODIES = {
    "POST /api/documents/{id}/spans/": lambda document, drawn: {
        "label": drawn["label"],
        "attributes": {},
        **drawn["word"],
    },
    "PATCH /api/documents/{id}/spans/{uid}/": lambda document, drawn: {
        "label": drawn["label"],
        "attributes": {},
        "version": drawn["version"],
    },
    "POST /api/documents/{id}/relations/": lambda document, drawn: {
        "source": span_uid(document, drawn["quote"]),
        "target": span_uid(document, drawn["speaker"]),
    },
    "PATCH /api/documents/{id}/relations/{relation_id}/": lambda document, drawn: {
        "target": span_uid(document, drawn["speaker"]),
    },
    "PUT /api/documents/{id}/tags/": lambda document, drawn: {"tags": drawn["tags"]},
    "POST /api/documents/{id}/suggestions/accept-all/": lambda document, drawn: {
        "label": drawn["label"]
    },
    # The fixture's one suggestion of each document has the document's id.
    "POST /api/documents/{id}/suggestions/accept-chosen/": lambda document, drawn: {
        "suggestions": [document]
    },
    "POST /api/documents/{id}/occurrences/": lambda document, drawn: {
        "span": span_uid(document, drawn["span"])
    },
}
DRAWN = st.fixed_dictionaries(
    {
        "document": st.sampled_from(DOCUMENTS),
        "span": st.sampled_from(SPANS),
        # Three bodies in four get real values; the fourth stays the fuzzer's own.
        "real": st.sampled_from((True, True, True, False)),
        "label": st.sampled_from(LABELS),
        "word": st.sampled_from(WORDS),
        "version": st.integers(1, 3),
        "quote": st.sampled_from(("quote", "cheered")),
        "speaker": st.sampled_from(("carney", "fans")),
        "tags": st.lists(st.sampled_from(("defence", "trade", "energy")), unique=True),
    }
)


@schema.hook
def flatmap_case(context, case):
    """Name a span or relation of the document the path names (the schema alone cannot), and
    give most writes' bodies real values."""
    if "id" not in (case.path_parameters or {}):
        return st.just(case)
    return DRAWN.map(lambda drawn: pin(case, drawn))


def pin(case, drawn: dict):
    """Return a copy of `case` on a real document (the drawn one if the fuzzer's is not),
    with the values `drawn`."""
    pinned_case = case.derive()
    document = case.path_parameters["id"]
    if document not in DOCUMENTS:  # invalid ids: the coverage phase still sends its own
        document = pinned_case.path_parameters["id"] = drawn["document"]
    if "uid" in case.path_parameters:
        pinned_case.path_parameters["uid"] = span_uid(document, drawn["span"])
    if "relation_id" in case.path_parameters:
        pinned_case.path_parameters["relation_id"] = relation_id(document)
    real = REAL_BODIES.get(f"{case.method.upper()} {case.path}")
    if real is not None and drawn["real"] and isinstance(case.body, dict):
        pinned_case.body = {**case.body, **real(document, drawn)}
    return pinned_case


# Every answer's status by operation, over this module's fuzz tests.
ANSWERS: dict[str, Counter] = {}


@pytest.fixture
def token(db):
    """A manager's token on the documents, spans and links the schema above names."""
    user = make_user("fuzzer")
    corpus = make_corpus("Fuzzed")
    Membership.objects.create(corpus=corpus, user=user, role="manager")
    for i, pk in enumerate(DOCUMENTS):
        document = make_document(corpus, text=f"{EMOJI_TEXT} {i}", external_id=f"f{i}", pk=pk)
        Assignment.objects.create(document=document, annotator=user)
        spans = {
            name: make_annotation(document, label, covered, annotator=user, uid=span_uid(pk, name))
            for name, label, covered in [
                ("carney", "ACTOR", "Mark Carney"),
                ("quote", "QUOTE", "We are ready."),
                ("fans", "ANON_SOURCE", "Fans"),
                ("cheered", "QUOTE", "cheered"),
            ]
        }
        Relation.objects.create(
            pk=relation_id(pk),
            document=document,
            type="speaker",
            source=spans["quote"],
            target=spans["carney"],
        )
        # A suggestion with the document's id, which /api/suggestions/{id}/ is pinned to.
        start = document.text.index("Fans")
        Suggestion.objects.create(
            pk=pk,
            document=document,
            label=corpus.labels.get(key="ACTOR"),
            start=start,
            end=start + 4,
            suggester="fuzz",
            score=0.5,
        )
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
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_every_generated_request_without_a_server_error(case, token, app):
    # What the API must guarantee for any input: no 5xx, and every answer is what the schema
    # says. (Schema-valid input may still be refused, e.g. a label key the corpus lacks.)
    response = case.call_and_validate(
        app=app,
        base_url="http://localhost",
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
    ANSWERS.setdefault(f"{case.method.upper()} {case.path}", Counter())[response.status_code] += 1


def test_fuzzing_reaches_real_objects_and_every_write_succeeds_at_least_once():
    # Runs after the fuzz test above (pytest keeps a module's order) and reads its answers.
    operations = {f"{o.ok().method.upper()} {o.ok().path}" for o in schema.get_all_operations()}
    assert operations <= set(ANSWERS), "run the whole module: the fuzz test above feeds this one"
    statuses = sum(ANSWERS.values(), Counter())
    successes = sum(n for status, n in statuses.items() if 200 <= status < 300)
    print(f"{statuses.total()} requests, {successes / statuses.total():.0%} 2xx: {statuses}")
    assert successes >= 0.3 * statuses.total(), statuses
    writes = {o for o in operations if o.split()[0] in WRITES}
    # POST, PATCH, DELETE of spans and of links; PUT status and tags; POST accept, reject,
    # accept-all and accept-chosen of suggestions, and occurrences.
    assert len(writes) == 13
    succeeded = {o: sum(n for s, n in ANSWERS[o].items() if 200 <= s < 300) for o in writes}
    print("2xx by write:", succeeded)
    assert all(succeeded.values()), {o: ANSWERS[o] for o, n in succeeded.items() if not n}

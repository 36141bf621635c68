"""Tiny fake suggesters, so that these tests pin the suggestions layer and not the rules."""

import re

import pytest

from assist import registry
from assist.candidates import ACTOR, FIGURE, QUOTE, Candidate, SpanRef
from assist.suggesters.propagation import find_occurrences

# The names the fake ACTOR suggester knows.
NAMES = ("Mark Carney", "Joly", "Canada")
QUOTED = re.compile(r"“([^”]+)”")
PERCENT = re.compile(r"\d+ per cent")


def fake_actors(analysis, context, found):
    return [
        Candidate(ACTOR, start, end, "actors", 0.8, {"comment": "fake"})
        for name in NAMES
        for start, end in find_occurrences(analysis.text, name)
    ]


def fake_figures(analysis, context, found):
    return [
        # "guess" is no FIGURE attribute: accepting must drop it.
        Candidate(FIGURE, m.start(), m.end(), "figures", 0.7, {"unit": "%", "guess": True})
        for m in PERCENT.finditer(analysis.text)
    ]


def fake_quotes(analysis, context, found):
    """Each quote's speaker is the last ACTOR candidate before it."""
    actors = sorted((c for c in found if c.label == ACTOR), key=lambda c: c.start)
    quotes = []
    for match in QUOTED.finditer(analysis.text):
        before = [c for c in actors if c.end <= match.start()]
        speaker = SpanRef(before[-1].start, before[-1].end, ACTOR) if before else None
        start, end = match.span(1)
        quotes.append(Candidate(QUOTE, start, end, "quotes", 0.95, speaker=speaker))
    return quotes


@pytest.fixture
def fake_suggesters(monkeypatch):
    """Replace the registered suggesters with the fakes above, for one test."""
    import assist.suggesters  # noqa: F401  (the real ones register before the swap, not into it)

    fakes = {
        name: registry.RegisteredSuggester(name, frozenset(labels), function)
        for name, labels, function in (
            ("figures", {FIGURE}, fake_figures),
            ("actors", {ACTOR}, fake_actors),
            ("quotes", {QUOTE}, fake_quotes),
        )
    }
    monkeypatch.setattr(registry, "SUGGESTERS", fakes)
    return fakes

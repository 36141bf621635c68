"""Layers of spans: each analyst's own, and the adjudicated gold layer. The one place that
parses a layer's name (`?layer=`, `--layer`), turns it into a filter, and names a span's layer.

An analyst's layer is picked by their username, so no annotator may be called by one of the
reserved names (`validation.validate_annotator_name`).

Which spans a user sees is an access question (`corpus.access` answers who oversees a corpus);
it is answered here, once for many spans (`span_visibility`) and once for a span in hand
(`sees_span`), because it depends on the layers.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from corpus.access import User, remember_role, sees_all_layers
from corpus.models import Corpus

ALL_LAYERS = "all"
GOLD_LAYER = "gold"
# The machine layer of suggestions (the assist app), exported through an extra layer source
# (`interchange.export.register_layer_source`); it is no analyst's layer.
SUGGESTIONS_LAYER = "suggestions"
# Compared ignoring case: "Gold" beside "gold" would read as the same layer to a person.
RESERVED_LAYER_NAMES = frozenset({ALL_LAYERS, GOLD_LAYER, SUGGESTIONS_LAYER})
# What a new span is added to in the API: the caller's own layer, or gold.
OWN_LAYER = "own"
# The refusals of a change to another analyst's layer, alike from the API and a revert.
SPAN_REFUSAL = "this span belongs to another analyst's layer"
LINK_REFUSAL = "this link belongs to another analyst's layer"
LINK_SPANS_REFUSAL = "you may link only spans of your own layer"


def parse_layer(name: str | None) -> str | None:
    """Return the layer `name` picks: None for every layer, GOLD_LAYER, or a username."""
    if name in (None, "", ALL_LAYERS):
        return None
    return name


def layer_analyst(name: str | None) -> str | None:
    """Return the username whose layer `name` picks, or None for every layer and for gold."""
    layer = parse_layer(name)
    return None if layer == GOLD_LAYER else layer


def layer_filter(name: str | None) -> Q:
    """Return the condition on spans that picks the layer called `name` (see `parse_layer`)."""
    layer = parse_layer(name)
    if layer is None:
        return Q()
    if layer == GOLD_LAYER:
        return Q(is_gold=True)
    return Q(is_gold=False, annotator__username=layer)


def new_span_layer(viewed: str | None) -> str:
    """Return where a span added on a page showing the layer `viewed` goes: to gold on the
    gold layer, else to its adder's own layer."""
    return GOLD_LAYER if parse_layer(viewed) == GOLD_LAYER else OWN_LAYER


def span_layer(is_gold: bool, annotator: object) -> tuple[bool, object]:
    """Return the layer a span is in: (True, None) for gold, (False, annotator) otherwise.

    `annotator` is an id or a username; gold spans are one layer whoever adjudicated them.
    """
    return (is_gold, None if is_gold else annotator)


def layer_of(span) -> str | None:
    """Return the name of the layer `span` is in: GOLD_LAYER, its annotator's username, or None
    for an analyst's span imported without an annotator."""
    if span.is_gold:
        return GOLD_LAYER
    return span.annotator.get_username() if span.annotator_id else None


def in_layer(span, name: str | None) -> bool:
    """Return whether `span` is in the layer called `name`: the rule of `layer_filter`."""
    layer = parse_layer(name)
    return layer is None or layer_of(span) == layer


def group_by_layer(spans: Iterable, names: Iterable[str]) -> dict[str, list]:
    """Return `spans` grouped by the layers called `names`, in that order; others are left out."""
    grouped: dict[str, list] = defaultdict(list)
    for span in spans:
        grouped[layer_of(span)].append(span)
    return {name: grouped.get(name, []) for name in names}


def span_visibility(user: User, corpus: Corpus, layer: str | None = None) -> Q:
    """Return the condition on a document's spans that `user` sees, in the `layer` asked for.

    Annotators see their own layer only, so their judgement stays independent. Reviewers and
    managers see every layer by default, or one: "gold", an analyst's username, or their own.
    """
    if not sees_all_layers(user, corpus):
        return Q(annotator=user, is_gold=False)
    return layer_filter(layer)


def sees_span(user: User, span, layer: str | None = None) -> bool:
    """Return whether `user` sees `span` in `layer`: the rule of `span_visibility`, for one span."""
    if not sees_all_layers(user, span.document.corpus):
        return not span.is_gold and span.annotator_id == user.pk
    return in_layer(span, layer)


def spans_seen_by(user: User, corpus: Corpus) -> Q:
    """Return the condition on the spans of `corpus` that `user` sees in every page's default
    layer: their own, or every layer for those who oversee the corpus.

    A corpus read `with_viewer_role(user)` answers without asking for the role again.
    """
    remember_role(user, corpus)
    return span_visibility(user, corpus)

"""Load a layer of a corpus as the plain records `assist.scoring` scores.

`load_layer(corpus, name)` is the one entry point. Human layers (`gold`, a username) are read
through `annotations.layers.layer_filter`, so "which spans are in a layer" stays defined in one
place. Machine layers that are not annotation rows of a human layer (the `suggestions` layer)
plug in through `LAYER_LOADERS`: register a function `(corpus) -> list[ScoredSpan]` under the
layer's name, and `evaluate --candidate NAME` reads it.
"""

from collections.abc import Callable

from annotations.layers import ALL_LAYERS, layer_filter
from annotations.models import Annotation, Relation
from corpus.models import Corpus

from .candidates import SpanRef
from .scoring import ScoredSpan

LayerLoader = Callable[[Corpus], list[ScoredSpan]]
# Layers read by their own loader instead of as a human layer; the suggestions layer registers
# itself here (e.g. `LAYER_LOADERS["suggestions"] = load_suggestions`).
LAYER_LOADERS: dict[str, LayerLoader] = {}


def load_layer(corpus: Corpus, name: str) -> list[ScoredSpan]:
    """Return the spans of the layer called `name` in `corpus`, each with its speaker.

    `name` is `gold`, an analyst's username, or a name in LAYER_LOADERS. `all` is refused:
    scoring several analysts' layers as one would count every agreed span several times.
    """
    if name in LAYER_LOADERS:
        return LAYER_LOADERS[name](corpus)
    if not name or name == ALL_LAYERS:
        raise ValueError("name one layer: gold, a username or a registered machine layer")
    return load_annotation_layer(corpus, name)


def load_annotation_layer(corpus: Corpus, name: str) -> list[ScoredSpan]:
    """Return the spans of the human layer `name` (see `layer_filter`) in `corpus`."""
    spans = Annotation.objects.filter(layer_filter(name), document__corpus=corpus)
    rows = list(
        spans.order_by("document__external_id", "start", "end", "label__key", "pk").values_list(
            "pk", "document__external_id", "label__key", "start", "end", "attributes", "suggester"
        )
    )
    places = {pk: SpanRef(start, end, label) for pk, _, label, start, end, _, _ in rows}
    speakers = {
        source: places[target]
        for source, target in Relation.objects.filter(
            type=Relation.Type.SPEAKER, source__in=spans.values("pk")
        ).values_list("source", "target")
        # A relation to a span of another layer is not this layer's speaker.
        if target in places
    }
    return [
        ScoredSpan(
            document=document,
            label=label,
            start=start,
            end=end,
            attributes=attributes or {},
            speaker=speakers.get(pk),
            # Spans accepted from a suggestion remember their suggester: acceptance rates.
            suggester=suggester or None,
        )
        for pk, document, label, start, end, attributes, suggester in rows
    ]


def load_suggestions(corpus: Corpus) -> list[ScoredSpan]:
    """Return the suggestions layer of `corpus` (assist.models.Suggestion), with speakers."""
    from .models import Suggestion  # models load after this module's app registry import

    rows = list(
        Suggestion.objects.filter(document__corpus=corpus)
        .order_by("document__external_id", "start", "end", "label__key", "pk")
        .values_list(
            "pk",
            "document__external_id",
            "label__key",
            "start",
            "end",
            "attributes",
            "suggester",
            "speaker",
        )
    )
    places = {row[0]: SpanRef(row[3], row[4], row[2]) for row in rows}
    return [
        ScoredSpan(
            document=document,
            label=label,
            start=start,
            end=end,
            attributes=attributes or {},
            speaker=places.get(speaker),
            suggester=suggester,
        )
        for _, document, label, start, end, attributes, suggester, speaker in rows
    ]


LAYER_LOADERS["suggestions"] = load_suggestions

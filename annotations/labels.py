"""The news label set every corpus starts with."""

from collections.abc import Collection
from dataclasses import dataclass, field

from corpus.models import Corpus

from .models import Label


@dataclass(frozen=True)
class LabelDefinition:
    key: str
    name: str
    colour: str
    shortcut: str
    description: str
    attribute_spec: dict[str, str] = field(default_factory=dict)


NEWS_LABELS: tuple[LabelDefinition, ...] = (
    LabelDefinition(
        key="ACTOR",
        name="Actor",
        colour="#1f77b4",
        shortcut="a",
        description=(
            "A named or definitely identified person, organisation, government, company, or a "
            "country acting as a political entity. Include a title that stands right next to "
            'the name ("Prime Minister Mark Carney"). Not a pronoun, not a country as a place.'
        ),
    ),
    LabelDefinition(
        key="FIGURE",
        name="Figure",
        colour="#2ca02c",
        shortcut="f",
        description=(
            "A quantity written in numerals or number words, with its unit or scale: "
            '"150 billion-euro", "$163 billion", "65%", "about half". Dates and times are not '
            "figures. Record the normalised value, its unit and whether it is approximate."
        ),
        attribute_spec={"value": "number", "unit": "string", "approximate": "boolean"},
    ),
    LabelDefinition(
        key="QUOTE",
        name="Quote",
        colour="#d62728",
        shortcut="q",
        description=(
            "The words inside quotation marks that are attributed to a speaker, without the "
            "marks themselves. Link each quote to its speaker (an ACTOR or ANON_SOURCE span)."
        ),
    ),
    LabelDefinition(
        key="ANON_SOURCE",
        name="Anonymous source",
        colour="#9467bd",
        shortcut="s",
        description=(
            'A reference to an unnamed source of information: "Two officials ... with direct '
            'knowledge of the discussions", "the officials". Record how many sources, their '
            "affiliation, and the reason given for anonymity, if any."
        ),
        attribute_spec={"count": "integer", "affiliation": "string", "reason_given": "string"},
    ),
)


def news_labels(corpus: Corpus, *, without: Collection[str] = ()) -> list[Label]:
    """Return the news labels for `corpus`, unsaved, except those whose keys are in `without`."""
    return [
        Label(
            corpus=corpus,
            key=definition.key,
            name=definition.name,
            colour=definition.colour,
            shortcut=definition.shortcut,
            description=definition.description,
            attribute_spec=definition.attribute_spec,
            position=position,
        )
        for position, definition in enumerate(NEWS_LABELS)
        if definition.key not in without
    ]


def create_news_labels(corpus: Corpus) -> list[Label]:
    """Give `corpus` the four news labels it lacks; return the labels created."""
    existing = set(corpus.labels.values_list("key", flat=True))
    return Label.objects.bulk_create(news_labels(corpus, without=existing))

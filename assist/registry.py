"""The suggesters, in the order they run, and the pipeline that runs them over one text.

Each suggester is a plain function registered here with the labels it proposes. It reads the
text's `Analysis`, the corpus context and the candidates found so far, and returns new
candidates. A returned candidate at the place (start, end, label) of an earlier one replaces
it: that is how the speaker suggester attaches speakers to quotes.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .candidates import LABELS, Candidate, SpanRef
from .text import Analysis, analyse


@dataclass(frozen=True, slots=True)
class SuggestContext:
    """What the corpus already knows, given to every suggester.

    `known` maps a string that some layer of the corpus tags to that label's key (propagation).
    `layer_spans` are the spans that the same layer holds in this document: how far its
    analyst has read it (`assist.reading`). `labels` are the label keys wanted in this run.
    """

    known: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    layer_spans: tuple[SpanRef, ...] = ()
    labels: frozenset[str] = frozenset(LABELS)


Suggester = Callable[[Analysis, SuggestContext, list[Candidate]], list[Candidate]]


@dataclass(frozen=True, slots=True)
class RegisteredSuggester:
    name: str
    labels: frozenset[str]
    function: Suggester

    def __str__(self) -> str:
        return self.name


# Run order: spans first (figures before actors, so "Two officials" is not a figure of an
# anonymous source...; propagation before actors, so a string a human layer tags at a place
# wins over a guess overlapping it), then quotes, then speakers, which link the two.
RUN_ORDER = ("figures", "propagation", "actors", "anonymous_sources", "quotes", "speakers")
SUGGESTERS: dict[str, RegisteredSuggester] = {}


def register(name: str, *, labels: Collection[str]) -> Callable[[Suggester], Suggester]:
    """Register the decorated function as the suggester called `name` (one of RUN_ORDER)."""
    if name not in RUN_ORDER:
        raise ValueError(f"unknown suggester {name!r}: add it to RUN_ORDER")

    def decorate(function: Suggester) -> Suggester:
        SUGGESTERS[name] = RegisteredSuggester(name, frozenset(labels), function)
        return function

    return decorate


def registered() -> list[RegisteredSuggester]:
    """Return the registered suggesters in their run order."""
    from . import suggesters  # noqa: F401  (importing the package registers them)

    return [SUGGESTERS[name] for name in RUN_ORDER if name in SUGGESTERS]


def suggest_text(text: str, context: SuggestContext | None = None) -> list[Candidate]:
    """Return every candidate the suggesters propose over `text`, sorted by place."""
    context = context or SuggestContext()
    analysis = analyse(text)
    found: dict[tuple[int, int, str], Candidate] = {}
    for suggester in registered():
        if not suggester.labels & context.labels:
            continue
        for candidate in suggester.function(analysis, context, list(found.values())):
            found[(candidate.start, candidate.end, candidate.label)] = candidate
    wanted = [c for c in found.values() if c.label in context.labels]
    return sorted(wanted, key=lambda c: (c.start, -c.end, c.label))

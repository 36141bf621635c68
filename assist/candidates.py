"""What a suggester proposes: a candidate span, with its attributes and speaker, scored."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ACTOR = "ACTOR"
FIGURE = "FIGURE"
QUOTE = "QUOTE"
ANON_SOURCE = "ANON_SOURCE"
LABELS = (ACTOR, FIGURE, QUOTE, ANON_SOURCE)
# The labels a quote's speaker may carry (annotation guide, QUOTE).
SPEAKER_LABELS = (ACTOR, ANON_SOURCE)


@dataclass(frozen=True, slots=True)
class SpanRef:
    """A span by its place: offsets (code points, end-exclusive) and label key."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span a suggester proposes over a text: `text[start:end]` is the covered text.

    `speaker` is set on a QUOTE whose speaker was found: it names another candidate (an ACTOR
    or ANON_SOURCE span) of the same run, which becomes a `speaker` relation.
    """

    label: str
    start: int
    end: int
    suggester: str
    score: float
    attributes: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    speaker: SpanRef | None = None

    @property
    def ref(self) -> SpanRef:
        """Return this candidate's place, as a speaker reference names it."""
        return SpanRef(self.start, self.end, self.label)

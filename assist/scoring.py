"""Score a candidate layer of spans against a reference layer: what `manage.py evaluate` prints.

Plain functions over plain records (`ScoredSpan`), so any layer can be scored: gold, an
analyst's, the suggestions, or spans built in a test. Loading a layer from the database is
`assist.scoring_layers.load_layer`'s job.

Matching is one-to-one within a document and a label:
- **exact**: same start and end. Each reference span matches at most one candidate (a
  candidate repeated at the same place counts once; the copy is a false positive).
- **overlap**: the pairs that share at least one character, taken greedily by overlap size
  (largest first; ties: an exact pair first, then by position), each span used at most once.
  Greedy, not a maximum matching: for spans of news text the two differ only when one long
  candidate covers two references, and then greedy pairs the larger overlap, which is the
  match a reader would pick.

Speaker accuracy: of the reference quotes that have a speaker and are matched (exactly, and
separately by overlap), the share whose matched candidate quote has a speaker span that
matches the reference speaker span: same label and the same offsets ("exact speaker"), or
same label and overlapping ("overlap speaker", the headline figure, since "Carney" and
"Prime Minister Mark Carney" name one mention at two widths). A speaker is a span of the
same document; a candidate that links to another mention of the same person is wrong, as the
guide says which mention the speaker is (docs/assist-evaluation.md).

FIGURE attributes: of the exact FIGURE matches, the share with `value` right (equal within
0.5%, or both missing) and `unit` right (equal ignoring case and surrounding spaces).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from .candidates import FIGURE, LABELS, QUOTE, SpanRef

# How close a FIGURE value must be to count as right: "a third" is 33.33 or 33.3.
VALUE_TOLERANCE = 0.005


@dataclass(frozen=True, slots=True)
class ScoredSpan:
    """A span of one layer, as scoring sees it.

    `document` names the document (any key both layers share, e.g. its id); `speaker` is the
    place of the quote's speaker span in the same document, or None; `suggester` is the
    suggester that proposed it, for a suggestion or an accepted one, or None.
    """

    document: object
    label: str
    start: int
    end: int
    attributes: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    speaker: SpanRef | None = None
    suggester: str | None = None

    @property
    def ref(self) -> SpanRef:
        return SpanRef(self.start, self.end, self.label)


@dataclass(frozen=True, slots=True)
class Rates:
    """Precision, recall and F1 of `matched` pairs among `reference` and `candidate` spans.

    A rate with nothing to divide by is None: precision of an empty candidate layer, recall
    of an empty reference. F1 is 2·matched / (reference + candidate), 0 when one side is
    empty and the other not, None when both are.
    """

    reference: int
    candidate: int
    matched: int

    @property
    def precision(self) -> float | None:
        return self.matched / self.candidate if self.candidate else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.reference if self.reference else None

    @property
    def f1(self) -> float | None:
        total = self.reference + self.candidate
        return 2 * self.matched / total if total else None

    def as_dict(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "candidate": self.candidate,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class Share:
    """`correct` of `total`; the share is None when `total` is 0."""

    correct: int
    total: int

    @property
    def share(self) -> float | None:
        return self.correct / self.total if self.total else None

    def as_dict(self) -> dict[str, object]:
        return {"correct": self.correct, "total": self.total, "share": self.share}


Pairs = list[tuple[ScoredSpan, ScoredSpan]]


def group(spans: Iterable[ScoredSpan]) -> dict[tuple[object, str], list[ScoredSpan]]:
    """Return `spans` by (document, label), each list in text order."""
    grouped: dict[tuple[object, str], list[ScoredSpan]] = defaultdict(list)
    for span in spans:
        grouped[(span.document, span.label)].append(span)
    for spans_of in grouped.values():
        spans_of.sort(key=lambda s: (s.start, s.end))
    return grouped


def match_exact(reference: Sequence[ScoredSpan], candidate: Sequence[ScoredSpan]) -> Pairs:
    """Return the one-to-one (reference, candidate) pairs at the same place and label."""
    pairs: Pairs = []
    free: dict[tuple[object, str, int, int], list[ScoredSpan]] = defaultdict(list)
    for span in candidate:
        free[(span.document, span.label, span.start, span.end)].append(span)
    for span in reference:
        waiting = free.get((span.document, span.label, span.start, span.end))
        if waiting:
            pairs.append((span, waiting.pop(0)))
    return pairs


def overlap(a: ScoredSpan, b: ScoredSpan) -> int:
    """Return how many characters `a` and `b` share."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def match_overlap(reference: Sequence[ScoredSpan], candidate: Sequence[ScoredSpan]) -> Pairs:
    """Return one-to-one (reference, candidate) pairs of overlapping spans of one label,
    greedily by overlap size (see the module docstring)."""
    candidates = group(candidate)
    scored: list[tuple[tuple[int, int, int, int, int, int], ScoredSpan, ScoredSpan]] = []
    for key, references in group(reference).items():
        for r in references:
            for c in candidates.get(key, ()):
                if c.start >= r.end:
                    break
                shared = overlap(r, c)
                if shared:
                    exact = r.start == c.start and r.end == c.end
                    scored.append(((-shared, not exact, r.start, r.end, c.start, c.end), r, c))
    scored.sort(key=lambda item: item[0])
    used_r: set[int] = set()
    used_c: set[int] = set()
    pairs: Pairs = []
    for _, r, c in scored:
        if id(r) not in used_r and id(c) not in used_c:
            used_r.add(id(r))
            used_c.add(id(c))
            pairs.append((r, c))
    return pairs


def rates(reference: Sequence[ScoredSpan], candidate: Sequence[ScoredSpan], pairs: Pairs) -> Rates:
    return Rates(reference=len(reference), candidate=len(candidate), matched=len(pairs))


def same_speaker(reference: ScoredSpan, candidate: ScoredSpan, *, exact: bool) -> bool:
    """Return whether two matched quotes have matching speaker spans (same label; same
    offsets if `exact`, else overlapping)."""
    r, c = reference.speaker, candidate.speaker
    if r is None or c is None or r.label != c.label:
        return False
    if exact:
        return (r.start, r.end) == (c.start, c.end)
    return min(r.end, c.end) > max(r.start, c.start)


def speaker_shares(pairs: Pairs, *, exact_speaker: bool) -> Share:
    """Return, of the matched reference quotes that have a speaker, how many matched
    candidates have the right one."""
    with_speaker = [(r, c) for r, c in pairs if r.speaker is not None]
    correct = sum(same_speaker(r, c, exact=exact_speaker) for r, c in with_speaker)
    return Share(correct, len(with_speaker))


def value_right(reference: object, candidate: object) -> bool:
    """Return whether a FIGURE `value` is right: both missing, or within VALUE_TOLERANCE."""
    if reference is None or candidate is None:
        return reference is None and candidate is None
    if isinstance(reference, bool) or isinstance(candidate, bool):
        return False
    if not isinstance(reference, int | float) or not isinstance(candidate, int | float):
        return False
    if reference == 0:
        return candidate == 0
    return abs(candidate - reference) <= VALUE_TOLERANCE * abs(reference)


def unit_right(reference: object, candidate: object) -> bool:
    """Return whether a FIGURE `unit` is right: equal ignoring case and surrounding spaces."""
    if isinstance(reference, str) and isinstance(candidate, str):
        return reference.strip().casefold() == candidate.strip().casefold()
    return reference is None and candidate is None


def figure_attributes(pairs: Pairs) -> dict[str, Share]:
    """Return, of the exactly matched FIGURE pairs, the shares with value, unit, both, and
    `approximate` right."""
    figures = [(r, c) for r, c in pairs if r.label == FIGURE]
    value = [value_right(r.attributes.get("value"), c.attributes.get("value")) for r, c in figures]
    unit = [unit_right(r.attributes.get("unit"), c.attributes.get("unit")) for r, c in figures]
    approximate = [
        bool(r.attributes.get("approximate")) == bool(c.attributes.get("approximate"))
        for r, c in figures
    ]
    total = len(figures)
    return {
        "value": Share(sum(value), total),
        "unit": Share(sum(unit), total),
        "value_and_unit": Share(sum(v and u for v, u in zip(value, unit, strict=True)), total),
        "approximate": Share(sum(approximate), total),
    }


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Everything `evaluate` reports for one reference and one candidate layer."""

    exact: dict[str, Rates]
    overlap: dict[str, Rates]
    # None when QUOTE (speaker) or FIGURE (figure) is not among the labels scored.
    speaker: dict[str, Share] | None
    figure: dict[str, Share] | None
    acceptance: dict[str, Share] | None

    def as_dict(self) -> dict[str, object]:
        return {
            "labels": {
                label: {
                    "exact": self.exact[label].as_dict(),
                    "overlap": self.overlap[label].as_dict(),
                }
                for label in self.exact
            },
            "speaker": None
            if self.speaker is None
            else {name: share.as_dict() for name, share in self.speaker.items()},
            "figure": None
            if self.figure is None
            else {name: share.as_dict() for name, share in self.figure.items()},
            "acceptance": None
            if self.acceptance is None
            else {name: share.as_dict() for name, share in self.acceptance.items()},
        }


def acceptance_rates(
    reference: Sequence[ScoredSpan], candidate: Sequence[ScoredSpan]
) -> dict[str, Share] | None:
    """Return, per suggester, how many of its candidate spans the reference layer holds at the
    same place with that suggester recorded (accepted), of how many it proposed.

    None when no reference span records a suggester: the layer has no such field (yet), or
    nothing was accepted from suggestions, and a rate of 0 would mislead.
    """
    if not any(span.suggester for span in reference):
        return None
    accepted = {
        (s.document, s.label, s.start, s.end, s.suggester) for s in reference if s.suggester
    }
    proposed: Counter[str] = Counter()
    taken: Counter[str] = Counter()
    for span in candidate:
        name = span.suggester or "(unknown)"
        proposed[name] += 1
        taken[name] += (span.document, span.label, span.start, span.end, name) in accepted
    return {name: Share(taken[name], proposed[name]) for name in sorted(proposed)}


def evaluate(
    reference: Iterable[ScoredSpan],
    candidate: Iterable[ScoredSpan],
    *,
    labels: Sequence[str] = LABELS,
) -> Evaluation:
    """Return the scores of `candidate` against `reference`, per label in `labels`."""
    reference = list(reference)
    candidate = list(candidate)
    exact: dict[str, Rates] = {}
    by_overlap: dict[str, Rates] = {}
    pairs_exact: dict[str, Pairs] = {}
    pairs_overlap: dict[str, Pairs] = {}
    for label in labels:
        ref = [s for s in reference if s.label == label]
        cand = [s for s in candidate if s.label == label]
        pairs_exact[label] = match_exact(ref, cand)
        pairs_overlap[label] = match_overlap(ref, cand)
        exact[label] = rates(ref, cand, pairs_exact[label])
        by_overlap[label] = rates(ref, cand, pairs_overlap[label])
    speaker = None
    if QUOTE in labels:
        quotes_exact, quotes_overlap = pairs_exact[QUOTE], pairs_overlap[QUOTE]
        all_quotes = [s for s in reference if s.label == QUOTE and s.speaker is not None]
        headline = speaker_shares(quotes_exact, exact_speaker=False)
        speaker = {
            # The headline: quotes matched exactly, speakers by overlap.
            "accuracy": headline,
            "exact_quote_exact_speaker": speaker_shares(quotes_exact, exact_speaker=True),
            "overlap_quote_overlap_speaker": speaker_shares(quotes_overlap, exact_speaker=False),
            # End to end: of every reference quote with a speaker, found with the right speaker.
            "of_all_reference_quotes": Share(headline.correct, len(all_quotes)),
        }
    return Evaluation(
        exact=exact,
        overlap=by_overlap,
        speaker=speaker,
        figure=figure_attributes(pairs_exact[FIGURE]) if FIGURE in labels else None,
        acceptance=acceptance_rates(reference, candidate),
    )


def exclude_places(spans: Iterable[ScoredSpan], excluded: Iterable[ScoredSpan]) -> list[ScoredSpan]:
    """Return `spans` without those at the place (document, label, offsets) of an `excluded`
    span: how propagation is scored on the mentions an analyst has not tagged."""
    places = {(s.document, s.label, s.start, s.end) for s in excluded}
    return [s for s in spans if (s.document, s.label, s.start, s.end) not in places]


def format_rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def format_table(evaluation: Evaluation) -> str:
    """Return the evaluation as the readable table `evaluate` prints."""
    lines = [
        f"{'label':<12} {'ref':>5} {'cand':>5} │ {'exact':>5} {'P':>6} {'R':>6} {'F1':>6} │ "
        f"{'ovl':>5} {'P':>6} {'R':>6} {'F1':>6}"
    ]
    for label, exact in evaluation.exact.items():
        ovl = evaluation.overlap[label]
        lines.append(
            f"{label:<12} {exact.reference:>5} {exact.candidate:>5} │ {exact.matched:>5} "
            f"{format_rate(exact.precision):>6} {format_rate(exact.recall):>6} "
            f"{format_rate(exact.f1):>6} │ {ovl.matched:>5} {format_rate(ovl.precision):>6} "
            f"{format_rate(ovl.recall):>6} {format_rate(ovl.f1):>6}"
        )
    names = {
        "accuracy": "speaker accuracy (quotes matched exactly, speaker span overlapping)",
        "exact_quote_exact_speaker": "  quotes matched exactly, speaker span exact",
        "overlap_quote_overlap_speaker": "  quotes matched by overlap, speaker span overlapping",
        "of_all_reference_quotes": "  of all reference quotes with a speaker",
    }
    if evaluation.speaker is not None:
        lines.append("")
        for key, text in names.items():
            share = evaluation.speaker[key]
            lines.append(f"{text}: {format_rate(share.share)} ({share.correct}/{share.total})")
    if evaluation.figure is not None:
        lines.append("")
        lines.append(
            "FIGURE attributes of exact matches: "
            + ", ".join(
                f"{name.replace('_', ' ')} {format_rate(share.share)} "
                f"({share.correct}/{share.total})"
                for name, share in evaluation.figure.items()
            )
        )
    if evaluation.acceptance is not None:
        lines.append("")
        lines.append("acceptance (candidate spans accepted into the reference layer):")
        for name, share in evaluation.acceptance.items():
            lines.append(f"  {name:<20} {format_rate(share.share)} ({share.correct}/{share.total})")
    return "\n".join(lines)

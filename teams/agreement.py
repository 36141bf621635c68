"""Inter-annotator agreement: span-level F1 and token-level Cohen's kappa.

Pure functions over plain tuples, so the metrics are tested against hand-computed cases and
reused by the command, the page and the benchmarks alike.
"""

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Span = tuple[int, int, str]  # start, end, label key
OUTSIDE = "O"
TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class PairScore:
    """How far two annotators agree on one label (or all labels)."""

    matched_exact: int
    matched_overlap: int
    spans_a: int
    spans_b: int
    kappa: float | None

    @property
    def f1_exact(self) -> float | None:
        return f1(self.matched_exact, self.spans_a, self.spans_b)

    @property
    def f1_overlap(self) -> float | None:
        return f1(self.matched_overlap, self.spans_a, self.spans_b)


def f1(matched: int, count_a: int, count_b: int) -> float | None:
    """Return F1 of `matched` pairs, with A as reference and B as prediction; None if no spans.

    F1 is symmetric in A and B: 2 * matched / (count_a + count_b).
    """
    if count_a + count_b == 0:
        return None
    return 2 * matched / (count_a + count_b)


def count_exact_matches(a: Iterable[Span], b: Iterable[Span]) -> int:
    """Return how many spans of `a` have an identical span (range and label) in `b`."""
    return sum((Counter(a) & Counter(b)).values())


def count_overlap_matches(a: Sequence[Span], b: Sequence[Span]) -> int:
    """Return the size of a one-to-one matching of same-label, overlapping spans.

    Greedy by largest overlap first, so an exact match is never given up for a partial one.
    """
    candidates = sorted(
        (
            (min(ea, eb) - max(sa, sb), i, j)
            for i, (sa, ea, la) in enumerate(a)
            for j, (sb, eb, lb) in enumerate(b)
            if la == lb and sa < eb and sb < ea
        ),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


def tokenize(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) code-point ranges of words and punctuation in `text`."""
    return [match.span() for match in TOKEN_PATTERN.finditer(text)]


def token_labels(tokens: Sequence[tuple[int, int]], spans: Iterable[Span]) -> list[str]:
    """Return one label per token: that of the shortest span covering it, or "O".

    Nested spans (an ACTOR inside a QUOTE) give the token the inner, more specific label.
    `tokens` are sorted and do not overlap, as `tokenize` returns them.
    """
    starts = [start for start, _ in tokens]
    labels = [OUTSIDE] * len(tokens)
    widths: list[int | None] = [None] * len(tokens)
    for start, end, label in spans:
        width = end - start
        index = bisect_left(starts, start)
        while index < len(tokens) and tokens[index][1] <= end:
            if widths[index] is None or width < widths[index]:
                labels[index], widths[index] = label, width
            index += 1
    return labels


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Return Cohen's kappa of two equally long label sequences; None when it is undefined.

    Undefined when chance agreement is 1: both annotators used one and the same category
    for every item, so there is no variation to agree on.
    """
    if len(a) != len(b):
        raise ValueError(f"label sequences differ in length: {len(a)} and {len(b)}")
    if not a:
        return None
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[label] * count_b[label] for label in count_a) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def binary_labels(labels: Sequence[str], label: str) -> list[str]:
    """Return `labels` reduced to `label` or "O"."""
    return [x if x == label else OUTSIDE for x in labels]


def score_pair(
    documents: Iterable[tuple[str, Sequence[Span], Sequence[Span]]], *, label: str | None = None
) -> PairScore:
    """Return the agreement of two annotators over documents (text, spans of A, spans of B).

    With `label`, only that label's spans count and kappa is binary (label or not).
    """
    exact = overlap = total_a = total_b = 0
    labels_a: list[str] = []
    labels_b: list[str] = []
    for text, spans_a, spans_b in documents:
        if label is not None:
            spans_a = [s for s in spans_a if s[2] == label]
            spans_b = [s for s in spans_b if s[2] == label]
        exact += count_exact_matches(spans_a, spans_b)
        overlap += count_overlap_matches(spans_a, spans_b)
        total_a += len(spans_a)
        total_b += len(spans_b)
        tokens = tokenize(text)
        labels_a += token_labels(tokens, spans_a)
        labels_b += token_labels(tokens, spans_b)
    return PairScore(
        matched_exact=exact,
        matched_overlap=overlap,
        spans_a=total_a,
        spans_b=total_b,
        kappa=cohen_kappa(labels_a, labels_b),
    )

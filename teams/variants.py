"""Compare analysts' spans of one document: variants, groups of variants, what differs.

Plain data in, plain data out (no queries), so the rules of "agreed" are tested directly and
the page, `accept_agreed` and the JSON answer all read the same verdict.

- A *reading* is one analyst's span as the comparison sees it: label, range, attributes and
  speaker (the range of the span its QUOTE is linked to).
- A *variant* is one distinct reading, with every analyst who gave it.
- A *group* is the variants of one mention: same label, ranges overlapping in a chain
  ("Prime Minister Mark Carney," and "Mark Carney"). A group is agreed when it has one variant
  that every analyst gave; a *sub-dispute* when its variants share the range but differ in
  attributes or speaker; else disputed.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

Range = tuple[int, int]
Attributes = tuple[tuple[str, str], ...]  # sorted (name, JSON value): hashable, comparable
ReadingKey = tuple[str, int, int, Attributes, Range | None]
Status = Literal["agreed", "sub-dispute", "disputed"]


def frozen_attributes(attributes: dict[str, Any]) -> Attributes:
    """Return `attributes` in a hashable form where equal values compare equal."""
    return tuple(
        sorted((name, json.dumps(value, sort_keys=True)) for name, value in attributes.items())
    )


@dataclass(frozen=True)
class Reading:
    """One analyst's (or the gold layer's) span, as compared."""

    span_id: int
    analyst: str
    label: str
    label_name: str
    start: int
    end: int
    text: str
    attributes: Attributes = ()
    speaker: Range | None = None
    speaker_text: str = ""

    @property
    def key(self) -> ReadingKey:
        return (self.label, self.start, self.end, self.attributes, self.speaker)


@dataclass
class SpanVariant:
    """One distinct reading, the analysts who gave it, and whether gold has it already."""

    label: str
    start: int
    end: int
    text: str
    label_name: str = ""
    attributes: Attributes = ()
    speaker: Range | None = None
    speaker_text: str = ""
    annotators: list[str] = field(default_factory=list)
    span_ids: list[int] = field(default_factory=list)
    in_gold: bool = False
    agreed: bool = False

    @property
    def attribute_items(self) -> list[tuple[str, Any]]:
        return [(name, json.loads(value)) for name, value in self.attributes]


@dataclass
class VariantGroup:
    """The variants of one mention, its verdict, and what its variants disagree on."""

    label: str
    label_name: str
    start: int
    end: int
    variants: list[SpanVariant]
    status: Status
    differences: list[str]

    @property
    def in_gold(self) -> bool:
        return any(v.in_gold for v in self.variants)


def group_readings(readings: list[Reading]) -> list[list[Reading]]:
    """Return `readings` in groups: same label, ranges overlapping in a chain; in text order."""
    by_label: dict[str, list[Reading]] = defaultdict(list)
    for reading in readings:
        by_label[reading.label].append(reading)
    groups: list[list[Reading]] = []
    for same_label in by_label.values():
        same_label.sort(key=lambda r: (r.start, -r.end, r.analyst))
        reach = -1
        for reading in same_label:
            if reading.start >= reach:
                groups.append([])
            groups[-1].append(reading)
            reach = max(reach, reading.end) if reading.start < reach else reading.end
    groups.sort(key=lambda g: (min(r.start for r in g), g[0].label))
    return groups


def compare_readings(
    readings: list[Reading], *, analysts: list[str], gold: list[Reading]
) -> list[VariantGroup]:
    """Return the groups of variants of the analysts' `readings`, each judged.

    A variant is in gold when a gold span has its label, range and attributes, and the same
    speaker, unless its speaker's range is not in gold at all (then no gold link could match).
    """
    gold_keys = {r.key for r in gold}
    gold_unlinked = {r.key[:4] for r in gold}
    gold_ranges = {(r.start, r.end) for r in gold}
    groups = []
    for members in group_readings(readings):
        variants: dict[ReadingKey, SpanVariant] = {}
        for r in members:
            variant = variants.setdefault(
                r.key,
                SpanVariant(
                    r.label,
                    r.start,
                    r.end,
                    r.text,
                    r.label_name,
                    r.attributes,
                    r.speaker,
                    r.speaker_text,
                ),
            )
            variant.annotators.append(r.analyst)
            variant.span_ids.append(r.span_id)
        for key, variant in variants.items():
            variant.agreed = set(variant.annotators) >= set(analysts)
            unreachable = variant.speaker is not None and variant.speaker not in gold_ranges
            variant.in_gold = key in gold_keys or (unreachable and key[:4] in gold_unlinked)
        listed = list(variants.values())
        groups.append(
            VariantGroup(
                label=members[0].label,
                label_name=members[0].label_name,
                start=min(r.start for r in members),
                end=max(r.end for r in members),
                variants=listed,
                status=group_status(listed),
                differences=describe_differences(members, analysts=analysts),
            )
        )
    return groups


def group_status(variants: list[SpanVariant]) -> Status:
    """Judge a group: one variant given by all is agreed; one range, several readings, a
    sub-dispute; anything else disputed."""
    if len(variants) == 1 and variants[0].agreed:
        return "agreed"
    if len(variants) > 1 and len({(v.start, v.end) for v in variants}) == 1:
        return "sub-dispute"
    return "disputed"


def describe_differences(readings: list[Reading], *, analysts: list[str]) -> list[str]:
    """Return one line per thing the analysts' `readings` of one mention disagree on."""
    lines = []
    missing = [name for name in analysts if name not in {r.analyst for r in readings}]
    if missing:
        lines.append(f"not marked by {', '.join(missing)}")
    aspects: list[tuple[str, Any]] = [
        ("range", lambda r: f"‘{r.text}’ {r.start}–{r.end}"),
        *[
            (f"attribute {name}", lambda r, name=name: dict(r.attributes).get(name))
            for name in sorted({name for r in readings for name, _ in r.attributes})
        ],
        (
            "speaker",
            lambda r: f"‘{r.speaker_text}’ {r.speaker[0]}–{r.speaker[1]}" if r.speaker else None,
        ),
    ]
    for aspect, value_of in aspects:
        who: dict[str | None, list[str]] = defaultdict(list)
        for reading in readings:
            who[value_of(reading)].append(reading.analyst)
        if len(who) > 1:
            shown = " · ".join(
                f"{'none' if value is None else value} ({', '.join(names)})"
                for value, names in who.items()
            )
            lines.append(f"{aspect}: {shown}")
    return lines


def flat_variants(groups: list[VariantGroup]) -> list[SpanVariant]:
    """Return every variant of `groups`, in the groups' order."""
    return [variant for group in groups for variant in group.variants]

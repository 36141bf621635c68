"""Build a document's gold layer from its analysts' layers."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from annotations.models import Annotation, Relation
from annotations.relations import create_relation, delete_relation
from annotations.spans import create_span, delete_span
from corpus.models import Document

from .variants import (
    Reading,
    SpanVariant,
    VariantGroup,
    compare_readings,
    flat_variants,
    frozen_attributes,
)

SpanKey = tuple[str, int, int]  # label key, start, end


@dataclass
class Comparison:
    """A document's analysts, its groups of variants, and all its spans (gold included)."""

    analysts: list[str]
    groups: list[VariantGroup]
    spans: list[Annotation]

    @property
    def variants(self) -> list[SpanVariant]:
        return flat_variants(self.groups)


def span_key(span: Annotation) -> SpanKey:
    return (span.label.key, span.start, span.end)


def analyst_name(span: Annotation) -> str:
    return span.annotator.get_username() if span.annotator else "(unattributed)"


def reading_of(span: Annotation, speaker: Annotation | None) -> Reading:
    """Return `span` as the comparison sees it, with the span it is linked to as speaker."""
    return Reading(
        span_id=span.pk,
        analyst="gold" if span.is_gold else analyst_name(span),
        label=span.label.key,
        label_name=span.label.name,
        start=span.start,
        end=span.end,
        text=span.text,
        attributes=frozen_attributes(span.attributes),
        speaker=(speaker.start, speaker.end) if speaker else None,
        speaker_text=speaker.text if speaker else "",
    )


def compare_document(document: Document) -> Comparison:
    """Read `document`'s spans and speaker links (two queries) and compare its layers."""
    spans = list(
        document.annotations.select_related("label", "annotator").order_by(
            "start", "-end", "label__key"
        )
    )
    by_pk = {span.pk: span for span in spans}
    speaker_of = {
        source: by_pk[target]
        for source, target in Relation.objects.filter(
            document=document, type=Relation.Type.SPEAKER
        ).values_list("source_id", "target_id")
    }
    readings = [reading_of(s, speaker_of.get(s.pk)) for s in spans if not s.is_gold]
    gold = [reading_of(s, speaker_of.get(s.pk)) for s in spans if s.is_gold]
    analysts = sorted({r.analyst for r in readings})
    groups = compare_readings(readings, analysts=analysts, gold=gold)
    return Comparison(analysts=analysts, groups=groups, spans=spans)


def compare_layers(document: Document) -> tuple[list[str], list[SpanVariant]]:
    """Return the analysts with spans on `document` and every variant they marked.

    A variant is agreed when every one of those analysts gave it: same label, range,
    attributes and speaker.
    """
    comparison = compare_document(document)
    return comparison.analysts, comparison.variants


@transaction.atomic
def accept_spans(*, spans: list[Annotation], reviewer: AbstractBaseUser) -> list[Annotation]:
    """Make each of `spans` its mention's reading in the gold layer; return the gold spans.

    A gold span of another variant of the same group (same label, overlapping) is deleted
    first, so gold never holds two readings of one mention. A gold span that already has the
    chosen label, range and attributes is kept, so accepting twice changes nothing. The
    chosen variant's speaker is linked if that speaker is in gold; other speaker links
    between accepted spans follow them into gold.
    """
    if not spans:
        return []
    document = spans[0].document
    groups = compare_document(document).groups
    group_of = {pk: g for g in groups for v in g.variants for pk in v.span_ids}
    accepted = [replace_in_gold(span, group_of.get(span.pk), reviewer=reviewer) for span in spans]
    link_gold_relations(document, editor=reviewer)
    return accepted


def replace_in_gold(
    span: Annotation, group: VariantGroup | None, *, reviewer: AbstractBaseUser
) -> Annotation:
    """Put `span`'s reading in gold in place of any other reading of its `group`."""
    start, end = (group.start, group.end) if group else (span.start, span.end)
    rivals = span.document.annotations.filter(
        is_gold=True, label=span.label, start__lt=end, end__gt=start
    ).select_related("label")
    wanted = (span.start, span.end, frozen_attributes(span.attributes))
    kept = None
    for gold in rivals:
        if (gold.start, gold.end, frozen_attributes(gold.attributes)) == wanted:
            kept = gold
        else:
            delete_span(span=gold, editor=reviewer)
    gold = kept or gold_copy(span, reviewer=reviewer)
    link_chosen_speaker(span, gold, reviewer=reviewer)
    return gold


def link_chosen_speaker(span: Annotation, gold: Annotation, *, reviewer: AbstractBaseUser) -> None:
    """Give `gold` the speaker `span` has, if that speaker's reading is in gold."""
    link = Relation.objects.filter(source=span, type=Relation.Type.SPEAKER).first()
    if link is None:
        return
    speaker = link.target
    gold_speaker = span.document.annotations.filter(
        is_gold=True, label_id=speaker.label_id, start=speaker.start, end=speaker.end
    ).first()
    if gold_speaker is None:
        return
    current = Relation.objects.filter(source=gold, type=Relation.Type.SPEAKER).first()
    if current is not None and current.target_id == gold_speaker.pk:
        return
    if current is not None:
        delete_relation(relation=current, editor=reviewer)
    create_relation(
        document=span.document,
        relation_type=Relation.Type.SPEAKER,
        source=gold,
        target=gold_speaker,
        annotator=None,
        editor=reviewer,
    )


def gold_copy(span: Annotation, *, reviewer: AbstractBaseUser) -> Annotation:
    """Return the gold span over `span`'s label and range, creating it if there is none."""
    existing = Annotation.objects.filter(
        document=span.document, label=span.label, start=span.start, end=span.end, is_gold=True
    )
    if gold := existing.first():
        return gold
    try:
        return create_span(
            document=span.document,
            label=span.label,
            start=span.start,
            end=span.end,
            covered=span.text,
            attributes=span.attributes,
            annotator=reviewer,
            is_gold=True,
            editor=reviewer,
        )
    except ValidationError:
        # Another reviewer's copy got in first: it is the one gold span.
        if gold := existing.first():
            return gold
        raise


@transaction.atomic
def accept_agreed(*, document: Document, reviewer: AbstractBaseUser) -> list[Annotation]:
    """Accept into gold every mention all analysts of `document` agree on entirely (label,
    range, attributes, speaker) and gold lacks; return the gold spans, [] if none was left."""
    groups = compare_document(document).groups
    first_ids = [
        g.variants[0].span_ids[0] for g in groups if g.status == "agreed" and not g.in_gold
    ]
    spans = list(Annotation.objects.filter(pk__in=first_ids).select_related("label", "document"))
    return accept_spans(spans=spans, reviewer=reviewer)


def link_gold_relations(document: Document, *, editor: AbstractBaseUser | None = None) -> int:
    """Give gold spans the relations their analyst counterparts have; return how many.

    A gold QUOTE takes the speaker most analysts gave it, if that speaker is gold too. The
    links are made by the relation action, whose rules they must pass.
    """
    spans = list(document.annotations.select_related("label"))
    gold_by_key = {span_key(s): s for s in spans if s.is_gold}
    by_pk = {s.pk: s for s in spans}
    votes: dict[tuple[int, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for relation in Relation.objects.filter(document=document):
        source, target = by_pk[relation.source_id], by_pk[relation.target_id]
        if source.is_gold or target.is_gold:
            continue
        gold_source = gold_by_key.get(span_key(source))
        gold_target = gold_by_key.get(span_key(target))
        if gold_source and gold_target:
            votes[(gold_source.pk, relation.type)][gold_target.pk] += 1
    linked = set(
        Relation.objects.filter(document=document, source__is_gold=True).values_list(
            "source_id", "type"
        )
    )
    created = 0
    for (source_pk, relation_type), targets in votes.items():
        if (source_pk, relation_type) in linked:
            continue
        target_pk = max(sorted(targets), key=lambda pk: targets[pk])
        create_relation(
            document=document,
            relation_type=relation_type,
            source=by_pk[source_pk],
            target=by_pk[target_pk],
            annotator=None,
            editor=editor,
        )
        created += 1
    return created

"""Build a document's gold layer from its analysts' layers."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from annotations.models import Annotation, Relation
from corpus.models import Document

SpanKey = tuple[str, int, int]  # label key, start, end


@dataclass
class SpanVariant:
    """One (label, range) marked by some analysts, and whether it is in gold already."""

    label: str
    start: int
    end: int
    text: str
    annotators: list[str] = field(default_factory=list)
    span_ids: list[int] = field(default_factory=list)
    in_gold: bool = False
    agreed: bool = False


def span_key(span: Annotation) -> SpanKey:
    return (span.label.key, span.start, span.end)


def compare_layers(document: Document) -> tuple[list[str], list[SpanVariant]]:
    """Return the analysts with spans on `document` and every variant they marked.

    A variant is agreed when every one of those analysts marked it.
    """
    spans = document.annotations.select_related("label", "annotator").order_by(
        "start", "-end", "label__key"
    )
    gold = set()
    variants: dict[SpanKey, SpanVariant] = {}
    for span in spans:
        if span.is_gold:
            gold.add(span_key(span))
            continue
        name = span.annotator.get_username() if span.annotator else "(unattributed)"
        variant = variants.setdefault(
            span_key(span), SpanVariant(span.label.key, span.start, span.end, span.text)
        )
        variant.annotators.append(name)
        variant.span_ids.append(span.pk)
    analysts = sorted({name for variant in variants.values() for name in variant.annotators})
    for key, variant in variants.items():
        variant.in_gold = key in gold
        variant.agreed = len(set(variant.annotators)) == len(analysts)
    return analysts, list(variants.values())


@transaction.atomic
def accept_spans(*, spans: list[Annotation], reviewer: AbstractBaseUser) -> list[Annotation]:
    """Copy analysts' spans into the gold layer (once each); return the gold spans.

    Speaker links between accepted spans follow them into gold.
    """
    accepted = []
    for span in spans:
        gold, _ = Annotation.objects.get_or_create(
            document=span.document,
            label=span.label,
            start=span.start,
            end=span.end,
            is_gold=True,
            defaults={"text": span.text, "annotator": reviewer, "attributes": span.attributes},
        )
        accepted.append(gold)
    if spans:
        link_gold_relations(spans[0].document)
    return accepted


@transaction.atomic
def accept_agreed(*, document: Document, reviewer: AbstractBaseUser) -> list[Annotation]:
    """Accept into gold every span all analysts of `document` agree on."""
    _, variants = compare_layers(document)
    first_ids = [v.span_ids[0] for v in variants if v.agreed and not v.in_gold]
    spans = list(Annotation.objects.filter(pk__in=first_ids).select_related("label", "document"))
    return accept_spans(spans=spans, reviewer=reviewer)


def link_gold_relations(document: Document) -> int:
    """Give gold spans the relations their analyst counterparts have; return how many.

    A gold QUOTE takes the speaker most analysts gave it, if that speaker is gold too.
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
        Relation.objects.create(
            document=document, type=relation_type, source_id=source_pk, target_id=target_pk
        )
        created += 1
    return created

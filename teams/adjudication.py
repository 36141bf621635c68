"""Build a document's gold layer from its analysts' layers."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from annotations.models import Annotation, Relation
from annotations.relations import create_relation
from annotations.spans import create_span
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

    A span already in gold is returned as it is, so accepting twice changes nothing. Speaker
    links between accepted spans follow them into gold.
    """
    accepted = [gold_copy(span, reviewer=reviewer) for span in spans]
    if spans:
        link_gold_relations(spans[0].document, editor=reviewer)
    return accepted


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
    """Accept into gold every span all analysts of `document` agree on."""
    _, variants = compare_layers(document)
    first_ids = [v.span_ids[0] for v in variants if v.agreed and not v.in_gold]
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

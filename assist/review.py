"""Reviewing suggestions: what an analyst still has to review, and taking a suggestion into
their own layer or turning it down.

Accepting writes through the actions (`annotations.spans.create_span`,
`annotations.relations.create_relation`), so the span is checked, starts the analyst's
assignment and has its history row like any span they make by hand. A suggestion is
"covered" when the analyst's layer has a span of the same label at the same place; covered
and rejected suggestions are not shown to them again.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from annotations.models import Annotation, Label, Relation
from annotations.relations import create_relation
from annotations.spans import create_span, fitting_attributes
from corpus.models import Document

from .candidates import QUOTE, SPEAKER_LABELS
from .models import Rejection, Suggestion
from .suggesters.propagation import find_occurrences

OCCURRENCES_SUGGESTER = "occurrences"
# A string the analyst tagged themselves, found again as a whole word: a strong suggestion.
OCCURRENCES_SCORE = 0.9
# Suggestion field -> lookup, for reading many without building model instances.
SUGGESTION_LOOKUPS = {
    "id": "pk",
    "label": "label__key",
    "start": "start",
    "end": "end",
    "attributes": "attributes",
    "suggester": "suggester",
    "score": "score",
    "speaker": "speaker_id",
}
Place = tuple[int, int, str]


def own_layer(user: AbstractBaseUser) -> Q:
    """Return the condition on spans that picks `user`'s own layer."""
    return Q(annotator=user, is_gold=False)


def pending_suggestions(document: Document, user: AbstractBaseUser) -> QuerySet[Suggestion]:
    """Return the suggestions of `document` that `user` has neither covered nor rejected."""
    same_place = {
        "document": OuterRef("document"),
        "label": OuterRef("label"),
        "start": OuterRef("start"),
        "end": OuterRef("end"),
    }
    covered = Annotation.objects.filter(own_layer(user), **same_place)
    rejected = Rejection.objects.filter(user=user, **same_place)
    return Suggestion.objects.filter(document=document).filter(~Exists(covered), ~Exists(rejected))


def suggestions_json(document: Document, suggestions: QuerySet[Suggestion]) -> list[dict]:
    """Return the API form of `suggestions` of `document`, in text order (one query)."""
    names = list(SUGGESTION_LOOKUPS)
    rows = suggestions.order_by("start", "-end", "label__key").values_list(
        *SUGGESTION_LOOKUPS.values()
    )
    text = document.text
    found = []
    for row in rows:
        item = dict(zip(names, row, strict=True))
        item["text"] = text[item["start"] : item["end"]]
        found.append(item)
    return found


@dataclass
class Accepted:
    """What accepting made: spans of the analyst's layer (new, or already there) and links."""

    spans: list[Annotation] = field(default_factory=list)
    created: list[Annotation] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


def accept_suggestions(
    *, document: Document, suggestions: Iterable[Suggestion], user: AbstractBaseUser
) -> Accepted:
    """Take `suggestions` (of `document`, their labels read) into `user`'s own layer, in one
    transaction, and link each accepted quote to its suggested speaker and each accepted
    speaker to its suggested quotes wherever both ends are in the layer now.

    A suggestion already covered by the layer gives the span that covers it; a rejected one
    accepted after all is no longer rejected.
    """
    suggestions = list(suggestions)
    accepted = Accepted()
    with transaction.atomic():
        spans = own_spans(document, user)
        for suggestion in suggestions:
            place = (suggestion.start, suggestion.end, suggestion.label.key)
            span = spans.get(place)
            if span is None:
                span = accept_one(document=document, suggestion=suggestion, user=user)
                spans[place] = span
                accepted.created.append(span)
            accepted.spans.append(span)
        unreject(document, user, suggestions)
        pairs = speaker_pairs(document, [s.pk for s in suggestions])
        accepted.relations = link_pairs(document=document, pairs=pairs, spans=spans, user=user)
    return accepted


def pending_of_ids(document: Document, user: AbstractBaseUser, ids: list[int]) -> list[Suggestion]:
    """Return suggestions `ids` of `document`, their labels read, in text order, if `user`
    has each still to review; else raise ValidationError naming the ids that are not
    `document`'s suggestions and those already accepted, covered or rejected."""
    wanted = set(ids)
    pending = pending_suggestions(document, user).filter(pk__in=wanted).select_related("label")
    chosen = list(pending.order_by("start", "end", "label__key"))
    missing = wanted - {suggestion.pk for suggestion in chosen}
    if not missing:
        return chosen
    reviewed = set(document.suggestions.filter(pk__in=missing).values_list("pk", flat=True))
    foreign = missing - reviewed
    reasons = []
    if foreign:
        reasons.append(f"not suggestions of this document: {', '.join(map(str, sorted(foreign)))}")
    if reviewed:
        reasons.append(
            f"already accepted, covered or rejected: {', '.join(map(str, sorted(reviewed)))}"
        )
    raise ValidationError({"suggestions": ["; ".join(reasons)]})


def accept_pending(*, document: Document, user: AbstractBaseUser, ids: list[int]) -> Accepted:
    """Take suggestions `ids` of `document`, each still to review by `user`, into their own
    layer in one transaction (see accept_suggestions); a bad id writes nothing.

    Should another request make one of those spans between the check and the write, the
    layer's unique span constraint refuses it (ValidationError) and the whole batch rolls back.
    """
    with transaction.atomic():
        chosen = pending_of_ids(document, user, ids)
        return accept_suggestions(document=document, suggestions=chosen, user=user)


def accept_one(*, document: Document, suggestion: Suggestion, user: AbstractBaseUser) -> Annotation:
    """Create `suggestion` as a span of `user`'s own layer, remembering its suggester."""
    span = create_span(
        document=document,
        label=suggestion.label,
        start=suggestion.start,
        end=suggestion.end,
        covered=document.text[suggestion.start : suggestion.end],
        # Only the attributes the label allows: a suggester may know more than the corpus asks.
        attributes=fitting_attributes(suggestion.attributes, suggestion.label),
        annotator=user,
        suggester=suggestion.suggester,
        suggestion_score=suggestion.score,
    )
    span.annotator = user
    return span


def own_spans(document: Document, user: AbstractBaseUser) -> dict[Place, Annotation]:
    """Return the spans of `user`'s own layer of `document` by place (one query)."""
    rows = document.annotations.filter(own_layer(user)).select_related("label", "annotator")
    return {(span.start, span.end, span.label.key): span for span in rows}


def unreject(document: Document, user: AbstractBaseUser, suggestions: list[Suggestion]) -> None:
    """Forget `user`'s rejections of the places of `suggestions` in `document`."""
    places = {(s.label_id, s.start, s.end) for s in suggestions}
    rejections = Rejection.objects.filter(user=user, document=document)
    matching = [
        pk
        for pk, *place in rejections.values_list("pk", "label_id", "start", "end")
        if tuple(place) in places
    ]
    if matching:
        Rejection.objects.filter(pk__in=matching).delete()


def speaker_pairs(document: Document, ids: Collection[int]) -> list[tuple[Place, Place]]:
    """Return (quote place, speaker place) of each suggested quote-speaker link of `document`
    with one end among the suggestions `ids` (one query)."""
    if not ids:
        return []
    rows = Suggestion.objects.filter(
        Q(pk__in=ids) | Q(speaker__in=ids), document=document, speaker__isnull=False
    ).values_list(
        "start", "end", "label__key", "speaker__start", "speaker__end", "speaker__label__key"
    )
    return [((s, e, key), (ss, se, skey)) for s, e, key, ss, se, skey in rows]


def link_pairs(
    *,
    document: Document,
    pairs: list[tuple[Place, Place]],
    spans: dict[Place, Annotation],
    user: AbstractBaseUser,
) -> list[Relation]:
    """Link each quote span to its speaker span where both are in `spans` and the quote has
    no speaker yet; return the new links."""
    wanted = [
        (spans[quote], spans[speaker])
        for quote, speaker in pairs
        if quote in spans and speaker in spans
        if quote[2] == QUOTE and speaker[2] in SPEAKER_LABELS
    ]
    if not wanted:
        return []
    spoken = set(
        Relation.objects.filter(
            source__in=[quote.pk for quote, _ in wanted], type=Relation.Type.SPEAKER
        ).values_list("source_id", flat=True)
    )
    made = []
    for quote, speaker in wanted:
        if quote.pk in spoken:
            continue
        try:
            relation = create_relation(
                document=document,
                relation_type=Relation.Type.SPEAKER,
                source=quote,
                target=speaker,
                annotator=user,
            )
        except ValidationError:
            # Linked meanwhile, or a span gone: the analyst's own link stands.
            continue
        spoken.add(quote.pk)
        made.append(relation)
    return made


def suggestions_of_label(
    document: Document, user: AbstractBaseUser, label: Label
) -> list[Suggestion]:
    """Return the pending suggestions of `label` in `document` and, for quotes, the pending
    speakers they name, speakers first (so a quote's link is made as it is accepted)."""
    pending = pending_suggestions(document, user).select_related("label")
    chosen = list(pending.filter(label=label).order_by("start", "end"))
    if label.key != QUOTE:
        return chosen
    speaker_ids = {s.speaker_id for s in chosen if s.speaker_id is not None}
    speakers = list(pending.filter(pk__in=speaker_ids).order_by("start", "end"))
    return speakers + chosen


def reject_suggestion(*, suggestion: Suggestion, user: AbstractBaseUser) -> None:
    """Record that `user` turned `suggestion` down: its place stays hidden from them."""
    Rejection.objects.get_or_create(
        user=user,
        document_id=suggestion.document_id,
        label_id=suggestion.label_id,
        start=suggestion.start,
        end=suggestion.end,
    )


def propose_occurrences(*, span: Annotation) -> list[tuple[int, int]]:
    """Store a suggestion of `span`'s label at every other whole-word occurrence of its text
    in its document (where none is yet); return those places."""
    document = span.document
    places = [
        (start, end)
        for start, end in find_occurrences(document.text, span.text)
        if (start, end) != (span.start, span.end)
    ]
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                document=document,
                label=span.label,
                start=start,
                end=end,
                attributes={},
                suggester=OCCURRENCES_SUGGESTER,
                score=OCCURRENCES_SCORE,
            )
            for start, end in places
        ],
        ignore_conflicts=True,
    )
    return places


def at_places(
    document: Document,
    suggestions: QuerySet[Suggestion],
    label: Label,
    places: list[tuple[int, int]],
) -> QuerySet[Suggestion]:
    """Return those of `suggestions` (of `document`) of `label` at one of `places`."""
    wanted = set(places)
    rows = Suggestion.objects.filter(
        document=document,
        label=label,
        start__in={start for start, _ in wanted},
    ).values_list("pk", "start", "end")
    return suggestions.filter(pk__in=[pk for pk, start, end in rows if (start, end) in wanted])

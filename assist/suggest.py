"""Make a corpus's suggestions: run the suggesters over each document and store what they
propose as its machine layer, replacing what was there.

Writing is chunked: each chunk of documents is one transaction that deletes their old
suggestions (of the labels asked for) and inserts the new ones, speakers first so that each
quote names its speaker's row as it is inserted. Nothing here touches an analyst's layer.
"""

import dataclasses
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from django.db import router, transaction
from django.db.models import Q
from django.utils import timezone

from annotations.interchange.bulk_insert import insert_rows
from annotations.layers import ALL_LAYERS, layer_filter
from annotations.models import Label
from corpus.models import Corpus, Document

from .candidates import LABELS, SPEAKER_LABELS, Candidate, SpanRef
from .known import known_strings, layer_spans_by_document
from .models import SuggestedDocument, Suggestion
from .registry import SuggestContext, suggest_text

CHUNK_SIZE = 200
Progress = Callable[[int, int], None]


@dataclass
class SuggestReport:
    """What a run made: how many documents it went through and suggestions per label key."""

    documents: int = 0
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def layer_condition(layer: str | None) -> Q | None:
    """Return the condition on spans that `--propagate-from layer` picks, None for no layer."""
    if layer is None:
        return None
    return layer_filter(layer) if layer != ALL_LAYERS else Q()


def corpus_labels(corpus: Corpus, keys: Iterable[str] | None = None) -> dict[str, Label]:
    """Return the labels of `corpus` that suggestions may carry (those of `keys`, when given),
    by key; raise LookupError naming a key the corpus lacks."""
    labels = {label.key: label for label in corpus.labels.all()}
    if keys is None:
        return {key: labels[key] for key in LABELS if key in labels}
    keys = list(dict.fromkeys(keys))
    unknown = [key for key in keys if key not in labels]
    if unknown:
        raise LookupError(f"corpus {corpus.name!r} has no label {', '.join(unknown)}")
    return {key: labels[key] for key in keys}


def suggest_documents(
    *,
    corpus: Corpus,
    labels: Collection[str] | None = None,
    document_ids: Collection[int] | None = None,
    propagate_from: str | None = None,
    on_progress: Progress | None = None,
) -> SuggestReport:
    """Replace the suggestions of `corpus`'s documents (those of `document_ids`, when given)
    with what the suggesters propose now, for `labels` (every suggestion label by default).

    `propagate_from` names the layer whose tagged strings are proposed at their other
    occurrences: "gold", an analyst's username, or "all"; its spans in each document show
    how far its analyst has read it (`assist.reading`). `on_progress(done, total)` is
    called after each chunk. Raise LookupError for a label or document the corpus lacks.
    """
    wanted = corpus_labels(corpus, labels)
    documents = corpus.documents.order_by("pk")
    if document_ids is not None:
        ids = set(document_ids)
        found = set(documents.filter(pk__in=ids).values_list("pk", flat=True))
        if missing := sorted(ids - found):
            raise LookupError(f"corpus {corpus.name!r} has no document {missing[0]}")
        documents = documents.filter(pk__in=ids)
    condition = layer_condition(propagate_from)
    known = known_strings(corpus, condition) if condition is not None else {}
    # Every suggester runs, whatever is kept: a quote's speaker is found among the actors
    # and sources proposed before it, and links to the kept suggestion at that place.
    context = SuggestContext(known=known, labels=frozenset(corpus_labels(corpus)))
    total = documents.count()
    report = SuggestReport()
    rows = documents.values_list("pk", "text").iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        # One query per chunk: the layer's own spans show how far each document was read.
        own = {}
        if condition is not None:
            own = layer_spans_by_document(condition, [pk for pk, _ in chunk])
        made = {}
        for pk, text in chunk:
            document_context = dataclasses.replace(context, layer_spans=own.get(pk, ()))
            made[pk] = checked(text, suggest_text(text, document_context))
        stored = replace_suggestions(made, wanted, every_label=labels is None)
        report.counts.update(stored)
        report.documents += len(chunk)
        if on_progress is not None:
            on_progress(report.documents, total)
    return report


def suggest_document(
    document: Document, *, known: Mapping[str, str], layer_spans: tuple[SpanRef, ...] = ()
) -> Counter:
    """Replace the suggestions of `document` with what the suggesters propose now, given the
    strings the corpus `known`s and the spans the same layers hold in `document`; return how
    many were made per label key."""
    wanted = corpus_labels(document.corpus)
    context = SuggestContext(known=known, layer_spans=layer_spans, labels=frozenset(wanted))
    made = checked(document.text, suggest_text(document.text, context))
    return replace_suggestions({document.pk: made}, wanted)


def checked(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Return `candidates` if each is a non-empty range of `text` with a score in [0, 1];
    raise ValueError naming the suggester of the first that is not (a suggester's bug)."""
    size = len(text)
    for candidate in candidates:
        if not (0 <= candidate.start < candidate.end <= size and 0 <= candidate.score <= 1):
            raise ValueError(
                f"suggester {candidate.suggester} proposed {candidate.label} "
                f"[{candidate.start}, {candidate.end}) with score {candidate.score} "
                f"over a text of {size} characters"
            )
    return candidates


SUGGESTION_COLUMNS = (
    "document",
    "label",
    "start",
    "end",
    "attributes",
    "suggester",
    "score",
    "speaker",
    "created_at",
)


def replace_suggestions(
    made: Mapping[int, list[Candidate]], labels: Mapping[str, Label], *, every_label: bool = True
) -> Counter:
    """Replace the suggestions of `labels` of the documents of `made` (document id ->
    candidates) with those candidates, in one transaction; return how many per label key.
    The same transaction records that each document's suggestions were made
    (`SuggestedDocument`), even when none were.

    Candidates of other labels are left out. A quote's speaker is the candidate at its
    `speaker` place, or, when this run does not make that label, the kept suggestion there.
    Rows go in through `insert_rows` (COPY on PostgreSQL), not `bulk_create`, whose per-row
    work cost ten times the rest of the storing (bench/suggest.py); like `bulk_create` it
    sends no signals, and suggestions have no history. Speakers go first, then their ids are
    read back (one query) for the quotes that name them.
    """
    ids = list(made)
    counts: Counter = Counter()
    now = timezone.now()
    speakers, quotes = [], []
    for document_id, candidates in made.items():
        for candidate in candidates:
            label = labels.get(candidate.label)
            if label is None:
                continue
            row = [
                document_id,
                label.pk,
                candidate.start,
                candidate.end,
                dict(candidate.attributes),
                candidate.suggester,
                candidate.score,
                None,
                now,
            ]
            (quotes if candidate.speaker is not None else speakers).append((row, candidate))
            counts[candidate.label] += 1
    with transaction.atomic():
        old = Suggestion.objects.filter(document_id__in=ids)
        if not every_label:
            old = old.filter(label__in=labels.values())
            # Quotes kept from an earlier run lose the speakers deleted now.
            Suggestion.objects.filter(document_id__in=ids, speaker__in=old).update(speaker=None)
        # One DELETE: the ORM's collector would first read every row to null the speakers of
        # rows it is deleting anyway (the foreign keys are checked at commit).
        old._raw_delete(router.db_for_write(Suggestion))
        insert_rows(Suggestion, SUGGESTION_COLUMNS, (row for row, _ in speakers))
        if quotes:
            places = stored_places(ids)
            for row, candidate in quotes:
                row[7] = places.get((row[0], candidate.speaker))
            insert_rows(Suggestion, SUGGESTION_COLUMNS, (row for row, _ in quotes))
        record_made(ids, now)
    return counts


def record_made(document_ids: list[int], now: datetime) -> None:
    """Record that the suggestions of the documents were made at `now` (their claims, if
    any, become records)."""
    database = router.db_for_write(SuggestedDocument)
    SuggestedDocument.objects.filter(document_id__in=document_ids)._raw_delete(database)
    insert_rows(
        SuggestedDocument,
        ("document", "claimed_at", "made_at"),
        ((document_id, now, now) for document_id in document_ids),
    )


def stored_places(document_ids: list[int]) -> dict[tuple[int, SpanRef], int]:
    """Return the ids of the stored suggestions of the documents that may be speakers, by
    (document id, place)."""
    rows = Suggestion.objects.filter(
        document_id__in=document_ids, label__key__in=SPEAKER_LABELS
    ).values_list("document_id", "start", "end", "label__key", "pk")
    return {
        (document_id, SpanRef(start, end, key)): pk for document_id, start, end, key, pk in rows
    }

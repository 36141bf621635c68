"""A document already in the corpus, arriving again with other spans: what differs, and
(`--update`) the difference applied through the actions.

This is how a team brings back work done in another tool: export, edit there, import the
tool's export into the same corpus. A record is matched to the stored document with its
text; its spans to the stored spans by id, else by (start, end, label, layer). Stored spans
the file does not hold are removed only in the layers the file covers (those of the spans
whose layer it records), so a file of the gold layer leaves the analysts' layers alone, and
a span another tool's user added (unclaimed) never makes its layer covered.

Unlike the bulk writer (`write`), every change goes through `annotations.spans` and
`annotations.relations`, so each is checked as an edit on the page is and leaves a history
row.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from annotations.layers import span_layer
from annotations.models import Annotation, Label, Relation
from annotations.relations import create_relation, delete_relation
from annotations.spans import StaleVersion, create_span, delete_span, update_span
from corpus.models import Document, sha256_hex

from .bulk_insert import LOOKUP_CHUNK
from .records import DocumentRecord, ImportProblem, SpanRecord
from .validate import CorpusState
from .write import resolve_annotators

# A layer: (True, None) for gold, (False, analyst's username or None).
Layer = tuple[bool, str | None]
# A span in a link: a stored span's primary key, or the id a new span has in the file.
SpanRef = int | tuple[str, str]


class StoredSpan(NamedTuple):
    pk: int
    uid: str
    label: str
    start: int
    end: int
    annotator: str | None
    is_gold: bool
    attributes: dict[str, Any]

    @property
    def layer(self) -> Layer:
        return span_layer(self.is_gold, self.annotator)


class StoredLink(NamedTuple):
    pk: int
    type: str
    source: int
    target: int


class SpanEdit(NamedTuple):
    stored: StoredSpan
    record: SpanRecord


@dataclass
class DocumentDiff:
    """How a record differs from the document stored with its text."""

    document_id: int
    external_id: str
    text: str
    line: int | None
    where: str | None
    added: list[SpanRecord] = field(default_factory=list)
    removed: list[StoredSpan] = field(default_factory=list)
    relabelled: list[SpanEdit] = field(default_factory=list)
    # Same label, other attributes.
    edited: list[SpanEdit] = field(default_factory=list)
    links_added: list[tuple[str, SpanRef, SpanRef]] = field(default_factory=list)
    links_removed: list[StoredLink] = field(default_factory=list)
    # The layer of each stored span, to restrict removals to the file's layers.
    layers: dict[int, Layer] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(
            self.added
            or self.removed
            or self.relabelled
            or self.edited
            or self.links_added
            or self.links_removed
        )

    def within(self, covered: set[Layer]) -> "DocumentDiff":
        """Return this diff with removals only in the `covered` layers."""
        self.removed = [span for span in self.removed if span.layer in covered]
        self.links_removed = [
            link for link in self.links_removed if self.layers.get(link.source) in covered
        ]
        return self


def record_layer(span: SpanRecord) -> Layer:
    return span_layer(span.gold, span.annotator)


def covered_layers(records: Iterable[DocumentRecord]) -> set[Layer]:
    """Return the layers whose spans `records` record (not those another tool added)."""
    return {record_layer(span) for record in records for span in record.spans if not span.unclaimed}


def stored_documents(
    corpus_id: int, records: list[DocumentRecord]
) -> dict[str, tuple[int, list[StoredSpan], list[StoredLink]]]:
    """Return, by text digest, each stored document of `records`' texts with its spans and
    links: three queries a chunk."""
    digests = [sha256_hex(record.text) for record in records]
    found: dict[str, tuple[int, list[StoredSpan], list[StoredLink]]] = {}
    by_pk: dict[int, tuple[int, list[StoredSpan], list[StoredLink]]] = {}
    for i in range(0, len(digests), LOOKUP_CHUNK):
        rows = Document.objects.filter(
            corpus_id=corpus_id, text_sha256__in=digests[i : i + LOOKUP_CHUNK]
        ).values_list("text_sha256", "pk")
        for digest, pk in rows:
            found[digest] = by_pk[pk] = (pk, [], [])
    ids = list(by_pk)
    for i in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[i : i + LOOKUP_CHUNK]
        spans = (
            Annotation.objects.filter(document_id__in=chunk)
            .order_by("document_id", "start", "end", "label__key", "pk")
            .values_list(
                "document_id",
                "pk",
                "uid",
                "label__key",
                "start",
                "end",
                "annotator__username",
                "is_gold",
                "attributes",
            )
        )
        for document_id, *row in spans:
            by_pk[document_id][1].append(StoredSpan(*row))
        links = Relation.objects.filter(document_id__in=chunk).order_by("pk")
        for document_id, *row in links.values_list(
            "document_id", "pk", "type", "source_id", "target_id"
        ):
            by_pk[document_id][2].append(StoredLink(*row))
    return found


def diff_records(records: list[DocumentRecord], state: CorpusState) -> list[DocumentDiff]:
    """Return how each of `records` (all already stored, by text) differs from what is
    stored, in every layer; `DocumentDiff.within` then keeps the removals the file covers."""
    if not records or state.corpus.pk is None:
        return []
    stored = stored_documents(state.corpus.pk, records)
    diffs = []
    for record in records:
        document_id, spans, links = stored[sha256_hex(record.text)]
        diff = diff_document(record, document_id, spans, links)
        if diff:
            diffs.append(diff)
    return diffs


def diff_document(
    record: DocumentRecord, document_id: int, spans: list[StoredSpan], links: list[StoredLink]
) -> DocumentDiff:
    """Return how `record` differs from the stored `spans` and `links` of its document."""
    diff = DocumentDiff(
        document_id=document_id,
        external_id=record.external_id,
        text=record.text,
        line=record.line,
        where=record.where,
        layers={span.pk: span.layer for span in spans},
    )
    by_uid = {span.uid: span for span in spans}
    matched: dict[int, StoredSpan] = {}
    match_of: dict[int, StoredSpan] = {}
    # Ids first: a span keeps its id through every tool that records it.
    for index, span in enumerate(record.spans):
        stored = by_uid.get(span.uid) if span.uid is not None else None
        if (
            stored is not None
            and stored.pk not in matched
            and stored.layer == record_layer(span)
            and (stored.start, stored.end) == (span.start, span.end)
        ):
            matched[stored.pk] = match_of[index] = stored
    waiting: dict[tuple, list[StoredSpan]] = {}
    for stored in spans:
        if stored.pk not in matched:
            waiting.setdefault((stored.start, stored.end, stored.label, stored.layer), []).append(
                stored
            )
    for index, span in enumerate(record.spans):
        if index in match_of:
            continue
        candidates = waiting.get((span.start, span.end, span.label, record_layer(span)))
        if candidates:
            stored = candidates.pop(0)
            matched[stored.pk] = match_of[index] = stored
    refs: dict[str, SpanRef] = {}
    for index, span in enumerate(record.spans):
        stored = match_of.get(index)
        if stored is None:
            diff.added.append(span)
            if span.uid is not None:
                refs[span.uid] = ("new", span.uid)
            continue
        if span.uid is not None:
            refs[span.uid] = stored.pk
        if stored.label != span.label:
            diff.relabelled.append(SpanEdit(stored, span))
        elif stored.attributes != span.attributes:
            diff.edited.append(SpanEdit(stored, span))
    diff.removed = [span for span in spans if span.pk not in matched]
    wanted = Counter((link.type, refs[link.source], refs[link.target]) for link in record.relations)
    for link in links:
        key = (link.type, link.source, link.target)
        if wanted[key]:
            wanted[key] -= 1
        else:
            diff.links_removed.append(link)
    diff.links_added = [key for key, count in wanted.items() for _ in range(count)]
    return diff


def apply_diffs(
    diffs: list[DocumentDiff], state: CorpusState, *, editor: AbstractBaseUser | None
) -> None:
    """Apply `diffs` through the actions, in the caller's transaction: links removed, spans
    removed, relabelled and edited, spans added, links added (so a quote's new speaker comes
    after its old one has gone). Raise ImportProblem, located at the record, if an action
    refuses a change."""
    if state.new_labels:
        Label.objects.bulk_create(state.new_labels.values())
        state.new_labels.clear()
    resolve_annotators(
        [DocumentRecord(external_id="", text="", spans=diff.added) for diff in diffs], state
    )
    for diff in diffs:
        try:
            apply_diff(diff, state, editor=editor)
        except (ValidationError, StaleVersion, Annotation.DoesNotExist) as error:
            message = "; ".join(getattr(error, "messages", [str(error)]))
            raise ImportProblem(
                f"cannot update document {diff.external_id!r}: {message}",
                line=diff.line,
                field=diff.where,
            ) from None


def apply_diff(diff: DocumentDiff, state: CorpusState, *, editor: AbstractBaseUser | None) -> None:
    """Apply one document's diff through the actions."""
    document = Document.objects.get(pk=diff.document_id)
    touched = {span.pk for span in diff.removed}
    touched.update(edit.stored.pk for edit in [*diff.relabelled, *diff.edited])
    spans = Annotation.objects.select_related("label", "annotator").in_bulk(touched)
    for link in Relation.objects.filter(pk__in=[link.pk for link in diff.links_removed]):
        delete_relation(relation=link, editor=editor)
    for stored in diff.removed:
        delete_span(span=spans[stored.pk], editor=editor)
    for edit in diff.relabelled:
        span = spans[edit.stored.pk]
        update_span(
            span=span,
            version=span.version,
            label=state.labels[edit.record.label],
            attributes=edit.record.attributes,
            editor=editor,
        )
    for edit in diff.edited:
        span = spans[edit.stored.pk]
        update_span(
            span=span, version=span.version, attributes=edit.record.attributes, editor=editor
        )
    created: dict[str, Annotation] = {}
    for record in diff.added:
        span = create_span(
            document=document,
            label=state.labels[record.label],
            start=record.start,
            end=record.end,
            covered=diff.text[record.start : record.end],
            attributes=record.attributes,
            annotator=state.users[record.annotator] if record.annotator else None,
            uid=record.uid,
            is_gold=record.gold,
            editor=editor,
        )
        if record.uid is not None:
            created[record.uid] = span
    if diff.links_added:
        ends = Annotation.objects.select_related("label", "annotator").in_bulk(
            {ref for _, *pair in diff.links_added for ref in pair if isinstance(ref, int)}
        )

        def span_of(ref: SpanRef) -> Annotation:
            return ends[ref] if isinstance(ref, int) else created[ref[1]]

        for link_type, source, target in diff.links_added:
            source_span = span_of(source)
            create_relation(
                document=document,
                relation_type=link_type,
                source=source_span,
                target=span_of(target),
                annotator=source_span.annotator,
                editor=editor,
            )

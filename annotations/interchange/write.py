"""Write validated import records to the database through the driver's bulk path.

`imports` reads (`read`), validates and plans (`validate`) each chunk of a file; what it
hands here is new documents whose every field has been checked (`validate_record`), so rows
go out as plain tuples (`bulk_insert.insert_rows`) without the ORM's per-row work.

This is the one writer of spans and relations that does not go through the actions
(`annotations.spans`, `annotations.relations`): it was measured (bench/RESULTS.md) and the
actions' per-row work would make a large import several times slower. It skips:
- history rows: simple-history records nothing for imported documents, spans, relations or
  tags. The history page and revert (`teams.history`) rely on that: the first recorded
  change of an imported span, link or document has no record before it, and revert answers
  "nothing earlier is recorded" (NOTHING_EARLIER);
- signals: no `pre_save`/`post_save`, so nothing may hang work on a span's save;
- `clean()` and field validators: `validate` has applied every rule first.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from annotations.models import Annotation, Label, Relation
from corpus.models import Corpus, CorpusTag, Document, TaggedDocument, sha256_hex
from corpus.progress import arrival_status
from corpus.text_quality import detect_mojibake

from .bulk_insert import LOOKUP_CHUNK, insert_rows
from .records import DocumentRecord
from .validate import CorpusState


def resolve_annotators(
    records: list[DocumentRecord], state: CorpusState, *, dry_run: bool = False
) -> list[str]:
    """Map the annotators named by `records` to users; create missing ones inactive.

    Keeping unknown annotators as inactive accounts (no password, cannot log in) keeps an
    export's attribution intact through a re-import; return the names created (in a dry
    run, the names that would be: their users are not saved).
    """
    User = get_user_model()
    names = {span.annotator for record in records for span in record.spans if span.annotator}
    names -= state.users.keys()
    if not names:
        return []
    state.users.update({user.username: user for user in User.objects.filter(username__in=names)})
    created = sorted(names - state.users.keys())
    for name in created:
        user = User(username=name, is_active=False)
        user.set_unusable_password()
        if not dry_run:
            user.save()
        state.users[name] = user
    return created


@dataclass(frozen=True)
class Saved:
    """What saving a chunk of records created (or, in a dry run, would create)."""

    spans: int
    relations: int
    annotators: list[str]
    labels: list[str]


def save_records(records: list[DocumentRecord], state: CorpusState, *, dry_run: bool) -> Saved:
    """Write validated, new records with their spans, relations, tags, labels and annotators.

    Rows go out through the driver's bulk path (`bulk_insert.insert_rows`), which, like
    `bulk_create` before it, skips `clean()`: `validate_record` has checked every row. In a
    dry run nothing is written; the counts and names are what would have been.
    """
    annotators = resolve_annotators(records, state, dry_run=dry_run)
    labels = list(state.new_labels)
    if dry_run:
        state.new_labels.clear()
        spans = sum(len(record.spans) for record in records)
        relations = sum(len(record.relations) for record in records)
        return Saved(spans=spans, relations=relations, annotators=annotators, labels=labels)
    if state.new_labels:
        Label.objects.bulk_create(state.new_labels.values())
        state.new_labels.clear()
    now = timezone.now()
    document_ids = save_documents(records, state.corpus, now=now)
    spans = save_spans(records, document_ids, state, now=now)
    relations = save_relations(records, document_ids, now=now)
    save_tags(records, document_ids, state.corpus)
    return Saved(spans=spans, relations=relations, annotators=annotators, labels=labels)


def save_documents(
    records: list[DocumentRecord], corpus: Corpus, *, now: datetime.datetime
) -> dict[str, int]:
    """Insert a document per record; return the new documents' ids by external id."""
    insert_rows(
        Document,
        DOCUMENT_COLUMNS,
        (
            (
                corpus.pk,
                record.external_id,
                record.title,
                record.text,
                sha256_hex(record.text),
                record.source,
                record.published,
                record.dateline,
                record.url,
                record.language,
                record.metadata,
                record.quality_flags
                if record.quality_flags is not None
                else [flag.as_dict() for flag in detect_mojibake(record.text)],
                arrival_status(with_spans=bool(record.spans)),
                now,
                now,
            )
            for record in records
        ),
    )
    ids: dict[str, int] = {}
    documents = Document.objects.filter(corpus=corpus)
    external_ids = [record.external_id for record in records]
    for i in range(0, len(external_ids), LOOKUP_CHUNK):
        ids.update(
            documents.filter(external_id__in=external_ids[i : i + LOOKUP_CHUNK]).values_list(
                "external_id", "pk"
            )
        )
    return ids


DOCUMENT_COLUMNS = (
    "corpus",
    "external_id",
    "title",
    "text",
    "text_sha256",
    "source",
    "published",
    "dateline",
    "url",
    "language",
    "metadata",
    "quality_flags",
    "status",
    "created_at",
    "updated_at",
)
SPAN_COLUMNS = (
    "uid",
    "document",
    "label",
    "start",
    "end",
    "text",
    "annotator",
    "attributes",
    "is_gold",
    "suggester",
    "suggestion_score",
    "created_at",
    "updated_at",
)


def save_spans(
    records: list[DocumentRecord],
    document_ids: dict[str, int],
    state: CorpusState,
    *,
    now: datetime.datetime,
) -> int:
    """Insert the spans of the records' new documents; return how many."""
    labels = {key: label.pk for key, label in state.labels.items()}
    users = {name: user.pk for name, user in state.users.items()}
    uid_field = Annotation._meta.get_field("uid")
    return insert_rows(
        Annotation,
        SPAN_COLUMNS,
        (
            (
                # A span without an id gets a generated one, each its own.
                span.uid or uid_field.get_default(),
                document_ids[record.external_id],
                labels[span.label],
                span.start,
                span.end,
                record.text[span.start : span.end],
                users[span.annotator] if span.annotator else None,
                span.attributes,
                span.gold,
                span.suggester,
                span.suggestion_score,
                now,
                now,
            )
            for record in records
            for span in record.spans
        ),
    )


def save_relations(
    records: list[DocumentRecord], document_ids: dict[str, int], *, now: datetime.datetime
) -> int:
    """Insert the relations of the records' new documents; return how many."""
    with_relations = [document_ids[record.external_id] for record in records if record.relations]
    if not with_relations:
        return 0
    span_ids: dict[tuple[int, str], int] = {}
    for i in range(0, len(with_relations), LOOKUP_CHUNK):
        rows = Annotation.objects.filter(
            document_id__in=with_relations[i : i + LOOKUP_CHUNK]
        ).values_list("document_id", "uid", "pk")
        span_ids.update(((document_id, uid), pk) for document_id, uid, pk in rows)
    return insert_rows(
        Relation,
        ("document", "type", "source", "target", "created_at"),
        (
            (
                document_id,
                relation.type,
                span_ids[(document_id, relation.source)],
                span_ids[(document_id, relation.target)],
                now,
            )
            for record in records
            if record.relations
            for document_id in (document_ids[record.external_id],)
            for relation in record.relations
        ),
    )


def save_tags(records: list[DocumentRecord], document_ids: dict[str, int], corpus: Corpus) -> None:
    """Tag each new document with its record's tags, creating the corpus's tags as needed.

    Names are matched ignoring case among `corpus`'s tags only, as `document.tags` does.
    """
    names = {name for record in records for name in record.tags}
    if not names:
        return
    lowered = {name.lower() for name in names}
    corpus_tags = CorpusTag.objects.filter(corpus=corpus)
    # SQLite's lower() folds ASCII only, so exact names are matched too ("Émoji").
    candidates = corpus_tags.annotate(lowered=Lower("name")).filter(
        Q(lowered__in=lowered) | Q(name__in=names)
    )
    tags = {name.lower(): pk for name, pk in candidates.values_list("name", "pk")}
    new: dict[str, str] = {}
    for name in sorted(names):
        if name.lower() not in tags:
            new.setdefault(name.lower(), name)
    if new:
        slugs = set(corpus_tags.values_list("slug", flat=True))
        created = CorpusTag.objects.bulk_create(
            CorpusTag(
                corpus=corpus,
                name=name,
                slug=free_slug(name, slugs, max_length=90, fallback="tag"),
            )
            for name in new.values()
        )
        tags.update((tag.name.lower(), tag.pk) for tag in created)
    insert_rows(
        TaggedDocument,
        ("content_object", "tag"),
        (
            (document_ids[record.external_id], tag)
            for record in records
            # "Canada" and "canada" are one tag: link it once.
            for tag in dict.fromkeys(tags[name.lower()] for name in record.tags)
        ),
    )


def free_slug(name: str, taken: set[str], *, max_length: int, fallback: str) -> str:
    """Return a slug for `name` that is not in `taken` ("canada", "canada-2", ...); take it."""
    base = slugify(name)[:max_length] or fallback
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(slug)
    return slug

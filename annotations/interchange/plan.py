"""Plan each chunk of a file against the corpus and the file so far: which records are new,
which are already stored (`update` compares them), which repeat a text of the file, and
which repeat an id with another text (refused).
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from corpus.models import Corpus, Document, sha256_hex

from .attribution import attribute_spans
from .bulk_insert import LOOKUP_CHUNK
from .records import DocumentRecord, ImportProblem
from .update import covered_layers
from .validate import CorpusState, validate_record


def find_existing(corpus: Corpus, records: list[DocumentRecord]) -> tuple[set[str], dict[str, str]]:
    """Return the text digests already in `corpus`, and the digest of each external id in it."""
    if corpus.pk is None:
        return set(), {}
    digests = [sha256_hex(record.text) for record in records]
    ids = [record.external_id for record in records]
    known_digests: set[str] = set()
    digest_by_id: dict[str, str] = {}
    documents = Document.objects.filter(corpus=corpus)
    for i in range(0, len(records), LOOKUP_CHUNK):
        known_digests.update(
            documents.filter(text_sha256__in=digests[i : i + LOOKUP_CHUNK]).values_list(
                "text_sha256", flat=True
            )
        )
        digest_by_id.update(
            documents.filter(external_id__in=ids[i : i + LOOKUP_CHUNK]).values_list(
                "external_id", "text_sha256"
            )
        )
    return known_digests, digest_by_id


@dataclass
class FileState:
    """What planning a file's later chunks must remember of its earlier ones."""

    path: Path
    first_line_of_id: dict[str, int | None] = field(default_factory=dict)
    digests_in_file: set[str] = field(default_factory=set)
    # The layers whose spans the file records (`update.covered_layers`).
    layers: set[tuple[bool, str | None]] = field(default_factory=set)


class PlannedChunk(NamedTuple):
    """A file's chunk, planned: records to create, records of stored texts, repeats."""

    new: list[DocumentRecord]
    # Records whose text is already in the corpus: `update` compares their spans.
    stored: list[DocumentRecord]
    # Records whose text an earlier record of the file already had.
    repeated: int


def plan_chunk(records: list[DocumentRecord], state: CorpusState, seen: FileState) -> PlannedChunk:
    """Return the records of a file's chunk that are new, those already stored, and how
    many repeat a text of the file.

    Earlier chunks of the file are in `seen` (and, unless this is a dry run, already in the
    database inside the file's transaction), so an id or text repeated across chunks is
    treated as if the whole file had been read at once.
    """
    known_digests, digest_by_id = find_existing(state.corpus, records)
    attribute_spans(records, state)
    new: list[DocumentRecord] = []
    stored: list[DocumentRecord] = []
    repeated = 0
    for record in records:
        try:
            validate_record(record, state)
        except ImportProblem as problem:
            raise problem.located(path=seen.path, line=record.line) from None
        digest = sha256_hex(record.text)
        if record.external_id in seen.first_line_of_id:
            raise ImportProblem(
                f"id {record.external_id!r} was already used on line "
                f"{seen.first_line_of_id[record.external_id]}",
                path=seen.path,
                line=record.line,
                field="id",
            )
        seen.first_line_of_id[record.external_id] = record.line
        seen.layers |= covered_layers([record])
        if digest in seen.digests_in_file:
            repeated += 1
            continue
        seen.digests_in_file.add(digest)
        if digest in known_digests:
            stored.append(record)
            continue
        if record.external_id in digest_by_id:
            raise ImportProblem(
                f"id {record.external_id!r} exists in corpus {state.corpus.name!r} with a "
                "different text; a document's text is never replaced by an import",
                path=seen.path,
                line=record.line,
                field="id",
            )
        new.append(record)
    if state.attributable_to is not None:
        check_attribution(new, state, path=seen.path)
    return PlannedChunk(new, stored, repeated)


def check_attribution(records: list[DocumentRecord], state: CorpusState, *, path: Path) -> None:
    """Raise ImportProblem naming every annotator of `records` outside `state.attributable_to`.

    The problem is located at the first span attributed to one of them.
    """
    strangers: dict[str, tuple[int | None, str]] = {}
    for record in records:
        for index, span in enumerate(record.spans):
            if span.annotator and span.annotator not in state.attributable_to:
                strangers.setdefault(span.annotator, (record.line, f"spans[{index}].annotator"))
    if strangers:
        line, field_name = next(iter(strangers.values()))
        raise ImportProblem(
            f"spans are attributed to people who are not members of corpus "
            f"{state.corpus.name!r}: {', '.join(sorted(strangers))}",
            path=path,
            line=line,
            field=field_name,
        )

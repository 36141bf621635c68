"""Plan each chunk of a file against the corpus and the file so far: which records are new,
which are already stored, and which repeat an id with another text (refused).
"""

from dataclasses import dataclass, field
from pathlib import Path

from corpus.models import Corpus, Document, sha256_hex

from .bulk_insert import LOOKUP_CHUNK
from .records import DocumentRecord, ImportProblem
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


def plan_chunk(
    records: list[DocumentRecord], state: CorpusState, seen: FileState
) -> tuple[list[DocumentRecord], int]:
    """Return the records of a file's chunk that are new, and how many are already stored.

    Earlier chunks of the file are in `seen` (and, unless this is a dry run, already in the
    database inside the file's transaction), so an id or text repeated across chunks is
    treated as if the whole file had been read at once.
    """
    known_digests, digest_by_id = find_existing(state.corpus, records)
    new: list[DocumentRecord] = []
    unchanged = 0
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
        if digest in known_digests or digest in seen.digests_in_file:
            unchanged += 1
            continue
        if record.external_id in digest_by_id:
            raise ImportProblem(
                f"id {record.external_id!r} exists in corpus {state.corpus.name!r} with a "
                "different text; a document's text is never replaced by an import",
                path=seen.path,
                line=record.line,
                field="id",
            )
        seen.digests_in_file.add(digest)
        new.append(record)
    if state.attributable_to is not None:
        check_attribution(new, state, path=seen.path)
    return new, unchanged


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

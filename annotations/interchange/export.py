"""Export annotated documents, streaming: memory stays flat however large the corpus."""

import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from annotations.formats import byline, get_format
from annotations.formats.shared import ExportSummary, json_line
from annotations.layers import ALL_LAYERS, layer_filter
from annotations.models import Annotation, Relation
from corpus.models import Document, TaggedDocument

from .records import ExportDocument, ExportRelation, ExportSpan

CHUNK_SIZE = 500
Row = TypeVar("Row", ExportSpan, ExportRelation)


@dataclass(frozen=True)
class ExportSelection:
    """The documents to export, in export order, and the spans of theirs to export."""

    documents: QuerySet[Document]
    spans: QuerySet[Annotation]


def documents_for_export(
    documents: QuerySet[Document],
    *,
    labels: Iterable[str] = (),
    tags: Iterable[str] = (),
    annotator: str | None = None,
    layer: str = ALL_LAYERS,
) -> ExportSelection:
    """Return `documents` in export order, with the spans to export.

    Documents must carry every tag of `tags` (any case). Spans are filtered by `labels`,
    `annotator` and `layer` when given: "all", "gold", or an analyst's username for their
    own layer; relations whose ends were filtered out are dropped by the writer.

    Filtering by labels keeps the speakers of the spans kept: `--label QUOTE` exports each
    quote's speaker span too, so its relation is not silently lost.
    """
    spans = Annotation.objects.filter(layer_filter(layer))
    if labels := list(labels):
        speaker_of_kept = Relation.objects.filter(
            target=OuterRef("pk"), source__label__key__in=labels
        )
        spans = spans.filter(Q(label__key__in=labels) | Exists(speaker_of_kept))
    if annotator is not None:
        spans = spans.filter(annotator__username=annotator)
    for tag in tags:
        documents = documents.filter(tags__name__iexact=tag)
    return ExportSelection(
        documents=documents.order_by("corpus__name", "external_id").distinct(), spans=spans
    )


def check_annotator(username: str) -> None:
    """Raise LookupError unless a user called `username` exists."""
    if not get_user_model().objects.filter(username=username).exists():
        raise LookupError(f"no user called {username!r}")


def iter_export_lines(selection: ExportSelection) -> Iterator[dict[str, Any]]:
    """Yield the Byline line (a dict) of each document, reading a chunk of documents at a time.

    The documents are one query read a chunk at a time; each chunk adds one query for its
    spans, one for its relations and one for its tags. Rows stay tuples named by the fields
    of `records`' NamedTuples (`ExportDocument`, `ExportSpan`, `ExportRelation`): model
    instances (a span, its label and its annotator for every span) and taggit's per-document
    prefetch were 90% of an export's time (bench/RESULTS.md).
    """
    rows = (
        selection.documents.annotate(corpus_name=F("corpus__name"))
        .values_list(*ExportDocument._fields)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    new = tuple.__new__
    while chunk := [new(ExportDocument, row) for row in islice(rows, CHUNK_SIZE)]:
        ids = [row.pk for row in chunk]
        spans = rows_by_document(
            selection.spans.filter(document_id__in=ids)
            .annotate(label_key=F("label__key"), annotator_username=F("annotator__username"))
            .order_by("document_id", "start", "end", "label_key", "uid")
            .values_list(*ExportSpan._fields, named=True),
        )
        relations = rows_by_document(
            Relation.objects.filter(document_id__in=ids)
            .order_by("id")
            .values_list(*ExportRelation._fields, named=True),
        )
        tags = defaultdict(list)
        for document_id, name in TaggedDocument.objects.filter(content_object__in=ids).values_list(
            "content_object", "tag__name"
        ):
            tags[document_id].append(name)
        for row in chunk:
            yield byline.document_line(
                row, spans=spans[row.pk], relations=relations[row.pk], tags=tags[row.pk]
            )


def rows_by_document(rows: Iterable[Row]) -> defaultdict[int, list[Row]]:
    """Return `rows` grouped by their `document_id`, each group in the rows' order.

    The rows are Django's own (`values_list(named=True)` over a NamedTuple's fields): making
    `ExportSpan`s from plain rows kept every span twice, once in the queryset's cache, and the
    extra garbage collection made a SQLite export 6% slower (bench/RESULTS.md).
    """
    groups: defaultdict[int, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row.document_id].append(row)
    return groups


def iter_jsonl_lines(selection: ExportSelection) -> Iterator[bytes]:
    """Yield one Byline JSON line (with its newline) per document, a chunk at a time."""
    for line in iter_export_lines(selection):
        yield json_line(line)


def write_jsonl(selection: ExportSelection, out: BinaryIO) -> int:
    """Write one Byline JSON line per document to `out`; return how many were written."""
    written = 0
    for line in iter_jsonl_lines(selection):
        out.write(line)
        written += 1
    return written


def open_unnamed(folder: Path) -> tuple[int, Path | None]:
    """Return a file descriptor for a new file in `folder`, and its name if it has one.

    On Linux the file is unnamed (O_TMPFILE): killed half-way, the process leaves nothing
    behind. Elsewhere it is a hidden temporary file.
    """
    umask = os.umask(0)
    os.umask(umask)
    try:
        return os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o666 & ~umask), None
    except (AttributeError, OSError):
        descriptor, name = tempfile.mkstemp(dir=folder, prefix=".byline-export.", suffix=".tmp")
        os.chmod(name, 0o666 & ~umask)
        return descriptor, Path(name)


def link_unnamed(descriptor: int, path: Path) -> None:
    """Give the unnamed file open as `descriptor` the name `path`."""
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        # A folder descriptor makes CPython call linkat(AT_SYMLINK_FOLLOW), which resolves
        # /proc/self/fd/N to the open file itself rather than linking the symlink.
        os.link(f"/proc/self/fd/{descriptor}", path.name, dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


def write_atomically(path: Path, write: Callable[[BinaryIO], int]) -> int:
    """Call `write` with a binary file in `path`'s folder, then put it in place as `path`.

    `path` changes only once the file is complete, so a failed or killed export never
    leaves a truncated file behind.
    """
    path = Path(path)
    descriptor, temporary = open_unnamed(path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            count = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
            if temporary is None:
                temporary = path.parent / f".{path.name}.{os.getpid()}.tmp"
                link_unnamed(handle.fileno(), temporary)
        os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
    return count


def export_jsonl(selection: ExportSelection, path: Path) -> int:
    """Write `selection` as Byline JSONL to `path`, atomically; return how many were written."""
    return write_atomically(path, lambda handle: write_jsonl(selection, handle))


def write_export(
    selection: ExportSelection, out: BinaryIO, *, format_name: str = "byline"
) -> ExportSummary:
    """Write `selection` to `out` in the format called `format_name`."""
    return get_format(format_name).write(iter_export_lines(selection), out)


def export_to_path(
    selection: ExportSelection, path: Path, *, format_name: str = "byline"
) -> ExportSummary:
    """Write `selection` to `path` in a format, atomically.

    A folder format (brat) writes a .zip when `path` ends in .zip and a folder otherwise;
    the folder must not exist yet, or be empty.
    """
    fmt = get_format(format_name)
    path = Path(path)
    if fmt.folder and path.suffix.lower() != ".zip":
        return write_folder_atomically(
            path, lambda folder: fmt.write_folder(iter_export_lines(selection), folder)
        )
    summary = ExportSummary()

    def write(handle: BinaryIO) -> int:
        nonlocal summary
        summary = fmt.write(iter_export_lines(selection), handle)
        return summary.documents

    write_atomically(path, write)
    return summary


def write_folder_atomically(path: Path, write: Callable[[Path], ExportSummary]) -> ExportSummary:
    """Call `write` with a hidden folder beside `path`, then rename it to `path`."""
    if path.exists() and not (path.is_dir() and not any(path.iterdir())):
        raise FileExistsError(f"{path} exists and is not an empty folder")
    temporary = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        summary = write(temporary)
        # mkdtemp makes the folder private; the export gets the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o777 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return summary

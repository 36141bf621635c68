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

from annotations.formats import Format, byline, get_export_format
from annotations.formats.shared import ExportFacts, ExportSummary, json_line
from annotations.layers import ALL_LAYERS, RESERVED_LAYER_NAMES, layer_filter
from annotations.models import Annotation, Label, Relation
from annotations.validation import SPEAKER_TARGET_KEYS
from corpus.models import Document, TaggedDocument

from .records import ExportDocument, ExportRelation, ExportSpan

CHUNK_SIZE = 500
Row = TypeVar("Row", ExportSpan, ExportRelation)
# A source of a layer that is no analyst's: given documents in export order and label keys
# (empty for every label), it yields each document's Byline line with that layer's spans.
LayerLines = Callable[[QuerySet[Document], list[str]], Iterator[dict[str, Any]]]
# The sources by layer name. Apps above this one register theirs (assist: "suggestions")
# when they are ready, so that exporting their layer needs no import of them here.
LAYER_SOURCES: dict[str, LayerLines] = {}


def register_layer_source(name: str, lines: LayerLines) -> None:
    """Make `--layer name` export the lines `lines` yields; `name` must be a reserved one."""
    if name not in RESERVED_LAYER_NAMES:
        raise ValueError(f"{name!r} is no reserved layer name: an analyst may be called that")
    LAYER_SOURCES[name] = lines


@dataclass(frozen=True)
class ExportSelection:
    """The documents to export, in export order, and the spans of theirs to export, or the
    layer source (`LAYER_SOURCES`) that writes their lines instead."""

    documents: QuerySet[Document]
    spans: QuerySet[Annotation]
    lines: Callable[[QuerySet[Document]], Iterator[dict[str, Any]]] | None = None


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
    own layer; relations whose ends were filtered out are dropped by the writer. A layer of
    `LAYER_SOURCES` is written by its source, which has no annotator to filter by.

    Filtering by labels keeps the speakers of the spans kept: `--label QUOTE` exports each
    quote's speaker span too, so its relation is not silently lost.
    """
    spans = Annotation.objects.filter(layer_filter(layer))
    source = LAYER_SOURCES.get(layer)
    if labels := list(labels):
        speaker_of_kept = Relation.objects.filter(
            target=OuterRef("pk"), source__label__key__in=labels
        )
        spans = spans.filter(Q(label__key__in=labels) | Exists(speaker_of_kept))
    if annotator is not None:
        spans = spans.filter(annotator__username=annotator)
    for tag in tags:
        documents = documents.filter(tags__name__iexact=tag)
    documents = documents.order_by("corpus__name", "external_id").distinct()
    if source is not None:
        if annotator is not None:
            raise ValueError(f"the {layer} layer has no annotator to filter by")
        return ExportSelection(
            documents=documents,
            spans=spans.none(),
            lines=lambda chosen: source(chosen, labels),
        )
    return ExportSelection(documents=documents, spans=spans)


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
    if selection.lines is not None:
        yield from selection.lines(selection.documents)
        return
    rows = export_document_rows(selection.documents)
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
        tags = tags_by_document(ids)
        for row in chunk:
            yield byline.document_line(
                row, spans=spans[row.pk], relations=relations[row.pk], tags=tags[row.pk]
            )


def export_document_rows(documents: QuerySet[Document]) -> Iterator[tuple]:
    """Return the rows of `documents` with the fields of `ExportDocument`, read in chunks."""
    return (
        documents.annotate(corpus_name=F("corpus__name"))
        .values_list(*ExportDocument._fields)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def tags_by_document(ids: list[int]) -> defaultdict[int, list[str]]:
    """Return the tag names of the documents `ids`, by document id (one query)."""
    tags: defaultdict[int, list[str]] = defaultdict(list)
    for document_id, name in TaggedDocument.objects.filter(content_object__in=ids).values_list(
        "content_object", "tag__name"
    ):
        tags[document_id].append(name)
    return tags


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


def export_facts(selection: ExportSelection) -> ExportFacts:
    """Return what a writer may need of the whole of `selection` before its first line:
    the exported corpora's labels and whether a document can hold a speaker link."""
    documents = selection.documents.order_by().values("pk")
    labels: dict[str, dict[str, str]] = {}
    corpora = selection.documents.order_by().values("corpus_id")
    for key, spec in (
        Label.objects.filter(corpus__in=corpora)
        .order_by("key", "pk")
        .values_list("key", "attribute_spec")
    ):
        labels.setdefault(key, {}).update(spec)
    # validate_relation: a speaker link joins a QUOTE to an ACTOR or ANON_SOURCE.
    may_link = ("QUOTE" in labels and bool(SPEAKER_TARGET_KEYS & labels.keys())) or (
        Relation.objects.filter(document__in=documents).exists()
    )
    return ExportFacts(labels=labels, may_link=may_link)


def writer_options(fmt: Format, selection: ExportSelection) -> dict[str, Any]:
    """Return the keyword arguments `fmt`'s writer takes from facts about `selection`."""
    return fmt.options(export_facts(selection)) if fmt.options else {}


def write_export(
    selection: ExportSelection, out: BinaryIO, *, format_name: str = "byline"
) -> ExportSummary:
    """Write `selection` to `out` in the format called `format_name`.

    A format's companion file (Label Studio's labeling config) has no place in a stream:
    `export_to_path` writes it.
    """
    fmt = get_export_format(format_name)
    return fmt.write(iter_export_lines(selection), out, **writer_options(fmt, selection))


def export_to_path(
    selection: ExportSelection,
    path: Path,
    *,
    format_name: str = "byline",
    on_progress: Callable[[int], None] | None = None,
) -> ExportSummary:
    """Write `selection` to `path` in a format, atomically.

    A folder format (brat) writes a .zip when `path` ends in .zip and a folder otherwise;
    the folder must not exist yet, or be empty. `on_progress(documents)` is called each time
    another chunk of documents has been read for writing (a background job reports it, and
    may raise there to stop: the partial file is then removed). A format with a companion
    file (Label Studio's `label_config.xml`) writes it beside `path`, also atomically.
    """
    fmt = get_export_format(format_name)
    path = Path(path)

    def lines() -> Iterator[dict[str, Any]]:
        if on_progress is None:
            return iter_export_lines(selection)
        return counted(iter_export_lines(selection), on_progress)

    if fmt.folder and path.suffix.lower() != ".zip":
        return write_folder_atomically(path, lambda folder: fmt.write_folder(lines(), folder))
    summary = ExportSummary()
    options = writer_options(fmt, selection)

    def write(handle: BinaryIO) -> int:
        nonlocal summary
        summary = fmt.write(lines(), handle, **options)
        return summary.documents

    write_atomically(path, write)
    if fmt.companion:
        name, content = fmt.companion(export_facts(selection))
        write_atomically(path.parent / name, lambda handle: handle.write(content))
    return summary


def counted(
    lines: Iterator[dict[str, Any]], on_progress: Callable[[int], None]
) -> Iterator[dict[str, Any]]:
    """Yield `lines`, calling `on_progress(count)` after every CHUNK_SIZE and at the end."""
    count = 0
    for line in lines:
        yield line
        count += 1
        if count % CHUNK_SIZE == 0:
            on_progress(count)
    on_progress(count)


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

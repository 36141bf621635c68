"""Export annotated documents, streaming: memory stays flat however large the corpus."""

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import orjson
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from corpus.models import Document

from .formats import byline
from .models import Annotation, Relation

CHUNK_SIZE = 500


def documents_for_export(
    documents: QuerySet[Document],
    *,
    labels: Iterable[str] = (),
    tags: Iterable[str] = (),
    annotator: str | None = None,
) -> QuerySet[Document]:
    """Return `documents` in export order, with the spans and relations to export.

    Each document gets `export_spans` (filtered by `labels` and `annotator` when given) and
    `export_relations`; relations whose ends were filtered out are dropped by the writer.
    """
    spans = Annotation.objects.for_export()
    if labels := list(labels):
        spans = spans.filter(label__key__in=labels)
    if annotator is not None:
        spans = spans.filter(annotator__username=annotator)
    for tag in tags:
        documents = documents.filter(tags__name__iexact=tag)
    return (
        documents.select_related("corpus")
        .order_by("corpus__name", "external_id")
        .distinct()
        .prefetch_related(
            Prefetch("annotations", queryset=spans, to_attr="export_spans"),
            Prefetch(
                "relations", queryset=Relation.objects.order_by("id"), to_attr="export_relations"
            ),
            "tags",
        )
    )


def check_annotator(username: str) -> None:
    """Raise LookupError unless a user called `username` exists."""
    if not get_user_model().objects.filter(username=username).exists():
        raise LookupError(f"no user called {username!r}")


def iter_jsonl_lines(documents: QuerySet[Document]) -> Iterator[bytes]:
    """Yield one Byline JSON line (with its newline) per document, a chunk at a time."""
    for document in documents.iterator(chunk_size=CHUNK_SIZE):
        yield orjson.dumps(byline.document_line(document)) + b"\n"


def write_jsonl(documents: QuerySet[Document], out: BinaryIO) -> int:
    """Write one Byline JSON line per document to `out`; return how many were written."""
    written = 0
    for line in iter_jsonl_lines(documents):
        out.write(line)
        written += 1
    return written


def write_atomically(path: Path, write: Callable[[BinaryIO], int]) -> int:
    """Call `write` with a binary file beside `path`, then rename it into place.

    A failed or killed export leaves at most a hidden temporary file, never a truncated
    `path`.
    """
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            count = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file private; the export gets the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def export_jsonl(documents: QuerySet[Document], path: Path) -> int:
    """Write `documents` as Byline JSONL to `path`, atomically; return how many were written."""
    return write_atomically(path, lambda handle: write_jsonl(documents, handle))

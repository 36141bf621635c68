"""What the format modules share: the export summary, document keys, JSON lines, overlap.

Writers take Byline lines (the dicts of `byline.document_line`), so every format writes
from the same facts; readers build Byline-shaped objects and hand them to
`byline.parse_object`, so the type checks live in one place.
"""

import io
import itertools
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError

from annotations.interchange.records import DocumentRecord, ImportProblem
from annotations.validation import validate_span

# The keys of a Byline line that describe the document, other than its id, text and spans.
DOCUMENT_FIELDS = (
    "title",
    "source",
    "published",
    "dateline",
    "url",
    "language",
    "tags",
    "metadata",
    "quality_flags",
    "text_sha256",
)


@dataclass
class ExportSummary:
    documents: int = 0
    # What a format could not express, one sentence each, for the person exporting.
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExportFacts:
    """What some writers must know of a whole export before its first line."""

    # The labels of the exported corpora, by key, with their attribute specs, in key order.
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    # Whether a document of the export may hold a speaker link: one has a link, or the
    # corpus has labels a link can join.
    may_link: bool = False


# A zip entry read into memory (`read_zip_entry`: a brat document's .txt or .ann) may hold at
# most this much once decompressed: a text of the importer's MAX_TEXT_CHARS (10 million)
# characters of 4 bytes each. Entries unpacked to disk (`copy_zip_entry`: uploads) stream, and
# may be as large as settings.BYLINE_ZIP_ENTRY_MAX_BYTES.
MAX_ZIP_ENTRY_BYTES = 40 * 10**6
# Below this size an entry may inflate any number of times its compressed size (a file of
# blank lines does); above it, settings.BYLINE_ZIP_MAX_RATIO holds.
ZIP_RATIO_GRACE_BYTES = 2**20
# How much `inflate` decompresses at a time.
INFLATE_CHUNK_BYTES = 2**20
# A zip entry's local header: signature, versions, flags, sizes, then the lengths of the name
# and the extra field, which follow it (APPNOTE.TXT 4.3.7).
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")

# JSON lets these stand raw inside strings, but Python's str.splitlines() and some JSON
# Lines readers end a line at each of them (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR).
RAW_LINE_BREAKS = (
    ("\u0085".encode(), b"\\u0085"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def json_line(value: Any) -> bytes:
    """Return `value` as one JSON Lines line: compact UTF-8 JSON and a newline.

    Line-breaking characters inside strings are escaped, so the line is one line to every
    reader, not only to those that split on "\\n".
    """
    line = orjson.dumps(value)
    for raw, escaped in RAW_LINE_BREAKS:
        if raw in line:
            line = line.replace(raw, escaped)
    return line + b"\n"


def write_json_lines(
    lines: Iterable[dict[str, Any]], out: BinaryIO, convert: Callable[[dict[str, Any]], Any]
) -> ExportSummary:
    """Write `convert(line)` for each Byline line, one JSON line per document."""
    summary = ExportSummary()
    for line in lines:
        out.write(json_line(convert(line)))
        summary.documents += 1
    return summary


def read_json_line_documents(
    path: Path, parse: Callable[..., DocumentRecord]
) -> Iterator[DocumentRecord]:
    """Yield `parse(value, default_id=...)` for each line of a JSON Lines file.

    A document without its own id is called `<file stem>-<line>`; problems are located at
    their file and line.
    """
    for number, value in iter_json_lines(path):
        try:
            record = parse(value, default_id=f"{path.stem}-{number}")
        except ImportProblem as problem:
            raise problem.located(path=path, line=number) from None
        record.line = number
        yield record


def document_fields(line: dict[str, Any]) -> dict[str, Any]:
    """Return the document keys of a Byline line (title, source, ..., text_sha256)."""
    return {key: line[key] for key in DOCUMENT_FIELDS}


def iter_json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, decoded value) for each non-blank line of a JSON Lines file."""
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                yield number, orjson.loads(raw)
            except orjson.JSONDecodeError as error:
                raise ImportProblem(f"invalid JSON: {error}", path=path, line=number) from None


def load_json(path: Path) -> Any:
    """Return the decoded JSON document in `path`."""
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as error:
        raise ImportProblem(f"invalid JSON: {error}", path=path) from None


def check_spans(record: DocumentRecord) -> None:
    """Raise ImportProblem unless every span of `record` is a range of its text.

    The importer checks this again with the labels; a reader calls it first so that the
    problem is reported where the reader knows the position best.
    """
    for index, span in enumerate(record.spans):
        try:
            validate_span(record.text, span.start, span.end, span.text)
        except ValidationError as error:
            raise ImportProblem(error.messages[0], field=f"spans[{index}]") from None


def non_overlapping(spans: Iterable[Any], *, start: str = "start", end: str = "end") -> list[Any]:
    """Return the spans one layer can hold: longest first, then earliest, in text order.

    This is spaCy's `filter_spans` rule; `start` and `end` name the offset attributes (or
    keys, for dicts) of the spans.
    """

    def offsets(span: Any) -> tuple[int, int]:
        if isinstance(span, dict):
            return span[start], span[end]
        return getattr(span, start), getattr(span, end)

    chosen: list[tuple[int, int, Any]] = []
    for span in sorted(spans, key=lambda s: (offsets(s)[0] - offsets(s)[1], offsets(s)[0])):
        first, last = offsets(span)
        if all(last <= taken_first or first >= taken_last for taken_first, taken_last, _ in chosen):
            chosen.append((first, last, span))
    return [span for _, _, span in sorted(chosen, key=lambda item: (item[0], item[1]))]


def unknown_keys(obj: dict[str, Any], known: Iterable[str]) -> dict[str, Any]:
    """Return the items of `obj` whose keys are not in `known`, in their order."""
    known = set(known)
    return {key: value for key, value in obj.items() if key not in known}


def inflate(data: bytes, *, limit: int) -> bytearray:
    """Return the zlib stream `data` decompressed; raise ImportProblem if it would decompress
    to more than `limit` bytes, zlib.error if it is not zlib or ends too soon.

    Decompression goes a chunk at a time and stops past the limit, so a few kilobytes that
    would inflate to gigabytes (a zip bomb) cost no more memory than the limit.
    """
    inflater = zlib.decompressobj()
    inflated = bytearray()
    pending = data
    while not inflater.eof:
        piece = inflater.decompress(pending, INFLATE_CHUNK_BYTES)
        if not piece and not inflater.unconsumed_tail:
            raise zlib.error("the compressed data ends too soon")
        inflated += piece
        if len(inflated) > limit:
            raise ImportProblem(f"decompresses to more than the {limit // 2**20} MiB allowed")
        pending = inflater.unconsumed_tail
    return inflated


def check_zip_entries(archive: zipfile.ZipFile) -> None:
    """Raise ImportProblem if two entries of `archive` share bytes.

    Overlapping entries let a few kilobytes stand for gigabytes, each entry quoting the
    next (CVE-2024-0450); zipfile refuses them only from Python 3.11.8, and these machines
    run 3.11.7. An entry spans its local header, its name and extra field, and its
    compressed data.
    """
    spans = []
    for info in archive.infolist():
        archive.fp.seek(info.header_offset)
        header = archive.fp.read(LOCAL_HEADER.size)
        if len(header) < LOCAL_HEADER.size or header[:4] != zipfile.stringFileHeader:
            raise ImportProblem(f"zip entry {info.filename!r} has no local header")
        *_, name_length, extra_length = LOCAL_HEADER.unpack(header)
        end = info.header_offset + LOCAL_HEADER.size + name_length + extra_length
        spans.append((info.header_offset, end + info.compress_size, info.filename))
    spans.sort()
    for (_, end, name), (start, _, next_name) in itertools.pairwise(spans):
        if start < end:
            raise ImportProblem(f"zip entries {name!r} and {next_name!r} overlap")


def megabytes(size: int) -> str:
    return f"{size / 10**6:,.0f} MB"


def check_zip_entry_size(
    info: zipfile.ZipInfo, size: int, *, max_bytes: int, reading: bool = False
) -> None:
    """Raise ImportProblem naming the entry if `size` bytes of it are more than a zip may hold:
    more than BYLINE_ZIP_MAX_RATIO times its compressed size (a bomb: said first, as the
    clearer reason), or more than `max_bytes`.

    `size` is what the entry declares (checked before reading it) or, `reading`, what it has
    inflated to so far (checked while reading, since a declaration can lie).
    """
    max_ratio = settings.BYLINE_ZIP_MAX_RATIO
    if size > ZIP_RATIO_GRACE_BYTES and size > max_ratio * max(info.compress_size, 1):
        raise ImportProblem(
            f"zip entry {info.filename!r} looks like a zip bomb: its {info.compress_size:,} "
            f"compressed bytes inflate to {'at least ' if reading else ''}"
            f"{size:,} ({size // max(info.compress_size, 1):,} times; at most {max_ratio} "
            "times is allowed)"
        )
    if size > max_bytes:
        raise ImportProblem(
            f"zip entry {info.filename!r} decompresses to more than the "
            f"{megabytes(max_bytes)} allowed for one file"
        )


def copy_zip_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, out: BinaryIO, *, max_bytes: int
) -> int:
    """Write the decompressed bytes of one entry to `out`, a chunk at a time; return how many.

    Memory holds one chunk, not the entry. The entry's declared size is checked before it is
    read and the bytes read as they come (`check_zip_entry_size`), so a bomb stops at the
    first chunk past a limit; ImportProblem names it and says which limit.
    """
    check_zip_entry_size(info, info.file_size, max_bytes=max_bytes)
    written = 0
    with archive.open(info) as entry:
        while chunk := entry.read(INFLATE_CHUNK_BYTES):
            written += len(chunk)
            check_zip_entry_size(info, written, max_bytes=max_bytes, reading=True)
            out.write(chunk)
    return written


def read_zip_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Return the decompressed bytes of one entry, which a reader needs whole (one document's
    file); raise ImportProblem past MAX_ZIP_ENTRY_BYTES or the compression ratio allowed."""
    out = io.BytesIO()
    copy_zip_entry(archive, info, out, max_bytes=MAX_ZIP_ENTRY_BYTES)
    return out.getvalue()


def check_entry_name(name: str, archive: Path) -> None:
    """Refuse a zip entry whose name could point outside the folder it would go to."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) or ".." in parts:
        raise ImportProblem(
            f"refusing zip entry {name!r}: absolute paths and '..' could write outside the "
            "target folder (zip slip)",
            path=archive,
        )

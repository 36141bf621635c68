"""brat standoff: for each document a `.txt` (the text, UTF-8, byte for byte) and an `.ann`.

    T1<TAB>QUOTE 40 53<TAB>We are ready.
    T2<TAB>ACTOR 60 71<TAB>Mark Carney
    R1<TAB>speaker Arg1:T1 Arg2:T2
    A1<TAB>approximate T3
    #1<TAB>AnnotatorNotes T3<TAB>unit="USD"

brat counts offsets in characters of the UTF-8 text, i.e. code points, as Python does (its
server is Python; its browser client once miscounted after emoji, brat issue #1115). A span
across a line break is written as brat writes one, as fragments (`40 45;46 53`) whose text
is joined by a space; reading joins fragments again when only line breaks lie between them.
`A` lines record attributes that are true; every other attribute value is an
`AnnotatorNotes` line `name=<JSON value>`, and a comment is a note of its own. Who made a
span, and whether it is in the adjudicated layer, are notes too (`byline:annotator="ana"`,
`byline:gold=true`): brat has no place for them, and without them two analysts' copies of a
span would be one span twice. File names
are the document ids, percent-encoded. An `annotation.conf` declares the labels, relations
and attributes so that brat opens the export as it is.

brat has no place for the document's other keys (title, source, tags, ...) or span ids:
those are lost. Reading, from a folder or a .zip, a zip entry with an absolute
path or `..` is refused (zip slip), and nothing is ever extracted to disk. So are a symbolic
link in a folder (it could point at any file), zip entries that overlap, and an entry that
decompresses to more than `shared.MAX_ZIP_ENTRY_BYTES` or more than BYLINE_ZIP_MAX_RATIO times
its compressed size (zip bombs).
"""

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import quote, unquote

import orjson

from annotations.interchange.records import DocumentRecord, ImportProblem
from annotations.interchange.symlinks import refuse_symlinks

from . import byline
from .shared import (
    ExportSummary,
    check_entry_name,
    check_spans,
    check_zip_entries,
    read_zip_entry,
)

LINE_BREAKS = re.compile(r"[\r\n]+")
ATTRIBUTE_NAME = re.compile(r"[^\s=]+")
NOTE_ATTRIBUTE = re.compile(r"([^\s=]+)=(.*)")
TEXT_BOUND = re.compile(r"(T\d+\S*)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)")
# A fixed timestamp keeps a zip export byte-stable.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Notes that record who made a span and its layer, which brat has no place for.
BYLINE_NOTE = "byline:"


def file_stem(external_id: str) -> str:
    """Return the file name (without suffix) for a document id: percent-encoded, no dot first."""
    stem = quote(external_id, safe="")
    return "%2E" + stem[1:] if stem.startswith(".") else stem


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the pieces of [start, end) between line breaks."""
    pieces, at = [], start
    for match in LINE_BREAKS.finditer(text, start, end):
        if match.start() > at:
            pieces.append((at, match.start()))
        at = match.end()
    if at < end:
        pieces.append((at, end))
    return pieces


def note_for(name: str, value: Any) -> str:
    """Return the AnnotatorNotes text recording one attribute."""
    if name == "comment" and isinstance(value, str) and is_plain_note(value):
        return value
    if not ATTRIBUTE_NAME.fullmatch(name):
        return orjson.dumps({name: value}).decode()
    return f"{name}={orjson.dumps(value).decode()}"


def is_plain_note(value: str) -> bool:
    """Return whether a comment reads back as itself when written as a bare note."""
    return (
        value == value.strip()
        and value != ""
        and not LINE_BREAKS.search(value)
        and not value.startswith("{")
        and not NOTE_ATTRIBUTE.fullmatch(value)
    )


def ann_lines(line: dict[str, Any], summary: ExportSummary) -> list[str]:
    """Return the .ann lines of one document."""
    text, numbers = line["text"], {}
    texts, relations, attributes, notes = [], [], [], []
    for span in line["spans"]:
        pieces = fragments(text, span["start"], span["end"])
        if not pieces or pieces[0][0] != span["start"] or pieces[-1][1] != span["end"]:
            summary.warnings.append(
                f"{line['id']}: {span['label']} [{span['start']}, {span['end']}) begins or ends "
                "with a line break, which brat cannot hold; "
                + ("written without it" if pieces else "left out")
            )
            if not pieces:
                continue
        numbers[span["id"]] = number = f"T{len(numbers) + 1}"
        offsets = ";".join(f"{first} {last}" for first, last in pieces)
        covered = " ".join(text[first:last] for first, last in pieces)
        texts.append(f"{number}\t{span['label']} {offsets}\t{covered}")
        for name, value in span["attributes"].items():
            if value is True and ATTRIBUTE_NAME.fullmatch(name):
                attributes.append(f"A{len(attributes) + 1}\t{name} {number}")
            else:
                notes.append(f"#{len(notes) + 1}\tAnnotatorNotes {number}\t{note_for(name, value)}")
        for key, value in (("annotator", span["annotator"]), ("gold", span.get("gold"))):
            if value:
                notes.append(
                    f"#{len(notes) + 1}\tAnnotatorNotes {number}\t"
                    f"{BYLINE_NOTE}{key}={orjson.dumps(value).decode()}"
                )
    for relation in line["relations"]:
        if relation["from"] in numbers and relation["to"] in numbers:
            relations.append(
                f"R{len(relations) + 1}\t{relation['type']} "
                f"Arg1:{numbers[relation['from']]} Arg2:{numbers[relation['to']]}"
            )
    return texts + relations + attributes + notes


class Configuration:
    """What annotation.conf must declare for brat to show the export."""

    def __init__(self) -> None:
        self.labels: set[str] = set()
        self.relations: dict[str, tuple[set[str], set[str]]] = {}
        self.attributes: dict[str, set[str]] = {}

    def add(self, line: dict[str, Any]) -> None:
        labels = {span["id"]: span["label"] for span in line["spans"]}
        self.labels.update(labels.values())
        for span in line["spans"]:
            for name, value in span["attributes"].items():
                if value is True and ATTRIBUTE_NAME.fullmatch(name):
                    self.attributes.setdefault(name, set()).add(span["label"])
        for relation in line["relations"]:
            sources, targets = self.relations.setdefault(relation["type"], (set(), set()))
            sources.add(labels[relation["from"]])
            targets.add(labels[relation["to"]])

    def text(self) -> str:
        lines = ["[entities]", *sorted(self.labels), "", "[relations]"]
        lines += [
            f"{kind}\tArg1:{'|'.join(sorted(sources))}, Arg2:{'|'.join(sorted(targets))}"
            for kind, (sources, targets) in sorted(self.relations.items())
        ]
        # Byline spans may nest and overlap; brat refuses that unless told.
        lines += ["<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]"]
        lines += ["", "[attributes]"]
        lines += [
            f"{name}\tArg:{'|'.join(sorted(labels))}"
            for name, labels in sorted(self.attributes.items())
        ]
        return "\n".join(lines) + "\n"


def brat_files(
    lines: Iterable[dict[str, Any]], summary: ExportSummary
) -> Iterator[tuple[str, bytes]]:
    """Yield (file name, content) for every document, then annotation.conf."""
    configuration = Configuration()
    for line in lines:
        stem = file_stem(line["id"])
        yield f"{stem}.txt", line["text"].encode()
        yield f"{stem}.ann", "".join(f"{ann}\n" for ann in ann_lines(line, summary)).encode()
        configuration.add(line)
        summary.documents += 1
    yield "annotation.conf", configuration.text().encode()


def write_brat(lines: Iterable[dict[str, Any]], out: BinaryIO) -> ExportSummary:
    """Write the documents as a .zip of brat files."""
    summary = ExportSummary()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in brat_files(lines, summary):
            entry = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, content)
    return summary


def write_brat_folder(lines: Iterable[dict[str, Any]], folder: Path) -> ExportSummary:
    """Write the documents as brat files into `folder`."""
    summary = ExportSummary()
    for name, content in brat_files(lines, summary):
        (folder / name).write_bytes(content)
    return summary


def read_brat(path: Path) -> Iterator[DocumentRecord]:
    """Yield the documents of a brat folder or .zip, in file-name order."""
    if path.is_dir():
        found = sorted(path.rglob("*"))
        refuse_symlinks(found, below=path)
        files = {
            file.relative_to(path).as_posix(): file
            for file in found
            if file.is_file() and not file.name.startswith(".")
        }
        yield from read_documents(files.keys(), lambda name: files[name].read_bytes(), path)
        return
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                check_zip_entries(archive)
            except ImportProblem as problem:
                raise problem.located(path=path) from None
            entries = {info.filename: info for info in archive.infolist() if not info.is_dir()}
            for name in entries:
                check_entry_name(name, path)
            names = [name for name in entries if not PurePosixPath(name).name.startswith(".")]
            yield from read_documents(names, partial(read_entry, archive, entries, path), path)
    except zipfile.BadZipFile as error:
        raise ImportProblem(f"not a brat folder or .zip ({error})", path=path) from None


def read_entry(
    archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo], path: Path, name: str
) -> bytes:
    """Return the bytes of the entry `name`, refusing one too large to hold in memory."""
    try:
        return read_zip_entry(archive, entries[name])
    except ImportProblem as problem:
        raise problem.located(path=path / name) from None


def read_documents(
    names: Iterable[str], read: Callable[[str], bytes], root: Path
) -> Iterator[DocumentRecord]:
    """Yield a record for each .txt among `names`, with the spans of its .ann, if any."""
    names = set(names)
    texts = sorted(name for name in names if name.endswith(".txt"))
    for name in sorted(names):
        if name.endswith(".ann") and name.removesuffix(".ann") + ".txt" not in names:
            raise ImportProblem("has no .txt beside it", path=root / name)
    for name in texts:
        stem = name.removesuffix(".txt")
        try:
            text = read(name).decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportProblem(f"not UTF-8: {error.reason}", path=root / name) from None
        ann = f"{stem}.ann"
        content = read(ann) if ann in names else b""
        external_id = "/".join(unquote(part) for part in stem.split("/"))
        yield parse_ann(content, text, external_id=external_id, path=root / ann)


def parse_ann(content: bytes, text: str, *, external_id: str, path: Path) -> DocumentRecord:
    """Return the document with the text `text` and the annotations of one .ann file."""
    spans: dict[str, dict[str, Any]] = {}
    relations, comments = [], {}
    try:
        lines = content.decode("utf-8").split("\n")
    except UnicodeDecodeError as error:
        raise ImportProblem(f"not UTF-8: {error.reason}", path=path) from None
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        try:
            if not line.strip():
                continue
            if line.startswith("T"):
                span = parse_text_bound(line, text)
                spans[span["id"]] = span
            elif line.startswith("R"):
                relations.append(parse_relation(line, spans))
            elif line.startswith("A") or line.startswith("M"):
                name, value, target = parse_attribute(line, spans)
                target["attributes"][name] = value
            elif line.startswith("#"):
                parse_note(line, spans, comments)
            else:
                raise ImportProblem(
                    f"{line.split(chr(9))[0]!r}: only T, R, A and # lines can be imported "
                    "(not events, normalisations or equivalences)"
                )
        except ImportProblem as problem:
            raise problem.located(path=path, line=number) from None
    for span_id, notes in comments.items():
        spans[span_id]["attributes"]["comment"] = "\n".join(notes)
    try:
        record = byline.parse_object(
            {"id": external_id, "text": text, "spans": list(spans.values()), "relations": relations}
        )
        check_spans(record)
    except ImportProblem as problem:
        raise problem.located(path=path) from None
    return record


def parse_text_bound(line: str, text: str) -> dict[str, Any]:
    """Return the span of a T line, joining fragments that only line breaks separate."""
    match = TEXT_BOUND.fullmatch(line)
    if match is None:
        raise ImportProblem("expected 'T<n><TAB>LABEL START END<TAB>TEXT'")
    span_id, label, offsets, covered = match.groups()
    pieces = [tuple(map(int, piece.split())) for piece in offsets.split(";")]
    for (_, last), (first, _) in zip(pieces, pieces[1:], strict=False):
        if last > first or LINE_BREAKS.sub("", text[last:first]):
            raise ImportProblem(
                f"{span_id} is discontinuous ({offsets}); Byline spans are one range of text"
            )
    start, end = pieces[0][0], pieces[-1][1]
    if end > len(text) or " ".join(text[first:last] for first, last in pieces) != covered:
        raise ImportProblem(
            f"{span_id} [{start}, {end}) covers {text[start:end]!r} in the .txt, not {covered!r}"
        )
    return {"id": span_id, "start": start, "end": end, "label": label, "attributes": {}}


def parse_relation(line: str, spans: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return the relation of an R line between two earlier T lines."""
    match = re.fullmatch(r"(R\d+\S*)\t(\S+) Arg1:(\S+) Arg2:(\S+)\s*", line)
    if match is None:
        raise ImportProblem("expected 'R<n><TAB>TYPE Arg1:T<n> Arg2:T<n>'")
    _, kind, source, target = match.groups()
    for end in (source, target):
        if end not in spans:
            raise ImportProblem(f"no text-bound annotation {end!r} before this line")
    return {"type": kind, "from": source, "to": target}


def parse_attribute(line: str, spans: dict[str, dict[str, Any]]) -> tuple[str, Any, dict]:
    """Return the name, value and span of an A line (true, or the value given)."""
    match = re.fullmatch(r"([AM]\d+\S*)\t(\S+) (\S+)(?: (\S+))?\s*", line)
    if match is None:
        raise ImportProblem("expected 'A<n><TAB>NAME T<n> [VALUE]'")
    _, name, target, value = match.groups()
    if target not in spans:
        raise ImportProblem(f"attributes can only be imported for spans, not {target!r}")
    return name, True if value is None else value, spans[target]


def parse_note(line: str, spans: dict[str, dict[str, Any]], comments: dict[str, list[str]]) -> None:
    """Record an AnnotatorNotes line as an attribute (`name=JSON`) or a comment."""
    match = re.fullmatch(r"(#\d*\S*)\t(\S+) (\S+)\t?(.*)", line)
    if match is None:
        raise ImportProblem("expected '#<n><TAB>AnnotatorNotes T<n><TAB>NOTE'")
    _, _, target, note = match.groups()
    if target not in spans:
        raise ImportProblem(f"notes can only be imported for spans, not {target!r}")
    attributes = spans[target]["attributes"]
    if named := NOTE_ATTRIBUTE.fullmatch(note):
        try:
            value = orjson.loads(named.group(2))
        except orjson.JSONDecodeError:
            pass
        else:
            name = named.group(1)
            if name in (f"{BYLINE_NOTE}annotator", f"{BYLINE_NOTE}gold"):
                spans[target][name.removeprefix(BYLINE_NOTE)] = value
            else:
                attributes[name] = value
            return
    if note.startswith("{"):
        try:
            value = orjson.loads(note)
        except orjson.JSONDecodeError:
            value = None
        if isinstance(value, dict):
            attributes.update(value)
            return
    comments.setdefault(target, []).append(note)

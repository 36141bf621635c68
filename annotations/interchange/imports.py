"""Import news articles into a corpus: plain-text files, Byline JSONL and other tools' formats.

Each file is read, validated and written a chunk of records at a time, all in one
transaction, so memory stays flat, a file is imported entirely or not at all, and a re-run
adds nothing.
"""

import codecs
import glob
import itertools
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from annotations.formats import get_format
from annotations.labels import create_news_labels
from annotations.models import Annotation, Relation
from annotations.validation import (
    span_layer,
    validate_annotator_name,
    validate_attributes,
    validate_relation,
    validate_same_layer,
    validate_span,
    validate_storable_text,
)
from corpus.models import Corpus, Document, TaggedDocument, sha256_hex
from corpus.news_metadata import extract_news_metadata
from corpus.text_quality import detect_mojibake

from .bulk_insert import analyze_tables, batched
from .records import DocumentRecord, ImportProblem
from .symlinks import refuse_symlinks
from .write import (
    LOOKUP_CHUNK,
    CorpusState,
    free_slug,
    resolve_annotators,
    save_records,
)

TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl"}
IMPORTABLE_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES
GLOB_MAGIC = re.compile(r"[*?[]")
# charset-normalizer's "chaos" is the share of the decoded text that looks like noise.
MAX_GUESSED_ENCODING_CHAOS = 0.05
# Records read, validated and written at a time: memory holds one chunk, not the file.
# At most LOOKUP_CHUNK keeps each id lookup to one query.
BATCH_SIZE = 900
# A news article is rarely over 100,000 characters; far larger input is a mistake or an attack.
MAX_TEXT_CHARS = 10_000_000
# orjson writes at most 254 levels; stay well inside so every import can be exported again.
MAX_JSON_DEPTH = 64
MAX_TAG_CHARS = 100
# Rows a file must write before PostgreSQL's planner statistics are refreshed (bench/RESULTS.md:
# right after a bulk import the planner picks sequential scans for per-document lookups).
ANALYZE_AFTER_ROWS = 5_000


@dataclass
class FileOutcome:
    path: Path
    created: int = 0
    unchanged: int = 0
    spans: int = 0
    relations: int = 0
    problem: ImportProblem | None = None


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    created_annotators: list[str] = field(default_factory=list)
    created_labels: list[str] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(outcome.created for outcome in self.files)

    @property
    def unchanged(self) -> int:
        return sum(outcome.unchanged for outcome in self.files)

    @property
    def spans(self) -> int:
        return sum(outcome.spans for outcome in self.files)

    @property
    def relations(self) -> int:
        return sum(outcome.relations for outcome in self.files)

    @property
    def failures(self) -> list[FileOutcome]:
        return [outcome for outcome in self.files if outcome.problem]


def get_or_create_corpus(name: str, *, dry_run: bool = False) -> Corpus:
    """Return the corpus called `name`, creating it with the news labels if it is new.

    In a dry run a new corpus is returned unsaved (its `pk` is None); an import into it
    checks the records against the news labels it would be given.
    """
    corpus = Corpus.objects.filter(name=name).first()
    if corpus is None and dry_run:
        return Corpus(name=name)
    if corpus is None:
        with transaction.atomic():
            corpus = Corpus.objects.create(
                name=name,
                slug=free_slug(
                    name,
                    set(Corpus.objects.values_list("slug", flat=True)),
                    max_length=190,
                    fallback="corpus",
                ),
            )
            create_news_labels(corpus)
    return corpus


def expand_paths(arguments: Iterable[str], *, format_name: str | None = None) -> list[Path]:
    """Return the importable files named by `arguments`: files, folders (recursive), globs.

    Without a format, folders are searched for .txt and .jsonl files; with one, for files
    with its suffix. A folder format (brat) takes each folder or .zip as one input.
    """
    fmt = get_format(format_name) if format_name else None
    suffixes = {fmt.suffix} if fmt else IMPORTABLE_SUFFIXES
    whole_folders = fmt is not None and fmt.folder
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir() and whole_folders:
            found.append(path)
        elif path.is_dir():
            entries = sorted(path.rglob("*"))
            refuse_symlinks(entries, below=path)
            found.extend(p for p in entries if p.is_file() and is_importable(p, suffixes))
        elif path.is_file():
            found.append(path)
        else:
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True))
            if not matches:
                raise ImportProblem("no such file, folder or glob match", path=argument)
            refuse_symlinks(matches, below=glob_root(argument))
            found.extend(
                p
                for p in matches
                if (p.is_file() and is_importable(p, suffixes)) or (whole_folders and p.is_dir())
            )
    return list(dict.fromkeys(found))


def glob_root(pattern: str) -> Path:
    """Return the folder a glob pattern searches: its path up to the first wildcard."""
    fixed = itertools.takewhile(lambda part: not GLOB_MAGIC.search(part), Path(pattern).parts)
    return Path(*fixed)


def is_importable(path: Path, suffixes: Collection[str] = IMPORTABLE_SUFFIXES) -> bool:
    return path.suffix.lower() in suffixes and not path.name.startswith(".")


def decode_article(data: bytes) -> tuple[str, dict[str, object], list[dict[str, object]]]:
    """Return the text of an article file, what decoding it took, and encoding flags.

    UTF-8 is taken as it is (a BOM is dropped and CRLF becomes LF, both recorded). Anything
    else is decoded only when charset-normalizer is confident, and flagged.
    """
    if not data.strip():
        raise ImportProblem("file is empty")
    decoding: dict[str, object] = {"encoding": "utf-8"}
    flags: list[dict[str, object]] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        decoding["bom"] = True
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        text, decoding["encoding"] = guess_decoding(data, error)
        flags.append(
            {
                "start": 0,
                "end": len(text),
                "kind": "encoding_guessed",
                "note": (
                    f"file is not valid UTF-8 (byte {error.start}); decoded as "
                    f"{decoding['encoding']} by charset-normalizer"
                ),
                "suggestion": None,
            }
        )
    if "\x00" in text:
        raise ImportProblem("file looks binary: it contains NUL characters")
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
        decoding["newline"] = "crlf"
    if not text.strip():
        raise ImportProblem("file has no text")
    return text, decoding, flags


def guess_decoding(data: bytes, error: UnicodeDecodeError) -> tuple[str, str]:
    """Return `data` decoded by charset-normalizer and the encoding, or raise if unsure.

    Unsure means noisy, or several encodings fit equally well but read the bytes differently
    (French cp1252 also fits cp1250, which turns "prêts" into "pręts").
    """
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportProblem("file looks binary: it contains NUL bytes")
    matches = list(charset_normalizer.from_bytes(data))
    best = matches[0] if matches else None
    if best is None or best.chaos > MAX_GUESSED_ENCODING_CHAOS:
        raise ImportProblem(
            f"not valid UTF-8 ({error.reason} at byte {error.start}) and no other encoding "
            "fits; convert the file to UTF-8"
        )
    rivals = {
        match.encoding: str(match)
        for match in matches
        if match.chaos <= best.chaos + 0.01 and match.coherence >= best.coherence - 0.05
    }
    if len(set(rivals.values())) > 1:
        raise ImportProblem(
            f"not valid UTF-8 ({error.reason} at byte {error.start}) and it reads differently "
            f"as {', '.join(sorted(rivals))}; convert the file to UTF-8"
        )
    return str(best).removeprefix("\ufeff"), best.encoding


def read_text_article(path: Path) -> DocumentRecord:
    """Return the document in a plain-text article file, with news metadata and quality flags."""
    text, decoding, flags = decode_article(path.read_bytes())
    news = extract_news_metadata(text)
    metadata: dict[str, object] = {"import": {"file": path.name, **decoding}}
    if news.copyright_year:
        metadata["copyright_year"] = news.copyright_year
    if news.notes:
        metadata["extraction_notes"] = dict(news.notes)
    return DocumentRecord(
        external_id=path.stem,
        text=text,
        title=news.title,
        source=news.source or "",
        published=news.published,
        dateline=news.dateline or "",
        metadata=metadata,
        quality_flags=flags + [flag.as_dict() for flag in detect_mojibake(text)],
    )


def read_records(path: Path, *, format_name: str | None = None) -> list[DocumentRecord]:
    """Return every document in the file (or brat folder) at `path`, or raise ImportProblem."""
    records = list(iter_records(path, format_name=format_name))
    if not records:
        raise ImportProblem("file has no documents")
    return records


def iter_records(path: Path, *, format_name: str | None = None) -> Iterator[DocumentRecord]:
    """Yield the documents in the file (or brat folder) at `path` as they are read.

    Without a format the suffix decides: .txt is one plain-text article, .jsonl Byline JSONL.
    Any other format is read by its module in `annotations.formats`. A file the reader
    cannot open or parse raises ImportProblem when that point is reached.
    """
    suffix = path.suffix.lower()
    if format_name is None:
        if suffix in TEXT_SUFFIXES:
            format_name = "text"
        elif suffix in JSONL_SUFFIXES:
            format_name = "byline"
        else:
            raise ImportProblem(
                f"unsupported file type {suffix or '(none)'}; use "
                f"{', '.join(sorted(IMPORTABLE_SUFFIXES))} or choose a format"
            )
    try:
        if format_name == "text":
            yield read_text_article(path)
        else:
            yield from get_format(format_name).iter_read(path)
    except OSError as error:
        raise ImportProblem(f"cannot read file: {error.strerror}") from None
    except LookupError as error:
        raise ImportProblem(str(error)) from None


def json_depth(value: object) -> int:
    """Return how deeply `value` nests lists and objects (a scalar is 0), level by level."""
    depth, level = 0, [value]
    while containers := [item for item in level if isinstance(item, dict | list)]:
        depth += 1
        level = [
            child
            for item in containers
            for child in (item.values() if isinstance(item, dict) else item)
        ]
    return depth


def check_lengths(record: DocumentRecord) -> None:
    """Raise ImportProblem for a value longer than its column (PostgreSQL would refuse it)."""
    limits = {"id": (record.external_id, 255), "title": (record.title, 500)}
    limits |= {name: (getattr(record, name), 255) for name in ("source", "dateline")}
    limits |= {"url": (record.url, 2000), "language": (record.language, 35)}
    for name, (value, limit) in limits.items():
        if len(value) > limit:
            raise ImportProblem(
                f"is {len(value)} characters long; the limit is {limit}", field=name
            )
    for index, tag in enumerate(record.tags):
        if len(tag) > MAX_TAG_CHARS:
            raise ImportProblem(
                f"is longer than {MAX_TAG_CHARS} characters", field=f"tags[{index}]"
            )
        try:
            validate_storable_text(tag, what="tag")
        except ValidationError as error:
            raise ImportProblem(error.messages[0], field=f"tags[{index}]") from None
    for index, span in enumerate(record.spans):
        if span.uid is not None and not 0 < len(span.uid) <= 64:
            raise ImportProblem("must have 1 to 64 characters", field=f"spans[{index}].id")
        if span.annotator is not None and not 0 < len(span.annotator) <= 150:
            raise ImportProblem("must have 1 to 150 characters", field=f"spans[{index}].annotator")


def validate_record(record: DocumentRecord, state: CorpusState) -> None:
    """Raise ImportProblem (naming the field) unless `record` can be saved as it is."""
    if not record.external_id.strip():
        raise ImportProblem("must not be empty", field="id")
    if not record.text:
        raise ImportProblem("must not be empty", field="text")
    if len(record.text) > MAX_TEXT_CHARS:
        raise ImportProblem(
            f"has {len(record.text):,} characters; a document may have {MAX_TEXT_CHARS:,}",
            field="text",
        )
    if "\x00" in record.text:
        raise ImportProblem("contains NUL characters, which cannot be stored", field="text")
    check_lengths(record)
    if record.url and not record.url.lower().startswith(("http://", "https://")):
        raise ImportProblem("must be an http:// or https:// URL", field="url")
    if json_depth(record.metadata) > MAX_JSON_DEPTH:
        raise ImportProblem(f"nests deeper than {MAX_JSON_DEPTH} levels", field="metadata")
    if record.text_sha256 is not None and record.text_sha256 != sha256_hex(record.text):
        raise ImportProblem("does not match the SHA-256 of text", field="text_sha256")
    for index, flag in enumerate(record.quality_flags or []):
        try:
            validate_span(record.text, flag["start"], flag["end"])
        except ValidationError as error:
            raise ImportProblem(error.messages[0], field=f"quality_flags[{index}]") from None
    spans_by_uid = {}
    seen = set()
    for index, span in enumerate(record.spans):
        where = f"spans[{index}]"
        try:
            validate_span(record.text, span.start, span.end, span.text)
            label = state.label(span.label)
            validate_attributes(span.attributes, label.attribute_spec, label_key=label.key)
        except ValidationError as error:
            raise ImportProblem(error.messages[0], field=where) from None
        except ImportProblem as problem:
            raise ImportProblem(problem.message, field=f"{where}.label") from None
        if span.annotator is not None:
            try:
                validate_annotator_name(span.annotator)
            except ValidationError as error:
                raise ImportProblem(error.messages[0], field=f"{where}.annotator") from None
        if span.uid is not None:
            if span.uid in spans_by_uid:
                raise ImportProblem(f"span id {span.uid!r} is used twice", field=f"{where}.id")
            spans_by_uid[span.uid] = span
        # The gold layer holds a range once whoever adjudicated it; analysts' layers once each.
        identity = (span.label, span.start, span.end, span_layer(span.gold, span.annotator))
        if identity in seen:
            raise ImportProblem(
                "duplicates an earlier span (same label, range, annotator, layer)", field=where
            )
        seen.add(identity)
    for index, relation in enumerate(record.relations):
        where = f"relations[{index}]"
        ends = []
        for end_name, uid in (("from", relation.source), ("to", relation.target)):
            if uid not in spans_by_uid:
                raise ImportProblem(
                    f"no span with id {uid!r} in this document", field=f"{where}.{end_name}"
                )
            ends.append(spans_by_uid[uid])
        if relation.type not in Relation.Type.values:
            raise ImportProblem(f"unknown relation type {relation.type!r}", field=f"{where}.type")
        try:
            validate_relation(
                relation_type=relation.type,
                source_document_id=0,
                target_document_id=0,
                source_label_key=ends[0].label,
                target_label_key=ends[1].label,
            )
            validate_same_layer(
                source_layer=span_layer(ends[0].gold, ends[0].annotator),
                target_layer=span_layer(ends[1].gold, ends[1].annotator),
            )
        except ValidationError as error:
            raise ImportProblem(error.messages[0], field=where) from None


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


def import_paths(
    paths: Iterable[Path],
    *,
    corpus: Corpus,
    create_labels: bool = False,
    dry_run: bool = False,
    format_name: str | None = None,
    attributable_to: Collection[str] | None = None,
    on_writing: Callable[[Path, int], None] | None = None,
    on_file_done: Callable[[FileOutcome], None] | None = None,
) -> ImportReport:
    """Import every file in `paths` into `corpus`, each whole or not at all.

    `format_name` names the format of every file (see `annotations.formats`); without it
    the suffix decides. With `attributable_to` (usernames), a file whose spans name any
    other annotator fails, and no account is created; without it, unknown annotators become
    inactive accounts. `on_writing(path, written)` is called each time a chunk of a file's
    documents has been written (not yet committed), with the file's total so far;
    `on_file_done(outcome)` when the file is finished either way.
    """
    report = ImportReport()
    state = CorpusState(corpus, create_labels=create_labels, attributable_to=attributable_to)
    for path in paths:
        outcome = FileOutcome(path=path)
        try:
            annotators, labels = import_file(
                path,
                state,
                outcome,
                dry_run=dry_run,
                format_name=format_name,
                on_writing=on_writing,
            )
        except (ImportProblem, IntegrityError, DataError) as failure:
            outcome.created = outcome.spans = outcome.relations = outcome.unchanged = 0
            outcome.problem = (
                failure.located(path=path)
                if isinstance(failure, ImportProblem)
                else ImportProblem(f"the database refused the file: {failure}", path=path)
            )
            # Labels and users named by a failed file were never saved (or were rolled back).
            state = CorpusState(
                corpus, create_labels=create_labels, attributable_to=attributable_to
            )
        else:
            report.created_annotators += annotators
            report.created_labels += labels
            rows = outcome.created + outcome.spans + outcome.relations
            if not dry_run and rows > ANALYZE_AFTER_ROWS:
                analyze_tables([Document, Annotation, Relation, TaggedDocument])
        report.files.append(outcome)
        if on_file_done:
            on_file_done(outcome)
    return report


def import_file(
    path: Path,
    state: CorpusState,
    outcome: FileOutcome,
    *,
    dry_run: bool,
    format_name: str | None,
    on_writing: Callable[[Path, int], None] | None,
) -> tuple[list[str], list[str]]:
    """Import one file a chunk at a time into `outcome`, in one transaction.

    Memory holds one chunk of records, not the file. Any problem in any chunk (a broken last
    line, an id first used in an earlier chunk, a refused row) raises and rolls back the
    whole file. Return the annotators and labels created.
    """
    annotators: list[str] = []
    labels: list[str] = []
    seen = FileState(path=path)
    read = 0
    with transaction.atomic():
        for records in batched(iter_records(path, format_name=format_name), BATCH_SIZE):
            read += len(records)
            new, unchanged = plan_chunk(records, state, seen)
            outcome.unchanged += unchanged
            outcome.created += len(new)
            if not new:
                continue
            annotators += resolve_annotators(new, state, dry_run=dry_run)
            labels += list(state.new_labels)
            if dry_run:
                state.new_labels.clear()
                outcome.spans += sum(len(record.spans) for record in new)
                outcome.relations += sum(len(record.relations) for record in new)
                continue
            spans, relations = save_records(new, state)
            outcome.spans += spans
            outcome.relations += relations
            if on_writing:
                on_writing(path, outcome.created)
        if not read:
            raise ImportProblem("file has no documents")
    return annotators, labels

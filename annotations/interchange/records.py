"""What an importer reads from a file, before anything touches the database, and the rows
an export reads from the database.

Every reader (plain text, our JSONL, other tools' formats) produces `DocumentRecord`s; one
writer validates and saves them, so the rules live in one place whatever the format. The
exporter reads `ExportDocument`, `ExportSpan` and `ExportRelation` rows, which
`formats.byline.document_line` turns into a Byline line.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple


class ImportProblem(Exception):
    """A reason a file cannot be imported, located as precisely as the reader knows."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.field = field

    def located(
        self, *, path: Path | str | None = None, line: int | None = None
    ) -> "ImportProblem":
        """Return this problem with the file and line filled in where they were unknown."""
        return ImportProblem(
            self.message,
            path=self.path or path,
            line=self.line or line,
            field=self.field,
        )

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.path, self.line) if part is not None)
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what}" if where else what


@dataclass
class SpanRecord:
    uid: str | None
    start: int
    end: int
    label: str
    text: str | None = None
    annotator: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    # Part of the adjudicated gold layer rather than the annotator's own layer.
    gold: bool = False
    # The suggester the span was accepted from, and its score ("" and None: made by hand).
    suggester: str = ""
    suggestion_score: float | None = None
    # The file records no annotator for the span: another tool's user made it there. An
    # import acting for a user (`--as-user`) attributes it to them.
    unclaimed: bool = False
    # Who made it in the other tool, by e-mail (Label Studio's `completed_by`): the import
    # attributes it to the Byline user with that address, if one has it.
    annotator_email: str | None = None
    # The attributes were recorded under another label (relabelled in another tool): those
    # the new label does not allow are dropped, as a relabel in Byline drops them.
    loose_attributes: bool = False
    # Where the reader found the span, when the file has no lines ("tasks[2].annotations[0]
    # .result[3] (region 'r7')"); problems name it instead of `spans[i]`.
    where: str | None = None


@dataclass
class RelationRecord:
    type: str
    source: str
    target: str


@dataclass
class DocumentRecord:
    external_id: str
    text: str
    title: str = ""
    source: str = ""
    published: datetime.date | None = None
    dateline: str = ""
    url: str = ""
    language: str = ""
    tags: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    quality_flags: list[dict[str, Any]] | None = None
    spans: list[SpanRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    # The digest the input claims for its text, checked on import when present.
    text_sha256: str | None = None
    line: int | None = None
    # Where the reader found the document, when the file has no lines ("tasks[2]").
    where: str | None = None


class ExportDocument(NamedTuple):
    """A document as the exporter reads it: each field names the column or annotation."""

    pk: int
    corpus_name: str
    external_id: str
    title: str
    source: str
    published: datetime.date | None
    dateline: str
    url: str
    language: str
    metadata: dict[str, Any]
    quality_flags: list[dict[str, Any]]
    text: str
    text_sha256: str


class ExportSpan(NamedTuple):
    """A span as the exporter reads it: each field names the column or annotation."""

    document_id: int
    pk: int
    uid: str
    start: int
    end: int
    label_key: str
    text: str
    annotator_username: str | None
    attributes: dict[str, Any]
    is_gold: bool
    suggester: str
    suggestion_score: float | None


class ExportRelation(NamedTuple):
    """A relation as the exporter reads it: each field names the column."""

    document_id: int
    source_id: int
    target_id: int
    type: str

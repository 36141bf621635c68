"""Import news articles into a corpus: plain-text files, Byline JSONL and other tools' formats.

`run_import` is the one entry point (the `import_documents` command calls it, and so will a
background job). Each file goes `read` -> `validate` -> `write` a chunk of records at a
time, all in one transaction, so memory stays flat, a file is imported entirely or not at
all, and a re-run adds nothing. A document whose text is already stored but whose spans
differ is reported as changed (`update`), and with `update=True` the changes are applied.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import DataError, IntegrityError, transaction

from annotations.formats import get_format
from annotations.labels import create_news_labels
from annotations.models import Annotation, Relation, TaggedString
from corpus.models import Corpus, Document, TaggedDocument

from .bulk_insert import analyze_tables, batched
from .plan import FileState, check_attribution, plan_chunk
from .read import expand_paths, iter_records
from .records import DocumentRecord, ImportProblem
from .update import DocumentDiff, apply_diffs, diff_records
from .update_report import Changes
from .validate import CorpusState
from .write import free_slug, save_records

# Records read, validated and written at a time: memory holds one chunk, not the file.
# At most bulk_insert.LOOKUP_CHUNK keeps each id lookup to one query.
BATCH_SIZE = 900
# Rows a file must write before PostgreSQL's planner statistics are refreshed (bench/RESULTS.md:
# right after a bulk import the planner picks sequential scans for per-document lookups).
ANALYZE_AFTER_ROWS = 5_000


@dataclass
class FileOutcome:
    """What importing one file created, found already stored, or why it failed."""

    path: Path
    created: int = 0
    unchanged: int = 0
    spans: int = 0
    relations: int = 0
    problem: ImportProblem | None = None
    # Stored documents the file brings with other spans, and how (applied with `update`).
    diffs: list[DocumentDiff] = field(default_factory=list)
    updated: bool = False

    @property
    def changed(self) -> int:
        return len(self.diffs)


@dataclass
class ImportReport:
    """What an import created (in a dry run, would create), file by file."""

    corpus: Corpus
    files: list[FileOutcome] = field(default_factory=list)
    created_annotators: list[str] = field(default_factory=list)
    created_labels: list[str] = field(default_factory=list)

    @property
    def corpus_is_new(self) -> bool:
        """Whether the corpus does not exist yet: a dry run would create it."""
        return self.corpus.pk is None

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
    def changed(self) -> int:
        return sum(outcome.changed for outcome in self.files)

    @property
    def changes(self) -> Changes:
        return Changes.of(diff for outcome in self.files for diff in outcome.diffs)

    @property
    def diffs(self) -> list[DocumentDiff]:
        return [diff for outcome in self.files for diff in outcome.diffs]

    @property
    def failures(self) -> list[FileOutcome]:
        return [outcome for outcome in self.files if outcome.problem]


@dataclass(frozen=True)
class ImportProgress:
    """How far an import has got: sent after each chunk written and each file finished."""

    path: Path
    files_done: int
    files_total: int
    # Documents of `path` written so far, inside its transaction (not yet committed).
    written: int
    # Set once `path` is finished, imported or failed.
    outcome: FileOutcome | None = None


def run_import(
    arguments: Iterable[str | Path],
    *,
    corpus: Corpus | str,
    format_name: str | None = None,
    create_labels: bool = False,
    dry_run: bool = False,
    attributable_to: Collection[str] | None = None,
    on_progress: Callable[[ImportProgress], None] | None = None,
    update: bool = False,
    acting_user: str | None = None,
) -> ImportReport:
    """Import the files, folders (recursive) and globs in `arguments` into `corpus`.

    `corpus` is a corpus or the name of one, created with the news labels if it is new; a
    dry run creates nothing, and reports what it would. Raise ImportProblem when an argument
    names nothing or no importable file is found; a file that fails is in the report's
    `failures`, and nothing of it is written. See `import_paths` for the other arguments.
    """
    paths = expand_paths([str(argument) for argument in arguments], format_name=format_name)
    if not paths:
        wanted = get_format(format_name).suffix if format_name else ".txt, .jsonl or .html"
        raise ImportProblem(f"no {wanted} files found in the given paths")
    if isinstance(corpus, str):
        corpus = get_or_create_corpus(corpus, dry_run=dry_run)
    return import_paths(
        paths,
        corpus=corpus,
        create_labels=create_labels,
        dry_run=dry_run,
        format_name=format_name,
        attributable_to=attributable_to,
        on_progress=on_progress,
        update=update,
        acting_user=acting_user,
    )


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


def import_paths(
    paths: Iterable[Path],
    *,
    corpus: Corpus,
    create_labels: bool = False,
    dry_run: bool = False,
    format_name: str | None = None,
    attributable_to: Collection[str] | None = None,
    on_progress: Callable[[ImportProgress], None] | None = None,
    update: bool = False,
    acting_user: str | None = None,
) -> ImportReport:
    """Import every file in `paths` into `corpus`, each whole or not at all.

    `format_name` names the format of every file (see `annotations.formats`); without it
    the suffix decides. With `attributable_to` (usernames), a file whose spans name any
    other annotator fails, and no account is created; without it, unknown annotators become
    inactive accounts. `on_progress` is called each time a chunk of a file's documents has
    been written (not yet committed) and when a file is finished either way.

    A document whose text is stored already but whose spans differ is reported in its file's
    `diffs`; `update` applies them through the actions (`update.apply_diffs`), with history
    rows naming `acting_user` (a username) as the editor. Spans another tool's user added
    (unclaimed) are attributed to `acting_user`.
    """
    paths = list(paths)
    report = ImportReport(corpus=corpus)

    def fresh_state() -> CorpusState:
        return CorpusState(
            corpus,
            create_labels=create_labels,
            attributable_to=attributable_to,
            acting_user=acting_user,
        )

    state = fresh_state()
    editor = get_user_model().objects.get_by_natural_key(acting_user) if acting_user else None

    def tell(path: Path, written: int, outcome: FileOutcome | None = None) -> None:
        if on_progress:
            on_progress(ImportProgress(path, len(report.files), len(paths), written, outcome))

    for path in paths:
        outcome = FileOutcome(path=path)
        try:
            annotators, labels = import_file(
                path,
                state,
                outcome,
                dry_run=dry_run,
                format_name=format_name,
                on_written=lambda written, path=path: tell(path, written),
                update=update,
                editor=editor,
            )
        except (ImportProblem, IntegrityError, DataError) as failure:
            record_failure(outcome, failure)
            # Labels and users named by a failed file were never saved (or were rolled back).
            state = fresh_state()
        else:
            report.created_annotators += annotators
            report.created_labels += labels
            rows = outcome.created + outcome.spans + outcome.relations
            if not dry_run and rows > ANALYZE_AFTER_ROWS:
                analyze_tables([Document, Annotation, Relation, TaggedDocument, TaggedString])
        report.files.append(outcome)
        tell(path, outcome.created, outcome)
    return report


def record_failure(outcome: FileOutcome, failure: Exception) -> None:
    """Say in `outcome` why its file failed; zero its counts, since nothing of it was kept."""
    outcome.created = outcome.spans = outcome.relations = outcome.unchanged = 0
    outcome.diffs, outcome.updated = [], False
    outcome.problem = (
        failure.located(path=outcome.path)
        if isinstance(failure, ImportProblem)
        else ImportProblem(f"the database refused the file: {failure}", path=outcome.path)
    )


def import_file(
    path: Path,
    state: CorpusState,
    outcome: FileOutcome,
    *,
    dry_run: bool,
    format_name: str | None,
    on_written: Callable[[int], None] | None = None,
    update: bool = False,
    editor=None,
) -> tuple[list[str], list[str]]:
    """Import one file a chunk at a time into `outcome`, in one transaction.

    Each chunk is read, validated and planned against what is stored (`plan_chunk`), and its
    new records written (`save_records`; in a dry run, only counted). Memory holds one chunk
    of records, not the file. Any problem in any chunk (a broken last line, an id first used
    in an earlier chunk, a refused row) raises and rolls back the whole file. Records of
    stored texts are compared with what is stored (`update.diff_records`); once the whole
    file is read, the differences in the layers it covers are kept in `outcome.diffs`, and
    applied with `update` (`editor` is who the history names). Return the annotators and
    labels created.
    """
    annotators: list[str] = []
    labels: list[str] = []
    seen = FileState(path=path)
    read = stored = 0
    diffs: list[DocumentDiff] = []
    with transaction.atomic():
        for records in batched(iter_records(path, format_name=format_name), BATCH_SIZE):
            read += len(records)
            planned = plan_chunk(records, state, seen)
            new = planned.new
            outcome.unchanged += planned.repeated
            stored += len(planned.stored)
            diffs += diff_records(planned.stored, state)
            outcome.created += len(new)
            if not new:
                continue
            saved = save_records(new, state, dry_run=dry_run)
            annotators += saved.annotators
            labels += saved.labels
            outcome.spans += saved.spans
            outcome.relations += saved.relations
            if on_written and not dry_run:
                on_written(outcome.created)
        if not read:
            raise ImportProblem("file has no documents")
        outcome.diffs = [diff for diff in diffs if diff.within(seen.layers)]
        outcome.unchanged += stored - len(outcome.diffs)
        if state.attributable_to is not None:
            # Only spans an update adds bring attribution in; the others keep theirs.
            added = [
                DocumentRecord(
                    external_id=diff.external_id, text="", spans=diff.added, line=diff.line
                )
                for diff in outcome.diffs
            ]
            check_attribution(added, state, path=path)
        if update and outcome.diffs and not dry_run:
            try:
                apply_diffs(outcome.diffs, state, editor=editor)
            except ImportProblem as problem:
                raise problem.located(path=path) from None
            outcome.updated = True
    return annotators, labels

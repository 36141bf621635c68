import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.formats import IMPORT_FORMATS
from annotations.interchange.imports import ImportProgress, run_import
from annotations.interchange.records import ImportProblem
from annotations.interchange.update_report import describe
from annotations.labels import NEWS_LABELS
from corpus.access import corpus_for_command, may_manage, member_usernames


class Command(BaseCommand):
    help = (
        "Import news articles into a corpus: .txt files (one article each) and Byline .jsonl "
        "files, or with --format the files of another tool, given as files, folders "
        "(recursive) or globs. Each file is imported whole or not at all; re-importing the "
        "same texts adds nothing, and a stored text that comes with other spans (edited in "
        "another tool) is reported as changed, and updated with --update."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--corpus", required=True, help="Corpus name; created if new.")
        parser.add_argument(
            "--create-labels",
            action="store_true",
            help="Add labels the input uses that the corpus lacks, instead of failing.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate everything, write nothing."
        )
        parser.add_argument(
            "--format",
            choices=list(IMPORT_FORMATS),
            help="Format of every input: "
            + "; ".join(f"{fmt.name}: {fmt.description}" for fmt in IMPORT_FORMATS.values())
            + ". Default: by suffix, .txt one article, .jsonl Byline JSONL, .html a web page.",
        )
        parser.add_argument(
            "--as-user",
            metavar="USERNAME",
            help="Act for this user: only an existing corpus they manage can be imported into, "
            "and spans only attributed to its members. Spans the file does not attribute "
            "(added in doccano or Label Studio) are attributed to this user.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Apply the changes to documents already in the corpus (spans added, "
            "relabelled, edited and removed in the layers the file covers, links), through "
            "the same checks and history as an edit. With --dry-run, print them.",
        )

    def handle(self, *args, **options):
        corpus, attributable_to, acting_user = options["corpus"], None, None
        if options["as_user"]:
            try:
                corpus = corpus_for_command(
                    options["corpus"], as_user=options["as_user"], allowed=may_manage
                )
            except LookupError as error:
                raise CommandError(str(error)) from None
            attributable_to = member_usernames(corpus)
            acting_user = options["as_user"]
        bar = None

        def on_progress(progress: ImportProgress) -> None:
            nonlocal bar
            if bar is None:
                bar = progress_bar(progress.files_total, shown=self.on_terminal())
            if progress.outcome is not None:
                bar.update()
            else:
                bar.set_postfix_str(f"{progress.path.name}: {progress.written} documents")
                if options["verbosity"] >= 2:
                    # Printed per chunk: a large file is written in many, in one transaction.
                    self.stdout.write(
                        f"writing {progress.path}: {progress.written} documents so far"
                    )
                    self.stdout.flush()

        try:
            report = run_import(
                options["paths"],
                corpus=corpus,
                format_name=options["format"],
                create_labels=options["create_labels"],
                dry_run=options["dry_run"],
                attributable_to=attributable_to,
                on_progress=on_progress,
                update=options["update"],
                acting_user=acting_user,
            )
        except ImportProblem as problem:
            raise CommandError(str(problem)) from None
        finally:
            if bar is not None:
                bar.close()
        self.write_report(report, verb="would create" if options["dry_run"] else "created")
        self.write_changes(report, update=options["update"], dry_run=options["dry_run"])

    def write_changes(self, report, *, update: bool, dry_run: bool) -> None:
        if not report.changed:
            return
        if dry_run:
            for diff in report.diffs:
                where = f"line {diff.line}" if diff.line else (diff.where or "")
                self.stdout.write(f"{diff.external_id} ({where}):")
                for change in describe(diff):
                    self.stdout.write(f"  {change}")
        if update and not dry_run:
            self.stdout.write(f"updated {report.changed} documents: {report.changes}")
        elif update:
            self.stdout.write(f"would update {report.changed} documents: {report.changes}")
        else:
            self.stdout.write(
                f"not applied: {report.changed} documents differ from the corpus; "
                "import again with --update to apply the changes (--dry-run to see them)"
            )

    def on_terminal(self) -> bool:
        """Whether a person watches: the output and the bar's stream are terminals, not a
        pipe, a file or a test's buffer."""
        return self.stdout.isatty() and sys.stderr.isatty()

    def write_report(self, report, *, verb: str) -> None:
        for outcome in report.failures:
            self.stderr.write(f"error: {outcome.problem}")
        if report.corpus_is_new:
            labels = ", ".join(definition.key for definition in NEWS_LABELS)
            self.stdout.write(f"{verb} corpus {report.corpus.name!r} with labels {labels}")
        if report.created_labels:
            self.stdout.write(f"{verb} labels: {', '.join(report.created_labels)}")
        if report.created_annotators:
            self.stdout.write(
                f"{verb} inactive accounts for unknown annotators (they cannot log in): "
                + ", ".join(report.created_annotators)
            )
        self.stdout.write(
            f"{report.corpus.name}: {verb} {report.created} documents "
            f"({report.spans} spans, {report.relations} relations), "
            f"unchanged {report.unchanged}, "
            + (f"changed {report.changed}: {report.changes}, " if report.changed else "")
            + f"failed files {len(report.failures)} of {len(report.files)}"
        )
        if report.failures:
            raise CommandError(
                f"{len(report.failures)} file(s) failed; nothing of them was imported"
            )


def progress_bar(files_total: int, *, shown: bool) -> tqdm:
    """Return a bar of the files imported, drawn on stderr so stdout keeps only the report;
    its postfix names the file being written and its documents so far."""
    return tqdm(total=files_total, unit="file", disable=not shown, file=sys.stderr, leave=False)

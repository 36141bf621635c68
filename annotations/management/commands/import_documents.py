import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.formats import FORMATS
from annotations.interchange.imports import expand_paths, get_or_create_corpus, import_paths
from annotations.interchange.records import ImportProblem
from annotations.labels import NEWS_LABELS
from teams.access import corpus_for_command, may_manage, member_usernames


class Command(BaseCommand):
    help = (
        "Import news articles into a corpus: .txt files (one article each) and Byline .jsonl "
        "files, or with --format the files of another tool, given as files, folders "
        "(recursive) or globs. Each file is imported whole or not at all; re-importing the "
        "same texts adds nothing."
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
            choices=list(FORMATS),
            help="Format of every input: "
            + "; ".join(f"{fmt.name}: {fmt.description}" for fmt in FORMATS.values())
            + ". Default: by suffix, .txt one article, .jsonl Byline JSONL.",
        )
        parser.add_argument(
            "--as-user",
            metavar="USERNAME",
            help="Act for this user: only an existing corpus they manage can be imported into, "
            "and spans only attributed to its members.",
        )

    def report_writing(self, path, written: int) -> None:
        # Printed per chunk: a large file is written in many, all in one transaction.
        self.stdout.write(f"writing {path}: {written} documents so far")
        self.stdout.flush()

    def handle(self, *args, **options):
        try:
            paths = expand_paths(options["paths"], format_name=options["format"])
        except ImportProblem as problem:
            raise CommandError(str(problem)) from None
        if not paths:
            wanted = FORMATS[options["format"]].suffix if options["format"] else ".txt or .jsonl"
            raise CommandError(f"no {wanted} files found in the given paths")
        attributable_to = None
        if options["as_user"]:
            try:
                corpus = corpus_for_command(
                    options["corpus"], as_user=options["as_user"], allowed=may_manage
                )
            except LookupError as error:
                raise CommandError(str(error)) from None
            attributable_to = member_usernames(corpus)
        else:
            corpus = get_or_create_corpus(options["corpus"], dry_run=options["dry_run"])
        with tqdm(
            total=len(paths), unit="file", disable=not sys.stderr.isatty() or len(paths) < 20
        ) as progress:
            report = import_paths(
                paths,
                corpus=corpus,
                create_labels=options["create_labels"],
                dry_run=options["dry_run"],
                format_name=options["format"],
                attributable_to=attributable_to,
                on_writing=self.report_writing if options["verbosity"] >= 2 else None,
                on_file_done=lambda outcome: progress.update(),
            )
        verb = "would create" if options["dry_run"] else "created"
        for outcome in report.failures:
            self.stderr.write(f"error: {outcome.problem}")
        if corpus.pk is None:
            labels = ", ".join(definition.key for definition in NEWS_LABELS)
            self.stdout.write(f"{verb} corpus {corpus.name!r} with labels {labels}")
        if report.created_labels:
            self.stdout.write(f"{verb} labels: {', '.join(report.created_labels)}")
        if report.created_annotators:
            self.stdout.write(
                f"{verb} inactive accounts for unknown annotators (they cannot log in): "
                + ", ".join(report.created_annotators)
            )
        self.stdout.write(
            f"{corpus.name}: {verb} {report.created} documents "
            f"({report.spans} spans, {report.relations} relations), "
            f"unchanged {report.unchanged}, failed files {len(report.failures)} "
            f"of {len(report.files)}"
        )
        if report.failures:
            raise CommandError(
                f"{len(report.failures)} file(s) failed; nothing of them was imported"
            )

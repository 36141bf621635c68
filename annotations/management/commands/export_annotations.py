from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.exporters import (
    check_annotator,
    documents_for_export,
    export_jsonl,
    iter_jsonl_lines,
)
from corpus.models import Corpus


class Command(BaseCommand):
    help = (
        "Export a corpus as Byline JSONL, one document per line. The file is written beside "
        "its destination and renamed at the end, so a failed export leaves no partial file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True, help="Corpus name.")
        parser.add_argument(
            "--output", "-o", default="-", help="File to write, or - for stdout (default)."
        )
        parser.add_argument(
            "--label", action="append", default=[], help="Only spans with this label key."
        )
        parser.add_argument(
            "--tag", action="append", default=[], help="Only documents with this tag."
        )
        parser.add_argument("--annotator", help="Only spans by this username.")

    def handle(self, *args, **options):
        corpus = Corpus.objects.filter(name=options["corpus"]).first()
        if corpus is None:
            raise CommandError(f"no corpus called {options['corpus']!r}")
        unknown = set(options["label"]) - set(corpus.labels.values_list("key", flat=True))
        if unknown:
            raise CommandError(f"corpus {corpus.name!r} has no label {', '.join(sorted(unknown))}")
        if options["annotator"]:
            try:
                check_annotator(options["annotator"])
            except LookupError as error:
                raise CommandError(str(error)) from None
        documents = documents_for_export(
            corpus.documents.all(),
            labels=options["label"],
            tags=options["tag"],
            annotator=options["annotator"],
        )
        if options["output"] == "-":
            for line in iter_jsonl_lines(documents):
                self.stdout.write(line.decode(), ending="")
            return
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"folder {output.parent} does not exist")
        count = export_jsonl(documents, output)
        self.stderr.write(f"wrote {count} documents to {output}")

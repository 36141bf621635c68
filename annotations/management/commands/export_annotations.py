from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from annotations.formats import FORMATS
from annotations.interchange.export import (
    check_annotator,
    documents_for_export,
    export_to_path,
    write_export,
)
from annotations.layers import ALL_LAYERS, RESERVED_LAYER_NAMES, layer_analyst
from corpus.access import corpus_for_command, may_manage


class TextStream:
    """A binary stream that writes into a command's (text) stdout."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, data: bytes) -> int:
        # Every writer writes whole encoded lines or objects, so each chunk decodes alone.
        self.out.write(data.decode(), ending="")
        return len(data)


class Command(BaseCommand):
    help = (
        "Export a corpus, by default as Byline JSONL (one document per line), or with --format "
        "in another tool's format. A file is written beside its destination and renamed at the "
        "end, so a failed export leaves no partial file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True, help="Corpus name.")
        parser.add_argument(
            "--output",
            "-o",
            default="-",
            help="File to write, or - for stdout (default); for brat a folder or a .zip.",
        )
        parser.add_argument(
            "--format",
            choices=list(FORMATS),
            default="byline",
            help="; ".join(f"{fmt.name}: {fmt.description}" for fmt in FORMATS.values()),
        )
        parser.add_argument(
            "--label",
            action="append",
            default=[],
            help="Only spans with this label key (and the speaker spans of their relations).",
        )
        parser.add_argument(
            "--tag", action="append", default=[], help="Only documents with this tag."
        )
        parser.add_argument("--annotator", help="Only spans by this username.")
        parser.add_argument(
            "--layer",
            default=ALL_LAYERS,
            help="all (default), gold (the adjudicated layer), suggestions (the machine "
            "layer, never part of all), or an analyst's username.",
        )
        parser.add_argument(
            "--as-user",
            metavar="USERNAME",
            help="Act for this user: only corpora they manage can be exported.",
        )

    def handle(self, *args, **options):
        fmt = FORMATS[options["format"]]
        try:
            corpus = corpus_for_command(
                options["corpus"], as_user=options["as_user"], allowed=may_manage
            )
        except LookupError as error:
            raise CommandError(str(error)) from None
        unknown = set(options["label"]) - set(corpus.labels.values_list("key", flat=True))
        if unknown:
            raise CommandError(f"corpus {corpus.name!r} has no label {', '.join(sorted(unknown))}")
        named = {options["annotator"], layer_analyst(options["layer"])}
        for username in named - {None, *RESERVED_LAYER_NAMES}:
            try:
                check_annotator(username)
            except LookupError as error:
                raise CommandError(str(error)) from None
        try:
            documents = documents_for_export(
                corpus.documents.all(),
                labels=options["label"],
                tags=options["tag"],
                annotator=options["annotator"],
                layer=options["layer"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["output"] == "-":
            if fmt.binary:
                raise CommandError(f"the {fmt.name} format is binary; give --output")
            summary = write_export(documents, TextStream(self.stdout), format_name=fmt.name)
            for warning in summary.warnings:
                self.stderr.write(f"warning: {warning}")
            return
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"folder {output.parent} does not exist")
        try:
            summary = export_to_path(documents, output, format_name=fmt.name)
        except FileExistsError as error:
            raise CommandError(str(error)) from None
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stderr.write(f"wrote {summary.documents} documents to {output}")

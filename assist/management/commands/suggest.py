import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.interchange.export import check_annotator
from annotations.layers import ALL_LAYERS, GOLD_LAYER, SUGGESTIONS_LAYER
from assist.suggest import suggest_documents
from corpus.access import corpus_for_command, may_manage


class Command(BaseCommand):
    help = (
        "Make a corpus's suggestions again: run the suggesters over each document and replace "
        "its suggestions (of the labels given), then print how many were made per label."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True, help="Corpus name.")
        parser.add_argument(
            "--label", action="append", default=None, help="Only this label key (repeatable)."
        )
        parser.add_argument(
            "--document", action="append", type=int, default=None, help="Only this document id."
        )
        parser.add_argument(
            "--propagate-from",
            metavar="LAYER",
            help="Propose the strings this layer tags at their other occurrences: gold, all, "
            "or an analyst's username.",
        )
        parser.add_argument(
            "--as-user",
            metavar="USERNAME",
            help="Act for this user: only corpora they manage.",
        )

    def handle(self, *args, **options):
        try:
            corpus = corpus_for_command(
                options["corpus"], as_user=options["as_user"], allowed=may_manage
            )
        except LookupError as error:
            raise CommandError(str(error)) from None
        layer = options["propagate_from"]
        if layer is not None and layer.lower() == SUGGESTIONS_LAYER:
            raise CommandError("propagate from a human layer: gold, all or an analyst's username")
        if layer is not None and layer not in (GOLD_LAYER, ALL_LAYERS):
            try:
                check_annotator(layer)
            except LookupError as error:
                raise CommandError(str(error)) from None
        bar = None

        def on_progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="doc", disable=not sys.stderr.isatty())
            bar.update(done - bar.n)

        started = time.perf_counter()
        try:
            report = suggest_documents(
                corpus=corpus,
                labels=options["label"],
                document_ids=options["document"],
                propagate_from=layer,
                on_progress=on_progress,
            )
        except LookupError as error:
            raise CommandError(str(error)) from None
        finally:
            if bar is not None:
                bar.close()
        seconds = time.perf_counter() - started
        for key in sorted(report.counts):
            self.stdout.write(f"{key}: {report.counts[key]}")
        self.stdout.write(
            f"{report.total} suggestions in {report.documents} documents ({seconds:.1f} s)"
        )

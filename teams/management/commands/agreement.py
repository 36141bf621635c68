from django.core.management.base import BaseCommand, CommandError

from corpus.access import corpus_for_command, may_review
from teams.corpus_agreement import corpus_agreement


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Print inter-annotator agreement for a corpus: per pair of analysts and per label, "
        "span F1 (exact and overlap match) and Cohen's kappa on token labels."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True)
        parser.add_argument("--label", action="append", default=[], help="Only this label.")
        parser.add_argument(
            "--as-user",
            metavar="USERNAME",
            help="Act for this user: only corpora they review or manage.",
        )

    def handle(self, *args, **options):
        try:
            corpus = corpus_for_command(
                options["corpus"], as_user=options["as_user"], allowed=may_review
            )
        except LookupError as error:
            raise CommandError(str(error)) from None
        rows = corpus_agreement(corpus, labels=options["label"] or None)
        header = ("label", "pair", "docs", "spans_a", "spans_b", "f1_exact", "f1_overlap", "kappa")
        self.stdout.write("{:<14} {:<24} {:>5} {:>8} {:>8} {:>9} {:>10} {:>7}".format(*header))
        for row in rows:
            score = row.score
            self.stdout.write(
                f"{row.label:<14} {row.annotator_a + ' ~ ' + row.annotator_b:<24} "
                f"{row.documents:>5} {score.spans_a:>8} {score.spans_b:>8} "
                f"{fmt(score.f1_exact):>9} {fmt(score.f1_overlap):>10} {fmt(score.kappa):>7}"
            )
        if not rows:
            self.stdout.write("no two analysts have annotated the same document yet")

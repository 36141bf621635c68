import json

from django.core.management.base import BaseCommand, CommandError

from assist.candidates import LABELS
from assist.scoring import evaluate, exclude_places, format_table
from assist.scoring_layers import load_layer
from corpus.access import corpus_for_command, may_manage


class Command(BaseCommand):
    help = (
        "Score one layer of a corpus against another: per label precision, recall and F1 for "
        "exact and overlap matches (one-to-one), speaker accuracy, and FIGURE value/unit "
        "accuracy. See assist/scoring.py for the definitions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True, help="Corpus name.")
        parser.add_argument(
            "--reference", required=True, help="The layer taken as right: gold or a username."
        )
        parser.add_argument(
            "--candidate",
            required=True,
            help="The layer scored: gold, a username, or a machine layer such as suggestions.",
        )
        parser.add_argument(
            "--label",
            action="append",
            choices=LABELS,
            help="Only this label (repeatable); default all four.",
        )
        parser.add_argument(
            "--exclude",
            metavar="LAYER",
            help="Leave out, from both layers, the spans at the places of this layer's spans "
            "(propagation is scored on the mentions the analyst has not tagged).",
        )
        parser.add_argument("--json", action="store_true", help="Print the scores as JSON.")
        parser.add_argument(
            "--as-user",
            metavar="USERNAME",
            help="Act for this user: only a corpus they manage can be scored.",
        )

    def handle(self, *args, **options):
        try:
            corpus = corpus_for_command(
                options["corpus"], as_user=options["as_user"], allowed=may_manage
            )
            reference = load_layer(corpus, options["reference"])
            candidate = load_layer(corpus, options["candidate"])
            if options["exclude"]:
                excluded = load_layer(corpus, options["exclude"])
                reference = exclude_places(reference, excluded)
                candidate = exclude_places(candidate, excluded)
        except (LookupError, ValueError) as error:
            raise CommandError(str(error)) from None
        result = evaluate(reference, candidate, labels=options["label"] or LABELS)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "corpus": corpus.name,
                        "reference": options["reference"],
                        "candidate": options["candidate"],
                        "exclude": options["exclude"],
                        **result.as_dict(),
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(
            f"{corpus.name}: {options['candidate']} scored against {options['reference']}\n"
        )
        self.stdout.write(format_table(result))

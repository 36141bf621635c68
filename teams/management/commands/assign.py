from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from corpus.models import Corpus
from teams.assignment import assign_round_robin


class Command(BaseCommand):
    help = (
        "Assign a corpus's documents to annotators in turn, N annotators per document. "
        "Existing assignments are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True)
        parser.add_argument("--annotators", nargs="+", required=True, metavar="USERNAME")
        parser.add_argument("--per-document", type=int, default=1)

    def handle(self, *args, **options):
        corpus = Corpus.objects.filter(name=options["corpus"]).first()
        if corpus is None:
            raise CommandError(f"no corpus called {options['corpus']!r}")
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=options["annotators"])
        }
        if missing := [name for name in options["annotators"] if name not in users]:
            raise CommandError(f"no user called {', '.join(missing)}")
        try:
            created = assign_round_robin(
                corpus=corpus,
                annotators=[users[name] for name in options["annotators"]],
                per_document=options["per_document"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{corpus.name}: created {created} assignments")

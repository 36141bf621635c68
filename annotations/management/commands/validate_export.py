from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.formats.byline_checks import check_byline_file


class Command(BaseCommand):
    help = (
        "Check a Byline JSONL file against docs/byline-export.schema.json and the offset "
        "invariants (text_sha256, text[start:end] == span text, sorted spans, relation ends). "
        "Prints FILE:LINE: FIELD: reason for each problem and exits non-zero if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no file {path}")
        problems = 0
        for problem in check_byline_file(path):
            self.stdout.write(str(problem))
            problems += 1
        if problems:
            raise CommandError(f"{path}: {problems} problem(s)")
        self.stdout.write(f"{path}: valid")

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from config.security import write_private_file


class Command(BaseCommand):
    help = (
        "Make sure a local superuser exists for `make run`: on first run create one with a "
        "random password kept in a git-ignored file, then print how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--password-file", default=str(Path(settings.BASE_DIR) / ".local-admin-password")
        )
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Where the server answers."
        )

    def handle(self, *args, **options):
        User = get_user_model()
        username = options["username"]
        password_file = Path(options["password_file"])
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            # A file left from an earlier database holds a password that no longer works.
            password_file.unlink(missing_ok=True)
            write_private_file(password_file, password + "\n")
            self.stdout.write(f"created superuser {username!r}")
        if password_file.exists():
            password = password_file.read_text().strip()
            self.stdout.write(
                f"log in at {options['url']} as {username} / {password} "
                f"(the password is kept in {password_file.name})"
            )
        else:
            self.stdout.write(
                f"user {username!r} exists; set a password with "
                f"`python manage.py changepassword {username}`"
            )

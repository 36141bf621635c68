from django.conf import settings
from django.core.management.base import BaseCommand

from annotations.background import clean_old_files


class Command(BaseCommand):
    help = (
        "Remove export files (MEDIA_ROOT/exports/) and abandoned uploads (MEDIA_ROOT/uploads/) "
        "older than BYLINE_EXPORT_MAX_AGE_HOURS. Run it periodically, e.g. hourly from cron."
    )

    def handle(self, *args, **options):
        exports, uploads = clean_old_files()
        self.stdout.write(
            f"removed {exports} export file(s) and {uploads} staged upload(s) older than "
            f"{settings.BYLINE_EXPORT_MAX_AGE_HOURS} h"
        )

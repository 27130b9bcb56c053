from django.core.management.base import BaseCommand

from diaodu.reports.jobs import expire


class Command(BaseCommand):
    help = (
        "Delete the files of background exports older than DIAODU_JOB_FILE_HOURS; the jobs "
        "stay, marked expired. Safe to run as often as you like, e.g. from cron hourly."
    )

    def handle(self, *args, **options):
        deleted = expire()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{deleted} files deleted.")

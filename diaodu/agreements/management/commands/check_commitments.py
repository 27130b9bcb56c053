from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from diaodu.agreements.services import check_commitments


class Command(BaseCommand):
    help = (
        "Open a problem for each newly broken department commitment and tell the office of "
        "each newly broken enterprise commitment. Run it daily; running it twice does "
        "nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as of this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Show, change nothing.")

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today must be a date like 2026-05-11, not {today!r}") from None
        run = check_commitments(day, dry_run=dry_run)
        self.stdout.write(
            f"{day}: {len(run.problems)} problem(s) opened, "
            f"{len(run.flagged)} enterprise commitment(s) flagged"
            + (" (dry run, nothing changed)" if dry_run else "")
        )

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from diaodu.api import idempotency
from diaodu.problems.chasing import chase


class Command(BaseCommand):
    help = (
        "Send today's reminders, overdue notices, escalations and reporting-round chasers, "
        "and forget the API's idempotency keys older than a day. Run it daily (cron or a "
        "systemd timer); running it twice sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as of this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Show, send nothing.")

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today must be a date like 2026-05-11, not {today!r}") from None
        run = chase(day, dry_run=dry_run)
        if not dry_run:
            # The daily housekeeping of the API: retries older than a day are not answered.
            forgotten, _ = idempotency.expired().delete()
            if forgotten:
                self.stdout.write(f"{forgotten} idempotency key(s) older than a day forgotten")
        recipients = len(run.organisations) + len(run.leaders)
        self.stdout.write(
            f"{day}: {len(run.keys)} notice(s) to {recipients} recipient(s)"
            + (" (dry run, nothing sent)" if dry_run else "")
        )

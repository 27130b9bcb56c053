from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from diaodu.core import derived


class Command(BaseCommand):
    help = (
        "Recompute the stored verdicts (health, lights, fulfilment) that change because a "
        "day has passed. Run it once a day, shortly after midnight; with --all, recompute "
        "every row; with --check, only report rows whose stored verdict is wrong."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--all", action="store_true", help="Recompute every row.")
        group.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail when a stored verdict differs from its inputs.",
        )

    def handle(self, *args, all: bool, check: bool, **options):
        if check:
            wrong = {rule: count for rule, count in derived.inconsistencies().items() if count}
            for rule, count in wrong.items():
                self.stderr.write(f"{rule}: {count} rows differ from their inputs")
            if wrong:
                raise CommandError("Stored verdicts differ from their inputs.")
            self.stdout.write(self.style.SUCCESS("Every stored verdict agrees with its inputs."))
            return
        with transaction.atomic():
            written = derived.refresh_all() if all else derived.refresh_due()
        self.stdout.write(self.style.SUCCESS(f"Refreshed {written} rows."))

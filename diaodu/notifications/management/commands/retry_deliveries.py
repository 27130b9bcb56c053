from datetime import timedelta

from django.core.management.base import BaseCommand

from diaodu.notifications.tasks import requeue_due


class Command(BaseCommand):
    help = (
        "Queue again the pending deliveries (e-mails, chat robots) whose next attempt is "
        "due, in case a worker was down. Safe to run as often as you like, e.g. from cron "
        "every five minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace",
            type=int,
            default=5,
            help="Minutes a due delivery may wait for its own queued task before it is "
            "queued again (default: %(default)s).",
        )

    def handle(self, *args, grace: int, **options):
        queued = requeue_due(timedelta(minutes=grace))
        if options["verbosity"] >= 1:
            self.stdout.write(f"{queued} deliveries queued.")

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from diaodu import demo
from diaodu.lib.chinese import display_width, pad


class Command(BaseCommand):
    help = "Load the demo zone: organisations, people, key projects. Safe to run again."

    def handle(self, *args, **options):
        # Generated documents (the demo minutes) are written in the zone's language.
        with translation.override(settings.LANGUAGE_CODE):
            demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in as:"))
        self.stdout.write(login_table(demo.logins()))


def login_table(rows) -> str:
    """The demo log-ins as columns that line up in a terminal, Chinese role names too."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(2)]
    return "\n".join(
        f"  {pad(role, widths[0])}  {pad(username, widths[1])}  {password}"
        for role, username, password in rows
    )

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from diaodu import demo


class Command(BaseCommand):
    help = "Load the demo zone: organisations, people, key projects. Safe to run again."

    def handle(self, *args, **options):
        # Generated documents (the demo minutes) are written in the zone's language.
        with translation.override(settings.LANGUAGE_CODE):
            demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in as:"))
        for role, username, password in demo.logins():
            self.stdout.write(f"  {role:<20} {username:<12} {password}")

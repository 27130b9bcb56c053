from django.core.management.base import BaseCommand

from diaodu import demo


class Command(BaseCommand):
    help = "Load the demo zone: organisations, people, key projects. Safe to run again."

    def handle(self, *args, **options):
        demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in as:"))
        for role, username, password in demo.logins():
            self.stdout.write(f"  {role:<20} {username:<12} {password}")

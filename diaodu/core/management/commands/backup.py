from pathlib import Path

from django.core.management.base import BaseCommand

from diaodu.core import backups


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump for PostgreSQL) and every "
        "uploaded file into one .tar.gz archive with a manifest. Safe while Diaodu runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            type=Path,
            help="The archive to write (name.tar.gz), or a folder to put a dated archive in.",
        )

    def handle(self, *args, destination: Path, **options):
        result = backups.backup(destination)
        counts = result.manifest["row_counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {sum(counts.values())} rows in {len(counts)} tables and "
                f"{result.manifest['files']} files to {result.path}"
            )
        )

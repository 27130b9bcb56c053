from pathlib import Path

from django.core.management.base import BaseCommand

from diaodu.core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an EMPTY database and file storage (the "
        "ones configured by DATABASE_URL and the storage settings), then check every "
        "table's row count against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="A .tar.gz archive made by backup.")

    def handle(self, *args, archive: Path, **options):
        manifest = backups.restore(archive)
        counts = manifest["row_counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(counts.values())} rows in {len(counts)} tables and "
                f"{manifest['files']} files from the backup of {manifest['created']} "
                f"(Diaodu {manifest['diaodu_version']}); row counts match."
            )
        )
        self.stdout.write("Next: manage.py migrate (applies any migrations newer than it).")

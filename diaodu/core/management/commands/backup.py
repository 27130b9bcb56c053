from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diaodu.core import backups


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump for PostgreSQL) and every "
        "uploaded file into one .tar.gz archive with a manifest, readable by its owner only "
        "and encrypted when DIAODU_BACKUP_KEY is set. Safe while Diaodu runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="Print a new key for DIAODU_BACKUP_KEY and stop.",
        )
        parser.add_argument(
            "destination",
            type=Path,
            nargs="?",
            help="The archive to write (name.tar.gz), or a folder to put a dated archive in.",
        )

    def handle(self, *args, destination: Path | None, new_key: bool, **options):
        if new_key:
            self.stdout.write(backups.new_key())
            return
        if destination is None:
            raise CommandError("Name the archive or folder to write the backup to.")
        result = backups.backup(destination)
        counts = result.manifest["row_counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {sum(counts.values())} rows in {len(counts)} tables and "
                f"{result.manifest['files']} files to {result.path}"
            )
        )

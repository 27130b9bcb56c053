"""Backups: the database and the uploaded files in one archive, and back again.

An archive is a gzipped tar holding ``manifest.json`` (format, Diaodu version, date,
database engine, applied migrations, rows per table, files), the database (a SQLite file
made with SQLite's online backup, or a ``pg_dump`` custom-format dump taken in the same
snapshot as the row counts) and ``media/`` with every uploaded file, read through the
configured file storage (a local folder or an object store alike).

The archive holds password hashes and everything people wrote: it is written readable by
its owner only (0600, in a 0700 folder), and encrypted when ``DIAODU_BACKUP_KEY`` is set
(a Fernet key: ``manage.py backup --new-key`` prints one). An encrypted archive is a
header followed by Fernet tokens of 1 MiB chunks, each carrying its position and whether
it is the last, so that chunks reordered, dropped or cut off are refused, and a backup of
any size is encrypted without being held in memory.
"""

import io
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENCRYPTED = b"DIAODU-BACKUP-FERNET-1\n"
_CHUNK = 1024 * 1024
_POSITION = struct.Struct(">QB")  # chunk number, 1 if it is the last
_LENGTH = struct.Struct(">I")


@dataclass
class Result:
    path: Path
    manifest: dict


def _quote(table: str) -> str:
    return connection.ops.quote_name(table)


def row_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _diaodu_version() -> str:
    try:
        return version("diaodu")
    except PackageNotFoundError:
        return "unknown"


def _storage_files(storage, folder: str = "") -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local media folder that was never created: no uploads yet
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += _storage_files(storage, f"{folder}{sub}/")
    return sorted(names)


# --- protecting the archive ------------------------------------------------------------


def _private_file(path: Path):
    """``path`` opened for writing, created readable by its owner only, whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "wb")


def _fernet():
    """The cipher of ``DIAODU_BACKUP_KEY``, or None when backups are not encrypted."""
    if not settings.DIAODU_BACKUP_KEY:
        return None
    from cryptography.fernet import Fernet

    try:
        return Fernet(settings.DIAODU_BACKUP_KEY)
    except ValueError:
        raise CommandError(
            _(
                "DIAODU_BACKUP_KEY is not a valid key: it must be 32 bytes in URL-safe "
                "base64, as `manage.py backup --new-key` prints."
            )
        ) from None


def new_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _encrypt(source: Path, target, fernet) -> None:
    target.write(ENCRYPTED)
    with source.open("rb") as plain:
        number, chunk = 0, plain.read(_CHUNK)
        while True:
            following = plain.read(_CHUNK)
            token = fernet.encrypt(_POSITION.pack(number, not following) + chunk)
            target.write(_LENGTH.pack(len(token)) + token)
            if not following:
                return
            number, chunk = number + 1, following


def _decrypt(source, target, fernet) -> None:
    from cryptography.fernet import InvalidToken

    damaged = CommandError(_("The encrypted backup is damaged or incomplete."))
    number = 0
    while header := source.read(_LENGTH.size):
        # A chunk's token is a third larger than the chunk; anything else is not ours.
        (length,) = _LENGTH.unpack(header) if len(header) == _LENGTH.size else (0,)
        if not 0 < length <= 2 * _CHUNK:
            raise damaged
        token = source.read(length)
        if len(token) != length:
            raise damaged
        try:
            data = fernet.decrypt(token)
        except InvalidToken:
            raise CommandError(
                _(
                    "The backup cannot be decrypted with DIAODU_BACKUP_KEY: it was made with "
                    "another key, or it was altered."
                )
            ) from None
        found, last = _POSITION.unpack_from(data)
        if found != number:
            raise damaged
        target.write(data[_POSITION.size :])
        if last:
            if source.read(1):
                raise damaged
            return
        number += 1
    raise damaged


# --- backing up ----------------------------------------------------------------------


def _dump_sqlite(target: Path) -> dict[str, int]:
    """SQLite's online backup: a consistent copy while the app keeps writing."""
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    copy = sqlite3.connect(target)
    try:
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {t: copy.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        copy.close()


def _pg_tool(name: str) -> str:
    """The path of ``pg_dump``/``pg_restore``, refusing one older than the server."""
    path = shutil.which(name)
    server_major = connection.pg_version // 10000
    if not path:
        raise CommandError(
            _(
                "%(tool)s was not found. Install the PostgreSQL client tools of the "
                "server's version %(major)d (on Debian or Ubuntu: "
                "apt-get install postgresql-client-%(major)d)."
            )
            % {"tool": name, "major": server_major}
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if match and int(match.group(1)) < server_major:
        raise CommandError(
            _(
                "%(tool)s is version %(tool_major)s but the database server is version "
                "%(major)d: it cannot read a newer server. Install postgresql-client-%(major)d."
            )
            % {"tool": name, "tool_major": match.group(1), "major": server_major}
        )
    return path


def _pg_command(tool: str, *arguments: str) -> tuple[list[str], dict]:
    settings = connection.settings_dict
    command = [_pg_tool(tool), *arguments]
    if settings.get("HOST"):
        command += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        command += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        command += ["--username", settings["USER"]]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    if settings["OPTIONS"].get("sslmode"):
        env["PGSSLMODE"] = settings["OPTIONS"]["sslmode"]
    return command, env


def _run(command: list[str], env: dict) -> None:
    run = subprocess.run(command, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise CommandError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": run.stderr.strip()}
        )


def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump in the snapshot where the rows are counted, so the counts in the manifest
    are exactly what the dump holds, however busy the app is meanwhile."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        command, env = _pg_command(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={target}",
            connection.settings_dict["NAME"],
        )
        _run(command, env)
        return row_counts(cursor, connection.introspection.table_names(cursor))


def backup(destination: Path) -> Result:
    """Writes an archive to ``destination``: a ``.tar.gz`` file, or a folder to put a
    dated one in."""
    engine = connection.vendor
    if engine not in DUMPS:
        raise CommandError(_("Backups support SQLite and PostgreSQL, not %s.") % engine)
    now = timezone.now()
    fernet = _fernet()
    if destination.is_dir() or not destination.name.endswith((".tar.gz", ".tgz", ".enc")):
        suffix = ".tar.gz.enc" if fernet else ".tar.gz"
        destination = destination / f"diaodu-backup-{now:%Y%m%d-%H%M%S}{suffix}"
    if not destination.parent.exists():
        destination.parent.mkdir(mode=0o700, parents=True)
    destination.parent.chmod(0o700)
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMPS[engine]
        counts = _dump_sqlite(dump) if engine == "sqlite" else _dump_postgresql(dump)
        files = _storage_files(default_storage)
        manifest = {
            "format": FORMAT,
            "diaodu_version": _diaodu_version(),
            "created": now.isoformat(),
            "engine": engine,
            "database": DUMPS[engine],
            "migrations": _applied_migrations(),
            "row_counts": counts,
            "files": len(files),
        }
        plain = Path(scratch) / "archive.tar.gz"
        with _private_file(plain) as file, tarfile.open(fileobj=file, mode="w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=DUMPS[engine])
            for name in files:
                with default_storage.open(name, "rb") as stream:
                    info = tarfile.TarInfo(MEDIA + name)
                    info.size = default_storage.size(name)
                    info.mtime = int(now.timestamp())
                    archive.addfile(info, stream)
        partial = destination.with_name(destination.name + ".part")
        with _private_file(partial) as target:
            if fernet:
                _encrypt(plain, target, fernet)
            else:
                with plain.open("rb") as source:
                    shutil.copyfileobj(source, target)
        partial.replace(destination)
    return Result(destination, manifest)


# --- restoring -----------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError) as error:
        raise CommandError(_("This is not a Diaodu backup (no readable manifest).")) from error
    if manifest.get("format") != FORMAT:
        raise CommandError(
            _("This backup has format %(found)s; this version of Diaodu reads format %(ours)s.")
            % {"found": manifest.get("format"), "ours": FORMAT}
        )
    return manifest


def _media_members(archive: tarfile.TarFile) -> list[tuple[tarfile.TarInfo, str]]:
    members = []
    for member in archive.getmembers():
        if not member.name.startswith(MEDIA) or not member.isfile():
            continue
        name = member.name[len(MEDIA) :]
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts:
            raise CommandError(_("The backup holds an unsafe file name: %s") % member.name)
        members.append((member, name))
    return members


def _ensure_empty() -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise CommandError(
            _(
                "The database %(name)s is not empty (it has %(count)d tables). A backup is "
                "restored only into an empty database, so that nothing is overwritten: create "
                "a new database (or name a new SQLite file) in DATABASE_URL and run restore "
                "again."
            )
            % {"name": connection.settings_dict["NAME"], "count": len(tables)}
        )


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(dump: Path) -> None:
    command, env = _pg_command(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={connection.settings_dict['NAME']}",
        str(dump),
    )
    _run(command, env)


def restore(path: Path) -> dict:
    """Restores an archive into the (empty) configured database and file storage; returns
    its manifest once the restored rows match the manifest's counts."""
    if not path.is_file():
        raise CommandError(_("No such backup file: %s") % path)
    with path.open("rb") as file:
        encrypted = file.read(len(ENCRYPTED)) == ENCRYPTED
    if not encrypted:
        return _restore_archive(path)
    fernet = _fernet()
    if fernet is None:
        raise CommandError(
            _("This backup is encrypted: set DIAODU_BACKUP_KEY to the key it was made with.")
        )
    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(scratch) / "archive.tar.gz"
        with path.open("rb") as source, _private_file(plain) as target:
            source.read(len(ENCRYPTED))
            _decrypt(source, target, fernet)
        return _restore_archive(plain)


def _restore_archive(path: Path) -> dict:
    with tarfile.open(path, "r:*") as archive:
        manifest = read_manifest(archive)
        if manifest["engine"] != connection.vendor:
            raise CommandError(
                _("This backup is of a %(theirs)s database and cannot be restored into %(ours)s.")
                % {"theirs": manifest["engine"], "ours": connection.vendor}
            )
        _ensure_empty()
        media = _media_members(archive)
        present = [name for _member, name in media if default_storage.exists(name)]
        if present:
            raise CommandError(
                _(
                    "The file storage already holds %(count)d of the backup's files (for "
                    "example %(name)s). Restore into an empty media folder or bucket."
                )
                % {"count": len(present), "name": present[0]}
            )
        with tempfile.TemporaryDirectory() as scratch:
            archive.extract(manifest["database"], scratch, filter="data")
            dump = Path(scratch) / manifest["database"]
            if connection.vendor == "sqlite":
                _restore_sqlite(dump)
            else:
                _restore_postgresql(dump)
        for member, name in media:
            saved = default_storage.save(name, File(archive.extractfile(member), name=name))
            if saved != name:
                raise CommandError(_("The file %s could not be restored under its name.") % name)
    with connection.cursor() as cursor:
        counts = row_counts(cursor, connection.introspection.table_names(cursor))
    if counts != manifest["row_counts"]:
        differ = sorted(
            table
            for table in counts.keys() | manifest["row_counts"].keys()
            if counts.get(table) != manifest["row_counts"].get(table)
        )
        raise CommandError(
            _("The restored database does not match the backup in: %s") % ", ".join(differ)
        )
    return manifest

"""A backup holds the whole database and every uploaded file; restoring it into an empty
database gives back every row of every table and every file, byte for byte."""

import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import tarfile

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from diaodu.core import attachments, backups
from diaodu.core.tests.conftest import REPO, database_url
from diaodu.test import build_world

# Committed data (a backup reads what is committed); serialized_rollback puts back the rows
# data migrations made once each test has emptied the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def data(media_root):
    """The personas and projects, and a photo attached to project X's report."""
    w = build_world()
    attachments.attach(w.report_x, [SimpleUploadedFile("现场照片.png", PNG)], actor=w.owner_x)
    return w


def differences(restored: dict, original: dict) -> list:
    """The first few values that differ: (table, row, column, restored, original)."""
    return [
        (table, a[0], column, x, y)
        for table in original
        for a, b in zip(restored[table], original[table], strict=True)
        for column, (x, y) in enumerate(zip(a, b, strict=True))
        if x != y
    ][:5]


def all_rows(cursor, quote) -> dict[str, list[tuple]]:
    tables = sorted(connection.introspection.table_names())
    rows = {}
    for table in tables:
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")
        rows[table] = [tuple(row) for row in cursor.fetchall()]
    return rows


def restore_in_a_fresh_process(
    archive, database: str, var, key: str = ""
) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": database,
        "DIAODU_VAR_DIR": str(var),
        "DIAODU_BACKUP_KEY": key,
        # The packages this run imports from, if some are outside the virtual environment.
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def backed_up(tmp_path):
    call_command("backup", str(tmp_path))
    (archive,) = tmp_path.glob("diaodu-backup-*")
    return archive


def test_the_archive_holds_a_manifest_the_database_and_the_files(data, tmp_path):
    archive = backed_up(tmp_path)

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
        (photo,) = [n for n in names if n.startswith("media/")]
        assert tar.extractfile(photo).read() == PNG
    assert manifest["format"] == 1
    assert manifest["engine"] == connection.vendor
    assert manifest["files"] == 1
    assert manifest["row_counts"]["core_attachment"] == 1
    assert manifest["row_counts"]["accounts_user"] == 7
    assert ["core", "0001_initial"] in manifest["migrations"]
    assert manifest["database"] in names


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip")
def test_a_sqlite_backup_restores_every_row_and_file(data, tmp_path):
    archive = backed_up(tmp_path / "backups")
    target = tmp_path / "restored.sqlite3"

    run = restore_in_a_fresh_process(archive, f"sqlite:///{target}", tmp_path / "var")

    assert run.returncode == 0, run.stderr
    assert "row counts match" in run.stdout
    # Both read raw, without the type conversions Django's own connection applies.
    source = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
    original = all_rows(source.cursor(), connection.ops.quote_name)
    source.close()
    restored_db = sqlite3.connect(target)
    restored = all_rows(restored_db.cursor(), connection.ops.quote_name)
    restored_db.close()
    assert {t: len(r) for t, r in restored.items()} == {t: len(r) for t, r in original.items()}
    assert not differences(restored, original)
    (photo,) = [f for f in (tmp_path / "var" / "media").rglob("*") if f.is_file()]
    assert photo.read_bytes() == PNG


def test_the_archive_and_its_folder_are_readable_by_their_owner_only(data, tmp_path):
    umask = os.umask(0)  # the most permissive: the archive must not rely on the caller's
    try:
        archive = backed_up(tmp_path / "backups")
    finally:
        os.umask(umask)

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700


def test_with_a_key_the_archive_is_encrypted_and_says_nothing_without_it(data, tmp_path, settings):
    settings.DIAODU_BACKUP_KEY = backups.new_key()

    archive = backed_up(tmp_path)

    content = archive.read_bytes()
    assert archive.name.endswith(".tar.gz.enc")
    assert content.startswith(backups.ENCRYPTED)
    with pytest.raises(tarfile.ReadError):
        tarfile.open(archive).close()
    opened = io.BytesIO()
    backups._decrypt(io.BytesIO(content[len(backups.ENCRYPTED) :]), opened, backups._fernet())
    opened.seek(0)
    with tarfile.open(fileobj=opened) as tar:
        assert json.load(tar.extractfile("manifest.json"))["files"] == 1
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip")
def test_an_encrypted_backup_restores_with_its_key_only(data, tmp_path, settings):
    key = backups.new_key()
    settings.DIAODU_BACKUP_KEY = key
    archive = backed_up(tmp_path / "backups")

    no_key = restore_in_a_fresh_process(archive, f"sqlite:///{tmp_path}/a.sqlite3", tmp_path / "a")
    other_key = restore_in_a_fresh_process(
        archive, f"sqlite:///{tmp_path}/b.sqlite3", tmp_path / "b", key=backups.new_key()
    )
    restored = restore_in_a_fresh_process(
        archive, f"sqlite:///{tmp_path}/c.sqlite3", tmp_path / "c", key=key
    )

    assert no_key.returncode != 0
    assert says(
        no_key.stderr,
        "This backup is encrypted: set DIAODU_BACKUP_KEY to the key it was made with.",
    )
    assert other_key.returncode != 0
    assert "DIAODU_BACKUP_KEY" in other_key.stderr
    assert restored.returncode == 0, restored.stderr
    assert "row counts match" in restored.stdout
    (photo,) = [f for f in (tmp_path / "c" / "media").rglob("*") if f.is_file()]
    assert photo.read_bytes() == PNG


@pytest.mark.parametrize("damage", ["cut", "swap", "flip"])
def test_a_damaged_encrypted_backup_is_refused(tmp_path, settings, damage):
    settings.DIAODU_BACKUP_KEY = backups.new_key()
    fernet = backups._fernet()
    plain = tmp_path / "plain"
    plain.write_bytes(os.urandom(3 * 1024 * 1024 + 5))
    sealed = io.BytesIO()
    backups._encrypt(plain, sealed, fernet)
    body = sealed.getvalue()[len(backups.ENCRYPTED) :]
    token = 4 + int.from_bytes(body[:4])
    body = {
        "cut": body[: 3 * token],
        "swap": body[token : 2 * token] + body[:token] + body[2 * token :],
        "flip": body[:100] + bytes([body[100] ^ 1]) + body[101:],
    }[damage]

    with pytest.raises(CommandError):
        backups._decrypt(io.BytesIO(body), io.BytesIO(), fernet)


def test_encryption_round_trips_any_length(tmp_path, settings):
    settings.DIAODU_BACKUP_KEY = backups.new_key()
    for size in (0, 1, 1024 * 1024, 1024 * 1024 + 1):
        plain = tmp_path / "plain"
        plain.write_bytes(os.urandom(size))
        sealed, opened = io.BytesIO(), io.BytesIO()
        backups._encrypt(plain, sealed, backups._fernet())
        backups._decrypt(
            io.BytesIO(sealed.getvalue()[len(backups.ENCRYPTED) :]), opened, backups._fernet()
        )
        assert opened.getvalue() == plain.read_bytes()


NOT_EMPTY = (
    "The database %(name)s is not empty (it has %(count)d tables). A backup is "
    "restored only into an empty database, so that nothing is overwritten: create "
    "a new database (or name a new SQLite file) in DATABASE_URL and run restore "
    "again."
)

NOT_FOUND = (
    "%(tool)s was not found. Install the PostgreSQL client tools of the "
    "server's version %(major)d (on Debian or Ubuntu: "
    "apt-get install postgresql-client-%(major)d)."
)


def says(output: str, message: str) -> bool:
    """Whether ``output`` holds ``message`` in the site's language, placeholders aside."""
    with translation.override(settings.LANGUAGE_CODE):
        translated = gettext(message)
    return all(part in output for part in re.split(r"%\(\w+\)[sd]", translated))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite refusal")
def test_restore_refuses_a_database_that_is_not_empty(data, tmp_path):
    archive = backed_up(tmp_path / "backups")
    target = tmp_path / "restored.sqlite3"
    assert (
        restore_in_a_fresh_process(archive, f"sqlite:///{target}", tmp_path / "a").returncode == 0
    )

    again = restore_in_a_fresh_process(archive, f"sqlite:///{target}", tmp_path / "b")

    assert again.returncode != 0
    assert says(again.stderr, NOT_EMPTY)
    assert not (tmp_path / "b" / "media").exists(), "no file was restored either"


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    fake = tmp_path / "fake.tar.gz"
    with tarfile.open(fake, "w:gz") as tar:
        tar.add(__file__, arcname="notes.txt")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(fake))
    assert says(str(refused.value), "This is not a Diaodu backup (no readable manifest).")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_a_postgresql_backup_restores_every_row_and_file(data, tmp_path):
    archive = backed_up(tmp_path / "backups")
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = psycopg.connect(database_url(), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        target_url = database_url().rsplit("/", 1)[0] + f"/{name}"
        run = restore_in_a_fresh_process(archive, target_url, tmp_path / "var")

        assert run.returncode == 0, run.stderr
        # Both read raw, without the type conversions Django's own connection applies.
        with psycopg.connect(database_url()) as source:
            original = all_rows(source.cursor(), connection.ops.quote_name)
        with psycopg.connect(target_url) as restored_db:
            restored = all_rows(restored_db.cursor(), connection.ops.quote_name)
        assert {t: len(r) for t, r in restored.items()} == {t: len(r) for t, r in original.items()}
        assert not differences(restored, original)
        (photo,) = [f for f in (tmp_path / "var" / "media").rglob("*") if f.is_file()]
        assert photo.read_bytes() == PNG
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_without_pg_dump_the_backup_says_which_package_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)

    with pytest.raises(CommandError) as refused:
        call_command("backup", str(tmp_path))

    message = str(refused.value)
    assert "pg_dump" in message
    assert f"postgresql-client-{connection.pg_version // 10000}" in message
    assert says(message, NOT_FOUND)

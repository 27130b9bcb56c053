"""The production wiring read from the environment: PostgreSQL connections that survive a
database restart, Redis for cache and sessions, an S3-compatible store for uploads. Each
case imports the settings in a fresh interpreter; nothing here touches the network."""

import pytest
from django.db import connection

from diaodu.core.tests.test_settings import PRODUCTION, import_settings


def test_postgresql_connections_are_kept_and_checked_before_reuse(tmp_path):
    run = import_settings(
        tmp_path,
        {"DATABASE_URL": "postgres://diaodu@db.internal/diaodu"},
        "s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']",
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["60", "True"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", ["5", "10000"]), ("?connect_timeout=2&tcp_user_timeout=3000", ["2", "3000"])],
)
def test_a_database_host_that_vanishes_is_given_up_on_within_seconds(tmp_path, query, expected):
    run = import_settings(
        tmp_path,
        {"DATABASE_URL": f"postgres://diaodu@db.internal/diaodu{query}"},
        "s.DATABASES['default']['OPTIONS']['connect_timeout'], "
        "s.DATABASES['default']['OPTIONS']['tcp_user_timeout']",
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == expected


def test_without_redis_the_cache_is_local_and_sessions_are_in_the_database(tmp_path):
    run = import_settings(
        tmp_path,
        {},
        "getattr(s, 'SESSION_ENGINE', 'database'), getattr(s, 'CACHES', 'local')",
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["database", "local"]


def test_redis_url_puts_the_cache_in_redis_and_sessions_in_front_of_the_database(tmp_path):
    run = import_settings(
        tmp_path,
        {"REDIS_URL": "redis://cache.internal:6379/1"},
        "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], s.SESSION_ENGINE",
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [
        "diaodu.core.cache.ForgivingRedisCache",
        "redis://cache.internal:6379/1",
        "django.contrib.sessions.backends.cached_db",
    ]


S3 = {
    "DIAODU_S3_BUCKET": "diaodu-files",
    "DIAODU_S3_ENDPOINT_URL": "https://oss.example.cn",
    "DIAODU_S3_REGION": "cn-east-1",
    "DIAODU_S3_ACCESS_KEY": "AKEXAMPLE",
    "DIAODU_S3_SECRET_KEY": "secret-example",
}


def test_an_s3_bucket_holds_uploads_privately_when_configured(tmp_path):
    storage = (
        "__import__('django').setup() or "
        "(lambda st: (type(st).__name__, st.bucket_name, st.endpoint_url, st.default_acl, "
        "st.file_overwrite, st.url('2026/06/现场.png').split('?')[0]))"
        "(__import__('django.core.files.storage', fromlist=['storages']).storages['default'])"
    )
    run = import_settings(
        tmp_path, {**PRODUCTION, **S3, "DJANGO_SETTINGS_MODULE": "diaodu.settings"}, storage
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == (
        "('S3Storage', 'diaodu-files', 'https://oss.example.cn', 'private', False, "
        "'https://oss.example.cn/diaodu-files/2026/06/%E7%8E%B0%E5%9C%BA.png')"
    )


def test_without_a_bucket_uploads_stay_on_the_local_disk(tmp_path):
    run = import_settings(tmp_path, {}, "s.STORAGES['default']['BACKEND']")

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "django.core.files.storage.FileSystemStorage"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_connections_run_without_jit_compilation(db):
    # JIT compiled the dashboard's aggregates for ten times longer than they ran.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)

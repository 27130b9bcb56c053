"""Settings come from environment variables and fail loudly on bad values; production
mode refuses to start insecurely. Each case imports the settings in a fresh interpreter."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from diaodu import settings as loaded_settings
from diaodu.settings import env_bool, env_int, env_list

REPO = Path(loaded_settings.__file__).resolve().parent.parent
GOOD_SECRET = "k" * 20 + "-random-enough-for-tests-0123456789"
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "diaodu.example.cn"}


def import_settings(tmp_path, env: dict, show: str = "DEBUG") -> subprocess.CompletedProcess:
    """``import diaodu.settings`` with only ``env`` set, printing ``show``."""
    environment = {"PATH": "/usr/bin:/bin", "DIAODU_VAR_DIR": str(tmp_path / "var"), **env}
    return subprocess.run(
        [sys.executable, "-c", f"from diaodu import settings as s; print({show})"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_nothing_set_it_is_a_development_run_on_sqlite(tmp_path):
    run = import_settings(tmp_path, {}, "s.DEBUG, s.DATABASES['default']['ENGINE']")

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "django.db.backends.sqlite3"]
    assert (tmp_path / "var").is_dir()


def test_production_mode_refuses_the_default_secret_key(tmp_path):
    run = import_settings(tmp_path, {"DEBUG": "false", "ALLOWED_HOSTS": "diaodu.example.cn"})

    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr
    assert "SECRET_KEY" in run.stderr


def test_production_mode_refuses_a_short_secret_key(tmp_path):
    run = import_settings(tmp_path, {**PRODUCTION, "SECRET_KEY": "too-short"})

    assert run.returncode != 0
    assert "SECRET_KEY" in run.stderr


def test_production_mode_needs_allowed_hosts(tmp_path):
    run = import_settings(tmp_path, {**PRODUCTION, "ALLOWED_HOSTS": ""})

    assert run.returncode != 0
    assert "ALLOWED_HOSTS" in run.stderr


def test_production_mode_starts_when_configured_and_secures_cookies(tmp_path):
    run = import_settings(
        tmp_path,
        PRODUCTION,
        "s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT",
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False ['diaodu.example.cn'] True True True"


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "maybe"), ("DEBUG", "2"), ("DEBUG", "ture"), ("SESSION_COOKIE_SECURE", "sometimes")],
)
def test_a_boolean_that_is_neither_true_nor_false_stops_the_start(tmp_path, name, value):
    run = import_settings(tmp_path, {**PRODUCTION, name: value})

    assert run.returncode != 0
    assert f"{name} must be true or false, not '{value}'" in run.stderr


def test_a_number_that_is_not_a_number_stops_the_start(tmp_path):
    run = import_settings(tmp_path, {"DIAODU_AT_RISK_DAYS": "two weeks"})

    assert run.returncode != 0
    assert "DIAODU_AT_RISK_DAYS must be a whole number, not 'two weeks'" in run.stderr


def test_database_url_selects_postgresql(tmp_path):
    run = import_settings(
        tmp_path,
        {"DATABASE_URL": "postgres://diaodu:secret@db.internal:5432/diaodu"},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST']",
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["django.db.backends.postgresql", "db.internal"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("YES", True), ("On", True),
     ("0", False), ("false", False), ("No", False), ("OFF", False), ("", True)],
)  # fmt: skip
def test_boolean_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("DIAODU_TEST_FLAG", value)

    assert env_bool("DIAODU_TEST_FLAG", True) is expected


def test_unset_values_take_their_defaults(monkeypatch):
    monkeypatch.delenv("DIAODU_TEST_FLAG", raising=False)

    assert env_bool("DIAODU_TEST_FLAG", False) is False
    assert env_int("DIAODU_TEST_FLAG", 14) == 14
    assert env_list("DIAODU_TEST_FLAG", ["a"]) == ["a"]


def test_bad_values_raise_improperly_configured(monkeypatch):
    monkeypatch.setenv("DIAODU_TEST_FLAG", "1.5")

    with pytest.raises(ImproperlyConfigured):
        env_bool("DIAODU_TEST_FLAG", True)
    with pytest.raises(ImproperlyConfigured):
        env_int("DIAODU_TEST_FLAG", 1)


def test_lists_are_comma_separated_and_trimmed(monkeypatch):
    monkeypatch.setenv("DIAODU_TEST_FLAG", " a.example.cn, ,b.example.cn ")

    assert env_list("DIAODU_TEST_FLAG", []) == ["a.example.cn", "b.example.cn"]

"""Production security: the deploy checklist passes, pages carry a Content Security Policy
they actually satisfy, log-ins are throttled, and weak passwords are refused."""

import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from diaodu.core.tests.conftest import REPO, production_env
from diaodu.test import client_for

pytestmark = pytest.mark.django_db


def test_the_deploy_checklist_passes_in_production_mode_with_the_shortest_key_accepted(tmp_path):
    key = secrets.token_urlsafe(50)[: settings.MIN_SECRET_KEY_LENGTH]
    env = production_env(tmp_path, SECRET_KEY=key)
    env.pop("SECURE_SSL_REDIRECT"), env.pop("SESSION_COOKIE_SECURE"), env.pop("CSRF_COOKIE_SECURE")
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env={**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stderr
    assert "no issues" in run.stdout


def test_the_health_check_answers_over_plain_http_when_everything_else_redirects(db, settings):
    settings.SECURE_SSL_REDIRECT = True

    health = Client().get("/healthz")
    page = Client().get(reverse("login"))

    assert health.status_code == 200
    assert page.status_code == 301
    assert page["Location"].startswith("https://")


# --- Content Security Policy ------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def main_pages(w) -> list[str]:
    return [
        reverse("projects:project_list"),
        reverse("projects:project_detail", args=[w.project_x.pk]),
        reverse("dashboard:dashboard"),
        reverse("dashboard:timeline"),
        reverse("problems:desk"),
        reverse("problems:supervision") + "?open=true",
        reverse("meetings:meeting_list"),
        reverse("projects:round_list"),
        reverse("notifications:notification_list"),
        reverse("admin:index"),
    ]


def test_every_page_carries_a_policy_that_forbids_inline_scripts(world):
    response = Client().get(reverse("login"))

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_the_main_pages_have_no_inline_script_or_event_handler(world):
    client = client_for(world.admin)

    for url in [reverse("login"), *main_pages(world)]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not INLINE_SCRIPT.findall(page), url
        assert not HANDLER.findall(page), url
        assert "javascript:" not in page, url
        assert "Content-Security-Policy" in response.headers, url


# --- Passwords ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["short1!", "12345678901234", "password1234", "owner_x2026"],
    ids=["too short", "all digits", "common", "like the username"],
)
def test_weak_passwords_are_refused(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, world.owner_x)


def test_a_long_uncommon_password_is_accepted(world):
    validate_password("绿源水务-Correct-horse-2026", world.owner_x)

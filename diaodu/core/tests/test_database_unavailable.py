"""When the database cannot be reached, pages answer 503 "try again shortly" (a page that
needs no database to draw) and the health check tells the load balancer."""

import json

import pytest
from django.db import OperationalError, ProgrammingError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from diaodu.test import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_gone(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    return lambda: monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)


def test_a_page_says_503_and_when_to_try_again(world, database_gone):
    client = client_for(world.owner_x, language="en")
    assert client.get(reverse("projects:project_list")).status_code == 200
    database_gone()

    response = client.get(reverse("projects:project_list"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Temporarily unavailable" in page
    assert "Nothing you saved before is lost" in page
    assert "Content-Security-Policy" in response.headers


def test_a_form_sent_while_the_database_is_away_gets_the_503_page(world, database_gone):
    client = client_for(world.owner_x, language="en")
    database_gone()

    response = client.post(
        reverse("problems:problem_raise", args=[world.project_x.pk]), {"title": "x"}
    )

    assert response.status_code == 503


def test_the_health_check_answers_503_without_its_database(db, database_gone):
    assert Client().get(reverse("core:healthz")).status_code == 200
    database_gone()

    response = Client().get(reverse("core:healthz"))

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}


def test_other_database_errors_are_not_passed_off_as_an_outage(world, monkeypatch):
    client = client_for(world.owner_x)
    client.raise_request_exception = False

    def bug(*args, **kwargs):
        raise ProgrammingError('relation "projects_project" does not exist')

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", bug)
    response = client.get(reverse("projects:project_list"))

    assert response.status_code == 500

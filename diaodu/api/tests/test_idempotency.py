"""A client that did not hear the answer to a write retries with the same Idempotency-Key
and gets the first answer again, without a second write."""

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from diaodu.api.models import IdempotentRequest
from diaodu.core.tests.conftest import needs_postgresql
from diaodu.factories import CoordinatorFactory, DepartmentFactory, EnterpriseFactory
from diaodu.problems.models import Problem
from diaodu.projects import services as project_services
from diaodu.projects.models import Project
from diaodu.test import api_for, project_api_data

KEY = {"HTTP_IDEMPOTENCY_KEY": "8f0c6a1e-raise-problem"}


def _problem(world, title="施工用电未接入"):
    return {
        "project": world.project_x.pk,
        "title": title,
        "description": "需新建开关站。",
        "category": "utilities",
        "lead_department": world.department_a.pk,
        "due_date": "2026-06-30",
    }


def test_a_retry_with_the_same_key_gets_the_first_answer_and_writes_nothing(world):
    api = api_for(world.coordinator)

    first = api.post("/api/problems/", _problem(world), **KEY)
    retry = api.post("/api/problems/", _problem(world), **KEY)

    assert first.status_code == 201, first.json()
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert retry["Idempotent-Replayed"] == "true"
    assert Problem.objects.filter(title="施工用电未接入").count() == 1


def test_the_same_key_with_another_request_is_refused_with_a_clear_message(world):
    api = api_for(world.coordinator, language="en")
    api.post("/api/problems/", _problem(world), **KEY)

    other = api.post("/api/problems/", _problem(world, title="施工用水未接入"), **KEY)

    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    assert not Problem.objects.filter(title="施工用水未接入").exists()


def test_a_key_is_the_senders_own(world):
    api_for(world.coordinator).post("/api/problems/", _problem(world), **KEY)

    response = api_for(world.admin).post("/api/problems/", _problem(world), **KEY)

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Problem.objects.filter(title="施工用电未接入").count() == 2


def test_an_update_retried_is_not_applied_twice(world):
    """A retried PATCH replays its 200, not a 409 from the version it moved on itself."""
    api = api_for(world.coordinator)
    project = world.project_x
    body = {"location": "滨江二期", "version": project.version}

    first = api.patch(f"/api/projects/{project.pk}/", body, **KEY)
    retry = api.patch(f"/api/projects/{project.pk}/", body, **KEY)

    assert (first.status_code, retry.status_code) == (200, 200)
    project.refresh_from_db()
    assert project.version == body["version"] + 1


def test_a_failed_write_keeps_no_answer_so_the_retry_runs_again(world, monkeypatch):
    api = api_for(world.coordinator)
    api.raise_request_exception = False
    real = project_services.update_project

    def fail(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("connection lost at commit")

    monkeypatch.setattr(project_services, "update_project", fail)
    body = {"location": "滨江二期", "version": world.project_x.version}
    failed = api.patch(f"/api/projects/{world.project_x.pk}/", body, **KEY)
    monkeypatch.setattr(project_services, "update_project", real)
    retry = api.patch(f"/api/projects/{world.project_x.pk}/", body, **KEY)

    assert failed.status_code == 500
    assert retry.status_code == 200
    assert "Idempotent-Replayed" not in retry
    assert Project.objects.get(pk=world.project_x.pk).location == "滨江二期"


@pytest.mark.parametrize("key", ["", " ", "k" * 256])
def test_a_key_that_is_empty_or_too_long_is_a_bad_request(world, key):
    response = api_for(world.coordinator).post(
        "/api/problems/", _problem(world), HTTP_IDEMPOTENCY_KEY=key
    )

    assert response.status_code == 400
    assert not Problem.objects.filter(title="施工用电未接入").exists()


def test_reads_and_unauthenticated_requests_keep_nothing(world, client):
    api_for(world.coordinator).get("/api/problems/", **KEY)
    client.post("/api/problems/", _problem(world), **KEY)

    assert not IdempotentRequest.objects.exists()


def test_the_daily_chasing_forgets_keys_older_than_a_day_and_a_key_can_then_be_reused(world, clock):
    api = api_for(world.coordinator)
    api.post("/api/problems/", _problem(world), **KEY)
    clock.advance(days=2)
    api.post("/api/problems/", _problem(world, title="施工用水未接入"), **KEY)
    assert Problem.objects.filter(title="施工用水未接入").exists(), "an expired key was honoured"
    clock.advance(days=2)

    call_command("chase", stdout=StringIO())

    assert not IdempotentRequest.objects.exists()


@needs_postgresql[0]
@needs_postgresql[1]
@needs_postgresql[2]
def test_concurrent_retries_on_postgresql_make_one_write_and_give_one_answer(monkeypatch):
    """SQLite serialises writers; here the retries wait on the unique key of the first."""
    coordinator = CoordinatorFactory()
    body = project_api_data(owner=EnterpriseFactory().pk, lead_department=DepartmentFactory().pk)
    real = project_services.create_project

    def slow(*args, **kwargs):
        project = real(*args, **kwargs)
        time.sleep(0.5)  # the retry arrives while the first has not committed
        return project

    monkeypatch.setattr(project_services, "create_project", slow)
    answers = []

    def send():
        try:
            answers.append(api_for(coordinator).post("/api/projects/", body, **KEY))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join()

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert Project.objects.filter(code=body["code"]).count() == 1
    assert sum("Idempotent-Replayed" in a for a in answers) == 2


def test_the_schema_documents_the_header_on_writes(world):
    schema = api_for(world.coordinator).get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/problems/"]["post"]

    assert "Idempotency-Key" in [p["name"] for p in post["parameters"] if p["in"] == "header"]
    assert "422" in post["responses"]
    get = schema["paths"]["/api/problems/"]["get"]
    assert "Idempotency-Key" not in [p["name"] for p in get.get("parameters", [])]


def test_expired_is_measured_from_the_first_request(world):
    api_for(world.coordinator).post("/api/problems/", _problem(world), **KEY)
    record = IdempotentRequest.objects.get()

    assert record.status == 201
    assert record.created_at >= timezone.now() - timedelta(minutes=1)

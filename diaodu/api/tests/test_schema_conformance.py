"""Every operation of the live schema, called with generated input as the coordination
office on the shared world (projects, problems, action items, meetings, returns,
enterprise requests, a webhook endpoint and its delivery): no server error, and every
answer (status code, content type, body) is one the schema documents."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from diaodu.accounts.services import issue_token
from diaodu.appeals.tests.conftest import build_appeals
from diaodu.core import derived
from diaodu.meetings.tests.conftest import build_meetings
from diaodu.notifications.models import WebhookEndpoint
from diaodu.notifications.services import emit
from diaodu.problems.tests.conftest import build_loop
from diaodu.projects import services
from diaodu.test import TODAY, Clock, build_world
from diaodu.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Read once, when the tests are collected: the schema's generation needs no database, nor
# does the day's refresh of stored state (nothing is stored yet).
derived.mark_fresh(timezone.localdate())
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The schema's examples and a few generated cases per operation, valid and invalid; not
# the coverage phase, which enumerates every boundary of every parameter (minutes).
schema.config.phases.update(phases=["examples", "fuzzing"])
schema.config.generation.update(max_examples=3, no_shrink=True, deterministic=True)


def build_data():
    w = build_world()
    build_loop(w)
    build_meetings(w)
    build_appeals(w)
    services.record_annual_return(
        w.project_x, {"year": 2025, "output": 52000, "tax": 3100}, actor=w.owner_x
    )
    endpoint = WebhookEndpoint.objects.create(
        name="市监管平台",
        url="https://city.example.com/hooks",
        secret="a-secret-long-enough",
        events=["problem.raised"],
    )
    emit("problem.raised", w.problem_x, w.owner_x)
    return issue_token(w.coordinator)[1], endpoint


@pytest.fixture(scope="module")
def _data_of_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for all operations inside a transaction rolled back after the module;
    each operation's examples run in a savepoint within it."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(django_settings, "MEDIA_ROOT", tmp_path_factory.mktemp("media"))
        Clock(monkeypatch, TODAY)
        atomic = transaction.atomic()
        atomic.__enter__()
        key, _ = build_data()
        yield key
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def coordinator_token(_data_of_module, db, today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # As Django's test client does: the application must not close the connection (and
    # with it the test's transaction) at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield _data_of_module
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=3,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_the_schema_says(case, coordinator_token):
    response = case.call(headers={"Authorization": f"Token {coordinator_token}"})
    case.validate_response(response, checks=CHECKS)

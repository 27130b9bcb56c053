"""Which database a read goes to when a standby is configured (DATABASE_REPLICA_URL).
The standby itself is exercised for real in test_multihost.py; here the decisions."""

import time

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from diaodu.core import replica
from diaodu.core.tests.test_settings import import_settings
from diaodu.projects.models import Project

ROUTER = replica.ReplicaRouter()
# Outside a transaction, as a request in production is: the router keeps reads inside one on
# the primary. serialized_rollback puts back the rows data migrations made once each test
# has emptied the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


@replica.reads_from_replica
def list_view(request):
    """A list page that reports where its reads would go."""
    return HttpResponse(ROUTER.db_for_read(Project))


def request(coordinator, method="get", **cookies):
    made = getattr(RequestFactory(), method)("/projects/")
    made.COOKIES.update(cookies)
    made.user = coordinator
    return made


def served_by(coordinator, **kwargs) -> str:
    return list_view(request(coordinator, **kwargs)).content.decode()


def test_a_list_reads_from_the_standby(with_replica, coordinator):
    assert served_by(coordinator) == "replica"
    assert ROUTER.db_for_read(Project) == "default", "and only while the list runs"


def test_without_a_standby_everything_stays_on_the_primary(coordinator):
    assert served_by(coordinator) == "default"


def test_a_user_who_has_just_written_reads_from_the_primary(with_replica, coordinator, settings):
    settings.DIAODU_REPLICA_PIN_SECONDS = 30
    just_now = str(int(time.time()) - 5)
    a_while_ago = str(int(time.time()) - 31)

    assert served_by(coordinator, **{replica.PIN_COOKIE: just_now}) == "default"
    assert served_by(coordinator, **{replica.PIN_COOKIE: a_while_ago}) == "replica"
    assert served_by(coordinator, **{replica.PIN_COOKIE: "garbage"}) == "replica"


def test_a_write_request_and_reads_inside_a_transaction_stay_on_the_primary(
    with_replica, coordinator
):
    assert served_by(coordinator, method="post") == "default"

    @replica.reads_from_replica
    def view_in_a_transaction(request):
        with transaction.atomic():
            return HttpResponse(ROUTER.db_for_read(Project))

    assert view_in_a_transaction(request(coordinator)).content == b"default"


def test_writes_and_migrations_only_on_the_primary():
    assert ROUTER.db_for_write(Project) == "default"
    assert ROUTER.allow_migrate("default", "projects")
    assert not ROUTER.allow_migrate("replica", "projects")


def test_every_write_request_pins_its_user_to_the_primary(with_replica, client, coordinator):
    client.force_login(coordinator)
    before = int(time.time())

    client.get("/projects/")
    assert replica.PIN_COOKIE not in client.cookies

    client.post("/projects/new/", {})
    pin = client.cookies[replica.PIN_COOKIE]
    assert int(pin.value) >= before
    assert pin["httponly"]


def test_the_standby_is_a_second_database_mirroring_the_first_in_tests(tmp_path):
    run = import_settings(
        tmp_path,
        {
            "DATABASE_URL": "postgres://diaodu@10.0.0.1/diaodu",
            "DATABASE_REPLICA_URL": "postgres://diaodu@10.0.0.2/diaodu",
        },
        "s.DATABASES['replica']['HOST'], s.DATABASES['replica']['TEST'], s.DATABASE_ROUTERS",
    )

    assert run.returncode == 0, run.stderr
    assert "10.0.0.2 {'MIRROR': 'default'} ['diaodu.core.replica.ReplicaRouter']" in run.stdout

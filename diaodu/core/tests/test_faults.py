"""Faults a production host meets: the database going away and coming back, and an app
process killed in the middle of a write."""

import json
import threading
import time

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.core.tests.conftest import (
    Browser,
    TcpProxy,
    database_url,
    needs_postgresql,
    problem_form,
)
from diaodu.problems.models import Problem

pytestmark = needs_postgresql


def wait_for(condition, seconds: float = 15, step: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(step)
    pytest.fail(f"not within {seconds} s: {condition.__doc__}")


def test_without_its_database_the_app_says_503_and_recovers_by_itself(
    world_with_passwords, start_server
):
    w = world_with_passwords
    proxy = TcpProxy(int(connection.settings_dict["PORT"] or 5432))
    proxy.start()
    server = start_server(DATABASE_URL=database_url(proxy.port))
    owner = Browser()
    owner.log_in(server, w.owner_x.username)
    assert owner.request(f"{server.url}/projects/")[0] == 200

    proxy.stop()
    status, headers, page = owner.request(f"{server.url}/projects/")
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Temporarily unavailable" in page
    assert "Nothing you saved before is lost" in page
    status, _, body = owner.request(f"{server.url}/healthz")
    assert (status, json.loads(body)) == (503, {"status": "unavailable"})

    proxy.start()

    def page_is_back():
        """the project list answers 200 again"""
        return owner.request(f"{server.url}/projects/")[0] == 200

    wait_for(page_is_back)
    status, _, page = owner.request(f"{server.url}/projects/")
    assert w.project_x.name in page, "the same process, the same session, nothing restarted"
    assert server.process.poll() is None
    proxy.stop()


def stalled_backend():
    """an app connection waits on a lock inside its transaction"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return row and row[0]


def test_a_process_killed_mid_write_loses_no_acknowledged_write_and_leaves_no_half(
    world_with_passwords, start_server
):
    w = world_with_passwords
    server = start_server()
    owner = Browser()
    owner.log_in(server, w.owner_x.username)
    form_url = f"{server.url}/projects/{w.project_x.pk}/problems/new/"
    acknowledged = []
    for n in range(5):
        status, _, body = owner.request(form_url, problem_form(w, f"停电检修第{n}次"))
        assert status == 302, body
        acknowledged.append(f"停电检修第{n}次")

    # The next write stalls inside its transaction: the problem row is inserted, and the
    # change log row that must come with it waits for a lock this test holds.
    blocker = psycopg.connect(database_url())
    blocker.execute("LOCK TABLE core_changelog IN EXCLUSIVE MODE")
    outcome = {}

    def raise_one_more():
        try:
            outcome["status"] = owner.request(form_url, problem_form(w, "写到一半"))[0]
        except OSError as error:
            outcome["error"] = error

    request = threading.Thread(target=raise_one_more)
    request.start()
    pid = wait_for(stalled_backend)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relation::regclass::text FROM pg_locks WHERE pid = %s "
            "AND mode = 'RowExclusiveLock' AND granted",
            [pid],
        )
        assert "problems_problem" in {name for (name,) in cursor.fetchall()}

    server.kill()
    blocker.rollback()
    blocker.close()
    request.join(timeout=30)

    def backend_gone():
        """the killed process's database session ends"""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            return cursor.fetchone()[0] == 0

    wait_for(backend_gone)
    assert "status" not in outcome, "the stalled request was never acknowledged"
    problems = Problem.objects.filter(project=w.project_x, title__startswith="停电检修")
    assert sorted(p.title for p in problems) == acknowledged
    assert not Problem.objects.filter(title="写到一半").exists()
    for problem in problems:
        assert ChangeLog.objects.filter(
            object_type=ContentType.objects.get_for_model(Problem),
            object_id=problem.pk,
            action=ChangeAction.CREATE,
        ).exists()
        assert problem.entries.count() == 1

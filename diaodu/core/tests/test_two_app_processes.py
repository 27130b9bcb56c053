"""Several app hosts behind a load balancer: two gunicorn processes on different ports
share one PostgreSQL (and Redis, when there is one). Whatever one of them does, the other
sees: the session, the data written, the notifications."""

import re

import pytest
import redis

from diaodu.core.tests.conftest import Browser, needs_postgresql, problem_form

pytestmark = needs_postgresql


def redis_is_running() -> bool:
    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=1).ping()
    except redis.RedisError:
        return False


SESSION_STORES = [
    pytest.param({}, id="sessions in the database"),
    pytest.param(
        {"REDIS_URL": "redis://127.0.0.1:6379/0"},
        id="sessions and cache in Redis",
        marks=pytest.mark.skipif(not redis_is_running(), reason="no Redis at 127.0.0.1:6379"),
    ),
]


@pytest.mark.parametrize("stores", SESSION_STORES)
def test_what_one_app_process_does_the_other_sees(world_with_passwords, start_server, stores):
    w = world_with_passwords
    a, b = start_server(**stores), start_server(**stores)
    owner = Browser()

    owner.log_in(a, w.owner_x.username)
    status, _, page = owner.request(f"{b.url}/projects/")
    assert status == 200, "the session made through A is valid on B"
    assert w.project_x.name in page

    status, headers, body = owner.request(
        f"{a.url}/projects/{w.project_x.pk}/problems/new/",
        problem_form(w, "施工用电容量不足"),
    )
    assert status == 302, body
    problem_path = re.search(r"/problems/\d+/", headers["Location"]).group()
    status, _, page = owner.request(f"{b.url}{problem_path}")
    assert status == 200
    assert "施工用电容量不足" in page

    staff = Browser()
    staff.log_in(b, w.staff_a.username)
    status, _, page = staff.request(f"{b.url}/notifications/")
    assert status == 200
    assert "施工用电容量不足" in page, "the notification made by A's request shows on B"
    bell = re.search(r'id="notification-bell".*?</a>', page, re.S).group()
    assert re.search(r"badge[^>]*>1<", bell), "and B's bell counts it as unread"

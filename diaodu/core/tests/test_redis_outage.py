"""Redis going away (REDIS_URL set, nothing answering): pages still work, sessions come
from the database."""

import socket

import pytest
from django.core.cache import caches


@pytest.fixture
def redis_away(settings):
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "diaodu.core.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield
    caches["default"].close()


def test_without_redis_a_logged_in_user_still_gets_pages(redis_away, client, coordinator):
    client.force_login(coordinator)

    response = client.get("/projects/")

    assert response.status_code == 200
    assert response.wsgi_request.user == coordinator


def test_without_redis_the_cache_answers_as_if_empty(redis_away):
    cache = caches["default"]

    cache.set("figures", 42)
    assert cache.get("figures", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("figures", 1) is False
    assert cache.delete("figures") is False

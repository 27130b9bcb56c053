"""Django's Redis cache, made to carry on while Redis is unreachable.

The cache holds nothing that is not also somewhere else (sessions are written through to
the database, see settings), so a Redis outage is answered as a cache miss: reads find
nothing, writes are dropped, and the request goes on. Each failure is logged. ``incr`` is
the exception: it has no answer to give without Redis, so it still raises.
"""

import logging
from functools import wraps

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)


def _forgiving(method, fallback):
    @wraps(method)
    def wrapped(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except redis.RedisError as error:
            logger.warning("Redis unavailable, %s skipped: %s", method.__name__, error)
            return fallback(*args)

    return wrapped


class ForgivingRedisCacheClient(RedisCacheClient):
    add = _forgiving(RedisCacheClient.add, lambda *args: False)
    get = _forgiving(RedisCacheClient.get, lambda key, default: default)
    set = _forgiving(RedisCacheClient.set, lambda *args: None)
    touch = _forgiving(RedisCacheClient.touch, lambda *args: False)
    delete = _forgiving(RedisCacheClient.delete, lambda *args: False)
    get_many = _forgiving(RedisCacheClient.get_many, lambda *args: {})
    has_key = _forgiving(RedisCacheClient.has_key, lambda *args: False)
    set_many = _forgiving(RedisCacheClient.set_many, lambda data, timeout: list(data))
    delete_many = _forgiving(RedisCacheClient.delete_many, lambda *args: None)
    clear = _forgiving(RedisCacheClient.clear, lambda *args: False)


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient

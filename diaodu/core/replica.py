"""Reads from a streaming standby (``DATABASE_REPLICA_URL``), where they can do no harm.

Only views marked with :func:`reads_from_replica` (lists, dashboards, exports: pages that
read much and write nothing) read from the standby, and only for a GET or HEAD. A user who
has just written is pinned to the primary for ``DIAODU_REPLICA_PIN_SECONDS`` (a cookie set
on every write request), so the list they return to shows what they saved even while the
standby is a moment behind. Everything else, every write, every read inside a transaction,
and every migration stays on the primary.
"""

import contextvars
import time
from functools import wraps

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# The cookie holding the time of the user's last write, in whole seconds since the epoch.
PIN_COOKIE = "diaodu_wrote"
SAFE_METHODS = {"GET", "HEAD"}

_reading_from_replica = contextvars.ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_from_replica(view):
    """Marks a view whose reads may be served by the standby (see the module's text)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not replica_allowed(request):
            return view(request, *args, **kwargs)
        token = _reading_from_replica.set(True)
        try:
            return view(request, *args, **kwargs)
        finally:
            _reading_from_replica.reset(token)

    return wrapped


def pinned_to_primary(request: HttpRequest, now: float | None = None) -> bool:
    """Whether the user wrote within the last pin period."""
    try:
        wrote = int(request.COOKIES.get(PIN_COOKIE, ""))
    except ValueError:
        return False
    now = time.time() if now is None else now
    return now - wrote < settings.DIAODU_REPLICA_PIN_SECONDS


def replica_allowed(request: HttpRequest) -> bool:
    if not replica_configured() or request.method not in SAFE_METHODS:
        return False
    if pinned_to_primary(request):
        return False
    # The session and the user are read now, from the primary: a session created a moment
    # ago may not have reached the standby, and a deactivated account must stop at once.
    request.user.is_authenticated  # noqa: B018
    return True


class ReplicaRouter:
    """Routes reads to the standby while a marked view runs; all else to the primary."""

    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The standby is a copy of the primary: an object read from one relates to the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PinAfterWriteMiddleware:
    """Sets the pin cookie on the answer to every write request (successful or not: a
    failed form may still have saved part of a multi-step flow, and a pin costs nothing
    but a few reads on the primary)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if replica_configured() and request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time())),
                max_age=settings.DIAODU_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

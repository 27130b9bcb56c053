"""Request handling that is not about any one page: the answer when the database is away,
and the client's address as seen through the proxies in front of Diaodu."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template

logger = logging.getLogger(__name__)

# Seconds a browser or load balancer is asked to wait before trying again.
RETRY_AFTER = 30


def service_unavailable() -> HttpResponse:
    """The 503 page. Rendered without the request, so no context processor touches the
    database that has just failed; the text is in the language the request asked for."""
    response = HttpResponse(get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection into a 503 "try again shortly" page instead of a
    500 error. Nothing else is needed for recovery: Django checks a kept connection before
    reusing it (``CONN_HEALTH_CHECKS``) and opens a new one once the database is back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s %s: %s", request.method, request.path, exception)
        return service_unavailable()


def client_ip(request: HttpRequest) -> str:
    """The address a request came from: the ``DIAODU_PROXY_COUNT``-th address from the
    right of X-Forwarded-For (each trusted proxy appends the address it saw), else the
    peer address. Used to throttle log-ins per address."""
    count = settings.DIAODU_PROXY_COUNT
    if count:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")

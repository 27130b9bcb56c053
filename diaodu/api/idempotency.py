"""``Idempotency-Key`` for API writes: a retried request gets the first answer again and
writes nothing a second time.

The first request with a key inserts a row for (user, key) before its view runs, and
stores the answer in that row, all in one transaction with the view's writes: a client cut
off at commit either finds both the write and the answer, or neither, and may retry. A
concurrent retry's insert waits on the unique index until the first commits, then replays
its answer. The same key with another request is refused with 422. Answers from 500 up
(and refusals to authenticate) are not kept: nothing was written, the retry runs afresh.
"""

import hashlib
from datetime import timedelta

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from diaodu.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
KEY_LENGTH = 255
KEPT_FOR = timedelta(days=1)
# Not an answer to the request itself: the retry, authenticated or slowed down, runs afresh.
_NOT_KEPT = {401, 403, 429}


def expired(now=None):
    """The keys a retry can no longer use; the daily chasing command deletes them."""
    return IdempotentRequest.objects.filter(created_at__lt=(now or timezone.now()) - KEPT_FOR)


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITES or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not key.strip() or len(key) > KEY_LENGTH:
            return _refuse(400, _("An Idempotency-Key is 1 to 255 characters long."))
        try:
            fingerprint = _fingerprint(request)
        except RequestDataTooBig:
            return _refuse(413, _("This request is too large to be sent with an Idempotency-Key."))
        user = _user(request)
        if user is None:
            return self.get_response(request)  # the view refuses it as usual
        with transaction.atomic():
            record, replay = _claim(user, key, fingerprint)
            if replay is not None:
                return replay
            response = self.get_response(request)
            if response.status_code >= 500 or response.status_code in _NOT_KEPT:
                transaction.set_rollback(True)
                return response
            record.status = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.body = response.content
            record.save(update_fields=["status", "content_type", "body"])
        return response


def _claim(user, key: str, fingerprint: str):
    """(the new row, None) for a first request; (None, the answer) for a retry."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    user=user, key=key, fingerprint=fingerprint
                )
            return record, None
        except IntegrityError:
            stored = IdempotentRequest.objects.select_for_update().get(user=user, key=key)
        if stored.created_at >= timezone.now() - KEPT_FOR:
            break
        stored.delete()  # a day old: the key is free again
    if stored.fingerprint != fingerprint:
        return None, _refuse(
            422,
            _(
                "This Idempotency-Key was already used for a different request. "
                "Use a new key for a new request."
            ),
        )
    response = HttpResponse(
        bytes(stored.body), status=stored.status, content_type=stored.content_type or None
    )
    response["Idempotent-Replayed"] = "true"
    return None, response


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.get_full_path(), request.content_type or ""):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _user(request):
    """The caller as the API will authenticate them, or None (the view then refuses)."""
    drf_request = Request(
        request, authenticators=[cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    )
    try:
        user = drf_request.user
    except APIException:
        return None
    return user if user.is_authenticated else None


def _refuse(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)

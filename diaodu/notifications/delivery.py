"""Sending a :class:`Delivery`: an e-mail, or a post to a chat robot or JSON webhook.

``deliver`` makes one attempt and records its outcome on the delivery. A failed send
never raises: a broken robot must not break the worker, nor the page whose action caused
the message.
What went wrong is kept in ``Delivery.last_error`` (a technical log line, in English, like
the rest of the logs) and logged.
"""

import base64
import hashlib
import hmac
import http.client
import json
import logging
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from diaodu.notifications.choices import ChannelKind, DeliveryStatus, event_label
from diaodu.notifications.models import Channel, Delivery, WebhookEndpoint

logger = logging.getLogger(__name__)

#: The waits after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_ATTEMPTS = len(BACKOFF) + 1

#: How long a delivery taken by a worker is left alone by the others. Far longer than an
#: attempt can take; should the worker die mid-attempt, ``retry_deliveries`` takes the
#: delivery up again once this has passed.
CLAIM_LEASE = timedelta(minutes=15)

_MAX_REPLY = 64 * 1024
_EXCERPT = 300
_MAX_ERROR = 1000
# WeCom refuses markdown over 4096 bytes; DingTalk and Feishu cap a request near 20 KB.
_WECOM_MAX_BYTES = 4096
_ROBOT_MAX_BODY_BYTES = 8000


class DeliveryError(Exception):
    """An attempt failed in a way we expect: the server said no or could not be reached."""


class PermanentDeliveryError(DeliveryError):
    """Trying again cannot help (there is no address to send to)."""


def claim(delivery_id: int) -> Delivery | None:
    """Take a delivery for one attempt if it is pending and due, else ``None``.

    The same delivery can be queued twice (by ``retry_deliveries`` while its task still
    waits, by an administrator's "retry"); a conditional UPDATE is atomic on every
    database, so only one worker wins and the message is sent once.
    """
    now = timezone.now()
    taken = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + CLAIM_LEASE)
    if not taken:
        return None
    return Delivery.objects.select_related(
        "channel__organisation", "notification__recipient", "endpoint"
    ).get(pk=delivery_id)


def deliver(delivery: Delivery) -> bool:
    """Make one attempt to send ``delivery`` and record it: ``True`` if it was sent.

    A failure schedules the next attempt (``next_attempt_at``, after :data:`BACKOFF`) or,
    after :data:`MAX_ATTEMPTS` attempts, marks the delivery ``failed`` for good.
    """
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        # In the language the message was written in (the recipient's, the channel's),
        # whatever the worker's or the request that queued it used.
        with translation.override(delivery.language or settings.LANGUAGE_CODE):
            if delivery.channel_id:
                _post_to_channel(delivery.channel, delivery)
            elif delivery.endpoint_id:
                _post_to_endpoint(delivery.endpoint, delivery)
            else:
                _send_email(delivery)
    except Exception as error:  # whatever went wrong is recorded, never raised
        _record_failure(delivery, error, now)
        return False
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = now
    delivery.next_attempt_at = None
    _save(delivery)
    return True


def _record_failure(delivery: Delivery, error: Exception, now: datetime) -> None:
    if isinstance(error, DeliveryError):
        message = str(error)
    else:
        message = f"{type(error).__name__}: {error}"
        logger.error("Delivery %s: unexpected error", delivery.pk, exc_info=error)
    delivery.last_error = message[:_MAX_ERROR]
    if isinstance(error, PermanentDeliveryError) or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
        logger.error(
            "Delivery %s failed for good after %d attempt(s): %s",
            delivery.pk,
            delivery.attempts,
            message,
        )
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        logger.warning(
            "Delivery %s attempt %d failed, next at %s: %s",
            delivery.pk,
            delivery.attempts,
            delivery.next_attempt_at.isoformat(),
            message,
        )
    _save(delivery)


def _save(delivery: Delivery) -> None:
    delivery.save(
        update_fields=[
            "status",
            "attempts",
            "last_error",
            "last_attempt_at",
            "next_attempt_at",
            "sent_at",
        ]
    )


# --- The message ------------------------------------------------------------------------


def absolute_url(url: str) -> str:
    """``url`` as a link that works outside the site (in an e-mail, a chat group).

    Callers pass paths such as ``/problems/12/``; they are prefixed with the optional
    ``DIAODU_SITE_URL`` setting (e.g. ``https://diaodu.example.gov.cn``) when it is set.
    """
    base = getattr(settings, "DIAODU_SITE_URL", "")
    if base and url.startswith("/") and not url.startswith("//"):
        return base.rstrip("/") + url
    return url


def heading(delivery: Delivery, escape=str) -> str:
    """The message's first line: its tag (the event) and title (through ``escape``, for a
    chat format), on one line."""
    text = _("[%(event)s] %(title)s") % {
        "event": event_label(delivery.event),
        "title": escape(delivery.title),
    }
    return " ".join(text.split())


# Titles and bodies hold what people typed. In a robot's markdown a typed "[x](http://...)"
# would become a link posted in the government's name, "<@all>" or "<at ...>" a mention of
# everyone, "# x" a headline: the characters that make markup are replaced by their
# full-width forms, which read the same in Chinese text and mean nothing to the renderer.
# (Backslash escapes are not used: not every robot's markdown knows them.)
_MARKDOWN = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "[]()<>*_#`~|!"} | {"\\": "＼"})
_TAGS = str.maketrans({"<": "＜", ">": "＞"})


def markdown_text(text: str) -> str:
    """``text`` as literal text inside WeCom's or DingTalk's markdown."""
    return text.translate(_MARKDOWN)


def feishu_text(text: str) -> str:
    """``text`` as literal text in a Feishu text message, whose only markup is
    ``<at user_id="...">`` mentions."""
    return text.translate(_TAGS)


def _clip(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` of UTF-8, on a character boundary."""
    data = text.encode()
    if len(data) <= max_bytes:
        return text
    ellipsis = "…"
    room = max(max_bytes - len(ellipsis.encode()), 0)
    return data[:room].decode(errors="ignore") + ellipsis


# --- E-mail -----------------------------------------------------------------------------


def _send_email(delivery: Delivery) -> None:
    recipient = delivery.notification.recipient
    if not recipient.is_active:
        raise PermanentDeliveryError("the recipient's account is deactivated")
    if not recipient.email:
        raise PermanentDeliveryError("the recipient has no e-mail address")
    link = absolute_url(delivery.url)
    text = "\n\n".join(part for part in (delivery.body, link) if part)
    try:
        send_mail(heading(delivery), text, None, [recipient.email], fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"e-mail not sent: {type(error).__name__}: {error}") from error


# --- Chat robots and webhooks -----------------------------------------------------------


def _post_to_channel(channel: Channel, delivery: Delivery) -> None:
    if not channel.is_active:
        raise PermanentDeliveryError("the channel is switched off")
    url = channel.url
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Diaodu"}
    if channel.kind == ChannelKind.WECOM:
        payload = wecom_payload(delivery)
    elif channel.kind == ChannelKind.DINGTALK:
        payload = dingtalk_payload(delivery)
        if channel.secret:
            url = _with_query(url, dingtalk_signature(channel.secret))
    elif channel.kind == ChannelKind.FEISHU:
        payload = feishu_payload(delivery)
        if channel.secret:
            payload = {**feishu_signature(channel.secret), **payload}
    elif channel.kind == ChannelKind.WEBHOOK:
        payload = webhook_payload(delivery)
        headers["X-Diaodu-Event"] = delivery.event
        headers["X-Diaodu-Delivery"] = str(delivery.pk)
    else:
        raise PermanentDeliveryError(f"unknown channel kind {channel.kind!r}")
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    if channel.kind == ChannelKind.WEBHOOK and channel.secret:
        headers["X-Diaodu-Signature"] = webhook_signature(channel.secret, body)
    reply = _post(url, body, headers)
    if channel.kind != ChannelKind.WEBHOOK:
        _check_robot_reply(channel.kind, reply)


def _post_to_endpoint(endpoint: WebhookEndpoint, delivery: Delivery) -> None:
    if not endpoint.is_active:
        raise PermanentDeliveryError("the webhook endpoint is switched off")
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    # Wall-clock time, like the robots': the receiver compares it with its own clock.
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Diaodu",
        "X-Diaodu-Event": delivery.event,
        "X-Diaodu-Delivery": str(delivery.pk),
        "X-Diaodu-Signature": signature_header(endpoint.secret, timestamp, body),
    }
    _post(endpoint.url, body, headers)


def wecom_payload(delivery: Delivery) -> dict:
    head = f"**{heading(delivery, markdown_text)}**\n"
    link = absolute_url(delivery.url)
    tail = f"\n[{_('Open in Diaodu')}]({link})" if link else ""
    room = _WECOM_MAX_BYTES - len(head.encode()) - len(tail.encode())
    content = head + _clip(markdown_text(delivery.body), room) + tail
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(delivery: Delivery) -> dict:
    # DingTalk's markdown joins single line breaks; a trailing double space keeps them.
    body = _clip(markdown_text(delivery.body), _ROBOT_MAX_BODY_BYTES).replace("\n", "  \n")
    link = absolute_url(delivery.url)
    parts = [
        f"#### {heading(delivery, markdown_text)}",
        body,
        f"[{_('Open in Diaodu')}]({link})" if link else "",
    ]
    return {
        "msgtype": "markdown",
        # The title is shown as plain text in the chat list and notifications.
        "markdown": {
            "title": heading(delivery),
            "text": "\n\n".join(part for part in parts if part),
        },
    }


def feishu_payload(delivery: Delivery) -> dict:
    parts = [
        heading(delivery, feishu_text),
        _clip(feishu_text(delivery.body), _ROBOT_MAX_BODY_BYTES),
        absolute_url(delivery.url),
    ]
    return {"msg_type": "text", "content": {"text": "\n".join(part for part in parts if part)}}


def webhook_payload(delivery: Delivery) -> dict:
    organisation = delivery.channel.organisation
    return {
        "delivery": delivery.pk,
        "event": delivery.event,
        "title": delivery.title,
        "body": delivery.body,
        "url": absolute_url(delivery.url),
        "organisation": {"id": organisation.pk, "name": organisation.name},
        "created_at": delivery.created_at.isoformat(),
    }


def dingtalk_signature(secret: str) -> dict:
    """DingTalk's "加签": HMAC-SHA256 keyed with the secret over "timestamp\\nsecret",
    base64; sent as ``timestamp`` (milliseconds) and ``sign`` query parameters."""
    # The robot checks the timestamp against its own clock: wall-clock time, always.
    timestamp = str(round(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return {"timestamp": timestamp, "sign": base64.b64encode(digest).decode()}


def feishu_signature(secret: str) -> dict:
    """Feishu's "签名校验": HMAC-SHA256 keyed with "timestamp\\nsecret" over nothing,
    base64; sent as ``timestamp`` (seconds) and ``sign`` fields of the JSON body."""
    timestamp = str(int(time.time()))
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return {"timestamp": timestamp, "sign": base64.b64encode(digest).decode()}


def webhook_signature(secret: str, body: bytes) -> str:
    """The ``X-Diaodu-Signature`` header: HMAC-SHA256 of the exact body, keyed with the
    channel's secret, in hex. Receivers recompute it and compare in constant time."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: str, body: bytes) -> str:
    """``X-Diaodu-Signature`` of an event posted to an endpoint: ``t=<unix seconds>,
    sha256=<hex>``, the HMAC of ``"<t>." + body``. Signing the time too lets receivers
    refuse an old post replayed."""
    return f"t={timestamp}," + webhook_signature(secret, timestamp.encode() + b"." + body)


def _with_query(url: str, params: dict) -> str:
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + separator + urllib.parse.urlencode(params)


def _excerpt(data: bytes) -> str:
    text = data.decode(errors="replace").strip()
    return " ".join(text.split())[:_EXCERPT]


def _post(url: str, body: bytes, headers: dict) -> bytes:
    """POST ``body``; the reply's body if the answer is 2xx, else :class:`DeliveryError`.

    Errors never quote the address: robot addresses carry their access token.
    """
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise PermanentDeliveryError("the channel's address is not http(s)")
    timeout = settings.DIAODU_WEBHOOK_TIMEOUT
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(_MAX_REPLY)
    except urllib.error.HTTPError as error:
        try:
            reply = error.read(_MAX_REPLY)
        except (OSError, http.client.HTTPException):
            reply = b""
        excerpt = _excerpt(reply)
        raise DeliveryError(
            f"HTTP {error.code}: {excerpt}" if excerpt else f"HTTP {error.code}"
        ) from error
    except urllib.error.URLError as error:
        raise DeliveryError(f"cannot connect: {error.reason}") from error
    except TimeoutError as error:
        raise DeliveryError(f"no answer within {timeout} s") from error
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryError(f"connection failed: {type(error).__name__}: {error}") from error


def _check_robot_reply(kind: str, reply: bytes) -> None:
    """Robots answer HTTP 200 even when they refuse: the JSON body's code says which."""
    try:
        data = json.loads(reply)
    except ValueError:
        data = None
    if kind == ChannelKind.FEISHU:
        # Feishu's current "code"/"msg", or the "StatusCode" of its first version.
        keys = [("code", "msg"), ("StatusCode", "StatusMessage")]
    else:
        keys = [("errcode", "errmsg")]
    for code_key, message_key in keys:
        if isinstance(data, dict) and code_key in data:
            if data[code_key] != 0:
                raise DeliveryError(f"{code_key} {data[code_key]}: {data.get(message_key, '')}")
            return
    raise DeliveryError(f"unexpected reply: {_excerpt(reply)}")

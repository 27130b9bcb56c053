"""Every write of the notifications app. Other apps call :func:`notify`.

Notifications are messages, not domain objects: they are not change-logged. Webhook
endpoints are configuration, and their changes are.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from diaodu.accounts.models import User
from diaodu.core import services as core
from diaodu.notifications import access, messages, webhooks
from diaodu.notifications.choices import WebhookEvent
from diaodu.notifications.models import (
    Channel,
    Delivery,
    Notification,
    Preference,
    WebhookEndpoint,
)
from diaodu.notifications.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

_URL_MAX = Notification._meta.get_field("url").max_length
_EVENT_MAX = Notification._meta.get_field("event").max_length


def notify(
    *,
    event: str,
    title,
    body="",
    url: str = "",
    users=(),
    organisations=(),
    actor=None,
) -> list[Notification]:
    """Notify each user in `users` and every active person of each organisation in
    `organisations` (deduplicated; the actor is not notified of their own action). Creates
    one in-app Notification per person, an e-mail Delivery per person with an e-mail
    address (if the recipient has e-mail notifications on), and one Delivery per active
    chat-robot Channel of each organisation. Deliveries are enqueued as django-tasks tasks
    *on transaction commit*, so a failed or slow webhook never breaks or slows the page
    that caused it.

    ``title`` and ``body`` are messages (:func:`messages.message`), or data as plain
    text: each reader sees them in their language. E-mails are written in the recipient's
    language, chat robots' posts in the channel's (the site's unless set otherwise)."""
    # Call it inside the service's transaction: if the action rolls back, so do its
    # notifications, and nothing is sent. Inactive accounts are never notified, even
    # when named in ``users``. ``None`` in ``users`` is skipped, so callers can pass
    # optional people (``project.responsible_leader``) as they are. The number of queries
    # does not grow with the number of people.
    user_ids = {user.pk for user in users if user is not None}
    organisation_ids = {org.pk for org in organisations if org is not None}
    if not user_ids and not organisation_ids:
        return []
    title, body = messages.stored(title), messages.stored(body)
    url, event = str(url), str(event)[:_EVENT_MAX]
    if len(url) > _URL_MAX:
        # A cut link leads nowhere; a notification without one is still worth having.
        logger.warning("notify(%s): link longer than %d characters dropped", event, _URL_MAX)
        url = ""
    people = (
        User.objects.filter(Q(pk__in=user_ids) | Q(organisation_id__in=organisation_ids))
        .filter(is_active=True)
        .annotate(
            email_off=Exists(Preference.objects.filter(user=OuterRef("pk"), email_enabled=False)),
            language=Subquery(
                Preference.objects.filter(user=OuterRef("pk")).values("language")[:1]
            ),
        )
        .only("pk", "email")
        .order_by("pk")
    )
    if actor is not None and actor.pk is not None:
        people = people.exclude(pk=actor.pk)

    def written(language):
        # The title stays a message (the log shows it in its reader's language); the body
        # is kept as the text sent.
        with translation.override(language or settings.LANGUAGE_CODE):
            body_text = messages.render(body)
        return {
            "event": event,
            "language": language or "",
            "title": title,
            "body": body_text,
            "url": url,
        }

    now = timezone.now()
    with transaction.atomic():
        people = list(people)
        notifications = Notification.objects.bulk_create(
            Notification(
                recipient=person, event=event, title_message=title, body_message=body, url=url
            )
            for person in people
        )
        deliveries = [
            Delivery(notification=notification, next_attempt_at=now, **written(person.language))
            for person, notification in zip(people, notifications, strict=True)
            if person.email and not person.email_off
        ]
        channels = Channel.objects.filter(organisation_id__in=organisation_ids, is_active=True)
        deliveries += [
            Delivery(channel=channel, next_attempt_at=now, **written(channel.language))
            for channel in channels.only("pk", "language").order_by("pk")
        ]
        Delivery.objects.bulk_create(deliveries)
        enqueue_on_commit([delivery.pk for delivery in deliveries])
    return notifications


def subscribers(event: str) -> list[WebhookEndpoint]:
    """The active endpoints subscribed to ``event`` (a handful: filtered here, not in SQL,
    as JSON containment is not portable)."""
    endpoints = WebhookEndpoint.objects.filter(is_active=True).select_related("organisation")
    return [e for e in endpoints if e.receives(event)]


def emit(event: str, obj, actor=None) -> list[Delivery]:
    """Post ``event`` about ``obj`` to every active webhook endpoint subscribed to it (an
    organisation's endpoint only if the event concerns that organisation and it may open
    ``obj``, see ``access.endpoint_receives``): one Delivery
    each, enqueued on commit and retried like every delivery.

    Call it inside the service's transaction, as :func:`notify`: nothing is sent for an
    action that rolls back. The payload is built now, so it shows the object as the event
    left it, whenever the post succeeds.
    """
    endpoints = subscribers(event)
    if any(endpoint.organisation_id for endpoint in endpoints):
        concerned = webhooks.organisations_of(obj)
        endpoints = [
            e
            for e in endpoints
            if e.organisation_id in (None, *concerned) and access.endpoint_receives(e, event, obj)
        ]
    if not endpoints:
        return []
    payload = webhooks.payload(event, obj, actor)
    # Shown in the delivery log, in its reader's language: the event's label is a key.
    title = messages.message(
        gettext_noop("%(event)s: %(object)s"), event=WebhookEvent(event).label, object=str(obj)
    )
    url = webhooks.page_url(obj)
    now = timezone.now()
    with transaction.atomic():
        deliveries = Delivery.objects.bulk_create(
            Delivery(
                endpoint=endpoint,
                event=event,
                title=title,
                url=url if len(url) <= _URL_MAX else "",
                payload=payload,
                next_attempt_at=now,
            )
            for endpoint in sorted(endpoints, key=lambda e: e.pk)
        )
        enqueue_on_commit([delivery.pk for delivery in deliveries])
    return deliveries


@transaction.atomic
def create_endpoint(data: dict, *, actor) -> WebhookEndpoint:
    return core.create(actor, WebhookEndpoint, dict(data))


@transaction.atomic
def update_endpoint(endpoint: WebhookEndpoint, changes: dict, *, actor) -> WebhookEndpoint:
    core.update(actor, endpoint, changes)
    return endpoint


def mark_read(notification: Notification) -> bool:
    """Mark one notification read; ``False`` if it already was."""
    if notification.read_at is not None:
        return False
    now = timezone.now()
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now
    )
    notification.read_at = now
    return bool(updated)


def mark_all_read(user) -> int:
    """Mark all the user's unread notifications read; returns how many there were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def email_enabled(user) -> bool:
    return not Preference.objects.filter(user=user, email_enabled=False).exists()


def set_email_enabled(user, enabled: bool) -> None:
    Preference.objects.update_or_create(user=user, defaults={"email_enabled": enabled})


def set_language(user, language: str) -> None:
    """Remember the interface language the person chose: their e-mails are written in it."""
    Preference.objects.update_or_create(user=user, defaults={"language": language})

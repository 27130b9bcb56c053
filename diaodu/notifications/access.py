"""Who may see which notifications: everyone their own, nobody anyone else's (not even
an administrator, through the pages or the API). Channels, webhook endpoints and
deliveries are the administrators' alone."""

from diaodu.accounts.access import stand_in
from diaodu.core.access import may_open
from diaodu.meetings.access import can_receive_minutes
from diaodu.notifications.choices import WebhookEvent
from diaodu.notifications.models import Channel, Delivery, Notification, WebhookEndpoint


def visible_notifications(user):
    if not user.is_authenticated or not user.is_active:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def can_manage_delivery(user) -> bool:
    """Chat channels, webhook endpoints and the log of deliveries are the administrators'
    (the Django admin's pages): their addresses carry secrets and access tokens."""
    return user.is_authenticated and user.is_active and user.is_admin


def visible_channels(user):
    return Channel.objects.all() if can_manage_delivery(user) else Channel.objects.none()


def visible_endpoints(user):
    if can_manage_delivery(user):
        return WebhookEndpoint.objects.all()
    return WebhookEndpoint.objects.none()


def visible_deliveries(user):
    return Delivery.objects.all() if can_manage_delivery(user) else Delivery.objects.none()


def endpoint_receives(endpoint, event: str, obj) -> bool:
    """An organisation's endpoint is sent an event only about what that organisation may
    open: an event carries the object's name, fields and link."""
    if endpoint.organisation_id is None:
        return True
    member = stand_in(endpoint.organisation)
    if event == WebhookEvent.MINUTES_ISSUED:
        return can_receive_minutes(member, obj)
    return may_open(member, obj)

"""Making and revoking a person's calendar address. The log says when an address was made
or revoked, never its secret or hash."""

import secrets

from django.db import transaction
from django.utils import timezone

from diaodu.calendars.models import CalendarFeed, token_hash
from diaodu.core import history
from diaodu.core.choices import ChangeAction


def _made(feed) -> dict:
    return {"made": timezone.localtime(feed.created_at).strftime("%Y-%m-%d %H:%M:%S")}


@transaction.atomic
def issue_feed(user, *, actor) -> str:
    """A new secret address for ``user``'s calendar; any earlier one stops working. Returns
    the secret, which is not stored and cannot be shown again."""
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user, token_hash=token_hash(token))
        history.record(actor, feed, ChangeAction.CREATE, after=_made(feed), related=user)
        return token
    before = _made(feed)
    feed.token_hash = token_hash(token)
    feed.created_at = timezone.now()
    feed.save(update_fields=["token_hash", "created_at"])
    history.record(actor, feed, ChangeAction.UPDATE, before=before, after=_made(feed), related=user)
    return token


@transaction.atomic
def revoke_feed(user, *, actor) -> None:
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return
    history.record(actor, feed, ChangeAction.DELETE, before=_made(feed), related=user)
    feed.delete()


def feed_owner(token: str):
    """The active person whose calendar the secret ``token`` opens, or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None

"""The numbers in every page's header: unread notifications (the bell) and the waiting
work (the menu's Inbox)."""

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import SimpleLazyObject

from diaodu.inbox.sources import sources_for
from diaodu.notifications.access import visible_notifications


def count_of(queryset):
    """``queryset``'s number of rows as an expression, to count many in one query."""
    # COUNT(*), not COUNT(id): the database may then answer from an index alone.
    rows = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*"))
    return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), 0)


def header_counts(user) -> dict[str, int]:
    """``{"unread": n, source key: n, ...}`` in one query, however many sources."""
    counts = {"unread": count_of(visible_notifications(user).filter(read_at__isnull=True))}
    counts.update(
        (f"inbox_{source.key}", count_of(source.queryset(user))) for source in sources_for(user)
    )
    return get_user_model().objects.filter(pk=user.pk).values(**counts).get()


def header(request) -> dict:
    """``unread_notifications``, ``inbox_count`` (all the items waiting for the reader),
    ``inbox_counts`` (by source key) and ``has_inbox`` (whether the reader's role has
    waiting work here at all).

    Lazy, so only pages with the header pay for them, and both numbers come from one
    query, whatever the number of sources.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = SimpleLazyObject(lambda: header_counts(user))
    per_source = SimpleLazyObject(
        lambda: {key[len("inbox_") :]: n for key, n in counts.items() if key.startswith("inbox_")}
    )
    return {
        "unread_notifications": SimpleLazyObject(lambda: counts["unread"]),
        "inbox_count": SimpleLazyObject(lambda: sum(per_source.values())),
        "inbox_counts": per_source,
        "has_inbox": SimpleLazyObject(lambda: bool(sources_for(user))),
    }

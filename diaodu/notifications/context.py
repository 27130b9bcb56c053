"""Template context shared by every page."""

from django.utils.functional import SimpleLazyObject

from diaodu.notifications.access import visible_notifications


def unread_count(request) -> dict:
    """``unread_notifications``: the number behind the bell, for signed-in people.

    Lazy, so only pages that show it (those with the header) pay its one COUNT query,
    which the partial "unread" index answers.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: visible_notifications(user).filter(read_at__isnull=True).count()
        )
    }

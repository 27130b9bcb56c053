"""Who may see which notifications: everyone their own, nobody anyone else's (not even
an administrator, through the pages or the API)."""

from diaodu.notifications.models import Notification


def visible_notifications(user):
    if not user.is_authenticated or not user.is_active:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)

"""Notification filters, shared by the list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from diaodu.notifications.models import Notification


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(label=_("unread"), method="filter_unread")
    event = django_filters.CharFilter(label=_("event"))

    class Meta:
        model = Notification
        fields = ["unread", "event"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)

"""Notification filters, shared by the list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from diaodu.notifications.models import Channel, Delivery, Notification, WebhookEndpoint
from diaodu.org.models import Organisation
from diaodu.org.names import NamedChoiceFilter


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(label=_("unread"), method="filter_unread")
    event = django_filters.CharFilter(label=_("event"))

    class Meta:
        model = Notification
        fields = ["unread", "event"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


class ChannelFilter(django_filters.FilterSet):
    organisation = NamedChoiceFilter(label=_("organisation"), queryset=Organisation.objects.all())

    class Meta:
        model = Channel
        fields = ["organisation", "kind", "is_active"]


class WebhookEndpointFilter(django_filters.FilterSet):
    organisation = NamedChoiceFilter(label=_("organisation"), queryset=Organisation.objects.all())

    class Meta:
        model = WebhookEndpoint
        fields = ["organisation", "is_active"]


class DeliveryFilter(django_filters.FilterSet):
    event = django_filters.CharFilter(label=_("event"))
    created_after = django_filters.DateTimeFilter(
        label=_("created after"), field_name="created_at", lookup_expr="gte"
    )

    class Meta:
        model = Delivery
        fields = ["status", "event", "channel", "endpoint", "created_after"]

from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from diaodu.core.admin import HistoryAdminMixin
from diaodu.notifications import tasks
from diaodu.notifications.choices import Event
from diaodu.notifications.forms import WebhookEndpointForm
from diaodu.notifications.messages import message, render_in
from diaodu.notifications.models import Channel, Delivery, WebhookEndpoint


@admin.register(Channel)
class ChannelAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "is_active", "updated_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "organisation__name", "organisation__short_name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "kind", "name", "url", "secret", "language", "is_active"]
    actions = ["send_test_message"]

    @admin.action(description=_("Send a test message"))
    def send_test_message(self, request, queryset):
        """Lets an administrator check a robot's address and secret right away; the
        outcome shows in the deliveries list."""
        title = message(gettext_noop("Test message from Diaodu"))
        body = message(
            gettext_noop("If you can read this, this group will receive Diaodu's notifications.")
        )
        with transaction.atomic():
            deliveries = Delivery.objects.bulk_create(
                Delivery(
                    channel=channel,
                    event=Event.TEST,
                    language=channel.language,
                    title=title,
                    body=render_in(body, channel.language or settings.LANGUAGE_CODE),
                )
                for channel in queryset.filter(is_active=True)
            )
            tasks.retry_now(Delivery.objects.filter(pk__in=[d.pk for d in deliveries]))
        self.message_user(
            request,
            ngettext(
                "%(count)d test message queued; see the deliveries for the outcome.",
                "%(count)d test messages queued; see the deliveries for the outcome.",
                len(deliveries),
            )
            % {"count": len(deliveries)},
            messages.SUCCESS,
        )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(HistoryAdminMixin, admin.ModelAdmin):
    """Outside systems that receive the zone's events; their posts show in the
    deliveries list."""

    form = WebhookEndpointForm
    list_display = ["name", "organisation", "url", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(Delivery)
class DeliveryAdmin(HistoryAdminMixin, admin.ModelAdmin):
    """The log of messages sent outside the app: read-only, with a "retry" action."""

    list_display = [
        "created_at",
        "target",
        "event",
        "title",
        "status",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel__kind", "event"]
    search_fields = [
        "body",
        "last_error",
        "channel__name",
        "endpoint__name",
        "notification__recipient__username",
    ]
    list_select_related = ["channel__organisation", "notification__recipient", "endpoint"]
    date_hierarchy = "created_at"
    actions = ["retry"]

    # The title in the reader's language, not its stored message.
    exclude = ["title_message"]
    readonly_fields = ["title"]

    @admin.display(description=_("to"))
    def target(self, delivery):
        return delivery.target

    @admin.action(description=_("Retry now"))
    def retry(self, request, queryset):
        count = tasks.retry_now(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued for another attempt.",
                "%(count)d deliveries queued for another attempt.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

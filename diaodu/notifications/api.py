from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from diaodu.api.serializers import ServiceModelSerializer
from diaodu.notifications import access, services, tasks
from diaodu.notifications.choices import WebhookEvent
from diaodu.notifications.filters import (
    ChannelFilter,
    DeliveryFilter,
    NotificationFilter,
    WebhookEndpointFilter,
)
from diaodu.notifications.models import Channel, Delivery, Notification, WebhookEndpoint
from diaodu.org.models import Organisation


class NotificationSerializer(serializers.ModelSerializer):
    event_label = serializers.CharField(read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "event",
            "event_label",
            "title",
            "body",
            "url",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread.")


class PreferenceSerializer(serializers.Serializer):
    email_enabled = serializers.BooleanField(
        help_text="Also send each notification to the caller's e-mail address."
    )


class NotificationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own notifications, newest first; ``?unread=true`` for unread ones."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return access.visible_notifications(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = self.get_object()
        services.mark_read(notification)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all the caller's notifications read."""
        return Response({"marked": services.mark_all_read(request.user)})

    @extend_schema(methods=["GET"], request=None, responses=PreferenceSerializer)
    @extend_schema(methods=["PUT"], request=PreferenceSerializer, responses=PreferenceSerializer)
    @action(detail=False, methods=["get", "put"], pagination_class=None, filterset_class=None)
    def preferences(self, request):
        """How the caller is notified (the preferences page)."""
        if request.method == "PUT":
            form = PreferenceSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            services.set_email_enabled(request.user, form.validated_data["email_enabled"])
        return Response({"email_enabled": services.email_enabled(request.user)})


def _deny_unless(allowed: bool):
    if not allowed:
        raise PermissionDenied


class AdministeredViewSet(viewsets.GenericViewSet):
    """Refuses everyone but administrators, before anything else (a refused caller
    learns nothing from field errors or from 404s)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _deny_unless(access.can_manage_delivery(request.user))


class ChannelSerializer(serializers.ModelSerializer):
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = [
            "id",
            "organisation",
            "kind",
            "name",
            "url",
            "has_secret",
            "language",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_has_secret(self, channel) -> bool:
        return bool(channel.secret)


class ChannelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AdministeredViewSet):
    """Organisations' chat-group robots and webhooks (administrators; changed in the
    admin pages). Their secrets are never shown."""

    serializer_class = ChannelSerializer
    filterset_class = ChannelFilter
    ordering_fields = ["name", "created_at", "updated_at"]

    def get_queryset(self):
        return access.visible_channels(self.request.user).order_by("organisation_id", "name", "pk")


class WebhookEndpointSerializer(ServiceModelSerializer):
    # DRF drops a model URLField's own validator for its own, which accepts ftp://.
    url = serializers.URLField(
        max_length=500, validators=WebhookEndpoint._meta.get_field("url").validators
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), allow_empty=False
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "organisation",
            "name",
            "url",
            "secret",
            "events",
            "is_active",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"secret": {"write_only": True}}


class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    AdministeredViewSet,
):
    """Outside systems that receive the zone's events, signed with their secret
    (administrators). Switch one off with ``is_active``; its deliveries stay on record."""

    serializer_class = WebhookEndpointSerializer
    filterset_class = WebhookEndpointFilter
    ordering_fields = ["name", "created_at", "updated_at"]

    def get_queryset(self):
        return access.visible_endpoints(self.request.user).order_by("name", "pk")

    def perform_create(self, serializer):
        serializer.save_with(lambda data: services.create_endpoint(data, actor=self.request.user))

    def perform_update(self, serializer):
        endpoint = serializer.instance
        serializer.save_with(
            lambda data: services.update_endpoint(endpoint, data, actor=self.request.user)
        )


class DeliverySerializer(serializers.ModelSerializer):
    event_label = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True, help_text="In the caller's language.")
    target = serializers.CharField(read_only=True)
    payload = serializers.JSONField(read_only=True, allow_null=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "event_label",
            "title",
            "language",
            "url",
            "target",
            "notification",
            "channel",
            "endpoint",
            "payload",
            "status",
            "attempts",
            "last_error",
            "last_attempt_at",
            "next_attempt_at",
            "sent_at",
            "created_at",
        ]
        read_only_fields = fields


class RetriedSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="1 if the delivery was queued, 0 if sent.")


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AdministeredViewSet):
    """The log of messages sent outside the app, every attempt recorded (administrators)."""

    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter
    ordering_fields = ["created_at", "next_attempt_at", "sent_at"]

    def get_queryset(self):
        return (
            access.visible_deliveries(self.request.user)
            .select_related("channel__organisation", "notification__recipient", "endpoint")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=None, responses=RetriedSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """One more attempt, as soon as a worker is free (the admin's "Retry now")."""
        delivery = self.get_object()
        return Response({"queued": tasks.retry_now(Delivery.objects.filter(pk=delivery.pk))})

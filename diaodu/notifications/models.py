from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator, URLValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diaodu.core.models import TimeStampedModel
from diaodu.notifications import messages
from diaodu.notifications.choices import ChannelKind, DeliveryStatus, WebhookEvent, event_label

#: Characters of a notification's title, as shown and as sent.
TITLE_MAX = 200


class Titled(models.Model):
    """A title stored as a message (``messages.message``) and rendered in the reader's
    language: a notification's for its recipient, a delivery's in the log for whoever
    reads it, and for the message sent in the language it is written in."""

    title_message = models.JSONField(_("title"), default=str)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        # A heading, not a letter: a long one (a project's full name) is cut.
        title = messages.render(self.title_message)
        return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"

    @title.setter
    def title(self, value):
        self.title_message = messages.stored(value)


class Notification(Titled):
    """A message to one person, shown in the app (the bell in the header) until read.

    Created by ``services.notify`` for every person concerned by an event (a problem
    raised, an action item assigned, a reminder); the same text may also go out by e-mail,
    as a :class:`Delivery`.
    """

    # No index of its own: the inbox index below starts with the recipient.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    event = models.CharField(_("event"), max_length=40)
    # Stored as messages (``messages.message``), rendered in the reader's language.
    body_message = models.JSONField(_("text"), default=str, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The bell counts a person's unread notifications on every page.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def body(self) -> str:
        return messages.render(self.body_message)

    @body.setter
    def body(self, value):
        self.body_message = messages.stored(value)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def event_label(self) -> str:
        return event_label(self.event)


class Preference(models.Model):
    """How a person wants to be notified. A person without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(
        _("e-mail notifications"),
        default=True,
        help_text=_("Also send each notification to the person's e-mail address."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="zh-hans",
        help_text=_("E-mails are written in it; set when the person switches language."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)


class Channel(TimeStampedModel):
    """A chat group robot (WeCom, DingTalk, Feishu) or a JSON webhook of an organisation.

    Every notification addressed to the organisation is also posted there, once, for the
    whole group to see. ``secret`` is the robot's signing secret (DingTalk "加签",
    Feishu "签名校验"), or the key of the ``X-Diaodu-Signature`` header of a webhook.
    """

    organisation = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="notification_channels",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=100, help_text=_("For example the group's name."))
    url = models.URLField(
        _("webhook address"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("Optional. DingTalk's secret starts with SEC."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the group reads; empty for the site's language."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("chat channel")
        verbose_name_plural = _("chat channels")
        ordering = ["organisation", "name"]

    def __str__(self):
        return f"{self.organisation} · {self.name}"


class WebhookEndpoint(TimeStampedModel):
    """An outside system (the city's supervision platform, an enterprise's own software)
    that receives the zone's events as signed JSON posts (``services.emit``).

    Zone-wide unless ``organisation`` is set: then only events about that organisation's
    projects and assignments are sent. Every post carries ``X-Diaodu-Signature``, an
    HMAC-SHA256 of the timestamp and body keyed with ``secret``.
    """

    organisation = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        help_text=_("Leave empty to receive the events of the whole zone."),
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("address"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        validators=[MinLengthValidator(16)],
        help_text=_("At least 16 characters; the receiver checks signatures with it."),
    )
    events = models.JSONField(
        _("events"), default=list, help_text=_("The events this address receives.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        events = self.events if isinstance(self.events, list) else None
        if not events or not set(events) <= set(WebhookEvent.values):
            raise ValidationError(
                {
                    "events": _("Choose one or more of: %(events)s.")
                    % {"events": ", ".join(WebhookEvent.values)}
                }
            )

    def receives(self, event: str) -> bool:
        return self.is_active and event in self.events


class Delivery(Titled):
    """One message to send outside the app, and the record of every attempt to send it.

    Either an e-mail to the recipient of ``notification``, a post to ``channel``, or an
    event (``payload``) posted to a webhook ``endpoint``. The body is copied here as
    written for the recipient, so what was sent stays readable; the title is a message,
    sent in ``language`` and shown in the log in its reader's. A failed attempt is retried
    later (``next_attempt_at``) until ``delivery.MAX_ATTEMPTS`` attempts have failed; then
    the delivery is ``failed`` and its ``last_error`` says why.
    """

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("chat channel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook endpoint"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=40)
    # The language the message is written in: the recipient's, the channel's; empty for
    # the site's.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # The event as posted to an endpoint; the same bytes on every attempt, so receivers
    # can recognise a retry by its event id.
    payload = models.JSONField(_("payload"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    notification__isnull=False, channel__isnull=True, endpoint__isnull=True
                )
                | models.Q(notification__isnull=True, channel__isnull=False, endpoint__isnull=True)
                | models.Q(notification__isnull=True, channel__isnull=True, endpoint__isnull=False),
                name="delivery_one_target",
            ),
        ]
        indexes = [
            # What ``retry_deliveries`` and the workers look for: pending and due.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status=DeliveryStatus.PENDING),
                name="delivery_due",
            ),
        ]

    def __str__(self):
        return f"{self.target} · {self.title}"

    @property
    def target(self) -> str:
        """Where the message goes, for people reading the log."""
        if self.channel_id:
            return str(self.channel)
        if self.endpoint_id:
            return str(self.endpoint)
        return gettext("e-mail to %(person)s") % {"person": self.notification.recipient}

    @property
    def event_label(self) -> str:
        return event_label(self.event)

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    WEEKLY = "weekly", _("weekly dispatch meeting")
    MONTHLY = "monthly", _("monthly dispatch meeting")
    SPECIAL = "special", _("special dispatch meeting")
    ON_SITE = "on_site", _("on-site meeting")


class MeetingStatus(models.TextChoices):
    UPCOMING = "upcoming", _("upcoming")
    HELD = "held", _("held")
    ISSUED = "issued", _("minutes issued")


class BatchKind(models.TextChoices):
    """Which milestone a batch event achieves for every project in it."""

    SIGNING = "signing", _("signing")
    GROUNDBREAKING = "groundbreaking", _("groundbreaking")
    COMPLETION = "completion", _("completion")

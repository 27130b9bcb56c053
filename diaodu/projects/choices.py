from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    SIGNED = "signed", _("signed")
    PREPARATION = "preparation", _("preparation")
    CONSTRUCTION = "construction", _("under construction")
    COMPLETED = "completed", _("completed")
    PRODUCTION = "production", _("in production")


class ProjectType(models.TextChoices):
    NEW = "new", _("new build")
    EXPANSION = "expansion", _("expansion")
    RENOVATION = "renovation", _("technical renovation")
    OTHER = "other", _("other")


class Health(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    DELAYED = "delayed", _("delayed")


class ListLevel(models.TextChoices):
    ZONE = "zone", _("zone")
    CITY = "city", _("city")
    PROVINCE = "province", _("province")


class PeriodKind(models.TextChoices):
    WEEK = "week", _("week")
    MONTH = "month", _("month")


class RoundKind(models.TextChoices):
    PROGRESS = "progress", _("progress reports")
    ANNUAL_RETURN = "annual_return", _("annual returns")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned for revision")


class DayKind(models.TextChoices):
    """How a statutory limit counts: every day, or working days (工作日) only."""

    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")

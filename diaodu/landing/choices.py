from django.db import models
from django.utils.translation import gettext_lazy as _


class LandingStage(models.TextChoices):
    """How far a project has landed, each counted in days from its signing."""

    LAND = "land", _("land delivered")
    APPROVALS = "approvals", _("approvals granted")
    GROUNDBREAKING = "groundbreaking", _("ground broken")
    COMPLETION = "completion", _("completed")
    PRODUCTION = "production", _("in production")


class Grade(models.TextChoices):
    """The classes zones sort enterprises into in a 亩均效益评价."""

    A = "A", _("A: leading")
    B = "B", _("B: meets the thresholds")
    C = "C", _("C: to improve")
    D = "D", _("D: to be rectified")

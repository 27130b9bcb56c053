from django.db import models
from django.utils.translation import gettext_lazy as _


class LandingStage(models.TextChoices):
    """How far a project has landed, each counted in days from its signing. Labelled by
    the milestone, not by the state reached ("completion", not "completed"): a row shows
    a stage that is still ahead as well as one achieved."""

    LAND = "land", _("land supply")
    APPROVALS = "approvals", _("approvals")
    GROUNDBREAKING = "groundbreaking", _("groundbreaking")
    COMPLETION = "completion", _("completion")
    PRODUCTION = "production", _("start of production")


class Grade(models.TextChoices):
    """The classes zones sort enterprises into in a 亩均效益评价."""

    A = "A", _("A: leading")
    B = "B", _("B: meets the thresholds")
    C = "C", _("C: to improve")
    D = "D", _("D: to be rectified")

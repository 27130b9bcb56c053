from django.db import models
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    """Who made a commitment: the enterprise, or one of the zone's departments."""

    ENTERPRISE = "enterprise", _("enterprise")
    DEPARTMENT = "department", _("department")


class CommitmentKind(models.TextChoices):
    INVESTMENT = "investment", _("investment")
    INTENSITY = "intensity", _("investment intensity")
    DATE = "date", _("date")
    OUTPUT = "output", _("output")
    TAX = "tax", _("tax")
    ENERGY = "energy", _("energy use")
    LAND_DELIVERY = "land_delivery", _("land delivery")
    UTILITIES = "utilities", _("utilities")
    APPROVAL = "approval", _("approval")
    INCENTIVE = "incentive", _("incentive")
    OTHER = "other", _("other")


class Measure(models.TextChoices):
    """Where a commitment's fulfilment is read from."""

    MILESTONE = "milestone", _("a milestone's actual date")
    INVESTMENT = "investment", _("cumulative reported investment")
    OUTPUT = "output", _("annual output")
    TAX = "tax", _("annual tax")
    ENERGY = "energy", _("annual energy use (a limit)")
    MANUAL = "manual", _("recorded by hand with evidence")


class Unit(models.TextChoices):
    """The base unit a target is stored in; other units typed are converted to it."""

    WAN_YUAN = "wan_yuan", _("10k yuan")
    WAN_YUAN_PER_MU = "wan_yuan_per_mu", _("10k yuan per mu")
    TCE = "tce", _("tonnes of standard coal")
    MU = "mu", _("mu")


class Fulfilment(models.TextChoices):
    MET = "met", _("met")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    BROKEN = "broken", _("broken")

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppealStatus(models.TextChoices):
    """Where a request stands with the office. Once accepted or merged, its progress is
    its problem's."""

    RAISED = "raised", _("awaiting triage")
    ACCEPTED = "accepted", _("accepted as a problem")
    MERGED = "merged", _("merged into a problem")
    ANSWERED = "answered", _("answered")


class AppealEntryKind(models.TextChoices):
    RAISED = "raised", pgettext_lazy("enterprise request", "raised")
    ACCEPTED = "accepted", _("accepted as a problem")
    MERGED = "merged", _("merged into a problem")
    ANSWERED = "answered", _("answered")
    PROBLEM_CLOSED = "problem_closed", _("problem closed")
    PROBLEM_REOPENED = "problem_reopened", _("problem reopened")
    RATED = "rated", _("rated")


class Satisfaction(models.IntegerChoices):
    VERY_DISSATISFIED = 1, _("1 – very dissatisfied")
    DISSATISFIED = 2, _("2 – dissatisfied")
    NEUTRAL = 3, _("3 – neutral")
    SATISFIED = 4, _("4 – satisfied")
    VERY_SATISFIED = 5, _("5 – very satisfied")

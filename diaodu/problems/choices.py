from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    LAND = "land", _("land and space")
    APPROVAL = "approval", _("approvals and procedures")
    FUNDING = "funding", _("funding")
    UTILITIES = "utilities", _("utilities and infrastructure")
    RELOCATION = "relocation", _("relocation")
    LABOUR = "labour", _("labour")
    POLICY = "policy", _("policy")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    NORMAL = "normal", _("normal")
    SERIOUS = "serious", _("serious")
    CRITICAL = "critical", _("critical")


class Level(models.TextChoices):
    """Where a problem must be solved: 对上争取 means winning it from a higher level."""

    ZONE = "zone", _("zone")
    CITY = "city", _("city")
    PROVINCE = "province", _("province")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


class ActionStatus(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    ACKNOWLEDGED = "acknowledged", _("in hand")
    SUBMITTED = "submitted", _("awaiting acceptance")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class ActionSource(models.TextChoices):
    OFFICE = "office", _("coordination office")
    LEADER = "leader", _("leader")
    MEETING = "meeting", _("meeting")


class Light(models.TextChoices):
    GREEN = "green", _("green")
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")
    # Resolved or submitted: finished by the department, waiting for the office to close
    # the problem or accept the action item.
    AWAITING = "awaiting", _("awaiting closing")
    DONE = "done", _("finished")


class EntryKind(models.TextChoices):
    RAISED = "raised", _("raised")
    ASSIGNED = "assigned", _("assigned")
    TRANSITION = "transition", _("status change")
    UPDATE = "update", _("update")
    FEEDBACK = "feedback", _("feedback")
    INSTRUCTION = "instruction", _("instruction")
    EDIT = "edit", _("edited")

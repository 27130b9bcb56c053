from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """The events other apps notify about, with the label shown as the message's tag.

    ``notify()`` accepts any short code; a code missing here is tagged "notice". Add the
    label here when adding an event elsewhere.
    """

    PROBLEM_RAISED = "problem_raised", _("problem raised")
    PROBLEM_ASSIGNED = "problem_assigned", _("problem assigned")
    PROBLEM_UPDATE = "problem_update", _("problem update")
    PROBLEM_INSTRUCTION = "problem_instruction", _("instruction")
    PROBLEM_OPEN = "problem_open", _("problem reopened")
    PROBLEM_IN_PROGRESS = "problem_in_progress", _("problem in progress")
    PROBLEM_RESOLVED = "problem_resolved", _("problem resolved")
    PROBLEM_CLOSED = "problem_closed", _("problem closed")
    PROBLEM_OVERDUE = "problem_overdue", _("problem overdue")
    ACTION_ASSIGNED = "action_assigned", _("action assigned")
    ACTION_SUBMITTED = "action_submitted", _("action submitted")
    ACTION_DONE = "action_done", _("action done")
    ACTION_RETURNED = "action_returned", _("action returned")
    REMINDER = "reminder", _("reminder")
    ESCALATION = "escalation", _("escalation")
    CHASE_DIGEST = "chase_digest", _("reminder")
    CHASE_ESCALATED = "chase_escalated", _("escalation")
    ROUND_OPENED = "round_opened", _("progress report due")
    REPORT_SUBMITTED = "report_submitted", _("progress report submitted")
    REPORT_APPROVED = "report_approved", _("progress report approved")
    REPORT_RETURNED = "report_returned", _("progress report returned")
    MILESTONE_REPORTED = "milestone_reported", _("milestone reported")
    MINUTES_ISSUED = "minutes_issued", _("minutes issued")
    COMMITMENT_BROKEN = "commitment_broken", _("commitment broken")
    APPEAL_RAISED = "appeal_raised", _("enterprise request")
    APPEAL_ACCEPTED = "appeal_accepted", _("request accepted")
    APPEAL_MERGED = "appeal_merged", _("request merged")
    APPEAL_ANSWERED = "appeal_answered", _("request answered")
    APPEAL_CLOSED = "appeal_closed", _("request finished")
    APPEAL_RATED = "appeal_rated", _("request rated")
    TEST = "test", _("test message")


def event_label(code: str) -> str:
    for choices in (Event, WebhookEvent):
        try:
            return str(choices(code).label)
        except ValueError:
            pass
    return str(_("notice"))


class ChannelKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    FEISHU = "feishu", _("Feishu group robot")
    WEBHOOK = "webhook", _("webhook (JSON)")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class WebhookEvent(models.TextChoices):
    """The events sent to outside systems' webhooks (``services.emit``). Their codes are
    part of the public contract: never rename one."""

    PROBLEM_RAISED = "problem.raised", _("problem raised")
    PROBLEM_OVERDUE = "problem.overdue", _("problem overdue")
    PROBLEM_RESOLVED = "problem.resolved", _("problem resolved")
    MILESTONE_ACHIEVED = "milestone.achieved", _("milestone achieved")
    MINUTES_ISSUED = "minutes.issued", _("minutes issued")

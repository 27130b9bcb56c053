from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaodu.core.models import Searchable, TimelineEntry, TimeStampedModel, VersionedModel
from diaodu.problems.choices import (
    ActionSource,
    ActionStatus,
    Category,
    EntryKind,
    Level,
    Light,
    ProblemStatus,
    Severity,
)

OPEN_PROBLEM = [ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS]
#: Overdue items before the rest: how lists order them (``problems.lists.ordered``).
RED_FIRST = models.Case(models.When(light=Light.RED, then=models.Value(0)), default=models.Value(1))
OPEN_ACTION = [ActionStatus.ASSIGNED, ActionStatus.ACKNOWLEDGED, ActionStatus.SUBMITTED]
# An item is overdue only while the ball is in the department's court: a problem until it
# is resolved, an action item until the lead department submits its result.
OVERDUE_ACTION = [ActionStatus.ASSIGNED, ActionStatus.ACKNOWLEDGED]
# A row written without its light (a bulk insert) is recomputed by the next refresh.
NOT_COMPUTED = date(2000, 1, 1)


class Assignment(Searchable, TimeStampedModel, VersionedModel):
    """What problems and action items share: a lead department, cooperating departments,
    a due date, and the time of the last word from anyone working on it."""

    lead_department = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="%(class)s_leads",
    )
    cooperating_departments = models.ManyToManyField(
        "org.Organisation",
        verbose_name=_("cooperating departments"),
        related_name="%(class)s_cooperations",
        blank=True,
    )
    due_date = models.DateField(_("due date"))
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    # Stored by ``diaodu.problems.derived`` from ``lights.light`` and ``lights.next_change``.
    light = models.CharField(
        _("light"), max_length=10, choices=Light.choices, default=Light.GREEN, editable=False
    )
    state_changes_on = models.DateField(null=True, default=NOT_COMPUTED, editable=False)

    SEARCH_FIELDS = ("title",)

    class Meta:
        abstract = True

    @property
    def is_overdue(self) -> bool:
        return self.light == Light.RED

    def involves(self, organisation_id) -> bool:
        if organisation_id is None:
            return False
        return self.lead_department_id == organisation_id or any(
            o.pk == organisation_id for o in self.cooperating_departments.all()
        )


class Problem(Assignment):
    """A problem or difficulty (存在问题和困难) a project cannot solve on its own."""

    kind_code = "problem"

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    severity = models.CharField(
        _("severity"), max_length=20, choices=Severity.choices, default=Severity.NORMAL
    )
    level = models.CharField(
        _("escalation level"), max_length=20, choices=Level.choices, default=Level.ZONE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    root_cause = models.TextField(_("root cause"), max_length=4000, blank=True)
    resolution = models.TextField(_("resolution"), max_length=4000, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="problem_status_due"),
            models.Index(fields=["lead_department", "status"], name="problem_lead_status"),
            models.Index(fields=["light", "lead_department"], name="problem_light_lead"),
            # Supervision's open and overdue counts per department, read from the index alone.
            models.Index(fields=["status", "lead_department", "light"], name="problem_open_counts"),
            models.Index(fields=["state_changes_on"], name="problem_changes_on"),
            # A page of open problems, in the API's order and in the lists' (red first),
            # read from an index instead of sorting every open problem of the zone: at
            # 100,000 projects that sort was most of the page's time.
            models.Index(
                "due_date",
                "id",
                condition=models.Q(status__in=OPEN_PROBLEM),
                name="problem_open_due",
            ),
            models.Index(
                RED_FIRST,
                "due_date",
                "id",
                condition=models.Q(status__in=OPEN_PROBLEM),
                name="problem_open_red_first",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.due_date and self.raised_on and self.due_date < self.raised_on:
            raise ValidationError(
                {"due_date": _("The due date cannot be before the day the problem was raised.")}
            )

    def get_absolute_url(self):
        return reverse("problems:problem_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PROBLEM


class ProblemEntry(TimelineEntry):
    STATUS_CHOICES = ProblemStatus

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)

    class Meta(TimelineEntry.Meta):
        verbose_name = _("problem timeline entry")
        verbose_name_plural = _("problem timeline")

    def __str__(self):
        return f"{self.problem} · {self.get_kind_display()}"


class ActionItem(Assignment):
    """An assignment (交办事项): a department must do something by a date, and report back.

    Created by the office, by a leader or in a meeting; the lead department acknowledges it
    (领办), answers with feedback (反馈), and the office accepts (办结) or returns it (退回)."""

    kind_code = "action"

    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("details"), max_length=4000, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="action_items",
        null=True,
        blank=True,
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("problem"),
        on_delete=models.PROTECT,
        related_name="action_items",
        null=True,
        blank=True,
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="action_items",
        null=True,
        blank=True,
    )
    source = models.CharField(
        _("source"), max_length=20, choices=ActionSource.choices, default=ActionSource.OFFICE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.ASSIGNED
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_on = models.DateField(_("assigned on"), default=timezone.localdate)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due"),
            models.Index(fields=["lead_department", "status"], name="action_lead_status"),
            models.Index(fields=["light", "lead_department"], name="action_light_lead"),
            # Supervision's open and overdue counts per department, read from the index alone.
            models.Index(fields=["status", "lead_department", "light"], name="action_open_counts"),
            models.Index(fields=["state_changes_on"], name="action_changes_on"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.due_date and self.assigned_on and self.due_date < self.assigned_on:
            raise ValidationError(
                {"due_date": _("The due date cannot be before the day of assignment.")}
            )
        if self.problem_id and self.project_id and self.problem.project_id != self.project_id:
            raise ValidationError({"problem": _("This problem belongs to another project.")})

    def get_absolute_url(self):
        return reverse("problems:action_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION


class ActionItemEntry(TimelineEntry):
    STATUS_CHOICES = ActionStatus

    action_item = models.ForeignKey(
        ActionItem, verbose_name=_("action item"), on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)

    class Meta(TimelineEntry.Meta):
        verbose_name = _("action item timeline entry")
        verbose_name_plural = _("action item timeline")

    def __str__(self):
        return f"{self.action_item} · {self.get_kind_display()}"


class Chase(models.Model):
    """A reminder, overdue notice or escalation already sent, so the daily chasing run
    sends each one once however often it runs. ``key`` names the item, the stage and the
    due date chased, e.g. ``problem:12:overdue:2026-06-30`` or
    ``round:3:project:7:reminder``."""

    key = models.CharField(max_length=100, unique=True)
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("chase")
        verbose_name_plural = _("chases")

    def __str__(self):
        return self.key

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from diaodu.core.i18n import localized_name
from diaodu.core.models import Searchable, TimeStampedModel, VersionedModel
from diaodu.lib.periods import Period
from diaodu.projects.choices import (
    DayKind,
    Health,
    ListLevel,
    PeriodKind,
    ProjectType,
    ReportStatus,
    RoundKind,
    Stage,
)

# Ceilings that no real project reaches: they catch a typo in 万元 or 亩 (an extra few
# zeros), not legitimate megaprojects. 1 万亿元 and 100,000 亩.
MAX_WAN_YUAN = Decimal("100000000")
MAX_MU = Decimal("100000")

money_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_WAN_YUAN)]


def money_field(verbose_name, **kwargs):
    """An amount in 万元 (10,000 yuan), two decimals."""
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=money_validators, **kwargs
    )


class Industry(models.Model):
    """Master data: the zone's industry classification (e.g. 高端装备, 新材料)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return localized_name(self.name, self.name_en)


class ProjectList(models.Model):
    """A year's key-project list (重点项目清单) at some level, e.g. 2026年市级重点项目.

    A project can be on several lists at once (the zone's and the city's).
    """

    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    level = models.CharField(_("level"), max_length=10, choices=ListLevel.choices)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("key-project list")
        verbose_name_plural = _("key-project lists")
        ordering = ["-year", "level", "name"]

    def __str__(self):
        return self.name


class ProjectQuerySet(models.QuerySet):
    def with_reasons(self):
        """With what the stored health names (its milestone and kind), so that
        ``project.assessment.reason`` reads nothing more."""
        return self.select_related("health_milestone__kind")


national_code_validator = RegexValidator(
    r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$",
    _("Enter the project code as issued by the approval platform, e.g. 2401-330106-04-01-123456."),
)


class Project(Searchable, TimeStampedModel, VersionedModel):
    """A key project (重点项目): what is built, by whom, for how much, on how much land."""

    code = models.CharField(
        _("project number"),
        max_length=30,
        unique=True,
        help_text=_("The office's own number, e.g. 2026-001."),
    )
    national_code = models.CharField(
        _("national project code"),
        max_length=24,
        unique=True,
        null=True,
        blank=True,
        validators=[national_code_validator],
        help_text=_("项目代码 from the investment project online approval platform."),
    )
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_projects",
        limit_choices_to={"kind": "enterprise"},
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="projects",
        null=True,
        blank=True,
    )
    project_type = models.CharField(
        _("construction type"), max_length=20, choices=ProjectType.choices, default=ProjectType.NEW
    )
    lists = models.ManyToManyField(
        ProjectList, verbose_name=_("key-project lists"), related_name="projects", blank=True
    )
    township = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="area_projects",
        null=True,
        blank=True,
        limit_choices_to={"kind": "township"},
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    total_investment = money_field(_("total investment (10k yuan)"))
    plan_year = models.PositiveIntegerField(
        _("plan year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    annual_plan = money_field(_("annual investment plan (10k yuan)"), default=Decimal("0"))
    land_area = models.DecimalField(
        _("land area (mu)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_MU)],
    )
    construction_content = models.TextField(_("construction content"), max_length=4000, blank=True)
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible leader"),
        on_delete=models.PROTECT,
        related_name="led_projects",
        null=True,
        blank=True,
        limit_choices_to={"role": "leader"},
    )
    lead_department = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    cooperating_departments = models.ManyToManyField(
        "org.Organisation",
        verbose_name=_("cooperating departments"),
        related_name="cooperating_projects",
        blank=True,
        help_text=_("Departments that work with the lead department on the project."),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.SIGNED)

    # Derived from the project's milestones and problems by their rules (``health.assess``,
    # ``problems.lights.light``) and kept up to date by ``projects.derived``: lists, filters,
    # counts, exports and the API read these columns instead of evaluating the rules.
    health = models.CharField(
        _("health"), max_length=10, choices=Health.choices, default=Health.ON_TRACK, editable=False
    )
    health_milestone = models.ForeignKey(
        "Milestone",
        verbose_name=_("milestone behind the health"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    health_others = models.PositiveIntegerField(
        _("other milestones late or due"), default=0, editable=False
    )
    next_milestone = models.ForeignKey(
        "Milestone",
        verbose_name=_("next milestone"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    open_problems = models.PositiveIntegerField(_("open problems"), default=0, editable=False)
    overdue_problems = models.PositiveIntegerField(_("overdue problems"), default=0, editable=False)
    pending_approvals = models.PositiveIntegerField(
        _("approvals pending"), default=0, editable=False
    )
    state_changes_on = models.DateField(
        _("derived state changes on"), null=True, blank=True, editable=False
    )

    objects = ProjectQuerySet.as_manager()

    SEARCH_FIELDS = ("code", "national_code", "name")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["stage"], name="project_stage"),
            models.Index(fields=["health"], name="project_health"),
            models.Index(fields=["state_changes_on"], name="project_state_changes_on"),
        ]

    def __str__(self):
        return self.name

    @property
    def assessment(self):
        """The stored health with its reason (see ``with_reasons``)."""
        from diaodu.projects.health import Assessment

        milestone = self.health_milestone
        # Counted today rather than stored, so that a late project's row is not rewritten
        # every day only because it is a day later.
        days = abs((timezone.localdate() - milestone.planned_date).days) if milestone else 0
        return Assessment(Health(self.health), milestone, days, self.health_others)

    def clean(self):
        super().clean()
        if (
            self.annual_plan is not None
            and self.total_investment is not None
            and self.annual_plan > self.total_investment
        ):
            raise ValidationError(
                {"annual_plan": _("The annual plan cannot exceed the total investment.")}
            )

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])


class MilestoneKind(models.Model):
    """A kind of time node in the template every new project's milestones are made from.

    Approval kinds (立项, 规划许可, 施工许可 ...) name the approving department and the
    statutory number of days it has.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    is_approval = models.BooleanField(_("approval"), default=False)
    approving_department = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("approving department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    statutory_days = models.PositiveIntegerField(
        _("statutory limit (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    day_kind = models.CharField(
        _("limit counted in"),
        max_length=10,
        choices=DayKind.choices,
        default=DayKind.CALENDAR,
        help_text=_("Approval rules mostly set their limits in working days."),
    )
    in_template = models.BooleanField(
        _("in template"), default=True, help_text=_("New projects get a milestone of this kind.")
    )

    class Meta:
        verbose_name = _("milestone kind")
        verbose_name_plural = _("milestone kinds")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return localized_name(self.name, self.name_en)

    def clean(self):
        super().clean()
        if self.is_approval and not self.statutory_days:
            raise ValidationError(
                {"statutory_days": _("An approval kind needs its statutory limit in days.")}
            )


class Milestone(TimeStampedModel, VersionedModel):
    """A project's time node: the planned date, and the actual date once achieved.

    Owners report an actual date (``reported_date``); it counts once the office confirms
    it into ``actual_date``.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.ForeignKey(
        MilestoneKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="milestones"
    )
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    applied_date = models.DateField(
        _("application accepted"),
        null=True,
        blank=True,
        help_text=_(
            "For approvals: the day the application was accepted (受理), from which "
            "the statutory limit runs."
        ),
    )
    reported_date = models.DateField(_("reported date"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approving_department = models.ForeignKey(
        "org.Organisation",
        verbose_name=_("approving department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_milestones",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["kind__sort_order", "kind__code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="milestone_once_per_kind")
        ]
        indexes = [
            # A project's open milestones (its health, its approvals): the project must
            # lead, or SQLite scans every open milestone of the zone for each project.
            models.Index(
                fields=["project", "actual_date", "planned_date"], name="milestone_project_open"
            ),
            # The office's inbox counts reported dates awaiting confirmation on every page:
            # a handful of rows among a zone's hundred thousand milestones.
            models.Index(
                fields=["project"],
                condition=models.Q(actual_date__isnull=True, reported_date__isnull=False),
                name="milestone_awaiting_review",
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.kind}"

    def clean(self):
        super().clean()
        today = timezone.localdate()
        errors = {
            name: _("An actual date cannot be in the future.")
            for name in ("actual_date", "reported_date", "applied_date")
            if getattr(self, name) and getattr(self, name) > today
        }
        if self.applied_date and self.actual_date and self.actual_date < self.applied_date:
            errors["actual_date"] = _("An approval cannot be granted before it was applied for.")
        if errors:
            raise ValidationError(errors)

    @property
    def awaiting_review(self) -> bool:
        return self.reported_date is not None and self.actual_date is None


class ProgressReport(TimeStampedModel, VersionedModel):
    """A project's report for one week or month: what happened, and what was invested.

    Only the period's own investment is typed; year-to-date and cumulative totals are
    always summed from approved reports.
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.MONTH
    )
    period_start = models.DateField(_("period start"))
    narrative = models.TextField(_("progress"), max_length=4000)
    investment = money_field(_("investment completed in period (10k yuan)"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_kind", "period_start"], name="report_once_per_period"
            )
        ]
        indexes = [
            # As for milestones: the reports awaiting review are counted on every page.
            models.Index(
                fields=["project"],
                condition=models.Q(status=ReportStatus.SUBMITTED),
                name="report_awaiting_review",
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.period_start:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.period_start and self.period_kind in PeriodKind.values:
            self.period_start = Period.containing(self.period_kind, self.period_start).start
            if self.period_start > timezone.localdate():
                raise ValidationError(
                    {"period_start": _("A report cannot be for a period that has not begun.")}
                )

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)

    @property
    def period_label(self) -> str:
        if self.period_kind == PeriodKind.WEEK:
            year, week = self.period.iso_week
            return _("%(year)d week %(week)d") % {"year": year, "week": week}
        return date_format(self.period_start, "YEAR_MONTH_FORMAT")


class ReportingRound(TimeStampedModel):
    """A reporting round (填报): the office asks a set of projects for their progress report
    for one period by a due date, e.g. the monthly report due on the 25th; or, in a round of
    annual returns, the enterprises in production for a year's output, tax and energy use.

    An annual-return round's period is the year reported, held as its 1 January."""

    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(
        _("asks for"), max_length=20, choices=RoundKind.choices, default=RoundKind.PROGRESS
    )
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.MONTH
    )
    period_start = models.DateField(_("period start"))
    due_date = models.DateField(_("due date"))
    projects = models.ManyToManyField(Project, verbose_name=_("projects"), related_name="rounds")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-period_start", "-pk"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.period_start and self.kind == RoundKind.ANNUAL_RETURN:
            # A year is held as its first month, so the period stays a valid month.
            self.period_kind = PeriodKind.MONTH
            self.period_start = self.period_start.replace(month=1, day=1)
        if self.period_start and self.period_kind in PeriodKind.values:
            self.period_start = Period.containing(self.period_kind, self.period_start).start
            if self.due_date and self.due_date < self.period_start:
                raise ValidationError(
                    {"due_date": _("The due date cannot be before the period begins.")}
                )

    def get_absolute_url(self):
        return reverse("projects:round_detail", args=[self.pk])

    @property
    def asks_for_returns(self) -> bool:
        return self.kind == RoundKind.ANNUAL_RETURN

    @property
    def year(self) -> int:
        return self.period_start.year

    @property
    def period_label(self) -> str:
        if self.asks_for_returns:
            return _("year %(year)d") % {"year": self.year}
        start = date_format(self.period_start, "SHORT_DATE_FORMAT")
        return f"{self.get_period_kind_display()} · {start}"

    def reports(self):
        """What the round's projects have sent: progress reports for its period, or annual
        returns for its year."""
        if self.asks_for_returns:
            return AnnualReturn.objects.filter(year=self.year, project__rounds=self)
        return ProgressReport.objects.filter(
            period_kind=self.period_kind, period_start=self.period_start, project__rounds=self
        )

    def missing(self):
        """Projects of the round with no report (or return) for its period yet. A report
        returned for revision is not one: its owner still has to report."""
        if self.asks_for_returns:
            reported = AnnualReturn.objects.filter(year=self.year).values("project")
        else:
            reported = (
                ProgressReport.objects.filter(
                    period_kind=self.period_kind, period_start=self.period_start
                )
                .exclude(status=ReportStatus.RETURNED)
                .values("project")
            )
        return self.projects.exclude(pk__in=reported)


class AnnualReturn(TimeStampedModel):
    """A project in production's yearly output and tax (亩均效益的产出和税收), reported by the
    owner and used to judge land efficiency."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="returns"
    )
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    output = money_field(_("output (10k yuan)"))
    tax = money_field(_("tax paid (10k yuan)"))
    energy = models.DecimalField(
        _("energy use (tonnes of standard coal)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("annual return")
        verbose_name_plural = _("annual returns")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="return_once_per_year")
        ]

    def __str__(self):
        return f"{self.project} · {self.year}"


class LandThreshold(models.Model):
    """The zone's minimum land efficiency (亩均), for one industry or (no industry) for all."""

    industry = models.OneToOneField(
        Industry,
        verbose_name=_("industry"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="land_threshold",
    )
    investment_per_mu = money_field(_("investment per mu (10k yuan)"))
    output_per_mu = money_field(_("output per mu (10k yuan)"))
    tax_per_mu = money_field(_("tax per mu (10k yuan)"))
    energy_per_output = models.DecimalField(
        _("energy per 10k yuan of output (tonnes of standard coal)"),
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("A maximum: projects using more energy per 10k yuan of output fall short."),
    )

    class Meta:
        verbose_name = _("land-efficiency threshold")
        verbose_name_plural = _("land-efficiency thresholds")

    def __str__(self):
        return str(self.industry) if self.industry_id else str(_("all industries"))

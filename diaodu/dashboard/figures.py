"""The figures leaders decide from, computed in SQL: a fixed number of queries however many
projects there are. Each figure carries the link to the list behind it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse

from diaodu.meetings.access import visible_meetings
from diaodu.meetings.choices import MeetingStatus
from diaodu.problems import lights
from diaodu.problems.access import visible_action_items, visible_problems
from diaodu.problems.choices import Category, Level, Light
from diaodu.problems.filters import PROJECT_FILTERS
from diaodu.projects.choices import Health, ReportStatus, Stage
from diaodu.projects.models import Milestone, ProgressReport, Project

ZERO = Decimal("0")


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def supervision_url(user, base: dict | None = None, **params) -> str:
    """A link into the supervision lists, for those who may open them (the office and
    leaders); others get no link rather than one to a page that refuses them. ``base``, the
    dashboard's filters, narrows the list as it narrowed the figure."""
    if not user.sees_everything:
        return ""
    scope = {PROJECT_FILTERS[name]: value for name, value in (base or {}).items()}
    return _url("problems:supervision", **params, **scope)


@dataclass
class Figure:
    label: str
    value: object
    url: str = ""
    css: str = ""


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.1"))


def _of(projects) -> Q:
    """Rows belonging to ``projects``. The whole zone, unfiltered (what the office and
    leaders see first), needs no condition: every row belongs to some project, and
    matching 100,000 reports or milestones against 10,000 project ids was most of the
    time of those queries."""
    if projects.model is Project and not projects.query.has_filters():
        return Q()
    return Q(project__in=projects.values("pk"))


def stage_counts(projects, base: dict) -> list[Figure]:
    counts = dict(projects.values_list("stage").annotate(n=Count("pk")).order_by())
    return [
        Figure(
            stage.label,
            counts.get(stage.value, 0),
            _url("projects:project_list", stage=stage.value, **base),
        )
        for stage in Stage
    ]


def health_counts(projects, base: dict) -> list[Figure]:
    counts = dict(projects.values_list("health").annotate(n=Count("pk")).order_by())
    css = {Health.ON_TRACK: "success", Health.AT_RISK: "warning", Health.DELAYED: "danger"}
    return [
        Figure(
            health.label,
            counts.get(health.value, 0),
            _url("projects:project_list", health=health.value, **base),
            css[health],
        )
        for health in Health
    ]


@dataclass
class Investment:
    total: Decimal
    plan: Decimal
    completed: Decimal
    monthly_completed: list[Decimal]

    @property
    def rate(self) -> Decimal | None:
        return _rate(self.completed, self.plan)

    @property
    def monthly_plan(self) -> list[Decimal]:
        """The year's plan spread evenly over the months, cumulated."""
        step = self.plan / 12
        return [(step * (m + 1)).quantize(Decimal("0.01")) for m in range(12)]

    @property
    def monthly_cumulative(self) -> list[Decimal]:
        running, result = ZERO, []
        for amount in self.monthly_completed:
            running += amount
            result.append(running)
        return result


def investment(projects, year: int) -> Investment:
    sums = projects.aggregate(
        total=Sum("total_investment"), plan=Sum("annual_plan", filter=Q(plan_year=year))
    )
    reports = ProgressReport.objects.filter(
        _of(projects), status=ReportStatus.APPROVED, period_start__year=year
    )
    by_month = dict(
        reports.annotate(month=ExtractMonth("period_start"))
        .values_list("month")
        .annotate(amount=Sum("investment"))
        .order_by()
    )
    monthly = [by_month.get(m, ZERO) or ZERO for m in range(1, 13)]
    return Investment(
        total=sums["total"] or ZERO,
        plan=sums["plan"] or ZERO,
        completed=sum(monthly, ZERO),
        monthly_completed=monthly,
    )


@dataclass
class Landings:
    """Projects started and completed this year: planned for the year vs achieved in it."""

    started_planned: int
    started: int
    completed_planned: int
    completed: int


def landings(projects, year: int) -> Landings:
    milestones = Milestone.objects.filter(
        _of(projects), kind__code__in=("groundbreaking", "completion")
    )
    counts = milestones.aggregate(
        started_planned=Count("pk", filter=Q(kind__code="groundbreaking", planned_date__year=year)),
        started=Count("pk", filter=Q(kind__code="groundbreaking", actual_date__year=year)),
        completed_planned=Count("pk", filter=Q(kind__code="completion", planned_date__year=year)),
        completed=Count("pk", filter=Q(kind__code="completion", actual_date__year=year)),
    )
    return Landings(**counts)


@dataclass
class ProblemFigures:
    open: int
    overdue: int
    resolved_this_month: int
    average_days: Decimal | None
    by_category: list[Figure]
    by_department: list[Figure]
    escalated: list[Figure]  # open problems only the city or the province can solve


#: The levels above the zone, where 对上争取 takes a problem.
ESCALATED = (Level.CITY, Level.PROVINCE)


def problems(user, projects, today: date, base: dict | None = None) -> ProblemFigures:
    scope = visible_problems(user).filter(_of(projects))
    month_start = today.replace(day=1)
    is_open = lights.open_q(scope.model)
    counts = scope.aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=Q(light=Light.RED)),
        resolved=Count("pk", filter=Q(resolved_on__gte=month_start, resolved_on__lte=today)),
        average=Avg(
            ExpressionWrapper(F("resolved_on") - F("raised_on"), output_field=DurationField()),
            filter=Q(resolved_on__isnull=False),
        ),
        **{level.value: Count("pk", filter=is_open & Q(level=level)) for level in ESCALATED},
    )
    open_scope = scope.filter(is_open)
    categories = dict(open_scope.values_list("category").annotate(n=Count("pk")).order_by())
    by_category = [
        Figure(
            c.label,
            categories[c.value],
            supervision_url(user, base, tab="problems", category=c.value, open="true"),
        )
        for c in Category
        if categories.get(c.value)
    ]
    departments = (
        open_scope.values("lead_department", "lead_department__short_name", "lead_department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_department")
    )
    by_department = [
        Figure(
            row["lead_department__short_name"] or row["lead_department__name"],
            row["n"],
            supervision_url(
                user,
                base,
                tab="problems",
                lead_department=row["lead_department"],
                open="true",
            ),
        )
        for row in departments
    ]
    average = counts["average"]
    return ProblemFigures(
        open=counts["open"],
        overdue=counts["overdue"],
        resolved_this_month=counts["resolved"],
        average_days=(
            Decimal(average.total_seconds() / 86400).quantize(Decimal("0.1"))
            if average is not None
            else None
        ),
        by_category=by_category,
        by_department=by_department,
        escalated=[
            Figure(
                level.label,
                counts[level.value],
                supervision_url(user, base, tab="problems", level=level.value, open="true"),
            )
            for level in ESCALATED
        ],
    )


def overdue_actions_by_department(user, projects=None, base: dict | None = None) -> list[Figure]:
    """Overdue action items the user may see, by lead department. Given ``projects`` (a
    filtered dashboard, ``base`` its filters), only the items on those projects: an item on
    no project is on no list, in no industry and no area."""
    scope = visible_action_items(user)
    scope = scope.filter(light=Light.RED)
    if projects is not None:
        scope = scope.filter(project__in=projects.values("pk"))
    rows = (
        scope.values("lead_department", "lead_department__short_name", "lead_department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_department")
    )
    return [
        Figure(
            row["lead_department__short_name"] or row["lead_department__name"],
            row["n"],
            supervision_url(
                user,
                base,
                tab="actions",
                lead_department=row["lead_department"],
                overdue="true",
            ),
        )
        for row in rows
    ]


def next_meeting(user, today: date):
    """The next dispatch meeting the user may see that has not been held yet, today's
    included."""
    return (
        visible_meetings(user)
        .filter(status=MeetingStatus.UPCOMING, starts_at__date__gte=today)
        .order_by("starts_at")
        .first()
    )

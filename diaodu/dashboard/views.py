from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from diaodu.core.access import require
from diaodu.core.i18n import localized_name
from diaodu.core.replica import reads_from_replica
from diaodu.dashboard import access, figures, scorecard
from diaodu.dashboard import approvals as approval_figures
from diaodu.dashboard import today as leader_today
from diaodu.lib.periods import Period
from diaodu.problems import lights
from diaodu.problems.models import Problem
from diaodu.projects import health, land
from diaodu.projects.access import visible_projects
from diaodu.projects.filters import ProjectFilter
from diaodu.projects.models import Milestone, ProgressReport

FILTER_FIELDS = ("list", "industry", "responsible_leader", "lead_department", "township")


def scoped(request):
    """The projects the user may see, narrowed by the dashboard's filters."""
    project_filter = ProjectFilter(
        request.GET, queryset=visible_projects(request.user), request=request
    )
    for name in list(project_filter.form.fields):
        if name not in FILTER_FIELDS:
            del project_filter.form.fields[name]
    base = {k: request.GET[k] for k in FILTER_FIELDS if request.GET.get(k)}
    return project_filter, project_filter.qs, base


def is_filtered(project_filter) -> bool:
    """Whether any of the dashboard's filters narrows the projects (an invalid value is
    ignored by the filter, so it narrows nothing)."""
    project_filter.form.is_valid()
    return any(project_filter.form.cleaned_data.get(name) for name in FILTER_FIELDS)


def dashboard_figures(request, today: date) -> dict:
    project_filter, projects, base = scoped(request)
    money = figures.investment(projects, today.year)
    return {
        "filter": project_filter,
        "base": base,
        "project_count": projects.count(),
        "stages": figures.stage_counts(projects, base),
        "health": figures.health_counts(projects, today, base),
        "investment": money,
        "landings": figures.landings(projects, today.year),
        "problems": figures.problems(request.user, projects, today, base),
        "overdue_actions": figures.overdue_actions_by_department(
            request.user, today, projects if is_filtered(project_filter) else None, base
        ),
    }


@login_required
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = dashboard_figures(request, today)
    money = context["investment"]
    context["charts"] = {
        "months": [str(m) for m in range(1, 13)],
        "plan": [float(v) for v in money.monthly_plan],
        "completed": [float(v) for v in money.monthly_cumulative[: today.month]],
        "stages": [{"name": f.label, "value": f.value, "url": f.url} for f in context["stages"]],
        "health": [{"name": f.label, "value": f.value, "url": f.url} for f in context["health"]],
        "categories": [
            {"name": f.label, "value": f.value, "url": f.url}
            for f in context["problems"].by_category
        ],
        "departments": [
            {"name": f.label, "value": f.value, "url": f.url}
            for f in context["problems"].by_department
        ],
    }
    context["today"] = today
    context["overdue_url"] = figures.supervision_url(
        request.user, context["base"], tab="problems", overdue="true"
    )
    return render(request, "dashboard/dashboard.html", context)


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """What matters today on one phone screen, each figure opening the list behind it."""
    require(access.can_see_leader_view(request.user))
    day = timezone.localdate()
    return render(
        request,
        "dashboard/today.html",
        {"today": day, "tiles": leader_today.tiles(request.user, day)},
    )


def _period(request, today):
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today.replace(month=1, day=1)
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return (start, end) if start <= end else (end, start)


@login_required
@reads_from_replica
def departments(request: HttpRequest) -> HttpResponse:
    """Every department's record: for the office and leaders, who hold them to it."""
    require(access.can_view_scorecard(request.user))
    today = timezone.localdate()
    start, end = _period(request, today)
    sort = request.GET.get("sort", "overdue")
    return render(
        request,
        "dashboard/scorecard.html",
        {
            "scores": scorecard.scorecard(start, end, today, sort),
            "start": start,
            "end": end,
            "sort": sort,
            "columns": [
                ("assigned", _("Assigned")),
                ("resolved", _("Resolved")),
                ("on_time", _("Resolved on time")),
                ("overdue", _("Overdue now")),
                ("days", _("Average days")),
            ],
        },
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    project_filter, projects, _base = scoped(request)
    by_department, slowest = approval_figures.approvals(projects, today)
    return render(
        request,
        "dashboard/approvals.html",
        {"filter": project_filter, "departments": by_department, "slowest": slowest},
    )


@login_required
@reads_from_replica
def cards(request: HttpRequest) -> HttpResponse:
    """One card per project for a leader's phone: stage, light, last report, open problems,
    next time node."""
    today = timezone.localdate()
    project_filter, projects, _base = scoped(request)
    open_milestones = Milestone.objects.filter(
        project=OuterRef("pk"), actual_date__isnull=True, planned_date__isnull=False
    ).order_by("planned_date")
    latest = ProgressReport.objects.filter(project=OuterRef("pk")).order_by("-period_start")
    open_problems = (
        Problem.objects.filter(project=OuterRef("pk"), status__in=lights.OPEN_PROBLEM)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
    )
    projects = (
        projects.with_health(today)
        .select_related("owner")
        .annotate(
            # A correlated count, not a join: a GROUP BY over every project's problems is
            # what made this page slow.
            open_problems=Coalesce(Subquery(open_problems.values("n")), 0),
            next_kind=Subquery(open_milestones.values("kind__name")[:1]),
            next_kind_en=Subquery(open_milestones.values("kind__name_en")[:1]),
            next_date=Subquery(open_milestones.values("planned_date")[:1]),
            last_period=Subquery(latest.values("period_start")[:1]),
            last_narrative=Subquery(latest.values("narrative")[:1]),
        )
        .order_by("code")
    )
    page = Paginator(projects, 30).get_page(request.GET.get("page"))
    for project in page:
        project.next_kind_label = _localized(project.next_kind, project.next_kind_en)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboard/cards.html",
        {"filter": project_filter, "page": page, "today": today, "query": query.urlencode()},
    )


def _localized(name, name_en):
    return localized_name(name, name_en or "") if name else ""


SCALES = {"month": 1, "quarter": 3}


@login_required
@reads_from_replica
def timeline(request: HttpRequest) -> HttpResponse:
    """A Gantt-style view of milestones, planned against actual, months or quarters wide."""
    today = timezone.localdate()
    project_filter, projects, _base = scoped(request)
    scale = request.GET.get("scale") if request.GET.get("scale") in SCALES else "month"
    months = SCALES[scale]
    # Months: half a year back, a year ahead. Quarters: a year back, two years ahead.
    span = 18 if scale == "month" else 36
    first = Period.containing("month", today)
    for _step in range(span // 3):
        first = first.previous()
    if scale == "quarter":
        first = Period("month", first.start.replace(month=(first.start.month - 1) // 3 * 3 + 1))
    columns, period = [], first
    for _column in range(span // months):
        columns.append(period.start)
        for _month in range(months):
            period = period.next()
    start, end = columns[0], period.start
    width = (end - start).days

    def position(day):
        if day is None or not start <= day < end:
            return None
        return round((day - start).days / width * 100, 2)

    page = Paginator(
        projects.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.select_related("kind"))
        ).order_by("code"),
        25,
    ).get_page(request.GET.get("page"))
    rows = []
    for project in page:
        marks = []
        for milestone in project.milestones.all():
            state = health.milestone_state(milestone, today)
            marks.append(
                {
                    "milestone": milestone,
                    "planned": position(milestone.planned_date),
                    "actual": position(milestone.actual_date),
                    "late": state.code in ("overdue", "done_late"),
                    "state": state,
                }
            )
        rows.append({"project": project, "marks": marks})
    query = request.GET.copy()
    query.pop("page", None)
    # The scale buttons replace the scale; the filter form carries it along.
    scale_query = query.copy()
    scale_query.pop("scale", None)
    return render(
        request,
        "dashboard/timeline.html",
        {
            "filter": project_filter,
            "rows": rows,
            "page": page,
            "columns": [
                {
                    "label": _("%(year)d Q%(quarter)d")
                    % {"year": c.year, "quarter": (c.month + 2) // 3}
                    if scale == "quarter"
                    else date_format(c, "YEAR_MONTH_FORMAT"),
                    "left": position(c),
                    "width": 100 / len(columns),
                }
                for c in columns
            ],
            "scale": scale,
            "today_left": position(today),
            "query": query.urlencode(),
            "scale_query": scale_query.urlencode(),
            "extra_params": [("scale", scale)],
            "end": end - timedelta(days=1),
        },
    )


@login_required
@reads_from_replica
def land_efficiency(request: HttpRequest) -> HttpResponse:
    project_filter, projects, _base = scoped(request)
    projects = projects.filter(land_area__gt=0).select_related("industry").order_by("code")
    below_only = request.GET.get("below") == "1"
    if below_only:
        # Shortfalls are judged in Python (one rule, in projects/land.py), so the whole
        # filtered set is assessed; only a page of it is rendered.
        rows = [a for a in land.assess_many(projects) if a.below_threshold]
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
    else:
        page = Paginator(projects, 50).get_page(request.GET.get("page"))
        page.object_list = land.assess_many(page.object_list)
    # The switch keeps the filters, and the filter form keeps the switch.
    query = request.GET.copy()
    query.pop("below", None)
    query.pop("page", None)
    paging = request.GET.copy()
    paging.pop("page", None)
    return render(
        request,
        "dashboard/land.html",
        {
            "filter": project_filter,
            "rows": page.object_list,
            "page": page,
            "paging": paging.urlencode(),
            "below_only": below_only,
            "query": query.urlencode(),
            "extra_params": [("below", "1")] if below_only else [],
        },
    )

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from diaodu.core.access import require
from diaodu.core.replica import reads_from_replica
from diaodu.dashboard import access, figures, gantt, scorecard
from diaodu.dashboard import approvals as approval_figures
from diaodu.dashboard import today as leader_today
from diaodu.projects import land
from diaodu.projects.access import visible_projects
from diaodu.projects.filters import ProjectFilter
from diaodu.projects.models import ProgressReport

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
        "health": figures.health_counts(projects, base),
        "investment": money,
        "landings": figures.landings(projects, today.year),
        "problems": figures.problems(request.user, projects, today, base),
        "overdue_actions": figures.overdue_actions_by_department(
            request.user, projects if is_filtered(project_filter) else None, base
        ),
    }


@login_required
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = dashboard_figures(request, today)
    money = context["investment"]
    context["charts"] = {
        # Month names in the reader's language ("Jan", "一月"), never "month 1".
        "months": [str(MONTHS_3[m]).capitalize() for m in range(1, 13)],
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
            "scores": scorecard.scorecard(start, end, sort),
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
    latest = ProgressReport.objects.filter(project=OuterRef("pk")).order_by("-period_start")
    projects = (
        projects.select_related("owner", "next_milestone__kind")
        .annotate(
            last_period=Subquery(latest.values("period_start")[:1]),
            last_narrative=Subquery(latest.values("narrative")[:1]),
        )
        .order_by("code")
    )
    page = Paginator(projects, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboard/cards.html",
        {"filter": project_filter, "page": page, "today": today, "query": query.urlencode()},
    )


@login_required
@reads_from_replica
def timeline(request: HttpRequest) -> HttpResponse:
    """The time plan as a Gantt chart, a page of projects at a time, grouped on request;
    the office re-plans a milestone by dragging it (``projects:milestone_replan``)."""
    today = timezone.localdate()
    project_filter, projects, _base = scoped(request)
    grouping = request.GET.get("group") if request.GET.get("group") in gantt.GROUPINGS else None
    scale = request.GET.get("scale") if request.GET.get("scale") in gantt.SCALES else "month"
    page = Paginator(gantt.ordered(projects, grouping), gantt.PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    # The scale and grouping links replace their own value and keep the rest.
    scale_query, group_query = query.copy(), query.copy()
    scale_query.pop("scale", None)
    group_query.pop("group", None)
    chart = gantt.chart_data(page.object_list, grouping, today, request.user)
    return render(
        request,
        "dashboard/timeline.html",
        {
            "filter": project_filter,
            "page": page,
            "projects": page.object_list,
            "chart": chart,
            "replannable": any(mark.get("draggable") for mark in chart["marks"]),
            "chart_labels": {
                "planned": _("planned"),
                "actual": _("actual"),
                "delay": _("delay"),
                "days": _("%(days)s days"),
                "saving": _("Saving…"),
                "saved": _("Planned date of %(name)s moved to %(date)s."),
                "failed": _("Not saved: %(reason)s"),
            },
            "replan_url": reverse("projects:milestone_replan", args=[0]),
            "stages": gantt.STAGES,
            "scales": gantt.SCALES,
            "scale": scale,
            "groupings": gantt.GROUPINGS,
            "grouping": grouping,
            "today": today,
            "query": query.urlencode(),
            "scale_query": scale_query.urlencode(),
            "group_query": group_query.urlencode(),
            "extra_params": [(k, v) for k, v in (("scale", scale), ("group", grouping)) if v],
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

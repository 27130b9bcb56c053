"""The time plan as a Gantt chart: a bar per stage of each project, planned above actual,
from the dates of the milestones that open and close the stage.

A page of rows is built in a fixed number of queries (the page of projects with the name of
their group, and their milestones); the chart itself is drawn in the browser by ECharts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diaodu.projects import health
from diaodu.projects.access import can_plan_milestones
from diaodu.projects.models import Milestone, Project

PER_PAGE = 50


@dataclass(frozen=True)
class StageSpan:
    key: str
    label: str
    opens: str  # the milestone kind whose date starts the stage
    closes: str  # ... and ends it


STAGES = (
    StageSpan("preparation", gettext_lazy("Preparation"), "signing", "groundbreaking"),
    StageSpan("construction", gettext_lazy("Construction"), "groundbreaking", "completion"),
    StageSpan("production", gettext_lazy("Commissioning"), "completion", "production"),
)

GROUPINGS = {
    "list": gettext_lazy("Key-project list"),
    "department": gettext_lazy("Lead department"),
    "leader": gettext_lazy("Responsible leader"),
}

# What the zoom buttons show around today, in the browser.
SCALES = {
    "week": gettext_lazy("Weeks"),
    "month": gettext_lazy("Months"),
    "quarter": gettext_lazy("Quarters"),
    "year": gettext_lazy("Years"),
}


def ordered(projects, grouping: str | None):
    """The projects in the order the chart lists them, each annotated with ``group_name``
    (the name of its group, or None) in the same query."""
    projects = projects.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.select_related("kind"))
    )
    if grouping == "list":
        # A project on several lists is shown under the latest, highest one, so each project
        # is one row and the pages stay a plain slice of the projects.
        first_list = Project.lists.through.objects.filter(project=OuterRef("pk")).order_by(
            "-projectlist__year", "projectlist__level", "projectlist__name"
        )
        return projects.annotate(
            group_name=Subquery(first_list.values("projectlist__name")[:1]),
            group_year=Subquery(first_list.values("projectlist__year")[:1]),
        ).order_by(
            F("group_year").desc(nulls_last=True), F("group_name").asc(nulls_last=True), "code"
        )
    if grouping == "department":
        return (
            projects.annotate(group_name=F("lead_department__short_name"))
            .order_by("lead_department__short_name", "lead_department__name", "code")
            .select_related("lead_department")
        )
    if grouping == "leader":
        return projects.annotate(group_name=F("responsible_leader__display_name")).order_by(
            F("responsible_leader__display_name").asc(nulls_last=True), "code"
        )
    return projects.order_by("code")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def chart_data(projects, grouping: str | None, today: date, user) -> dict:
    """What the browser draws: rows (group headings and projects), stage bars, milestones."""
    rows, bars, marks = [], [], []
    group = object()
    for project in projects:
        if grouping:
            name = _group_label(project, grouping)
            if name != group:
                group = name
                rows.append({"group": True, "label": name})
        row = len(rows)
        rows.append(
            {"label": project.name, "code": project.code, "url": project.get_absolute_url()}
        )
        editable = can_plan_milestones(user, project)
        milestones = list(project.milestones.all())
        by_kind = {m.kind.code: m for m in milestones}
        for stage in STAGES:
            bars += _stage_bars(
                row, stage, by_kind.get(stage.opens), by_kind.get(stage.closes), today
            )
        for milestone in milestones:
            state = health.milestone_state(milestone, today)
            late = state.code in ("overdue", "done_late")
            common = {
                "row": row,
                "id": milestone.pk,
                "name": str(milestone.kind),
                "code": milestone.kind.code,
                "planned": _iso(milestone.planned_date),
                "actual": _iso(milestone.actual_date),
                "late": late,
            }
            if milestone.planned_date:
                marks.append(
                    {
                        **common,
                        "kind": "planned",
                        "date": _iso(milestone.planned_date),
                        # Only a time node still ahead is re-planned by dragging it.
                        "draggable": editable and milestone.actual_date is None,
                    }
                )
            if milestone.actual_date:
                marks.append({**common, "kind": "actual", "date": _iso(milestone.actual_date)})
    return {"rows": rows, "bars": bars, "marks": marks, "today": today.isoformat()}


def _group_label(project, grouping: str) -> str:
    if project.group_name:
        return project.group_name
    if grouping == "department":
        return project.lead_department.name
    return {"list": _("Not on a list"), "leader": _("No responsible leader")}[grouping]


def _stage_bars(row, stage, opens, closes, today: date) -> list[dict]:
    """The planned bar, the actual bar (running to today while the stage lasts) and the
    delay: from the planned end to the actual end, or to today while it is overdue."""
    if opens is None or closes is None:
        return []
    bars = []
    base = {
        "row": row,
        "stage": stage.key,
        "label": str(stage.label),
        "opens": stage.opens,
        "closes": stage.closes,
    }
    if opens.planned_date and closes.planned_date and opens.planned_date <= closes.planned_date:
        bars.append(
            {
                **base,
                "kind": "planned",
                "start": _iso(opens.planned_date),
                "end": _iso(closes.planned_date),
            }
        )
    if opens.actual_date:
        end = closes.actual_date or today
        if opens.actual_date <= end:
            bars.append(
                {**base, "kind": "actual", "start": _iso(opens.actual_date), "end": _iso(end)}
            )
    if closes.planned_date:
        finished = closes.actual_date or today
        if finished > closes.planned_date:
            bars.append(
                {**base, "kind": "delay", "start": _iso(closes.planned_date), "end": _iso(finished)}
            )
    return bars

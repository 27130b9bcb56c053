"""The offices' Excel files: the dispatch table (调度表) and the problem ledger (问题台账).

Each export is exactly what the list page shows the same user with the same filters: it
starts from the user's ``visible_*`` queryset and applies the list's filter set to the
request's query string. Neither makes a query per row (see the query-count tests).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diaodu.lib import xlsx
from diaodu.lib.xlsx import Column, Highlight
from diaodu.problems.access import visible_problems
from diaodu.problems.choices import Light
from diaodu.problems.filters import ProblemFilter
from diaodu.problems.lists import ordered as problem_rows
from diaodu.problems.models import OPEN_PROBLEM, Problem
from diaodu.projects import health, investment
from diaodu.projects.access import visible_projects
from diaodu.projects.choices import Health, Stage
from diaodu.projects.filters import ProjectFilter
from diaodu.projects.models import Milestone, MilestoneKind
from diaodu.reports import columns as c

HEALTH_FILLS = {Health.ON_TRACK: "green", Health.AT_RISK: "yellow", Health.DELAYED: "red"}
LIGHT_FILLS = {
    Light.RED: "red",
    Light.YELLOW: "yellow",
    Light.GREEN: "green",
    Light.AWAITING: "grey",
    Light.DONE: "grey",
}
# totals_for takes a list of ids; SQLite builds may cap a query's parameters near 1,000.
TOTALS_BATCH = 900


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    rows: int


def _labels(fields) -> dict[str, c.Field]:
    return {f.key: f for f in fields}


def _generated(user, count_text: str) -> str:
    now = timezone.localtime()
    return _("Generated %(time)s by %(person)s · %(count)s") % {
        "time": date_format(now, "DATETIME_FORMAT"),
        "person": user,
        "count": count_text,
    }


def table_export(
    user,
    sheet,
    columns,
    rows,
    *,
    title,
    count_text,
    freeze_columns,
    today: date,
    long_dates: bool = False,
) -> Export:
    """One titled table as a workbook, noted with who made it and when, named after its
    title and today's date, page numbers at the foot: the shape of every Diaodu
    spreadsheet. ``long_dates`` writes dates out (2026年5月11日), as offices do in the
    tables they print for meetings."""
    book = xlsx.TableWorkbook(
        footer=_("Page &P of &N"),
        # Translators: Excel's number format of a date written out, e.g. 2026年5月11日.
        date_format=_("d mmmm yyyy") if long_dates else xlsx.NUMBER_FORMATS[xlsx.DATE],
    )
    book.add_table(
        sheet,
        columns,
        rows,
        title=title,
        note=_generated(user, count_text),
        freeze_columns=freeze_columns,
    )
    filename = _("%(title)s %(date)s.xlsx") % {"title": title, "date": today.isoformat()}
    return Export(book.to_bytes(), filename, len(rows))


# --- the dispatch table ------------------------------------------------------------------


# What the table reads of a project and of its open milestones: loading every column of
# 10,000 projects and 50,000 milestones was a good part of the export's time.
PROJECT_COLUMNS = [
    "id",
    "code",
    "name",
    "stage",
    "total_investment",
    "annual_plan",
    "plan_year",
    "owner",
    "industry",
    "lead_department",
    "responsible_leader",
]
MILESTONE_COLUMNS = ["id", "project", "kind", "planned_date", "actual_date"]


def dispatch_projects(request, today: date, params=None):
    """The projects of the user's list, as filtered, with everything the table shows
    annotated or prefetched: health, the next milestone, open problems."""
    projects = visible_projects(request.user).with_health(today)
    return _dispatch(projects, request, today, params)


def _dispatch(projects, request, today: date, params):
    open_ones = Milestone.objects.filter(
        project=OuterRef("pk"), actual_date__isnull=True, planned_date__isnull=False
    ).order_by("planned_date", "kind__sort_order")
    open_problems = (
        Problem.objects.filter(project=OuterRef("pk"), status__in=OPEN_PROBLEM)
        .order_by()
        .values("project")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = (
        projects.select_related("owner", "industry", "lead_department", "responsible_leader")
        .annotate(
            next_milestone_kind=Subquery(open_ones.values("kind")[:1]),
            next_milestone_date=Subquery(open_ones.values("planned_date")[:1]),
            open_problem_count=Coalesce(Subquery(open_problems, output_field=IntegerField()), 0),
        )
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.filter(health.open_milestone_filter(today))
                .only(*MILESTONE_COLUMNS)
                .select_related("kind")
                .order_by("planned_date"),
                to_attr="open_milestones",
            )
        )
    )
    params = request.GET if params is None else params
    return ProjectFilter(params, queryset=queryset, request=request).qs


def _totals(projects) -> dict:
    totals = {}
    for start in range(0, len(projects), TOTALS_BATCH):
        totals.update(investment.totals_for(projects[start : start + TOTALS_BATCH]))
    return totals


def dispatch_table(request, today: date | None = None, params=None) -> Export:
    today = today or timezone.localdate()
    # Health is assessed from the prefetched milestones, by the rule the SQL annotation
    # follows: asking the database as well cost two subqueries a project.
    projects = list(
        _dispatch(visible_projects(request.user).only(*PROJECT_COLUMNS), request, today, params)
    )
    kinds = {kind.pk: kind for kind in MilestoneKind.objects.all()}
    totals = _totals(projects)
    f = _labels(c.PROJECT_FIELDS)
    invest = str(f["annual_plan"].group)
    following = str(f["next_milestone_kind"].group)
    columns = [
        Column(str(f["index"].label), style=xlsx.INTEGER),
        Column(str(f["code"].label)),
        Column(str(f["name"].label)),
        Column(str(f["owner"].label)),
        Column(str(f["industry"].label)),
        Column(str(f["stage"].label)),
        Column(str(f["health"].label)),
        Column(str(f["health_reason"].label), style=xlsx.WRAP),
        Column(str(f["total_investment"].label), style=xlsx.MONEY),
        Column(str(f["annual_plan"].also[0]), group=invest, style=xlsx.MONEY),
        Column(str(f["year_to_date"].label), group=invest, style=xlsx.MONEY),
        Column(str(f["plan_rate"].label), group=invest, style=xlsx.RATE),
        Column(str(f["next_milestone_kind"].label), group=following),
        Column(str(f["next_milestone_date"].label), group=following, style=xlsx.DATE),
        Column(str(f["open_problems"].label), style=xlsx.INTEGER),
        Column(str(f["responsible_leader"].label)),
        Column(str(f["lead_department"].label)),
    ]
    # Labels translated once, not once a row.
    stages = {value: str(label) for value, label in Stage.choices}
    healths = {value: str(label) for value, label in Health.choices}
    rows = []
    for number, project in enumerate(projects, start=1):
        assessment = health.assess(project.open_milestones, today)
        sums = totals[project.pk]
        rate = sums.year_to_date / sums.plan if sums.plan else None
        kind = kinds.get(project.next_milestone_kind)
        rows.append(
            [
                number,
                project.code,
                project.name,
                project.owner.name,
                str(project.industry) if project.industry else None,
                stages.get(project.stage, project.stage),
                Highlight(healths[assessment.health], HEALTH_FILLS[assessment.health]),
                assessment.reason if assessment.milestone else None,
                project.total_investment,
                project.annual_plan,
                sums.year_to_date,
                rate.quantize(Decimal("0.0001")) if rate is not None else None,
                str(kind) if kind else None,
                project.next_milestone_date,
                project.open_problem_count,
                str(project.responsible_leader) if project.responsible_leader else None,
                str(project.lead_department),
            ]
        )
    years = {project.plan_year for project in projects}
    year = years.pop() if len(years) == 1 else today.year
    title = _("%(year)s key projects dispatch table") % {"year": year}
    count = ngettext("%(count)d project", "%(count)d projects", len(projects)) % {
        "count": len(projects)
    }
    return table_export(
        request.user,
        _("Dispatch table"),
        columns,
        rows,
        title=title,
        count_text=count,
        freeze_columns=3,
        today=today,
        long_dates=True,
    )


# --- the problem ledger ------------------------------------------------------------------


def ledger_problems(request, today: date, params=None):
    queryset = problem_rows(visible_problems(request.user))
    params = request.GET if params is None else params
    return ProblemFilter(params, queryset=queryset, request=request).qs


def problem_ledger(request, today: date | None = None, params=None) -> Export:
    today = today or timezone.localdate()
    problems = list(ledger_problems(request, today, params))
    f = _labels(c.PROBLEM_FIELDS)
    columns = [
        Column(str(f["index"].label), style=xlsx.INTEGER),
        Column(str(f["project_code"].label)),
        Column(str(f["project_name"].label)),
        Column(str(f["title"].label), style=xlsx.WRAP),
        Column(str(f["category"].label)),
        Column(str(f["lead_department"].label)),
        Column(str(f["cooperating_departments"].label)),
        Column(str(f["level"].label)),
        Column(str(f["raised_on"].label), style=xlsx.DATE),
        Column(str(f["due_date"].label), style=xlsx.DATE),
        Column(str(f["status"].label)),
        Column(str(f["light"].label)),
        Column(str(f["days_overdue"].label), style=xlsx.INTEGER),
        Column(str(f["root_cause"].label), style=xlsx.WRAP),
        Column(str(f["resolution"].label), style=xlsx.WRAP),
    ]
    # Labels looked up once: a lazy choice label costs a translation per call, which over
    # 50,000 problems was a third of the export's time.
    labels = {
        field: {value: str(label) for value, label in Problem._meta.get_field(field).choices}
        for field in ("category", "level", "status")
    }
    lights = {value: str(label) for value, label in Light.choices}
    rows = []
    for number, problem in enumerate(problems, start=1):
        overdue = problem.light == Light.RED
        rows.append(
            [
                number,
                problem.project.code,
                problem.project.name,
                problem.title,
                labels["category"][problem.category],
                str(problem.lead_department),
                "、".join(str(o) for o in problem.cooperating_departments.all()) or None,
                labels["level"][problem.level],
                problem.raised_on,
                problem.due_date,
                labels["status"][problem.status],
                Highlight(lights[problem.light], LIGHT_FILLS[problem.light]),
                (today - problem.due_date).days if overdue else None,
                problem.root_cause or None,
                problem.resolution or None,
            ]
        )
    title = _("Problem ledger")
    count = ngettext("%(count)d problem", "%(count)d problems", len(problems)) % {
        "count": len(problems)
    }
    return table_export(
        request.user,
        title,
        columns,
        rows,
        title=title,
        count_text=count,
        freeze_columns=4,
        today=today,
    )

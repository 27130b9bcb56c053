"""The offices' Excel files: the dispatch table (调度表) and the problem ledger (问题台账).

Each export is exactly what the list page shows the same user with the same filters: it
starts from the user's ``visible_*`` queryset and applies the list's filter set to the
request's query string. Neither makes a query per row (see the query-count tests).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diaodu.lib import xlsx
from diaodu.lib.xlsx import Column, Highlight
from diaodu.org.models import Organisation
from diaodu.problems.access import visible_problems
from diaodu.problems.choices import Light
from diaodu.problems.filters import ProblemFilter
from diaodu.problems.lists import ordered as problem_rows
from diaodu.problems.models import Problem
from diaodu.projects import investment
from diaodu.projects.access import visible_projects
from diaodu.projects.choices import Health, Stage
from diaodu.projects.filters import ProjectFilter
from diaodu.projects.models import MilestoneKind
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
    progress=None,
) -> Export:
    """One titled table as a workbook, noted with who made it and when, named after its
    title and today's date, page numbers at the foot: the shape of every Diaodu
    spreadsheet. ``long_dates`` writes dates out (2026年5月11日), as offices do in the
    tables they print for meetings. ``progress(done, total)`` hears of the rows written."""
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
        progress=progress,
    )
    filename = _("%(title)s %(date)s.xlsx") % {"title": title, "date": today.isoformat()}
    return Export(book.to_bytes(), filename, len(rows))


# --- the dispatch table ------------------------------------------------------------------


# The milestones a project's stored state names: what explains its health, and the next.
STORED_MILESTONES = ("health_milestone", "next_milestone")
# What the table reads of a project and of the milestones it names: loading every column of
# 10,000 projects was a good part of the export's time.
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
    # Stored from the milestones and problems (``projects.derived``).
    "health",
    "health_others",
    "open_problems",
    *(f"{name}__{column}" for name in STORED_MILESTONES for column in ("kind", "planned_date")),
]


def dispatch_projects(request, params=None):
    """The projects of the user's list, as filtered, with what the table shows of them:
    their health, its reason and the next milestone are stored on the project."""
    projects = (
        visible_projects(request.user)
        .select_related(
            "owner", "industry", "lead_department", "responsible_leader", *STORED_MILESTONES
        )
        .prefetch_related(
            Prefetch("cooperating_departments", Organisation.objects.only("name", "short_name"))
        )
    )
    params = request.GET if params is None else params
    return ProjectFilter(params, queryset=projects, request=request).qs


def _totals(projects) -> dict:
    totals = {}
    for start in range(0, len(projects), TOTALS_BATCH):
        totals.update(investment.totals_for(projects[start : start + TOTALS_BATCH]))
    return totals


def dispatch_count(request) -> int:
    """How many rows the dispatch table would have."""
    projects = visible_projects(request.user)
    return ProjectFilter(request.GET, queryset=projects, request=request).qs.count()


def dispatch_table(request, today: date | None = None, params=None, progress=None) -> Export:
    today = today or timezone.localdate()
    projects = list(dispatch_projects(request, params).only(*PROJECT_COLUMNS))
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
        Column(str(f["cooperating_departments"].label), style=xlsx.WRAP),
    ]
    # Labels translated once, not once a row.
    stages = {value: str(label) for value, label in Stage.choices}
    healths = {value: str(label) for value, label in Health.choices}
    rows = []
    for number, project in enumerate(projects, start=1):
        for milestone in (project.health_milestone, project.next_milestone):
            if milestone is not None:
                milestone.kind = kinds[milestone.kind_id]  # the kinds are read once
        assessment = project.assessment
        following = project.next_milestone
        sums = totals[project.pk]
        rate = sums.year_to_date / sums.plan if sums.plan else None
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
                str(following.kind) if following else None,
                following.planned_date if following else None,
                project.open_problems,
                str(project.responsible_leader) if project.responsible_leader else None,
                str(project.lead_department),
                "、".join(str(o) for o in project.cooperating_departments.all()) or None,
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
        progress=progress,
    )


# --- the problem ledger ------------------------------------------------------------------


def ledger_problems(request, today: date, params=None):
    queryset = problem_rows(visible_problems(request.user))
    params = request.GET if params is None else params
    return ProblemFilter(params, queryset=queryset, request=request).qs


# What the ledger reads of each problem: plain values, not model instances. Building
# 50,000 problems with their projects and departments took most of the query's 9 s.
LEDGER_VALUES = [
    "pk",
    "project__code",
    "project__name",
    "title",
    "category",
    "lead_department__short_name",
    "lead_department__name",
    "level",
    "raised_on",
    "due_date",
    "status",
    "light",
    "root_cause",
    "resolution",
]


def _cooperating(problems) -> dict[int, str]:
    """Each problem's cooperating departments, joined as the page lists them, in one
    query over the same filtered problems."""
    through = Problem.cooperating_departments.through
    links = (
        through.objects.filter(problem__in=problems.order_by().values("pk"))
        .order_by(
            "problem_id", "organisation__kind", "organisation__sort_order", "organisation__name"
        )
        .values_list("problem_id", "organisation__short_name", "organisation__name")
    )
    names: dict[int, list[str]] = {}
    for problem_id, short_name, name in links:
        names.setdefault(problem_id, []).append(short_name or name)
    return {problem_id: "、".join(departments) for problem_id, departments in names.items()}


def ledger_count(request) -> int:
    """How many rows the problem ledger would have."""
    return ledger_problems(request, timezone.localdate()).count()


def problem_ledger(request, today: date | None = None, params=None, progress=None) -> Export:
    today = today or timezone.localdate()
    problems = ledger_problems(request, today, params)
    cooperating = _cooperating(problems)
    problems = list(problems.prefetch_related(None).values_list(*LEDGER_VALUES))
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
    lights = {value: Highlight(str(label), LIGHT_FILLS[value]) for value, label in Light.choices}
    rows = []
    for number, values in enumerate(problems, start=1):
        (
            pk,
            code,
            name,
            title,
            category,
            lead_short,
            lead_name,
            level,
            raised_on,
            due_date,
            status,
            light,
            root_cause,
            resolution,
        ) = values
        rows.append(
            [
                number,
                code,
                name,
                title,
                labels["category"][category],
                lead_short or lead_name,
                cooperating.get(pk),
                labels["level"][level],
                raised_on,
                due_date,
                labels["status"][status],
                lights[light],
                (today - due_date).days if light == Light.RED else None,
                root_cause or None,
                resolution or None,
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
        progress=progress,
    )

"""Landing speed (落得快): how many days after signing a project had its land, its
approvals, broke ground, was completed and went into production.

The dates come from the confirmed actual dates of milestones, gathered per project in one
grouped query over the milestone table; the days are subtracted in SQL too. A stage is:

- land: 供地 (``land_supply``);
- approvals: 施工许可 (``construction_permit``); a project without that milestone (one
  that needs no new permit) has its approvals once every approval milestone it has is
  granted, on the last of them;
- groundbreaking, completion, production: 开工, 竣工, 投产.

Each stage is compared with the zone's target (``StageTarget``) for the project's industry,
or the zone-wide one. Targets count from signing, like the figures, so a project's
*slowest* stage is the one whose days are largest relative to its target: where the
delay began, since a late stage also makes every later one late but by a shrinking share.
A stage not reached yet counts while its days since signing already exceed its target.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from diaodu.landing.choices import LandingStage
from diaodu.landing.models import StageTarget
from diaodu.projects.models import Industry, Milestone, Project

SIGNING = "signing"
PERMIT = "construction_permit"
# The milestone kind whose actual date marks each stage (approvals: see the module doc).
STAGE_KINDS = {
    LandingStage.LAND: "land_supply",
    LandingStage.GROUNDBREAKING: "groundbreaking",
    LandingStage.COMPLETION: "completion",
    LandingStage.PRODUCTION: "production",
}
STAGES = list(LandingStage)
_TENTH = Decimal("0.1")


def _first_date(code):
    return Min("milestones__actual_date", filter=Q(milestones__kind__code=code))


def _first_planned(code):
    return Min("milestones__planned_date", filter=Q(milestones__kind__code=code))


def _days_since_signing(name):
    return ExpressionWrapper(F(name) - F("signed_on"), output_field=DurationField())


def with_stage_dates(projects):
    """``projects`` that were signed (an actual signing date), annotated with the date each
    stage was reached (``<stage>_on``). One query, however many projects."""
    approvals_on = Case(
        When(permit_count__gt=0, then=F("permit_on")),
        When(approval_count__gt=0, open_approval_count=0, then=F("last_approval_on")),
        default=None,
    )
    dates = {f"{stage}_on": _first_date(code) for stage, code in STAGE_KINDS.items()}
    return (
        projects.annotate(
            signed_on=_first_date(SIGNING),
            permit_on=_first_date(PERMIT),
            permit_count=Count("milestones", filter=Q(milestones__kind__code=PERMIT)),
            approval_count=Count("milestones", filter=Q(milestones__kind__is_approval=True)),
            open_approval_count=Count(
                "milestones",
                filter=Q(milestones__kind__is_approval=True, milestones__actual_date__isnull=True),
            ),
            last_approval_on=Max(
                "milestones__actual_date", filter=Q(milestones__kind__is_approval=True)
            ),
            **dates,
        )
        .annotate(approvals_on=approvals_on)
        .filter(signed_on__isnull=False)
    )


def with_landing_dates(projects):
    """``with_stage_dates``, and the days from signing to each stage (``<stage>_days``, a
    duration) and the date it is planned for (``<stage>_planned``). One query."""
    planned = {f"{stage}_planned": _first_planned(code) for stage, code in STAGE_KINDS.items()}
    approvals_planned = Coalesce(
        "permit_planned", "last_approval_planned", output_field=DateField()
    )
    return (
        with_stage_dates(projects)
        .annotate(
            permit_planned=_first_planned(PERMIT),
            last_approval_planned=Max(
                "milestones__planned_date", filter=Q(milestones__kind__is_approval=True)
            ),
            **planned,
        )
        .annotate(approvals_planned=approvals_planned)
        .annotate(**{f"{stage}_days": _days_since_signing(f"{stage}_on") for stage in STAGES})
    )


class Targets:
    """The zone's targets: a project's industry's own, else the zone-wide one. One query."""

    def __init__(self):
        self.by_industry = {(t.industry_id, t.stage): t.days for t in StageTarget.objects.all()}

    def days(self, stage: str, industry_id) -> int | None:
        return self.by_industry.get((industry_id, stage), self.by_industry.get((None, stage)))

    def zone(self) -> dict[str, int | None]:
        return {stage: self.by_industry.get((None, stage)) for stage in STAGES}


@dataclass
class StageDays:
    stage: LandingStage
    reached_on: date | None
    days: int | None  # from signing to the stage; while pending, to today
    target: int | None
    pending: bool = False
    slowest: bool = False
    planned_on: date | None = None

    @property
    def achieved(self) -> bool:
        """Only an achieved stage has "its" days; the others have a plan and, for the
        first of them, the days so far."""
        return self.reached_on is not None

    @property
    def ratio(self) -> Decimal | None:
        if self.days is None or not self.target:
            return None
        return Decimal(self.days) / self.target

    @property
    def over_target(self) -> bool:
        return self.target is not None and self.days is not None and self.days > self.target

    @property
    def counts(self) -> bool:
        """Reached stages count; a pending one only once it is already over its target."""
        return self.days is not None and (not self.pending or self.over_target)


@dataclass
class Landing:
    """One project's landing: each stage's days from signing against its target."""

    project: object
    signed_on: date
    stages: list[StageDays]

    @property
    def slowest(self) -> StageDays | None:
        return next((s for s in self.stages if s.slowest), None)

    def stage(self, stage: str) -> StageDays:
        return next(s for s in self.stages if s.stage == stage)


def landing_of(project, targets: Targets, today: date) -> Landing:
    """A project from :func:`with_landing_dates` as a :class:`Landing`; the first stage
    not yet reached counts its days to ``today``."""
    stages = []
    waiting = False
    for stage in STAGES:
        reached_on = getattr(project, f"{stage}_on")
        elapsed = getattr(project, f"{stage}_days")
        target = targets.days(stage, project.industry_id)
        planned_on = getattr(project, f"{stage}_planned")
        if reached_on is not None:
            stages.append(StageDays(stage, reached_on, elapsed.days, target, planned_on=planned_on))
        elif not waiting:
            waiting = True
            days = (today - project.signed_on).days
            stages.append(StageDays(stage, None, days, target, pending=True, planned_on=planned_on))
        else:
            stages.append(StageDays(stage, None, None, target, planned_on=planned_on))
    candidates = [s for s in stages if s.counts and s.ratio is not None]
    if candidates:
        max(candidates, key=lambda s: s.ratio).slowest = True
    return Landing(project, project.signed_on, stages)


def landings(projects, today: date, targets: Targets | None = None) -> list[Landing]:
    """Every signed project of ``projects`` with its landing, in order of signing: two
    queries (one when given the targets)."""
    targets = targets or Targets()
    # Only what the rows show: the query groups by every selected column, and the long
    # text ones (content, search key) made it twice as slow.
    rows = (
        with_landing_dates(projects)
        .select_related("industry")
        .only("code", "name", "industry__name", "industry__name_en", "industry__sort_order")
        .order_by("signed_on", "code")
    )
    return [landing_of(project, targets, today) for project in rows]


class Landings:
    """``landings`` of ``projects`` a page at a time, for a paginator: a slice is one
    query, the dates of the projects of that page only (picked in a subquery by their
    signing dates). ``count`` is known already, from the summary."""

    def __init__(self, projects, today: date, targets: Targets, count: int):
        self.projects, self.today, self.targets, self._count = projects, today, targets, count

    def count(self) -> int:
        return self._count

    def __getitem__(self, page: slice) -> list[Landing]:
        signed = (
            Milestone.objects.filter(
                kind__code=SIGNING,
                actual_date__isnull=False,
                project__in=self.projects.values("pk"),
            )
            .order_by("actual_date", "project__code")
            .values("project")[page]
        )
        return landings(Project.objects.filter(pk__in=signed), self.today, self.targets)


# --- Aggregates ------------------------------------------------------------------------------


@dataclass
class StageSummary:
    """Reached stages of a group of projects: how many, their mean and median days from
    signing, and the share reached within target (of those with a target)."""

    stage: LandingStage
    count: int = 0
    total_days: int = 0
    median_days: float | None = None  # a whole number of days, or halfway between two
    within: int = 0
    with_target: int = 0

    @property
    def mean(self) -> Decimal | None:
        if not self.count:
            return None
        return (Decimal(self.total_days) / self.count).quantize(_TENTH, ROUND_HALF_UP)

    @property
    def median(self) -> Decimal | None:
        if self.median_days is None:
            return None
        return Decimal(str(self.median_days)).quantize(_TENTH, ROUND_HALF_UP)

    @property
    def within_rate(self) -> Decimal | None:
        """Percent reached within target."""
        if not self.with_target:
            return None
        return (Decimal(self.within) * 100 / self.with_target).quantize(_TENTH, ROUND_HALF_UP)


@dataclass
class Group:
    key: object
    label: str
    projects: int = 0
    stages: dict = field(default_factory=lambda: {s: StageSummary(s) for s in STAGES})

    @property
    def summaries(self) -> list[StageSummary]:
        return [self.stages[s] for s in STAGES]


BY_INDUSTRY = "industry"
BY_YEAR = "year"

# The summary's SQL around the per-project query of ``with_landing_dates`` (``landing``):
# one row per project and stage with its days and target (``days``), once in its group and
# once in the whole (``whole`` = 1), then counted, summed and its median taken per group
# and stage. Days and years are written per database.
_DAYS = {
    "postgresql": "({on} - signed_on)",
    "sqlite": "CAST(julianday({on}) - julianday(signed_on) AS INTEGER)",
}
_YEAR = {
    "postgresql": "CAST(EXTRACT(YEAR FROM signed_on) AS integer)",
    "sqlite": "CAST(strftime('%%Y', signed_on) AS INTEGER)",
}
_COUNTS = """
    COUNT(*) AS projects, COUNT(days) AS reached, COALESCE(SUM(days), 0) AS total_days,
    SUM(CASE WHEN days <= target THEN 1 ELSE 0 END) AS within,
    SUM(CASE WHEN days IS NOT NULL AND target IS NOT NULL THEN 1 ELSE 0 END) AS with_target
"""
# PostgreSQL has the median (interpolated between the middle two, as statistics.median).
_SUMMARY_POSTGRESQL = f"""
SELECT whole, grp, stage, {_COUNTS},
    percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median
FROM days GROUP BY whole, grp, stage
"""
# SQLite has none: each group's one or two middle days are found by numbering its days in
# order (a window), and averaged. Bounded: one sort of the reached days, no rows fetched.
_SUMMARY_SQLITE = f"""
, ranked AS (
    SELECT whole, grp, stage, days,
        ROW_NUMBER() OVER (PARTITION BY whole, grp, stage ORDER BY days) AS n,
        COUNT(*) OVER (PARTITION BY whole, grp, stage) AS size
    FROM days WHERE days IS NOT NULL
), medians AS (
    SELECT whole, grp, stage, AVG(days) AS median FROM ranked
    WHERE n IN ((size + 1) / 2, (size + 2) / 2) GROUP BY whole, grp, stage
), counts AS (SELECT whole, grp, stage, {_COUNTS} FROM days GROUP BY whole, grp, stage)
SELECT counts.whole, counts.grp, counts.stage, projects, reached, total_days, within,
    with_target, medians.median
FROM counts LEFT JOIN medians ON medians.whole = counts.whole AND medians.grp IS counts.grp
    AND medians.stage = counts.stage
"""


def _target_sql(stage: str, targets: Targets) -> tuple[str, list]:
    """The stage's target of a project, in SQL: its industry's own, else the zone's."""
    own = [
        (industry, days)
        for (industry, of_stage), days in targets.by_industry.items()
        if of_stage == stage and industry is not None
    ]
    cases = "".join(" WHEN industry_id = %s THEN %s" for _own in own)
    params = [value for pair in own for value in pair]
    target = f"CASE{cases} ELSE %s END" if own else "%s"
    return f"CAST({target} AS integer)", [*params, targets.zone()[stage]]


def _summary_sql(landing, by: str, targets: Targets, vendor: str) -> tuple[str, list]:
    inner, params = landing.query.sql_with_params()
    params = list(params)
    columns = ["industry_id AS grp" if by == BY_INDUSTRY else f"{_YEAR[vendor]} AS grp"]
    for index, stage in enumerate(STAGES):
        target, target_params = _target_sql(stage, targets)
        days = _DAYS[vendor].format(on=f"{stage}_on")
        columns += [f"{days} AS d{index}", f"{target} AS t{index}"]
        params += target_params
    branches = [
        f"SELECT {whole} AS whole, {'NULL' if whole else 'grp'} AS grp, {index} AS stage, "
        f"d{index} AS days, t{index} AS target FROM per_project"
        for whole in (0, 1)
        for index in range(len(STAGES))
    ]
    sql = (
        f"WITH landing AS ({inner}), "
        f"per_project AS (SELECT {', '.join(columns)} FROM landing), "
        f"days AS ({' UNION ALL '.join(branches)})"
    )
    return sql + (_SUMMARY_POSTGRESQL if vendor == "postgresql" else _SUMMARY_SQLITE), params


def summary(projects, by: str, targets: Targets) -> tuple[Group, list[Group]]:
    """(all signed projects, one group per industry or per signing year), in display
    order: per stage, how many reached it, their mean and median days and the share within
    target. Computed by the database (one query; grouped by industry, one more for the
    industries' names): however many projects, nothing per project is read."""
    landing = with_stage_dates(projects.only("industry")).order_by()
    connection = connections[landing.db]
    sql, params = _summary_sql(landing, by, targets, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = Group(None, _("All projects"))
    groups: dict = {}
    for whole, key, index, count, reached, total_days, within, with_target, median in rows:
        shown = total if whole else groups.setdefault(key, Group(key, str(key)))
        shown.projects = count
        shown.stages[STAGES[index]] = StageSummary(
            STAGES[index],
            count=reached,
            total_days=int(total_days),
            median_days=None if median is None else float(median),
            within=int(within or 0),
            with_target=int(with_target or 0),
        )
    if not total.projects:
        return total, []
    if by == BY_YEAR:
        return total, sorted(groups.values(), key=lambda g: g.key)
    industries = {i.pk: i for i in Industry.objects.filter(pk__in=[k for k in groups if k])}
    for key, shown in groups.items():
        shown.label = str(industries[key]) if key else _("No industry")
    # Industries in their master-data order, then the projects without one.
    return total, sorted(
        groups.values(),
        key=lambda g: (
            (0, industries[g.key].sort_order, industries[g.key].name) if g.key else (1, 0, "")
        ),
    )

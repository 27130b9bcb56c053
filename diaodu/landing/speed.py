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

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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


def with_landing_dates(projects):
    """``projects`` that were signed (an actual signing date), annotated with the date each
    stage was reached (``<stage>_on``), the days from signing to it (``<stage>_days``,
    a duration) and the date it is planned for (``<stage>_planned``). One query, however
    many projects."""
    approvals_on = Case(
        When(permit_count__gt=0, then=F("permit_on")),
        When(approval_count__gt=0, open_approval_count=0, then=F("last_approval_on")),
        default=None,
    )
    dates = {f"{stage}_on": _first_date(code) for stage, code in STAGE_KINDS.items()}
    planned = {f"{stage}_planned": _first_planned(code) for stage, code in STAGE_KINDS.items()}
    approvals_planned = Coalesce(
        "permit_planned", "last_approval_planned", output_field=DateField()
    )
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
            permit_planned=_first_planned(PERMIT),
            last_approval_planned=Max(
                "milestones__planned_date", filter=Q(milestones__kind__is_approval=True)
            ),
            **dates,
            **planned,
        )
        .annotate(approvals_on=approvals_on, approvals_planned=approvals_planned)
        .filter(signed_on__isnull=False)
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
    """Every signed project of ``projects`` with its landing: two queries (one when given
    the targets)."""
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


# --- Aggregates ------------------------------------------------------------------------------


@dataclass
class StageSummary:
    """Reached stages of a group of projects: how many, their mean and median days from
    signing, and the share reached within target (of those with a target)."""

    stage: LandingStage
    days: list[int] = field(default_factory=list)
    within: int = 0
    with_target: int = 0

    @property
    def count(self) -> int:
        return len(self.days)

    @property
    def mean(self) -> Decimal | None:
        if not self.days:
            return None
        return (Decimal(sum(self.days)) / len(self.days)).quantize(_TENTH, ROUND_HALF_UP)

    @property
    def median(self) -> Decimal | None:
        if not self.days:
            return None
        return Decimal(str(statistics.median(self.days))).quantize(_TENTH, ROUND_HALF_UP)

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

    def add(self, landing: Landing) -> None:
        self.projects += 1
        for stage in landing.stages:
            if stage.pending or stage.days is None:
                continue
            summary = self.stages[stage.stage]
            summary.days.append(stage.days)
            if stage.target is not None:
                summary.with_target += 1
                summary.within += stage.days <= stage.target

    @property
    def summaries(self) -> list[StageSummary]:
        return [self.stages[s] for s in STAGES]


BY_INDUSTRY = "industry"
BY_YEAR = "year"


def summarise(rows: list[Landing], by: str) -> tuple[Group, list[Group]]:
    """(all projects, one group per industry or per signing year), in display order."""
    total = Group(None, _("All projects"))
    groups: dict = {}
    for landing in rows:
        total.add(landing)
        project = landing.project
        if by == BY_YEAR:
            key, label = landing.signed_on.year, str(landing.signed_on.year)
        else:
            key = project.industry_id
            label = str(project.industry) if project.industry_id else _("No industry")
        if key not in groups:
            groups[key] = Group(key, label)
        groups[key].add(landing)
    if by == BY_YEAR:
        ordered = sorted(groups.values(), key=lambda g: g.key)
    else:
        # Industries in their master-data order, then the projects without one.
        order = defaultdict(lambda: (1, 0, ""))
        for landing in rows:
            industry = landing.project.industry
            if industry is not None:
                order[industry.pk] = (0, industry.sort_order, industry.name)
        ordered = sorted(groups.values(), key=lambda g: order[g.key])
    return total, ordered

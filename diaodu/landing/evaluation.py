"""The yearly land-efficiency evaluation (亩均效益评价) of projects in production.

A project is evaluated for a year when it has land and an annual return for that year.
Its figures: investment per mu (total investment), output and tax per mu (the return), and
energy per 万元 of output (tonnes of standard coal, from the return). Each is set against
the land-efficiency threshold of its industry, or the zone-wide one (``LandThreshold``):

- an *index* per indicator is the figure divided by its threshold (for energy, where less
  is better, the threshold divided by the figure), capped at 2 so that one outstanding
  figure cannot hide the others;
- the *score* is the weighted mean of the indices times 100, with the weights zones
  commonly use: tax per mu 40, output per mu 30, energy 20, investment per mu 10. An
  indicator without a figure or a threshold is left out and the others' weights
  re-normalised; a project with none has no score.
- So 100 means "exactly at every threshold". Grades: A from 120, B from 100, C from 80,
  D below 80 (or no score).

Projects are ranked by score (then tax per mu, then project number); equal scores share a
rank.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from diaodu.landing.choices import Grade
from diaodu.projects import land
from diaodu.projects.choices import Stage
from diaodu.projects.models import AnnualReturn, LandThreshold

CAP = Decimal(2)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Indicator:
    key: str  # the figure's name here and its threshold's in LandThreshold
    label: str
    weight: int
    lower_is_better: bool = False


INDICATORS = [
    Indicator("tax_per_mu", _("tax per mu"), 40),
    Indicator("output_per_mu", _("output per mu"), 30),
    Indicator("energy_per_output", _("energy per 10k yuan of output"), 20, True),
    Indicator("investment_per_mu", _("investment per mu"), 10),
]
# Lowest score of each grade, best first.
GRADE_FLOORS = [(Grade.A, Decimal(120)), (Grade.B, Decimal(100)), (Grade.C, Decimal(80))]


def index_of(value: Decimal | None, threshold: Decimal | None, lower_is_better=False):
    """How the figure compares with its threshold (1 = exactly at it), capped at ``CAP``;
    None when there is nothing to compare."""
    if value is None or not threshold:
        return None
    if lower_is_better:
        return CAP if value == 0 else min(Decimal(threshold) / value, CAP)
    return min(Decimal(value) / threshold, CAP)


def grade_of(score: Decimal | None) -> Grade:
    if score is not None:
        for grade, floor in GRADE_FLOORS:
            if score >= floor:
                return grade
    return Grade.D


@dataclass
class Evaluation:
    project: object
    annual_return: AnnualReturn
    threshold: LandThreshold | None
    investment_per_mu: Decimal | None = None
    output_per_mu: Decimal | None = None
    tax_per_mu: Decimal | None = None
    energy_per_output: Decimal | None = None
    indices: dict = field(default_factory=dict)  # indicator key → Decimal | None
    score: Decimal | None = None
    grade: Grade = Grade.D
    rank: int = 0

    def meets(self, key: str) -> bool | None:
        """Whether the figure meets its threshold (None: nothing to compare)."""
        index = self.indices.get(key)
        return None if index is None else index >= 1

    @property
    def shortfalls(self) -> list[Indicator]:
        return [i for i in INDICATORS if self.meets(i.key) is False]


def evaluate(project, annual_return, threshold) -> Evaluation:
    row = Evaluation(
        project,
        annual_return,
        threshold,
        investment_per_mu=land.per_mu(project.total_investment, project.land_area),
        output_per_mu=land.per_mu(annual_return.output, project.land_area),
        tax_per_mu=land.per_mu(annual_return.tax, project.land_area),
        energy_per_output=land.energy_per_output(annual_return.energy, annual_return.output),
    )
    weighted, weights = Decimal(0), 0
    for indicator in INDICATORS:
        limit = getattr(threshold, indicator.key) if threshold else None
        index = index_of(getattr(row, indicator.key), limit, indicator.lower_is_better)
        row.indices[indicator.key] = index
        if index is not None:
            weighted += index * indicator.weight
            weights += indicator.weight
    if weights:
        row.score = (weighted * 100 / weights).quantize(_CENT, ROUND_HALF_UP)
    row.grade = grade_of(row.score)
    return row


def rank(rows: list[Evaluation]) -> list[Evaluation]:
    """Best first; equal scores share a rank (1, 2, 2, 4)."""

    def order(row):
        return (row.score is None, -(row.score or 0), -(row.tax_per_mu or 0), row.project.code)

    rows = sorted(rows, key=order)
    for position, row in enumerate(rows, start=1):
        previous = rows[position - 2] if position > 1 else None
        same = previous is not None and previous.score == row.score
        row.rank = previous.rank if same else position
    return rows


def evaluation(projects, year: int) -> list[Evaluation]:
    """The ranked evaluation of ``projects`` (a queryset) for ``year``: two queries."""
    thresholds = land.thresholds()
    returns = (
        AnnualReturn.objects.filter(
            year=year, project__in=projects.values("pk"), project__land_area__gt=0
        )
        .select_related("project__industry", "project__owner")
        .order_by()
    )
    return rank(
        [
            evaluate(
                r.project,
                r,
                thresholds.get(r.project.industry_id) or thresholds.get(None),
            )
            for r in returns
        ]
    )


def years(projects) -> list[int]:
    """Years with annual returns from ``projects``, latest first."""
    return list(
        AnnualReturn.objects.filter(project__in=projects.values("pk"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def not_reported(projects, year: int):
    """Projects in production with no return for ``year``."""
    return (
        projects.filter(stage=Stage.PRODUCTION)
        .exclude(returns__year=year)
        .select_related("owner")
        .order_by("code")
    )

"""Land efficiency (亩均效益): the one place the rule lives.

Investment intensity is total investment per mu; once a project is in production, its
latest annual return gives output and tax per mu. Each is compared with the threshold of
the project's industry, or the zone-wide one; a project below any threshold is flagged.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from diaodu.projects.choices import Stage
from diaodu.projects.models import AnnualReturn, LandThreshold

_CENT = Decimal("0.01")


def per_mu(amount, land) -> Decimal | None:
    if amount is None or not land:
        return None
    return (Decimal(amount) / land).quantize(_CENT)


def energy_per_output(energy, output) -> Decimal | None:
    """Tonnes of standard coal per 万元 of output (万元产值能耗), four decimals."""
    if energy is None or not output:
        return None
    return (Decimal(energy) / output).quantize(Decimal("0.0001"))


@dataclass
class LandEfficiency:
    project: object
    investment_per_mu: Decimal | None
    output_per_mu: Decimal | None = None
    tax_per_mu: Decimal | None = None
    return_year: int | None = None
    threshold: LandThreshold | None = None
    shortfalls: list[str] = field(default_factory=list)

    @property
    def below_threshold(self) -> bool:
        return bool(self.shortfalls)


def thresholds() -> dict:
    """Thresholds by industry id; ``None`` holds the zone-wide one."""
    return {t.industry_id: t for t in LandThreshold.objects.all()}


def latest_returns(projects) -> dict:
    latest = {}
    rows = AnnualReturn.objects.filter(project__in=[p.pk for p in projects]).order_by(
        "project_id", "-year"
    )
    for row in rows:
        latest.setdefault(row.project_id, row)
    return latest


def assess(project, threshold_by_industry: dict, annual_return=None) -> LandEfficiency:
    result = LandEfficiency(
        project=project,
        investment_per_mu=per_mu(project.total_investment, project.land_area),
    )
    threshold = threshold_by_industry.get(project.industry_id) or threshold_by_industry.get(None)
    result.threshold = threshold
    if project.stage == Stage.PRODUCTION and annual_return is not None:
        result.output_per_mu = per_mu(annual_return.output, project.land_area)
        result.tax_per_mu = per_mu(annual_return.tax, project.land_area)
        result.return_year = annual_return.year
    if threshold is None:
        return result
    checks = [
        (result.investment_per_mu, threshold.investment_per_mu, _("investment per mu")),
        (result.output_per_mu, threshold.output_per_mu, _("output per mu")),
        (result.tax_per_mu, threshold.tax_per_mu, _("tax per mu")),
    ]
    for value, minimum, label in checks:
        if value is not None and minimum and value < minimum:
            result.shortfalls.append(
                _("%(what)s %(value)s below %(minimum)s")
                % {"what": label, "value": value, "minimum": minimum}
            )
    return result


def assess_many(projects) -> list[LandEfficiency]:
    """``assess`` for many projects in two queries."""
    projects = list(projects)
    by_industry = thresholds()
    returns = latest_returns(projects)
    return [assess(p, by_industry, returns.get(p.pk)) for p in projects]

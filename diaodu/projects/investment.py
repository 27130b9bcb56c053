"""Investment figures derived from progress reports. Only approved reports count, and
nothing here is ever stored: the period amounts are the single source."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When, Window
from django.db.models.functions import Coalesce

from diaodu.projects.choices import ReportStatus

ZERO = Decimal("0")
_MONEY = DecimalField(max_digits=16, decimal_places=2)
_APPROVED_AMOUNT = Case(
    When(status=ReportStatus.APPROVED, then=F("investment")),
    default=Value(ZERO),
    output_field=_MONEY,
)


@dataclass(frozen=True)
class InvestmentTotals:
    plan: Decimal
    year_to_date: Decimal
    cumulative: Decimal
    total: Decimal

    @property
    def plan_rate(self) -> Decimal | None:
        """Share of this year's plan completed, in percent."""
        if not self.plan:
            return None
        return (self.year_to_date / self.plan * 100).quantize(Decimal("0.1"))

    @property
    def total_rate(self) -> Decimal | None:
        if not self.total:
            return None
        return (self.cumulative / self.total * 100).quantize(Decimal("0.1"))


def totals(project) -> InvestmentTotals:
    """Year-to-date (for the project's plan year) and cumulative investment, one query."""
    sums = project.progress_reports.filter(status=ReportStatus.APPROVED).aggregate(
        cumulative=Coalesce(Sum("investment"), ZERO, output_field=_MONEY),
        year_to_date=Coalesce(
            Sum("investment", filter=Q(period_start__year=project.plan_year)),
            ZERO,
            output_field=_MONEY,
        ),
    )
    return InvestmentTotals(
        plan=project.annual_plan,
        year_to_date=sums["year_to_date"],
        cumulative=sums["cumulative"],
        total=project.total_investment,
    )


def with_running_totals(reports):
    """Annotate each report with ``cumulative``: approved investment up to and including it."""
    return reports.annotate(
        cumulative=Window(
            Sum(_APPROVED_AMOUNT),
            partition_by=[F("project_id")],
            order_by=[F("period_start").asc(), F("pk").asc()],
        )
    )

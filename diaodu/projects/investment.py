"""Investment figures derived from progress reports. Only approved reports count, and
nothing here is ever stored: the period amounts are the single source."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Sum, Value, When, Window

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
    return totals_for([project])[project.pk]


def totals_for(projects) -> dict[int, InvestmentTotals]:
    """``totals`` of many projects in one query, by project id."""
    from diaodu.projects.models import ProgressReport

    ids = [p.pk for p in projects]
    sums = {
        row["project_id"]: row
        for row in ProgressReport.objects.filter(project__in=ids, status=ReportStatus.APPROVED)
        .values("project_id")
        .annotate(
            cumulative=Sum("investment"),
            year_to_date=Sum(
                Case(
                    When(period_start__year=F("project__plan_year"), then=F("investment")),
                    default=Value(ZERO),
                    output_field=_MONEY,
                )
            ),
        )
        .order_by()
    }
    result = {}
    for project in projects:
        row = sums.get(project.pk, {})
        result[project.pk] = InvestmentTotals(
            plan=project.annual_plan,
            year_to_date=row.get("year_to_date") or ZERO,
            cumulative=row.get("cumulative") or ZERO,
            total=project.total_investment,
        )
    return result


def with_running_totals(reports):
    """Annotate each report with ``cumulative``: approved investment up to and including it."""
    return reports.annotate(
        cumulative=Window(
            Sum(_APPROVED_AMOUNT),
            partition_by=[F("project_id")],
            order_by=[F("period_start").asc(), F("pk").asc()],
        )
    )

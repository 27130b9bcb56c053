"""Whether a commitment is kept: the one place the rule lives.

A commitment is judged on its due date (``D``), ``N`` = ``DIAODU_COMMITMENT_AT_RISK_DAYS``
and ``T`` = ``DIAODU_COMMITMENT_TOLERANCE`` (percent). A target per 亩 is multiplied by
the project's land area first (no land area: the target cannot be reached by the data).

By a date (a milestone's confirmed actual date, or a fulfilment recorded by hand):
- *met*: fulfilled on or before D;
- *broken*: fulfilled after D, or not fulfilled and D has passed;
- *at risk*: not fulfilled and D is within N days (D itself included);
- *on track*: otherwise.

At least an amount (cumulative approved investment; the latest annual output or tax):
- *met*: the figure has reached the target (whenever it does);
- *broken*: not reached and D has passed;
- *at risk*: not reached and D is within N days; or, for investment, less than (100 − T)%
  of the pro-rata share (target × days since signing ÷ days from signing to D); or, for
  output and tax, the latest reported year is below the target;
- *on track*: otherwise.

At most an amount (annual energy use, a limit):
- *broken*: the latest reported year is over the limit and D has passed;
- *at risk*: over the limit before D, or nothing reported once D has passed;
- *met*: reported within the limit once D has passed;
- *on track*: otherwise.

``assess`` explains one commitment from its ``Facts`` (``facts_for`` reads them);
``annotate_fulfilment`` computes the same verdict in SQL for lists, filters and counts.
Tests hold the two to agreement at every boundary.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diaodu.agreements.choices import Fulfilment, Measure, Unit

ZERO = Decimal("0")
DATE_MEASURES = (Measure.MILESTONE, Measure.MANUAL)
AT_LEAST_MEASURES = (Measure.INVESTMENT, Measure.OUTPUT, Measure.TAX)
RETURN_MEASURES = (Measure.OUTPUT, Measure.TAX, Measure.ENERGY)
_AMOUNT = DecimalField(max_digits=30, decimal_places=4)


def _window(today: date) -> date:
    return today + timedelta(days=settings.DIAODU_COMMITMENT_AT_RISK_DAYS)


def _keep_share() -> int:
    return 100 - settings.DIAODU_COMMITMENT_TOLERANCE


@dataclass(frozen=True)
class Facts:
    """What the linked data says about one commitment."""

    met_on: date | None = None  # milestone actual date / first full fulfilment recorded
    measured: Decimal | None = None  # cumulative investment / latest annual figure
    measured_year: int | None = None  # the annual return's year, for annual figures
    land_area: Decimal | None = None


def goal(commitment, land_area) -> Decimal | None:
    """The target as an absolute amount: per-mu targets times the land area."""
    if commitment.target_amount is None:
        return None
    if commitment.unit == Unit.WAN_YUAN_PER_MU:
        if not land_area:
            return None
        return commitment.target_amount * land_area
    return commitment.target_amount


@dataclass(frozen=True)
class Assessment:
    state: Fulfilment
    reason: str
    evidence: str = ""


def _amount(value: Decimal, commitment, land_area) -> str:
    if commitment.unit == Unit.WAN_YUAN_PER_MU and land_area:
        value = value / land_area
    unit = Unit(commitment.unit).label if commitment.unit else ""
    return f"{number_format(value.quantize(Decimal('0.01')), force_grouping=True)} {unit}"


def _due(commitment, today: date) -> tuple[Fulfilment, str] | None:
    """The verdict of the due date alone, for a commitment not (yet) fulfilled."""
    due = commitment.due_date
    label = date_format(due, "SHORT_DATE_FORMAT")
    if due < today:
        days = (today - due).days
        return Fulfilment.BROKEN, ngettext(
            "not fulfilled, due %(date)s: %(days)d day overdue",
            "not fulfilled, due %(date)s: %(days)d days overdue",
            days,
        ) % {"date": label, "days": days}
    if due <= _window(today):
        days = (due - today).days
        if days == 0:
            return Fulfilment.AT_RISK, _("not fulfilled, due today")
        return Fulfilment.AT_RISK, ngettext(
            "not fulfilled, due %(date)s: in %(days)d day",
            "not fulfilled, due %(date)s: in %(days)d days",
            days,
        ) % {"date": label, "days": days}
    return None


def _by_date(commitment, facts: Facts, today: date) -> Assessment:
    if commitment.measure == Measure.MILESTONE:
        source = _("%(milestone)s actual date") % {"milestone": commitment.milestone_kind}
    else:
        source = _("fulfilment recorded")
    if facts.met_on is not None:
        evidence = f"{source}: {date_format(facts.met_on, 'SHORT_DATE_FORMAT')}"
        if facts.met_on <= commitment.due_date:
            return Assessment(Fulfilment.MET, _("fulfilled by the due date"), evidence)
        days = (facts.met_on - commitment.due_date).days
        return Assessment(
            Fulfilment.BROKEN,
            ngettext("fulfilled %(days)d day late", "fulfilled %(days)d days late", days)
            % {"days": days},
            evidence,
        )
    evidence = _("%(source)s: none yet") % {"source": source}
    verdict = _due(commitment, today)
    if verdict:
        return Assessment(*verdict, evidence)
    return Assessment(Fulfilment.ON_TRACK, _("due later"), evidence)


def _at_least(commitment, facts: Facts, today: date) -> Assessment:
    target = goal(commitment, facts.land_area)
    measured = facts.measured
    if commitment.measure == Measure.INVESTMENT:
        measured = measured or ZERO
        evidence = _("cumulative approved investment: %(amount)s")
    elif measured is None:
        evidence = _("no annual return reported")
    else:
        evidence = _("%(year)d annual return: %(amount)s")
    if measured is not None:
        evidence %= {
            "amount": _amount(measured, commitment, facts.land_area),
            "year": facts.measured_year or 0,
        }
    if target is None:
        evidence = _("the project has no land area, so a per-mu target cannot be measured")
    elif measured is not None and measured >= target:
        return Assessment(Fulfilment.MET, _("target reached"), evidence)
    verdict = _due(commitment, today)
    if verdict:
        return Assessment(*verdict, evidence)
    if target is not None and measured is not None:
        if commitment.measure == Measure.INVESTMENT:
            total = (commitment.due_date - commitment.agreement.signed_on).days
            elapsed = (today - commitment.agreement.signed_on).days
            if measured * total * 100 < target * _keep_share() * elapsed:
                return Assessment(
                    Fulfilment.AT_RISK,
                    _("behind the pro-rata share of the target (less than %(share)d%%)")
                    % {"share": _keep_share()},
                    evidence,
                )
        elif measured < target:
            return Assessment(Fulfilment.AT_RISK, _("the latest year is below target"), evidence)
    return Assessment(Fulfilment.ON_TRACK, _("due later"), evidence)


def _at_most(commitment, facts: Facts, today: date) -> Assessment:
    limit = commitment.target_amount
    measured = facts.measured
    passed = commitment.due_date < today
    if measured is None:
        evidence = _("no annual return reported")
        if passed:
            return Assessment(
                Fulfilment.AT_RISK, _("nothing reported since the due date"), evidence
            )
        return Assessment(Fulfilment.ON_TRACK, _("due later"), evidence)
    evidence = _("%(year)d annual return: %(amount)s") % {
        "year": facts.measured_year or 0,
        "amount": _amount(measured, commitment, None),
    }
    if measured > limit:
        state = Fulfilment.BROKEN if passed else Fulfilment.AT_RISK
        return Assessment(state, _("over the limit"), evidence)
    if passed:
        return Assessment(Fulfilment.MET, _("within the limit"), evidence)
    return Assessment(Fulfilment.ON_TRACK, _("within the limit so far"), evidence)


def assess(commitment, facts: Facts, today: date) -> Assessment:
    if commitment.measure in DATE_MEASURES:
        return _by_date(commitment, facts, today)
    if commitment.measure in AT_LEAST_MEASURES:
        return _at_least(commitment, facts, today)
    return _at_most(commitment, facts, today)


def facts_for(commitments) -> dict[int, Facts]:
    """Each commitment's ``Facts``, read in a constant number of queries (the
    commitments need ``agreement__project`` selected)."""
    from diaodu.agreements.models import FulfilmentRecord
    from diaodu.projects.investment import totals_for
    from diaodu.projects.models import AnnualReturn, Milestone

    commitments = list(commitments)
    projects = {c.agreement.project_id: c.agreement.project for c in commitments}
    actual = {
        (m.project_id, m.kind_id): m.actual_date
        for m in Milestone.objects.filter(
            project__in=list(projects),
            kind__in={c.milestone_kind_id for c in commitments if c.milestone_kind_id},
        )
    }
    first_met = {
        row["commitment"]: row["first"]
        for row in FulfilmentRecord.objects.filter(
            commitment__in=[c.pk for c in commitments], fulfilled=True
        )
        .values("commitment")
        .annotate(first=Min("recorded_on"))
        .order_by()
    }
    investment = totals_for(list(projects.values()))
    latest = {}
    for annual in AnnualReturn.objects.filter(project__in=list(projects)).order_by("year"):
        latest[annual.project_id] = annual
    result = {}
    for c in commitments:
        project_id = c.agreement.project_id
        measured = year = None
        if c.measure == Measure.INVESTMENT:
            measured = investment[project_id].cumulative
        elif c.measure in RETURN_MEASURES and project_id in latest:
            annual = latest[project_id]
            measured, year = getattr(annual, c.measure), annual.year
        result[c.pk] = Facts(
            met_on=first_met.get(c.pk)
            if c.measure == Measure.MANUAL
            else actual.get((project_id, c.milestone_kind_id)),
            measured=measured,
            measured_year=year,
            land_area=projects[project_id].land_area,
        )
    return result


def assess_all(commitments, today: date) -> list:
    """Set ``assessment`` on each commitment (a list is returned), in constant queries."""
    commitments = list(commitments)
    facts = facts_for(commitments)
    for commitment in commitments:
        commitment.assessment = assess(commitment, facts[commitment.pk], today)
    return commitments


class DaysBetween(Func):
    """``end − start`` in whole days, as an integer, on SQLite and PostgreSQL alike."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        # date − date is a whole number of days in PostgreSQL.
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(%(expressions)s AS date))",
            arg_joiner=" AS date) - CAST(",
            **extra,
        )


def annotate_fulfilment(queryset, today: date):
    """Annotate ``fulfilment`` on a commitment queryset, in SQL, by the rule of ``assess``."""
    from diaodu.agreements.models import FulfilmentRecord
    from diaodu.projects.choices import ReportStatus
    from diaodu.projects.models import AnnualReturn, Milestone, ProgressReport

    project = OuterRef("agreement__project")
    latest = AnnualReturn.objects.filter(project=project).order_by("-year")
    invested = (
        ProgressReport.objects.filter(project=project, status=ReportStatus.APPROVED)
        .values("project")
        .annotate(total=Sum("investment"))
        .values("total")
        .order_by()
    )
    land = NullIf(F("agreement__project__land_area"), Value(ZERO))
    queryset = queryset.annotate(
        met_on=Case(
            When(
                measure=Measure.MILESTONE,
                then=Subquery(
                    Milestone.objects.filter(
                        project=project, kind=OuterRef("milestone_kind")
                    ).values("actual_date")[:1]
                ),
            ),
            When(
                measure=Measure.MANUAL,
                then=Subquery(
                    FulfilmentRecord.objects.filter(commitment=OuterRef("pk"), fulfilled=True)
                    .values("commitment")
                    .annotate(first=Min("recorded_on"))
                    .values("first")
                    .order_by()
                ),
            ),
            output_field=DateField(),
        ),
        measured=Case(
            When(measure=Measure.INVESTMENT, then=Coalesce(Subquery(invested), Value(ZERO))),
            *(
                When(measure=measure, then=Subquery(latest.values(measure)[:1]))
                for measure in RETURN_MEASURES
            ),
            output_field=_AMOUNT,
        ),
        measured_year=Case(
            When(measure__in=RETURN_MEASURES, then=Subquery(latest.values("year")[:1])),
            output_field=IntegerField(),
        ),
        goal=Case(
            When(
                unit=Unit.WAN_YUAN_PER_MU,
                then=ExpressionWrapper(F("target_amount") * land, output_field=_AMOUNT),
            ),
            default=F("target_amount"),
            output_field=_AMOUNT,
        ),
    )
    total = DaysBetween(F("due_date"), F("agreement__signed_on"))
    elapsed = DaysBetween(Value(today, output_field=DateField()), F("agreement__signed_on"))
    queryset = queryset.annotate(
        _pro_rata_done=ExpressionWrapper(F("measured") * total * 100, output_field=_AMOUNT),
        _pro_rata_due=ExpressionWrapper(F("goal") * _keep_share() * elapsed, output_field=_AMOUNT),
    )
    passed = Q(due_date__lt=today)
    near = Q(due_date__lte=_window(today))
    by_date = Q(measure__in=DATE_MEASURES)
    at_least = Q(measure__in=AT_LEAST_MEASURES)
    at_most = Q(measure=Measure.ENERGY)
    behind = Q(measure=Measure.INVESTMENT, _pro_rata_done__lt=F("_pro_rata_due")) | Q(
        measure__in=(Measure.OUTPUT, Measure.TAX), measured__lt=F("goal")
    )
    return queryset.annotate(
        fulfilment=Case(
            When(
                by_date & Q(met_on__isnull=False, met_on__lte=F("due_date")),
                then=Value(Fulfilment.MET),
            ),
            When(by_date & Q(met_on__isnull=False), then=Value(Fulfilment.BROKEN)),
            When(at_least & Q(measured__gte=F("goal")), then=Value(Fulfilment.MET)),
            When(
                at_most & Q(measured__gt=F("target_amount")) & passed, then=Value(Fulfilment.BROKEN)
            ),
            When(at_most & Q(measured__gt=F("target_amount")), then=Value(Fulfilment.AT_RISK)),
            When(at_most & Q(measured__isnull=True) & passed, then=Value(Fulfilment.AT_RISK)),
            When(at_most & passed, then=Value(Fulfilment.MET)),
            When(at_most, then=Value(Fulfilment.ON_TRACK)),
            When(passed, then=Value(Fulfilment.BROKEN)),
            When(near, then=Value(Fulfilment.AT_RISK)),
            When(at_least & behind, then=Value(Fulfilment.AT_RISK)),
            default=Value(Fulfilment.ON_TRACK),
        )
    )


def facts_from_annotation(commitment) -> Facts:
    """The ``Facts`` an annotated row carries, so a list explains its rows without more
    queries."""
    return Facts(
        met_on=commitment.met_on,
        # SQLite hands back sums as floats: through str, 4000.1 stays 4000.1.
        measured=None if commitment.measured is None else Decimal(str(commitment.measured)),
        measured_year=commitment.measured_year,
        land_area=commitment.agreement.project.land_area,
    )

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

``assess`` judges and explains one commitment from its ``Facts`` (``facts_for`` reads them)
and tells the first day its verdict may change because time passes. The verdict and the
facts are stored on the commitment (``diaodu.agreements.derived``): lists, filters and
counts read the columns, and explain a row from its stored facts (``stored_facts``).
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Min
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diaodu.agreements.choices import Fulfilment, Measure, Unit

ZERO = Decimal("0")
DATE_MEASURES = (Measure.MILESTONE, Measure.MANUAL)
AT_LEAST_MEASURES = (Measure.INVESTMENT, Measure.OUTPUT, Measure.TAX)
RETURN_MEASURES = (Measure.OUTPUT, Measure.TAX, Measure.ENERGY)


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
    # The first day on which the state may differ merely because days pass (a due date
    # nears or goes by, the pro-rata share grows); None when time alone cannot change it.
    changes_on: date | None = None


def _amount(value: Decimal, commitment, land_area) -> str:
    if commitment.unit == Unit.WAN_YUAN_PER_MU and land_area:
        value = value / land_area
    unit = Unit(commitment.unit).label if commitment.unit else ""
    return f"{number_format(value.quantize(Decimal('0.01')), force_grouping=True)} {unit}"


def _day_after_due(commitment) -> date:
    return commitment.due_date + timedelta(days=1)


def _nearing(commitment) -> date:
    """The first day the due date is within the at-risk window."""
    return commitment.due_date - timedelta(days=settings.DIAODU_COMMITMENT_AT_RISK_DAYS)


def _due(commitment, today: date, evidence: str) -> Assessment | None:
    """The verdict of the due date alone, for a commitment not (yet) fulfilled: broken
    for good once it has passed, at risk until then within the window."""
    due = commitment.due_date
    label = date_format(due, "SHORT_DATE_FORMAT")
    if due < today:
        days = (today - due).days
        reason = ngettext(
            "not fulfilled, due %(date)s: %(days)d day overdue",
            "not fulfilled, due %(date)s: %(days)d days overdue",
            days,
        ) % {"date": label, "days": days}
        return Assessment(Fulfilment.BROKEN, reason, evidence)
    if due <= _window(today):
        days = (due - today).days
        if days == 0:
            reason = _("not fulfilled, due today")
        else:
            reason = ngettext(
                "not fulfilled, due %(date)s: in %(days)d day",
                "not fulfilled, due %(date)s: in %(days)d days",
                days,
            ) % {"date": label, "days": days}
        return Assessment(Fulfilment.AT_RISK, reason, evidence, _day_after_due(commitment))
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
    return _due(commitment, today, evidence) or Assessment(
        Fulfilment.ON_TRACK, _("due later"), evidence, _nearing(commitment)
    )


def _falls_behind_on(commitment, measured: Decimal, target: Decimal) -> date | None:
    """The first day investment ``measured`` is under the kept share of the pro-rata
    target: the day ``target × keep × elapsed`` first exceeds ``measured × total × 100``.
    Exact (fractions): the boundary is a whole day and rounding would miss it."""
    per_day = Fraction(target) * _keep_share()
    if per_day <= 0:
        return None  # the share due never grows
    total = (commitment.due_date - commitment.agreement.signed_on).days
    elapsed = math.floor(Fraction(measured) * total * 100 / per_day) + 1
    return commitment.agreement.signed_on + timedelta(days=elapsed)


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
    verdict = _due(commitment, today, evidence)
    if verdict:
        return verdict
    changes_on = _nearing(commitment)
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
                    _day_after_due(commitment),
                )
            behind_on = _falls_behind_on(commitment, measured, target)
            if behind_on is not None:
                changes_on = min(changes_on, behind_on)
        elif measured < target:
            return Assessment(
                Fulfilment.AT_RISK,
                _("the latest year is below target"),
                evidence,
                _day_after_due(commitment),
            )
    return Assessment(Fulfilment.ON_TRACK, _("due later"), evidence, changes_on)


def _at_most(commitment, facts: Facts, today: date) -> Assessment:
    limit = commitment.target_amount
    measured = facts.measured
    passed = commitment.due_date < today
    # Before the due date every verdict turns into another the day after it; after, none.
    changes_on = None if passed else _day_after_due(commitment)
    if measured is None:
        evidence = _("no annual return reported")
        if passed:
            return Assessment(
                Fulfilment.AT_RISK, _("nothing reported since the due date"), evidence
            )
        return Assessment(Fulfilment.ON_TRACK, _("due later"), evidence, changes_on)
    evidence = _("%(year)d annual return: %(amount)s") % {
        "year": facts.measured_year or 0,
        "amount": _amount(measured, commitment, None),
    }
    if measured > limit:
        state = Fulfilment.BROKEN if passed else Fulfilment.AT_RISK
        return Assessment(state, _("over the limit"), evidence, changes_on)
    if passed:
        return Assessment(Fulfilment.MET, _("within the limit"), evidence)
    return Assessment(Fulfilment.ON_TRACK, _("within the limit so far"), evidence, changes_on)


def assess(commitment, facts: Facts, today: date) -> Assessment:
    """The commitment's state on ``today``, why, and when time alone may change it (the
    commitment needs ``agreement`` selected)."""
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


def stored_facts(commitment) -> Facts:
    """The ``Facts`` stored on a commitment when its fulfilment was last computed, so a
    list explains its rows without a query (``agreement__project`` selected)."""
    return Facts(
        met_on=commitment.fulfilled_on,
        measured=commitment.measured,
        measured_year=commitment.measured_year,
        land_area=commitment.agreement.project.land_area,
    )

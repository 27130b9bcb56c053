"""The stored fulfilment is what the rule says of its inputs, over commitments in every
branch of the rule: recomputed from scratch (``derived.inconsistencies``) it is found equal
on the day the data is written, and on each of the following 205 days once that day's due
rows are refreshed (``refresh_due``), which proves no row's ``state_changes_on`` comes
after the day its state changes. Also on PostgreSQL (run with ``DATABASE_URL``).

The clock stands at 10 June 2026; agreements are signed on 1 January 2026; commitments
are at risk from 30 days before their due date, investment under 80% of its pro-rata
share.
"""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from diaodu.agreements.choices import CommitmentKind, Fulfilment, Measure, Side, Unit
from diaodu.agreements.models import Commitment
from diaodu.core import derived
from diaodu.factories import (
    AgreementFactory,
    AnnualReturnFactory,
    CommitmentFactory,
    FulfilmentRecordFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
    template_kind,
)
from diaodu.projects import services as project_services
from diaodu.projects.choices import ReportStatus

#: Due dates, in days from today: past, today, and each side of the at-risk window.
DUE_IN = (-1, 0, 30, 31, 120, 200)
DAYS = 205


@pytest.fixture(autouse=True)
def thresholds(settings):
    settings.DIAODU_COMMITMENT_AT_RISK_DAYS = 30
    settings.DIAODU_COMMITMENT_TOLERANCE = 20


def _commitments(agreement, due: date) -> None:
    """One commitment of each measure (and a target per mu) on ``agreement``."""
    department = {"side": Side.DEPARTMENT, "department": agreement.project.lead_department}
    by_date = {"target_amount": None, "unit": "", "due_date": due}
    CommitmentFactory(
        agreement=agreement,
        kind=CommitmentKind.APPROVAL,
        measure=Measure.MILESTONE,
        milestone_kind=template_kind("construction_permit"),
        **department,
        **by_date,
    )
    CommitmentFactory(
        agreement=agreement,
        kind=CommitmentKind.LAND_DELIVERY,
        measure=Measure.MANUAL,
        **department,
        **by_date,
    )
    CommitmentFactory(agreement=agreement, due_date=due)
    CommitmentFactory(
        agreement=agreement,
        kind=CommitmentKind.INTENSITY,
        target_amount=Decimal("100"),
        unit=Unit.WAN_YUAN_PER_MU,
        due_date=due,
    )
    for measure in (Measure.OUTPUT, Measure.TAX):
        CommitmentFactory(
            agreement=agreement,
            kind=measure,
            measure=measure,
            target_amount=Decimal("2000"),
            due_date=due,
        )
    CommitmentFactory(
        agreement=agreement,
        kind=CommitmentKind.ENERGY,
        measure=Measure.ENERGY,
        target_amount=Decimal("1000"),
        unit=Unit.TCE,
        due_date=due,
    )


def _invested(project, *amounts: str) -> None:
    for month, amount in enumerate(amounts, start=1):
        ProgressReportFactory(
            project=project,
            period_start=date(2026, month, 1),
            investment=Decimal(amount),
            status=ReportStatus.APPROVED,
        )


def nothing_yet(agreement, today) -> None:
    """No date, no record, no investment, no return."""


def early(agreement, today) -> None:
    """Fulfilled 50 days ago; 6,000 of 10,000 invested (on track, until the pro-rata share
    outgrows it); output at its target, tax under it, energy within its limit."""
    project = agreement.project
    MilestoneFactory(
        project=project,
        kind=template_kind("construction_permit"),
        actual_date=today - timedelta(days=50),
    )
    for commitment in agreement.commitments.filter(measure=Measure.MANUAL):
        FulfilmentRecordFactory(commitment=commitment, recorded_on=today - timedelta(days=50))
    _invested(project, "2500", "3500")
    AnnualReturnFactory(project=project, year=2024, output=Decimal("1"), tax=Decimal("9000"))
    AnnualReturnFactory(
        project=project,
        year=2025,
        output=Decimal("2000"),
        tax=Decimal("1999.99"),
        energy=Decimal("1000"),
    )


def today_and_short(agreement, today) -> None:
    """Fulfilled today, after partial progress; investment a cent short of the target;
    energy over its limit; land area gone, so a target per mu cannot be reached."""
    project = agreement.project
    MilestoneFactory(project=project, kind=template_kind("construction_permit"), actual_date=today)
    for commitment in agreement.commitments.filter(measure=Measure.MANUAL):
        FulfilmentRecordFactory(
            commitment=commitment, recorded_on=today - timedelta(days=5), fulfilled=False
        )
        FulfilmentRecordFactory(commitment=commitment, recorded_on=today)
    _invested(project, "9999.99")
    ProgressReportFactory(project=project, investment=Decimal("5"), status=ReportStatus.SUBMITTED)
    AnnualReturnFactory(project=project, output=Decimal("1500"), energy=Decimal("1000.01"))
    project_services.update_project(project, {"land_area": None}, actor=agreement.recorded_by)


def reached(agreement, today) -> None:
    """Every amount reached, a year's energy not reported."""
    _invested(agreement.project, "4000", "6000")
    AnnualReturnFactory(project=agreement.project, output=Decimal("2500"), tax=Decimal("2000"))


FACTS = (nothing_yet, early, today_and_short, reached)


@pytest.fixture
def varied(db, today):
    for facts in FACTS:
        project = ProjectFactory(land_area=Decimal("100"))
        agreement = AgreementFactory(project=project, signed_on=date(2026, 1, 1))
        for due_in in DUE_IN:
            _commitments(agreement, today + timedelta(days=due_in))
        # Written after the commitments: the writes of the inputs refresh them.
        facts(agreement, today)
    return Commitment.objects.all()


def _states(commitments) -> Counter:
    return Counter(commitments.values_list("measure", "fulfilment"))


def test_the_stored_fulfilment_stays_what_the_rule_says_as_days_pass(varied, today):
    assert not any(derived.inconsistencies(today).values())
    first = _states(varied)
    refreshed = 0
    for days in range(1, DAYS + 1):
        day = today + timedelta(days=days)

        refreshed += derived.refresh_due(day)

        assert not any(derived.inconsistencies(day).values()), f"stale on {day}"
    last = _states(varied)
    # Every branch was there to be checked: each state by each kind of measure.
    for measure in (Measure.MILESTONE, Measure.MANUAL, Measure.INVESTMENT, Measure.ENERGY):
        for state in Fulfilment:
            assert first[(measure, state)] + last[(measure, state)], f"no {state} {measure}"
    assert refreshed
    assert last != first
    assert not varied.filter(state_changes_on__isnull=False).exists(), "all settled for good"


def test_a_row_is_refreshed_only_when_its_day_comes(varied, today):
    due = varied.filter(state_changes_on__lte=today + timedelta(days=1))
    expected = due.count()

    assert derived.refresh_due(today) == 0
    assert 0 < derived.refresh_due(today + timedelta(days=1)) <= expected


def test_the_pro_rata_share_outgrows_investment_on_the_exact_day(varied, today):
    # 6,000 invested, due in 200 days (360 from signing): under 80% of the pro-rata share
    # once 80% × 10,000 × elapsed / 360 exceeds 6,000, i.e. from day 271 after signing.
    [commitment] = varied.filter(
        measure=Measure.INVESTMENT,
        unit=Unit.WAN_YUAN,
        measured=Decimal("6000"),
        due_date=today + timedelta(days=200),
    )
    behind_on = date(2026, 1, 1) + timedelta(days=271)

    assert (commitment.fulfilment, commitment.state_changes_on) == (Fulfilment.ON_TRACK, behind_on)
    derived.refresh_due(behind_on - timedelta(days=1))
    commitment.refresh_from_db()
    assert commitment.fulfilment == Fulfilment.ON_TRACK
    derived.refresh_due(behind_on)
    commitment.refresh_from_db()
    assert commitment.fulfilment == Fulfilment.AT_RISK

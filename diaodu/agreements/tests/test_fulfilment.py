"""The fulfilment rules at their boundaries: ``assess`` on the facts ``facts_for`` reads,
each verdict also checked to be the one stored on the commitment by the writes that made
its inputs (factories and services, as in use).

The clock stands at 10 June 2026; agreements are signed on 1 January 2026 (160 days
earlier). Commitments are at risk from 30 days before their due date, and investment
when it is under 80% of its pro-rata share.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from diaodu.agreements import fulfilment
from diaodu.agreements.choices import CommitmentKind, Fulfilment, Measure, Side, Unit
from diaodu.agreements.models import Commitment
from diaodu.factories import (
    AgreementFactory,
    AnnualReturnFactory,
    CommitmentFactory,
    CoordinatorFactory,
    FulfilmentRecordFactory,
    ProgressReportFactory,
    ProjectFactory,
    template_kind,
)
from diaodu.projects import services as project_services
from diaodu.projects.choices import ReportStatus

MET, ON_TRACK, AT_RISK, BROKEN = (
    Fulfilment.MET,
    Fulfilment.ON_TRACK,
    Fulfilment.AT_RISK,
    Fulfilment.BROKEN,
)


@pytest.fixture(autouse=True)
def thresholds(settings):
    settings.DIAODU_COMMITMENT_AT_RISK_DAYS = 30
    settings.DIAODU_COMMITMENT_TOLERANCE = 20


@pytest.fixture
def agreement(db, today):
    project = ProjectFactory(land_area=Decimal("100"), milestones=True)
    return AgreementFactory(project=project, signed_on=date(2026, 1, 1))


def judged(commitment, today) -> Fulfilment:
    """The verdict, after checking that it and its facts are the ones stored."""
    commitment = Commitment.objects.select_related("agreement__project", "milestone_kind").get(
        pk=commitment.pk
    )
    facts = fulfilment.facts_for([commitment])[commitment.pk]
    verdict = fulfilment.assess(commitment, facts, today)
    assert commitment.fulfilment == verdict.state, f"stored {commitment.fulfilment}, {verdict}"
    assert fulfilment.stored_facts(commitment) == facts
    return verdict.state


def invested(project, amount, status=ReportStatus.APPROVED, month=1):
    ProgressReportFactory(
        project=project,
        period_start=date(2026, month, 1),
        investment=Decimal(amount),
        status=status,
    )


# --- by a date: a milestone ------------------------------------------------------------


def permit(agreement, due):
    return CommitmentFactory(
        agreement=agreement,
        side=Side.DEPARTMENT,
        department=agreement.project.lead_department,
        kind=CommitmentKind.APPROVAL,
        target_amount=None,
        unit="",
        due_date=due,
        measure=Measure.MILESTONE,
        milestone_kind=template_kind("construction_permit"),
    )


def achieve(agreement, day):
    milestone = agreement.project.milestones.get(kind__code="construction_permit")
    project_services.plan_milestone(milestone, {"actual_date": day}, actor=CoordinatorFactory())


@pytest.mark.parametrize(
    ("achieved", "expected"),
    [(-1, MET), (0, MET), (1, BROKEN)],
    ids=["a day early is met", "on the due date is met", "a day late is broken"],
)
def test_a_milestone_commitment_is_met_only_by_an_actual_date_on_or_before_its_due_date(
    agreement, today, achieved, expected
):
    due = date(2026, 5, 20)
    commitment = permit(agreement, due)
    achieve(agreement, due + timedelta(days=achieved))

    assert judged(commitment, today) == expected


@pytest.mark.parametrize(
    ("due_in", "expected"),
    [(-1, BROKEN), (0, AT_RISK), (30, AT_RISK), (31, ON_TRACK)],
    ids=["due yesterday", "due today", "due in 30 days", "due in 31 days"],
)
def test_an_unachieved_milestone_commitment_is_judged_by_how_near_its_due_date_is(
    agreement, today, due_in, expected
):
    commitment = permit(agreement, today + timedelta(days=due_in))

    assert judged(commitment, today) == expected


# --- by a date: recorded by hand ---------------------------------------------------------


def land(agreement, due):
    return CommitmentFactory(
        agreement=agreement,
        side=Side.DEPARTMENT,
        department=agreement.project.lead_department,
        kind=CommitmentKind.LAND_DELIVERY,
        target_amount=None,
        unit="",
        due_date=due,
        measure=Measure.MANUAL,
    )


def test_a_hand_recorded_fulfilment_on_the_due_date_meets_the_commitment(agreement, today):
    commitment = land(agreement, date(2026, 5, 1))
    FulfilmentRecordFactory(commitment=commitment, recorded_on=date(2026, 5, 1))

    assert judged(commitment, today) == MET


def test_a_hand_recorded_fulfilment_a_day_after_the_due_date_breaks_it(agreement, today):
    commitment = land(agreement, date(2026, 5, 1))
    FulfilmentRecordFactory(commitment=commitment, recorded_on=date(2026, 5, 2))

    assert judged(commitment, today) == BROKEN


def test_partial_progress_recorded_by_hand_does_not_meet_the_commitment(agreement, today):
    commitment = land(agreement, today + timedelta(days=10))
    FulfilmentRecordFactory(commitment=commitment, recorded_on=date(2026, 5, 1), fulfilled=False)

    assert judged(commitment, today) == AT_RISK


def test_the_first_full_fulfilment_counts_when_several_are_recorded(agreement, today):
    commitment = land(agreement, date(2026, 5, 10))
    FulfilmentRecordFactory(commitment=commitment, recorded_on=date(2026, 6, 1))
    FulfilmentRecordFactory(commitment=commitment, recorded_on=date(2026, 5, 10))

    assert judged(commitment, today) == MET


# --- at least an amount: investment -------------------------------------------------------


def investment(agreement, due, target="10000", unit=Unit.WAN_YUAN):
    return CommitmentFactory(
        agreement=agreement, target_amount=Decimal(target), unit=unit, due_date=due
    )


# Signed 1 January, due 17 November: 320 days, of which 160 have passed, so the pro-rata
# share is half the target and at risk begins under 80% of it, 4,000 万元.
HALFWAY = date(2026, 11, 17)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("4000", ON_TRACK), ("3999.99", AT_RISK), ("9999.99", ON_TRACK), ("10000", MET)],
    ids=["80% of pro rata", "just under 80%", "just short of the target", "target reached"],
)
def test_investment_is_at_risk_below_80_percent_of_its_pro_rata_share(
    agreement, today, amount, expected
):
    commitment = investment(agreement, HALFWAY)
    invested(agreement.project, amount)

    assert judged(commitment, today) == expected


def test_only_approved_investment_counts(agreement, today):
    commitment = investment(agreement, HALFWAY)
    invested(agreement.project, "10000", status=ReportStatus.SUBMITTED)

    assert judged(commitment, today) == AT_RISK


def test_investment_short_of_its_target_after_the_due_date_is_broken(agreement, today):
    commitment = investment(agreement, today - timedelta(days=1))
    invested(agreement.project, "9999.99")

    assert judged(commitment, today) == BROKEN


def test_investment_reaching_its_target_after_the_due_date_is_met(agreement, today):
    commitment = investment(agreement, date(2026, 2, 1))
    invested(agreement.project, "6000", month=1)
    invested(agreement.project, "4000", month=3)

    assert judged(commitment, today) == MET


def test_investment_falling_due_within_30_days_short_of_target_is_at_risk(agreement, today):
    commitment = investment(agreement, today + timedelta(days=30))
    invested(agreement.project, "9999")

    assert judged(commitment, today) == AT_RISK


@pytest.mark.parametrize(
    ("amount", "expected"), [("30000", MET), ("29999.99", ON_TRACK)], ids=["300", "under 300"]
)
def test_a_target_per_mu_is_multiplied_by_the_land_area(agreement, today, amount, expected):
    commitment = investment(agreement, date(2027, 6, 30), target="300", unit=Unit.WAN_YUAN_PER_MU)
    invested(agreement.project, amount)

    assert judged(commitment, today) == expected


def test_a_target_per_mu_cannot_be_met_on_a_project_without_land_area(agreement, today):
    project_services.update_project(
        agreement.project, {"land_area": None}, actor=CoordinatorFactory()
    )
    commitment = investment(agreement, today - timedelta(days=1), "1", Unit.WAN_YUAN_PER_MU)
    invested(agreement.project, "50000")

    assert judged(commitment, today) == BROKEN


# --- at least an amount: annual output and tax ---------------------------------------------


def annual(agreement, measure, due, target="2000"):
    return CommitmentFactory(
        agreement=agreement,
        kind=measure,
        measure=measure,
        target_amount=Decimal(target),
        due_date=due,
    )


def returned(project, year, **figures):
    AnnualReturnFactory(
        project=project,
        year=year,
        output=Decimal(figures.get("output", "0")),
        tax=Decimal(figures.get("tax", "0")),
        energy=figures.get("energy"),
    )


@pytest.mark.parametrize(
    ("tax", "expected"), [("2000", MET), ("1999.99", AT_RISK)], ids=["target", "under target"]
)
def test_the_latest_years_tax_meets_or_is_below_target(agreement, today, tax, expected):
    commitment = annual(agreement, Measure.TAX, date(2027, 3, 31))
    returned(agreement.project, 2024, tax="5000")
    returned(agreement.project, 2025, tax=tax)

    assert judged(commitment, today) == expected


def test_output_with_no_return_yet_is_on_track_until_it_falls_due(agreement, today):
    commitment = annual(agreement, Measure.OUTPUT, date(2027, 3, 31))

    assert judged(commitment, today) == ON_TRACK


def test_output_below_target_after_the_due_date_is_broken(agreement, today):
    commitment = annual(agreement, Measure.OUTPUT, today - timedelta(days=1), target="50000")
    returned(agreement.project, 2025, output="49999.99")

    assert judged(commitment, today) == BROKEN


# --- at most an amount: energy ---------------------------------------------------------------


def energy(agreement, due):
    return CommitmentFactory(
        agreement=agreement,
        kind=CommitmentKind.ENERGY,
        measure=Measure.ENERGY,
        target_amount=Decimal("1000"),
        unit=Unit.TCE,
        due_date=due,
    )


@pytest.mark.parametrize(
    ("used", "due_in", "expected"),
    [
        ("1000", 60, ON_TRACK),
        ("1000.01", 60, AT_RISK),
        ("1000", -1, MET),
        ("1000.01", -1, BROKEN),
        (None, -1, AT_RISK),
        (None, 0, ON_TRACK),
    ],
    ids=[
        "at the limit before due",
        "over the limit before due",
        "at the limit after due",
        "over the limit after due",
        "nothing reported after due",
        "nothing reported on the due date",
    ],
)
def test_energy_use_is_a_limit(agreement, today, used, due_in, expected):
    commitment = energy(agreement, today + timedelta(days=due_in))
    returned(agreement.project, 2025, energy=None if used is None else Decimal(used))

    assert judged(commitment, today) == expected


def test_the_reason_and_evidence_say_what_the_data_shows(agreement, today):
    commitment = investment(agreement, HALFWAY)
    invested(agreement.project, "1000")
    commitment = Commitment.objects.select_related("agreement__project").get(pk=commitment.pk)

    assessed = fulfilment.assess(commitment, fulfilment.stored_facts(commitment), today)

    assert assessed.state == AT_RISK
    assert "80%" in assessed.reason
    assert "1,000.00" in assessed.evidence

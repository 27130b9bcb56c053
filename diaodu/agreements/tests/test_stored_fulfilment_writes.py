"""Every write of a fulfilment's inputs stores the new verdict in its transaction: the
office approving investment, an owner's annual return and its correction, a milestone
confirmed, a fulfilment recorded by hand, a signing date corrected, a land area imported.
And a day passing reaches the pages: the day's first request refreshes what the date
changed. (The world of ``conftest``: on 10 June 2026 ``invest_x`` and ``permit_b`` are at
risk, ``land_a`` is broken, ``tax_y`` is on track.)"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from diaodu.agreements import services
from diaodu.agreements.choices import CommitmentKind, Fulfilment, Unit
from diaodu.factories import CommitmentFactory
from diaodu.problems.tests.helpers import upload
from diaodu.projects import services as project_services
from diaodu.reports.importing import plan_import
from diaodu.reports.services import commit_import
from diaodu.reports.tests.helpers import LEDGER_HEADER, xlsx
from diaodu.test import client_for

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


def stored(commitment) -> tuple:
    commitment.refresh_from_db()
    return commitment.fulfilment, commitment.measured


def test_investment_counts_once_the_office_approves_its_report(world):
    report = project_services.submit_report(
        world.project_x,
        {
            "period_kind": "month",
            "period_start": date(2026, 4, 1),
            "narrative": "主体施工。",
            "investment": Decimal("8800"),
        },
        actor=world.owner_x,
    )
    assert stored(world.invest_x) == (AT_RISK, Decimal("0"))

    project_services.review_report(report, approve=True, actor=world.coordinator)
    assert stored(world.invest_x) == (ON_TRACK, Decimal("8800"))
    project_services.review_report(world.report_x, approve=True, actor=world.coordinator)
    assert stored(world.invest_x) == (MET, Decimal("10000"))


def test_an_annual_return_and_its_correction_are_judged_against_the_target(world):
    def file(tax):
        project_services.record_annual_return(
            world.project_y,
            {"year": 2025, "output": Decimal("50000"), "tax": Decimal(tax)},
            actor=world.owner_y,
        )

    file("2000")
    assert stored(world.tax_y) == (MET, Decimal("2000"))
    file("1500")
    assert stored(world.tax_y) == (AT_RISK, Decimal("1500"))


def test_a_confirmed_milestone_and_a_recorded_fulfilment_are_stored_with_their_date(world):
    permit = world.project_x.milestones.get(kind__code="construction_permit")
    project_services.plan_milestone(
        permit, {"actual_date": date(2026, 6, 8)}, actor=world.coordinator
    )
    services.record_fulfilment(
        world.land_a,
        {"recorded_on": date(2026, 6, 2), "fulfilled": True, "note": "已交地。"},
        actor=world.coordinator,
        files=[upload("交地确认书.pdf")],
    )

    world.permit_b.refresh_from_db()
    world.land_a.refresh_from_db()
    assert (world.permit_b.fulfilment, world.permit_b.fulfilled_on) == (MET, date(2026, 6, 8))
    assert (world.land_a.fulfilment, world.land_a.fulfilled_on) == (BROKEN, date(2026, 6, 2))
    assert world.permit_b.state_changes_on is None


def test_an_earlier_signing_date_raises_the_pro_rata_share_of_investment(world):
    project_services.review_report(world.report_x, approve=True, actor=world.coordinator)
    project_services.submit_report(
        world.project_x,
        {
            "period_kind": "month",
            "period_start": date(2026, 4, 1),
            "narrative": "主体施工。",
            "investment": Decimal("2800"),
        },
        actor=world.owner_x,
    )
    services.edit_agreement(
        world.agreement_x,
        {"signed_on": date(2026, 3, 1)},
        version=world.agreement_x.version,
        actor=world.coordinator,
    )
    # 1,200 approved of 10,000; signed 1 March: 101 of 305 days gone, 80% of the share due
    # is 2,649.
    assert stored(world.invest_x) == (AT_RISK, Decimal("1200"))
    world.agreement_x.refresh_from_db()

    services.edit_agreement(
        world.agreement_x,
        {"signed_on": date(2026, 5, 20)},
        version=world.agreement_x.version,
        actor=world.coordinator,
    )
    # 21 of 225 days: 747 due.
    assert stored(world.invest_x) == (ON_TRACK, Decimal("1200"))


def test_a_land_area_imported_in_bulk_turns_a_target_per_mu_into_an_amount(world):
    per_mu = CommitmentFactory(
        agreement=world.agreement_x,
        kind=CommitmentKind.INTENSITY,
        target_amount=Decimal("10"),
        unit=Unit.WAN_YUAN_PER_MU,
    )
    project_services.review_report(world.report_x, approve=True, actor=world.coordinator)
    assert stored(per_mu) == (ON_TRACK, Decimal("1200")), "no land area: nothing to reach"
    x = world.project_x
    with translation.override("zh-hans"):
        plan = plan_import(
            "projects",
            xlsx(
                [*LEDGER_HEADER, "用地面积"],
                [1, x.code, x.name, "绿源水务", 80000, "区资规局", 120],
            ),
            actor=world.coordinator,
        )
    assert plan.ok, plan.issues

    commit_import(plan, actor=world.coordinator)

    assert stored(per_mu) == (MET, Decimal("1200"))


def test_the_first_request_of_a_new_day_shows_what_the_date_changed(world, clock):
    url = reverse("agreements:commitment_list") + "?state=broken"
    page = client_for(world.coordinator).get(url)
    assert [c.pk for c in page.context["page"].object_list] == [world.land_a.pk]

    clock.advance(days=21)  # the permit was due on 30 June
    page = client_for(world.coordinator).get(url)

    assert [c.pk for c in page.context["page"].object_list] == [
        world.land_a.pk,
        world.permit_b.pk,
    ]

"""The project services: what each write does, and the rules they enforce."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from diaodu.factories import (
    DepartmentFactory,
    MilestoneKindFactory,
    ProgressReportFactory,
    ProjectFactory,
    template_kind,
)
from diaodu.projects import investment, services
from diaodu.projects.choices import PeriodKind, ReportStatus
from diaodu.projects.models import MilestoneKind, ProgressReport
from diaodu.test import new_project


def report_data(period_start, amount="100", kind=PeriodKind.MONTH):
    return {
        "period_kind": kind,
        "period_start": period_start,
        "narrative": "施工进展顺利。",
        "investment": Decimal(amount),
    }


# --- Creating projects ---------------------------------------------------------------------


def test_a_new_project_gets_one_milestone_per_template_kind(
    coordinator, enterprise_x, department_a
):
    project = new_project(
        coordinator, code="N-1", name="新项目", owner=enterprise_x, lead_department=department_a
    )

    kinds = list(project.milestones.values_list("kind__code", flat=True))
    assert kinds == list(
        MilestoneKind.objects.filter(in_template=True).values_list("code", flat=True)
    )
    assert kinds[0] == "signing"
    assert kinds[-1] == "production"
    assert len(kinds) == 10
    assert not project.milestones.exclude(planned_date=None).exists()


def test_kinds_outside_the_template_are_not_given_to_new_projects(
    coordinator, enterprise_x, department_a
):
    MilestoneKindFactory(code="relocation", in_template=False)
    MilestoneKind.objects.filter(code="topping_out").update(in_template=False)

    project = new_project(
        coordinator, code="N-1", name="新项目", owner=enterprise_x, lead_department=department_a
    )

    codes = set(project.milestones.values_list("kind__code", flat=True))
    assert "relocation" not in codes
    assert "topping_out" not in codes
    assert len(codes) == 9


def test_a_template_kinds_approving_department_is_copied_to_the_milestone(
    coordinator, enterprise_x, department_a, department_b
):
    MilestoneKind.objects.filter(code="construction_permit").update(
        approving_department=department_b
    )

    project = new_project(
        coordinator, code="N-1", name="新项目", owner=enterprise_x, lead_department=department_a
    )

    permit = project.milestones.get(kind__code="construction_permit")
    assert permit.approving_department == department_b
    assert project.milestones.exclude(approving_department=None).count() == 1


def test_a_project_that_breaks_a_rule_is_not_created_at_all(
    coordinator, enterprise_x, department_a
):
    with pytest.raises(ValidationError) as refused:
        new_project(
            coordinator,
            code="N-1",
            name="新项目",
            owner=enterprise_x,
            lead_department=department_a,
            total_investment=Decimal("10"),
            annual_plan=Decimal("20"),
        )

    assert "annual_plan" in refused.value.message_dict
    assert not enterprise_x.owned_projects.exists()


def test_adding_a_milestone_takes_the_kinds_approving_department(coordinator, project_x):
    department = DepartmentFactory()
    kind = MilestoneKindFactory(approving_department=department, is_approval=True, statutory_days=5)

    milestone = services.add_milestone(
        project_x, {"kind": kind, "planned_date": date(2026, 9, 1)}, actor=coordinator
    )

    assert milestone.project == project_x
    assert milestone.approving_department == department


# --- Milestones: the owner reports, the office confirms --------------------------------------


def test_an_owner_reports_a_milestone_and_the_office_confirms_it(world):
    milestone = world.project_x.milestones.get(kind__code="land_supply")

    services.report_milestone(milestone, date(2026, 6, 8), actor=world.owner_x)
    milestone.refresh_from_db()
    assert milestone.awaiting_review
    assert (milestone.reported_date, milestone.reported_by) == (date(2026, 6, 8), world.owner_x)
    assert milestone.actual_date is None

    services.confirm_milestone(milestone, actor=world.coordinator)
    milestone.refresh_from_db()
    assert milestone.actual_date == date(2026, 6, 8)
    assert (milestone.reported_date, milestone.reported_by) == (None, None)
    assert not milestone.awaiting_review


def test_a_reported_date_is_only_a_claim_until_confirmed(world):
    """An unconfirmed report does not make a milestone achieved, so health still counts it."""
    milestone = world.project_x.milestones.get(kind__code="land_supply")
    services.plan_milestone(milestone, {"planned_date": date(2026, 6, 1)}, actor=world.coordinator)

    services.report_milestone(milestone, date(2026, 5, 30), actor=world.owner_x)

    world.project_x.refresh_from_db()
    assert world.project_x.health == "delayed"


def test_the_office_setting_the_reported_date_as_actual_clears_the_report(world):
    services.plan_milestone(
        world.milestone_x, {"actual_date": date(2026, 6, 1)}, actor=world.coordinator
    )

    world.milestone_x.refresh_from_db()
    assert world.milestone_x.actual_date == date(2026, 6, 1)
    assert world.milestone_x.reported_date is None


def test_a_confirmed_milestone_cannot_be_reported_again(world):
    services.confirm_milestone(world.milestone_x, actor=world.coordinator)

    with pytest.raises(ValidationError):
        services.report_milestone(world.milestone_x, date(2026, 6, 2), actor=world.owner_x)


def test_there_is_nothing_to_confirm_until_the_owner_reports(world):
    signing = world.project_x.milestones.get(kind__code="signing")

    with pytest.raises(ValidationError):
        services.confirm_milestone(signing, actor=world.coordinator)


# --- Progress reports --------------------------------------------------------------------------


def test_a_report_is_filed_for_the_period_containing_the_day_given(world):
    week = services.submit_report(
        world.project_x, report_data(date(2026, 6, 4), kind=PeriodKind.WEEK), actor=world.owner_x
    )
    month = services.submit_report(
        world.project_y, report_data(date(2026, 6, 9)), actor=world.owner_y
    )

    assert week.period_start == date(2026, 6, 1)  # that week's Monday
    assert month.period_start == date(2026, 6, 1)
    assert (week.status, week.submitted_by) == (ReportStatus.SUBMITTED, world.owner_x)


def test_an_owner_revises_a_returned_report_and_it_goes_back_to_the_office(world, clock):
    report = world.report_x
    services.review_report(report, approve=False, note="请补充照片", actor=world.coordinator)
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert (report.reviewed_by, report.review_note) == (world.coordinator, "请补充照片")

    clock.advance(days=1)
    services.revise_report(report, {"narrative": "完成场地平整，附照片。"}, actor=world.owner_x)

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.narrative == "完成场地平整，附照片。"
    assert report.submitted_at == clock.now


def test_an_approved_report_cannot_be_revised(world):
    services.review_report(world.report_x, approve=True, actor=world.coordinator)

    with pytest.raises(ValidationError):
        services.revise_report(world.report_x, {"investment": Decimal("1")}, actor=world.owner_x)
    world.report_x.refresh_from_db()
    assert world.report_x.investment == Decimal("1200.00")


def test_returning_a_report_needs_a_note(world):
    with pytest.raises(ValidationError) as refused:
        services.review_report(world.report_x, approve=False, note="   ", actor=world.coordinator)

    assert "review_note" in refused.value.message_dict
    world.report_x.refresh_from_db()
    assert world.report_x.status == ReportStatus.SUBMITTED


def test_approving_records_who_and_when(world, clock):
    services.review_report(world.report_x, approve=True, note=" 好 ", actor=world.coordinator)

    world.report_x.refresh_from_db()
    assert world.report_x.status == ReportStatus.APPROVED
    assert world.report_x.reviewed_by == world.coordinator
    assert world.report_x.reviewed_at == clock.now
    assert world.report_x.review_note == "好"


# --- Investment ------------------------------------------------------------------------------


@pytest.fixture
def reports_of_x(world):
    """Project X (plan year 2026, plan 20000, total 80000) and its reports over two years."""

    def add(start, amount, status):
        return ProgressReportFactory(
            project=world.project_x,
            period_start=start,
            investment=Decimal(amount),
            status=status,
            submitted_by=world.owner_x,
        )

    world.report_x.delete()
    return [
        add(date(2025, 11, 1), "3000", ReportStatus.APPROVED),
        add(date(2025, 12, 1), "1000", ReportStatus.RETURNED),
        add(date(2026, 1, 1), "2000", ReportStatus.APPROVED),
        add(date(2026, 2, 1), "500", ReportStatus.SUBMITTED),
        add(date(2026, 3, 1), "1500", ReportStatus.APPROVED),
    ]


def test_year_to_date_and_cumulative_investment_count_approved_reports_only(world, reports_of_x):
    ProgressReportFactory(  # another project's approved report does not count
        project=world.project_y, investment=Decimal("9999"), status=ReportStatus.APPROVED
    )

    totals = investment.totals(world.project_x)

    assert totals.year_to_date == Decimal("3500.00")
    assert totals.cumulative == Decimal("6500.00")
    assert (totals.plan, totals.total) == (Decimal("20000.00"), Decimal("80000.00"))
    assert totals.plan_rate == Decimal("17.5")
    assert totals.total_rate == Decimal("8.1")


def test_a_project_without_approved_reports_has_invested_nothing_yet(world):
    totals = investment.totals(world.project_x)

    assert (totals.year_to_date, totals.cumulative) == (Decimal("0"), Decimal("0"))
    assert totals.plan_rate == Decimal("0.0")


def test_rates_are_blank_when_there_is_no_plan(world):
    project = ProjectFactory(total_investment=Decimal("0"), annual_plan=Decimal("0"))

    totals = investment.totals(project)

    assert (totals.plan_rate, totals.total_rate) == (None, None)


def test_approving_a_report_moves_the_totals(world):
    before = investment.totals(world.project_x).year_to_date

    services.review_report(world.report_x, approve=True, actor=world.coordinator)

    assert before == 0
    assert investment.totals(world.project_x).year_to_date == Decimal("1200.00")


def test_running_totals_add_up_approved_reports_in_period_order(world, reports_of_x):
    ProgressReportFactory(project=world.project_y, investment=Decimal("7"), status="approved")

    rows = investment.with_running_totals(
        ProgressReport.objects.filter(project=world.project_x)
    ).order_by("period_start")

    assert [(str(r.period_start), r.cumulative) for r in rows] == [
        ("2025-11-01", Decimal("3000")),
        ("2025-12-01", Decimal("3000")),  # returned: shown, not added
        ("2026-01-01", Decimal("5000")),
        ("2026-02-01", Decimal("5000")),  # awaiting review: not added
        ("2026-03-01", Decimal("6500")),
    ]


def test_running_totals_are_per_project_and_do_not_depend_on_display_order(world, reports_of_x):
    ProgressReportFactory(
        project=world.project_y, period_start=date(2025, 10, 1), investment=Decimal("7"),
        status="approved",
    )  # fmt: skip

    rows = investment.with_running_totals(ProgressReport.objects.all())  # newest first

    by_period = {(r.project_id, str(r.period_start)): r.cumulative for r in rows}
    assert by_period[(world.project_y.pk, "2025-10-01")] == Decimal("7")
    assert by_period[(world.project_x.pk, "2026-03-01")] == Decimal("6500")
    assert by_period[(world.project_x.pk, "2025-11-01")] == Decimal("3000")


def test_template_kind_finds_kinds_by_code_or_chinese_name(db):
    assert template_kind("开工") == template_kind("groundbreaking")

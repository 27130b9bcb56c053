"""Each inbox source: an item appears for those who must act, leaves when anyone
entitled acts (whoever it is), and is never shown to anyone else.

The world (``diaodu.test``) starts with May's progress report submitted on projects X and
Y, and each project's groundbreaking date reported by its owner, awaiting confirmation."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from diaodu.agreements.choices import Measure
from diaodu.agreements.services import record_fulfilment
from diaodu.core import derived
from diaodu.factories import (
    AgreementFactory,
    CommitmentFactory,
    LeaderFactory,
    ReportingRoundFactory,
)
from diaodu.inbox.sources import sections_for
from diaodu.problems import services as problems
from diaodu.problems.choices import Category, Level
from diaodu.projects import services as projects
from diaodu.projects.choices import PeriodKind, RoundKind
from diaodu.test import ROLES

DUE = date(2026, 6, 30)


def waiting(user) -> dict[str, list]:
    """The user's inbox: source key → the items' ids, as shown (after what a request does
    first on a new day: refreshing the stored lights)."""
    derived.ensure_fresh()
    return {s.source.key: [item.pk for item in s.items] for s in sections_for(user)}


def holders(world, key, pk) -> set[str]:
    """The roles whose inbox shows item ``pk`` under ``key``."""
    return {role for role in ROLES if pk in waiting(getattr(world, role)).get(key, [])}


def raise_on_x(world, **fields):
    data = {
        "title": "用地指标不足",
        "description": "二期用地缺少建设用地指标。",
        "category": Category.LAND,
        "lead_department": world.department_a,
        "due_date": DUE,
        **fields,
    }
    return problems.raise_problem(world.project_x, data, actor=world.owner_x)


def assign_to_a(world):
    return problems.assign_action_item(
        {
            "title": "协调落实二期用地指标",
            "project": world.project_x,
            "lead_department": world.department_a,
            "due_date": DUE,
        },
        actor=world.coordinator,
    )


# --- which roles have which sources -------------------------------------------------------

OFFICE = {
    "problems_resolved",
    "results_submitted",
    "reports_submitted",
    "milestones_reported",
    "commitments_due",
}
DEPARTMENT = {"problems_to_take_up", "actions_to_acknowledge", "actions_returned"}
OWNER = {"rounds_open", "reports_returned", "milestones_due"}
LEADER = {"problems_escalated", "actions_escalated", "awaiting_instruction"}


@pytest.mark.parametrize(
    ("role", "kinds"),
    [
        ("admin", OFFICE),
        ("coordinator", OFFICE),
        ("leader", LEADER),
        ("staff_a", DEPARTMENT),
        ("staff_b", DEPARTMENT),
        ("owner_x", OWNER),
        ("owner_y", OWNER),
    ],
)
def test_each_role_has_the_sections_of_its_own_work(world, role, kinds):
    mine = set(waiting(getattr(world, role)))
    assert kinds <= mine
    assert not mine & ((OFFICE | DEPARTMENT | OWNER | LEADER) - kinds)


# --- the office ---------------------------------------------------------------------------


def test_a_submitted_report_waits_for_the_office_until_anyone_of_it_reviews_it(world):
    report = world.report_x
    assert holders(world, "reports_submitted", report.pk) == {"admin", "coordinator"}

    projects.review_report(report, approve=True, actor=world.admin)

    assert holders(world, "reports_submitted", report.pk) == set()
    assert world.report_y.pk in waiting(world.coordinator)["reports_submitted"]


def test_a_returned_report_waits_for_its_owner_and_goes_back_to_the_office_when_revised(world):
    report = world.report_x
    projects.review_report(report, approve=False, note="请补充投资明细。", actor=world.coordinator)
    assert holders(world, "reports_returned", report.pk) == {"owner_x"}
    assert holders(world, "reports_submitted", report.pk) == set()

    projects.revise_report(
        report, {"narrative": "完成场地平整，投资明细见附件。"}, actor=world.owner_x
    )

    assert holders(world, "reports_returned", report.pk) == set()
    assert holders(world, "reports_submitted", report.pk) == {"admin", "coordinator"}


def test_a_reported_milestone_date_waits_for_the_office_until_confirmed(world):
    milestone = world.milestone_x
    assert holders(world, "milestones_reported", milestone.pk) == {"admin", "coordinator"}

    projects.confirm_milestone(milestone, actor=world.coordinator)

    assert holders(world, "milestones_reported", milestone.pk) == set()


def test_a_resolved_problem_waits_for_the_office_until_closed_or_reopened(world):
    problem = raise_on_x(world)
    assert holders(world, "problems_resolved", problem.pk) == set()
    problems.transition_problem(problem, "resolved", actor=world.staff_a, resolution="已调整。")
    assert holders(world, "problems_resolved", problem.pk) == {"admin", "coordinator"}

    problems.transition_problem(problem, "open", actor=world.admin, text="企业反映仍未落实。")
    assert holders(world, "problems_resolved", problem.pk) == set()
    problems.transition_problem(problem, "resolved", actor=world.staff_a, resolution="已落实。")
    problems.transition_problem(problem, "closed", actor=world.coordinator)

    assert holders(world, "problems_resolved", problem.pk) == set()


def test_a_submitted_result_waits_for_the_office_until_accepted_or_returned(world):
    item = assign_to_a(world)
    problems.acknowledge(item, actor=world.staff_a)
    problems.submit_result(item, "已完成指标调剂。", actor=world.staff_a)
    assert holders(world, "results_submitted", item.pk) == {"admin", "coordinator"}

    problems.return_for_rework(item, "缺少批复文件。", actor=world.coordinator)
    assert holders(world, "results_submitted", item.pk) == set()
    problems.submit_result(item, "已补充批复文件。", actor=world.staff_a)
    problems.accept(item, actor=world.admin)

    assert holders(world, "results_submitted", item.pk) == set()


def test_a_hand_measured_commitment_waits_once_due_until_its_fulfilment_is_recorded(world, clock):
    commitment = CommitmentFactory(
        agreement=AgreementFactory(project=world.project_x, recorded_by=world.coordinator),
        measure=Measure.MANUAL,
        target_amount=None,
        unit="",
        kind="land_delivery",
        due_date=date(2026, 6, 20),
    )
    by_investment = CommitmentFactory(agreement=commitment.agreement, due_date=date(2026, 6, 1))
    assert holders(world, "commitments_due", commitment.pk) == set(), "not due yet"

    clock.advance(days=10)
    assert holders(world, "commitments_due", commitment.pk) == {"admin", "coordinator"}
    assert holders(world, "commitments_due", by_investment.pk) == set(), "read from the data"

    record_fulfilment(
        commitment,
        {"recorded_on": date(2026, 6, 19), "fulfilled": True, "note": "已交地。"},
        actor=world.coordinator,
        files=[SimpleUploadedFile("交地确认书.pdf", b"%PDF-1.4", "application/pdf")],
    )
    assert holders(world, "commitments_due", commitment.pk) == set()


# --- departments --------------------------------------------------------------------------


def test_a_new_problem_waits_for_its_lead_department_until_someone_starts_it(world):
    problem = raise_on_x(world, cooperating_departments=[world.department_b])
    assert holders(world, "problems_to_take_up", problem.pk) == {"staff_a"}

    problems.transition_problem(problem, "in_progress", actor=world.coordinator)

    assert holders(world, "problems_to_take_up", problem.pk) == set()


def test_a_reopened_problem_waits_for_its_lead_department_again(world):
    problem = raise_on_x(world)
    problems.transition_problem(problem, "resolved", actor=world.staff_a, resolution="已调整。")
    assert holders(world, "problems_to_take_up", problem.pk) == set()

    problems.transition_problem(problem, "open", actor=world.coordinator, text="仍未落实。")

    assert holders(world, "problems_to_take_up", problem.pk) == {"staff_a"}


def test_an_action_item_waits_for_its_lead_department_until_acknowledged(world):
    item = assign_to_a(world)
    assert holders(world, "actions_to_acknowledge", item.pk) == {"staff_a"}

    problems.acknowledge(item, actor=world.staff_a)

    assert holders(world, "actions_to_acknowledge", item.pk) == set()
    assert holders(world, "actions_returned", item.pk) == set(), "taken on, not returned"


def test_a_returned_result_waits_for_the_lead_department_until_submitted_again(world):
    item = assign_to_a(world)
    problems.acknowledge(item, actor=world.staff_a)
    problems.submit_result(item, "已完成。", actor=world.staff_a)
    problems.return_for_rework(item, "缺少批复文件。", actor=world.coordinator)
    assert holders(world, "actions_returned", item.pk) == {"staff_a"}

    problems.submit_result(item, "已补充批复文件。", actor=world.staff_a)

    assert holders(world, "actions_returned", item.pk) == set()


# --- owners -------------------------------------------------------------------------------


def test_an_open_round_waits_for_each_owner_that_has_not_reported_in_it(world):
    reporting_round = ReportingRoundFactory(
        opened_by=world.coordinator, projects=[world.project_x, world.project_y]
    )
    rows = {role: waiting(getattr(world, role)).get("rounds_open", []) for role in ROLES}
    assert [len(rows[role]) for role in ROLES] == [0, 0, 0, 0, 0, 1, 1]

    projects.submit_report(
        world.project_x,
        {
            "period_kind": PeriodKind.MONTH,
            "period_start": reporting_round.period_start,
            "narrative": "主体施工。",
            "investment": 300,
        },
        actor=world.owner_x,
    )
    assert waiting(world.owner_x)["rounds_open"] == []
    assert len(waiting(world.owner_y)["rounds_open"]) == 1

    projects.close_round(reporting_round, actor=world.coordinator)
    assert waiting(world.owner_y)["rounds_open"] == []


def test_an_annual_return_round_waits_until_the_return_for_its_year_is_in(world):
    ReportingRoundFactory(
        opened_by=world.coordinator,
        kind=RoundKind.ANNUAL_RETURN,
        period_start=date(2025, 1, 1),
        projects=[world.project_x],
    )
    assert len(waiting(world.owner_x)["rounds_open"]) == 1

    projects.record_annual_return(
        world.project_x, {"year": 2025, "output": 5000, "tax": 300}, actor=world.owner_x
    )

    assert waiting(world.owner_x)["rounds_open"] == []


def test_a_milestone_past_its_planned_date_waits_for_the_owner_until_reported(world, clock):
    milestone = world.project_x.milestones.exclude(pk=world.milestone_x.pk).first()
    projects.plan_milestone(milestone, {"planned_date": date(2026, 6, 11)}, actor=world.coordinator)
    assert holders(world, "milestones_due", milestone.pk) == set(), "not planned to be past yet"
    clock.advance(days=2)
    assert holders(world, "milestones_due", milestone.pk) == {"owner_x"}

    projects.report_milestone(milestone, date(2026, 6, 8), actor=world.owner_x)

    assert holders(world, "milestones_due", milestone.pk) == set()
    assert holders(world, "milestones_reported", milestone.pk) == {"admin", "coordinator"}


# --- leaders ------------------------------------------------------------------------------


def test_a_problem_won_from_a_higher_level_awaits_a_leaders_instruction(world):
    problem = raise_on_x(world)
    assert holders(world, "awaiting_instruction", problem.pk) == set()
    problems.edit_problem(
        problem, {"level": Level.CITY}, version=problem.version, actor=world.coordinator
    )
    assert holders(world, "awaiting_instruction", problem.pk) == {"leader"}

    problems.add_problem_update(
        problem, "请资规局本周内报市局。", actor=world.leader, instruction=True
    )

    assert holders(world, "awaiting_instruction", problem.pk) == set()


def test_items_long_overdue_are_escalated_to_the_projects_leader(world, clock, settings):
    problem = raise_on_x(world)
    item = assign_to_a(world)
    clock.set(DUE + timedelta(days=settings.DIAODU_ESCALATE_DAYS - 1))
    assert holders(world, "problems_escalated", problem.pk) == set()

    clock.advance(days=1)
    assert holders(world, "problems_escalated", problem.pk) == {"leader"}
    assert holders(world, "actions_escalated", item.pk) == {"leader"}

    problems.transition_problem(problem, "resolved", actor=world.staff_a, resolution="已落实。")
    problems.acknowledge(item, actor=world.staff_a)
    problems.submit_result(item, "已完成。", actor=world.staff_a)
    assert holders(world, "problems_escalated", problem.pk) == set()
    assert holders(world, "actions_escalated", item.pk) == set()


def test_another_leaders_project_is_not_escalated_to_this_leader(world, clock, settings):
    problem = raise_on_x(world)
    other = LeaderFactory(organisation=world.leadership)
    clock.set(DUE + timedelta(days=settings.DIAODU_ESCALATE_DAYS))

    assert problem.pk in waiting(world.leader)["problems_escalated"]
    assert problem.pk not in waiting(other)["problems_escalated"]


def test_a_long_section_shows_its_oldest_rows_and_counts_them_all(world):
    [reports] = [
        s for s in sections_for(world.coordinator, rows=1) if s.source.key == "reports_submitted"
    ]

    assert [item.pk for item in reports.items] == [world.report_x.pk]
    assert (reports.count, reports.more) == (2, 1)

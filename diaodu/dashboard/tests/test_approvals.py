"""Approvals against their statutory limits: days from the accepted application (受理) to
the approval, or to today while pending, per approving department.

Today is 10 June 2026. Limits from the template: 立项 and the planning permits 20 days,
the construction permit 15.

- X 立项, department B: accepted 1 May, approved 21 May: 20 days, exactly the limit → within
- X 用地规划许可, department A: accepted 1 May, approved 22 May: 21 days → 1 day over
- X 施工许可, department B: accepted 1 June, pending: 9 days so far
- Y 立项, department B: accepted 1 April, pending: 70 days so far, 50 over
- Y 工程规划许可, department A: accepted 10 May, approved 20 May: 10 days
- Y 用地规划许可, no department: accepted 25 May, pending: 16 days
- Y 施工许可, department B: no application yet → not counted

Counted here in calendar days; the last tests count the approval kinds' working days.

Department B: 2 pending, 1 approved in 20 days, 100 % within; department A: none pending,
2 approved in 15.5 days on average, 50 % within; no department: 1 pending.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.core.models import CalendarDay
from diaodu.dashboard.approvals import approvals
from diaodu.factories import ProjectFactory
from diaodu.projects.choices import DayKind
from diaodu.projects.models import Milestone, MilestoneKind, Project
from diaodu.test import api_for, client_for

APPLICATIONS = [
    # project, kind, department, applied, approved
    ("x", "project_approval", "b", (5, 1), (5, 21)),
    ("x", "land_planning_permit", "a", (5, 1), (5, 22)),
    ("x", "construction_permit", "b", (6, 1), None),
    ("y", "project_approval", "b", (4, 1), None),
    ("y", "engineering_planning_permit", "a", (5, 10), (5, 20)),
    ("y", "land_planning_permit", None, (5, 25), None),
    ("y", "construction_permit", "b", None, None),
]


@pytest.fixture
def applications(world):
    MilestoneKind.objects.update(day_kind=DayKind.CALENDAR)
    for project, kind, department, applied, approved in APPLICATIONS:
        Milestone.objects.filter(
            project=getattr(world, f"project_{project}"), kind__code=kind
        ).update(
            approving_department=getattr(world, f"department_{department}") if department else None,
            applied_date=date(2026, *applied) if applied else None,
            actual_date=date(2026, *approved) if approved else None,
        )
    return world


def test_elapsed_days_run_from_acceptance_to_approval_or_to_today(applications, today):
    _departments, slowest = approvals(Project.objects.all(), today)

    days = {(a.milestone.project.code, a.milestone.kind.code): a for a in slowest}
    assert len(days) == 6  # Y's construction permit has no application yet
    x_approval = days["2026-001", "project_approval"]
    assert (x_approval.days, x_approval.limit, x_approval.pending) == (20, 20, False)
    assert x_approval.within_limit  # exactly at the limit is within it
    x_land = days["2026-001", "land_planning_permit"]
    assert (x_land.days, x_land.within_limit, x_land.over_by) == (21, False, 1)
    y_approval = days["2026-002", "project_approval"]
    assert (y_approval.days, y_approval.pending, y_approval.over_by) == (70, True, 50)
    assert days["2026-001", "construction_permit"].days == 9


def test_each_approving_department_has_its_pending_average_and_share_within_the_limit(
    applications, today
):
    departments, _slowest = approvals(Project.objects.all(), today)

    summary = [
        (
            str(d.department) if d.department else None,
            d.pending,
            len(d.done),
            d.average_days,
            d.within_limit_rate,
        )
        for d in departments
    ]
    # Most pending first.
    assert summary == [
        ("区审批局", 2, 1, Decimal("20.0"), Decimal("100.0")),
        (None, 1, 0, None, None),
        ("区资规局", 0, 2, Decimal("15.5"), Decimal("50.0")),
    ]


def test_the_slowest_approvals_come_first_by_days_over_the_limit(applications, today):
    _departments, slowest = approvals(Project.objects.all(), today)

    assert [(a.milestone.project.code, a.milestone.kind.code) for a in slowest] == [
        ("2026-002", "project_approval"),  # 50 over
        ("2026-001", "land_planning_permit"),  # 1 over
        ("2026-001", "project_approval"),  # at the limit
        ("2026-002", "land_planning_permit"),  # 4 to go
        ("2026-001", "construction_permit"),  # 6 to go
        ("2026-002", "engineering_planning_permit"),  # 10 under
    ]


def test_the_slowest_list_holds_ten(world, today):
    for n in range(3):
        project = ProjectFactory(owner=world.enterprise_x, milestones=True)
        Milestone.objects.filter(project=project, kind__is_approval=True).update(
            applied_date=date(2026, 5, 1 + n)
        )

    departments, slowest = approvals(Project.objects.all(), today)

    assert len(slowest) == 10
    assert sum(d.pending for d in departments) == 12


def test_the_page_shows_days_over_and_pending_approvals(applications):
    response = client_for(applications.leader, "en").get(reverse("dashboard:approvals"))

    html = response.content.decode()
    assert "50 days over" in html
    assert "1 day over" in html
    assert html.count("under review") == 3
    assert len(response.context["slowest"]) == 6


def test_the_api_gives_the_same_summary(applications):
    rows = api_for(applications.coordinator).get("/api/dashboard/approvals/").json()

    assert [
        (r["department"], r["pending"], r["approved"], r["average_days"], r["within_limit_rate"])
        for r in rows
    ] == [
        ("区审批局", 2, 1, "20.0", "100.0"),
        (None, 1, 0, None, None),
        ("区资规局", 0, 2, "15.5", "50.0"),
    ]


def test_the_filters_narrow_the_approvals(applications):
    rows = (
        api_for(applications.leader)
        .get("/api/dashboard/approvals/", {"lead_department": applications.department_a.pk})
        .json()
    )

    # Project X only: department B's approval and permit, department A's permit.
    assert [(r["department"], r["pending"], r["approved"]) for r in rows] == [
        ("区审批局", 1, 1),
        ("区资规局", 0, 1),
    ]


def test_the_approval_kinds_count_working_days_around_national_day(world):
    """Accepted Wednesday 30 September 2026: 1-7 October are holidays, Saturday 10 October
    is worked (调休). The 20 working days end on Tuesday 3 November."""
    assert MilestoneKind.objects.get(code="project_approval").day_kind == DayKind.WORKING
    Milestone.objects.filter(project=world.project_x, kind__code="project_approval").update(
        applied_date=date(2026, 9, 30), actual_date=date(2026, 10, 12)
    )

    _departments, [approval] = approvals(Project.objects.all(), date(2026, 11, 1))

    # 8, 9, 10 (Saturday, worked) and 12 October: four working days.
    assert (approval.days, approval.limit, approval.due) == (4, 20, date(2026, 11, 3))


def test_the_office_calendar_counts_in_a_year_the_package_does_not_know(world):
    CalendarDay.objects.create(date=date(2031, 1, 1), name="元旦")
    CalendarDay.objects.create(date=date(2031, 1, 4), is_working_day=True, name="元旦调休")
    Milestone.objects.filter(project=world.project_x, kind__code="project_approval").update(
        applied_date=date(2030, 12, 31), actual_date=date(2031, 1, 6)
    )

    _departments, [approval] = approvals(Project.objects.all(), date(2031, 2, 1))

    # 2 and 3 (Thursday, Friday), 4 (Saturday, worked), 6 (Monday); 1 and 5 off.
    assert approval.days == 4


def test_the_page_states_the_limit_in_working_days_with_its_due_date(world):
    Milestone.objects.filter(project=world.project_x, kind__code="project_approval").update(
        applied_date=date(2026, 5, 6)
    )

    page = client_for(world.leader).get(reverse("dashboard:approvals")).content.decode()

    assert "20 工作日" in page

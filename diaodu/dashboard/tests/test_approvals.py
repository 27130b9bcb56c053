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

Department B: 2 pending, 1 approved in 20 days, 100 % within; department A: none pending,
2 approved in 15.5 days on average, 50 % within; no department: 1 pending.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.dashboard.approvals import approvals
from diaodu.factories import ProjectFactory
from diaodu.projects.models import Milestone, Project
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

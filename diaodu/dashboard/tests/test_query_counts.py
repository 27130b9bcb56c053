"""Dashboard pages and endpoints make a fixed number of queries, however many projects.

Each is measured with a little data and with ten times as much, against the same bound;
an N+1 query makes the larger size fail and prints the SQL.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.factories import (
    ActionItemFactory,
    IndustryFactory,
    ProblemFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectListFactory,
)
from diaodu.problems.choices import ActionStatus, ProblemStatus
from diaodu.projects.choices import ReportStatus, Stage
from diaodu.projects.models import AnnualReturn, LandThreshold, Milestone
from diaodu.test import api_for, client_for

SIZES = [3, 30]

# The bounds are what each needs today. Raise one only for a query that does not repeat per
# row, and say why. Every page pays 4: session, user, the user's organisation and the
# unread-notification count (the navigation bar); the filter bar's five lists cost 5 more.
PAGE = 4 + 5
QUERIES = {
    # the project count, stages, health, investment (sums, months), landings, problems
    # (figures, categories, departments), overdue action items
    reverse("dashboard:dashboard"): PAGE + 10,
    # health, problems (figures, categories, departments), overdue action items, investment
    # (sums, months), the next meeting; no filter bar
    reverse("dashboard:today"): 4 + 8,
    reverse("dashboard:cards"): PAGE + 2,  # count, page
    reverse("dashboard:timeline"): PAGE + 3,  # count, page, milestones with their kinds
    # Grouped, the group's name comes in the page's own query.
    reverse("dashboard:timeline") + "?group=list": PAGE + 3,
    reverse("dashboard:timeline") + "?group=department": PAGE + 3,
    reverse("dashboard:timeline") + "?group=leader": PAGE + 3,
    # milestones with kinds, departments, projects; the office holiday calendar
    reverse("dashboard:approvals"): PAGE + 2,
    reverse("dashboard:land"): PAGE + 4,  # count, page of projects, thresholds, returns
    reverse("dashboard:departments"): 4 + 3,  # problems, action items, organisations
}
API_QUERIES = {
    "/api/dashboard/": 10,
    "/api/dashboard/today/": 8,
    "/api/dashboard/approvals/": 2,  # and the office holiday calendar
    "/api/dashboard/land/": 3,
    "/api/dashboard/departments/": 3,
}


def add_projects(world, count):
    """``count`` projects of both enterprises, each with the template milestones (one
    overdue, one due soon, one achieved late, one approval pending and one granted), two
    reports, two problems, two action items and an annual return, in two industries."""
    industries = [IndustryFactory(), IndustryFactory()]
    LandThreshold.objects.create(
        industry=industries[0],
        investment_per_mu=Decimal(300),
        output_per_mu=Decimal(500),
        tax_per_mu=Decimal(30),
    )
    zone_list = ProjectListFactory()
    today = world.today
    for n in range(count):
        x = n % 2
        project = ProjectFactory(
            owner=world.enterprise_x if x else world.enterprise_y,
            lead_department=world.department_a if x else world.department_b,
            industry=industries[x],
            responsible_leader=world.leader,
            stage=[Stage.PREPARATION, Stage.CONSTRUCTION, Stage.PRODUCTION][n % 3],
            lists=[zone_list],
            milestones=True,
        )
        milestones = {m.kind.code: m for m in project.milestones.select_related("kind")}
        dates = {
            "signing": (today - timedelta(days=300), today - timedelta(days=290), None),
            "land_supply": (today - timedelta(days=5), None, None),
            "project_approval": (today + timedelta(days=3), None, today - timedelta(days=30)),
            "construction_permit": (
                today - timedelta(days=60),
                today - timedelta(days=40),
                today - timedelta(days=70),
            ),
            "groundbreaking": (date(2026, 3, 1), date(2026, 3, 10), None),
            "completion": (date(2026, 12, 1), None, None),
        }
        for code, (planned, actual, applied) in dates.items():
            milestone = milestones[code]
            milestone.planned_date, milestone.actual_date = planned, actual
            milestone.applied_date = applied
            milestone.approving_department = world.department_b
        Milestone.objects.bulk_update(
            milestones.values(),
            ["planned_date", "actual_date", "applied_date", "approving_department"],
        )
        for month in (3, 4):
            ProgressReportFactory(
                project=project,
                period_start=date(2026, month, 1),
                status=ReportStatus.APPROVED if month == 3 else ReportStatus.SUBMITTED,
                submitted_by=world.owner_x,
            )
        for status, resolved in ((ProblemStatus.OPEN, None), (ProblemStatus.RESOLVED, today)):
            ProblemFactory(
                project=project,
                lead_department=world.department_a if x else world.department_b,
                cooperating_departments=[world.department_b] if resolved else [],
                raised_on=date(2026, 5, 1),
                due_date=date(2026, 6, 1),
                status=status,
                resolved_on=resolved,
                raised_by=world.coordinator,
            )
        for status in (ActionStatus.ASSIGNED, ActionStatus.DONE):
            ActionItemFactory(
                project=project,
                lead_department=world.department_a if x else world.department_b,
                assigned_on=date(2026, 5, 1),
                due_date=date(2026, 6, 1),
                status=status,
                completed_on=today if status == ActionStatus.DONE else None,
                assigned_by=world.coordinator,
            )
        AnnualReturn.objects.create(project=project, year=2025, output=Decimal(n), tax=Decimal(1))


# A department's and an owner's figures are scoped by subqueries, not by more queries: their
# overview and its endpoint are measured too (the other pages scope the same way).
SCOPED = [reverse("dashboard:dashboard")]
API_SCOPED = ["/api/dashboard/"]


# One test per size measures every page and endpoint for each persona on the same data:
# building thirty projects is most of the cost, and it is paid once.
@pytest.mark.parametrize("size", SIZES)
def test_every_dashboard_page_and_endpoint_makes_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    add_projects(world, size)
    personas = [
        ("leader", list(QUERIES), list(API_QUERIES)),
        ("staff_a", SCOPED, API_SCOPED),
        ("owner_x", SCOPED, API_SCOPED),
    ]

    for role, pages, endpoints in personas:
        user = getattr(world, role)
        browser, api = client_for(user), api_for(user)
        for url in pages:
            with django_assert_max_num_queries(QUERIES[url], info=f"{role} {url}"):
                response = browser.get(url)
            assert response.status_code == 200, url
        for url in endpoints:
            with django_assert_max_num_queries(API_QUERIES[url], info=f"{role} {url}"):
                response = api.get(url)
            assert response.status_code == 200, url

    # A filter costs one more: it looks up the department it is given.
    url = reverse("dashboard:dashboard")
    browser = client_for(world.leader)
    with django_assert_max_num_queries(QUERIES[url] + 1, info="filtered"):
        response = browser.get(url, {"lead_department": world.department_a.pk})
    assert response.context["project_count"] == size // 2 + 1  # and project X

"""Pages and endpoints make a fixed number of queries, however much data there is.

Each is measured with a little data and with ten times as much, against the same bound;
an N+1 query makes the larger size fail and prints the SQL.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.factories import (
    IndustryFactory,
    MilestoneKindFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectListFactory,
)
from diaodu.projects import services
from diaodu.projects.choices import ReportStatus
from diaodu.test import api_for, client_for

SIZES = [3, 30]

# The bounds are what each needs today. Raise one only for a query that does not repeat per
# row, and say why in the commit. Every page pays 4: session, user, the user's organisation
# and the header's counts (unread notifications and the inbox, in one query).
PROJECT_LIST_QUERIES = 4 + 9  # count, page, open milestones, the filter bar's five lists;
#                               for an owner, the open rounds it has not reported in
PROJECT_DETAIL_QUERIES = 4 + 18  # project, lists, cooperating departments, milestones, totals,
#                                  reports, history (and,
#                                  once a process, the content types of what it names),
#                                  problems, action items, land thresholds, annual returns,
#                                  agreements counted, commitments' fulfilment; the site card's
#                                  location, parcels, zone boundary and latest photos
API_PROJECT_LIST_QUERIES = 6  # count, page, lists, cooperating departments, milestones,
#                                their kinds
API_LIST_QUERIES = 2  # count, page


def add_projects(world, count):
    """``count`` projects of both enterprises, each with the template milestones (some
    overdue, some due soon, one achieved), two reports and a list."""
    industry, zone_list = IndustryFactory(), ProjectListFactory()
    for n in range(count):
        project = ProjectFactory(
            owner=world.enterprise_x if n % 2 else world.enterprise_y,
            lead_department=world.department_a if n % 2 else world.department_b,
            industry=industry,
            responsible_leader=world.leader,
            lists=[zone_list],
            milestones=True,
        )
        milestones = list(project.milestones.all()[:3])
        for offset, milestone in zip((-5, 3, 40), milestones, strict=True):
            milestone.planned_date = world.today + timedelta(days=offset)
        milestones[2].actual_date = world.today - timedelta(days=1)
        type(milestones[0]).objects.bulk_update(milestones, ["planned_date", "actual_date"])
        for month in (3, 4):
            ProgressReportFactory(
                project=project,
                period_start=date(2026, month, 1),
                status=ReportStatus.APPROVED if month == 3 else ReportStatus.SUBMITTED,
            )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "staff_a", "owner_x"])
def test_the_project_list_page_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    add_projects(world, size)
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(PROJECT_LIST_QUERIES):
        response = browser.get(reverse("projects:project_list"))

    assert len(response.context["page"]) >= min(size // 2, 25)


@pytest.mark.parametrize("size", SIZES)
def test_the_filtered_project_list_page_makes_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    add_projects(world, size)
    browser = client_for(world.coordinator)

    with django_assert_max_num_queries(PROJECT_LIST_QUERIES):
        response = browser.get(
            reverse("projects:project_list"),
            {
                "health": "delayed",
                "stage": "preparation",
                "q": "项目",
                "page": 2 if size > 25 else 1,
            },
        )

    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_project_page_makes_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    project = world.project_x
    for n in range(size):
        services.add_milestone(
            project,
            {"kind": MilestoneKindFactory(), "planned_date": world.today + timedelta(days=n)},
            actor=world.coordinator,
        )
        ProgressReportFactory(
            project=project,
            period_kind="week",
            period_start=date(2026, 1, 5) + timedelta(weeks=n),
            investment=Decimal(n),
            status=ReportStatus.APPROVED,
            submitted_by=world.owner_x,
            reviewed_by=world.coordinator,
        )
        services.update_project(project, {"location": f"地块{n}"}, actor=world.coordinator)
    browser = client_for(world.owner_x)

    with django_assert_max_num_queries(PROJECT_DETAIL_QUERIES):
        response = browser.get(reverse("projects:project_detail", args=[project.pk]))

    assert len(response.context["milestones"]) == 10 + size
    assert len(response.context["changes"]) == 10  # the latest ten; "more" loads the rest


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "staff_a", "owner_x"])
def test_the_project_api_list_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    add_projects(world, size)
    api = api_for(getattr(world, role))

    with django_assert_max_num_queries(API_PROJECT_LIST_QUERIES):
        response = api.get("/api/projects/")

    assert response.json()["count"] >= size // 2


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "url", ["/api/milestones/", "/api/progress-reports/", "/api/organisations/", "/api/people/"]
)
def test_the_other_api_lists_make_a_fixed_number_of_queries(
    world, size, url, django_assert_max_num_queries
):
    add_projects(world, size)
    api = api_for(world.staff_a)

    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = api.get(url)

    assert response.json()["count"] > 0

"""Landing pages, endpoints and the export make a fixed number of queries, however many
projects: measured with a little data and with ten times as much, against one bound."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.factories import IndustryFactory, ProjectFactory
from diaodu.landing.models import StageTarget
from diaodu.projects.choices import Stage
from diaodu.projects.models import AnnualReturn, LandThreshold, Milestone
from diaodu.test import api_for, client_for

SIZES = [3, 30]

# Every page pays 4: session, user, the user's organisation and the unread-notification
# count (the navigation bar); the filter bar's five lists cost 5 more.
PAGE = 4 + 5
QUERIES = {
    # targets, the summary, its industries' names, the page's projects with their dates
    reverse("landing:speed"): PAGE + 4,
    reverse("landing:speed") + "?by=year": PAGE + 3,
    reverse("landing:speed") + "?by=year&page=2": PAGE + 3,
    # years, thresholds, returns with projects, not reported
    reverse("landing:evaluation"): PAGE + 4,
    # session, user, organisation; the filter's lists are not drawn; the count that decides
    # whether it runs in the background, years, thresholds, returns with projects
    reverse("landing:evaluation_export"): 3 + 4,
    # targets, history, the form's list of industries
    reverse("landing:targets"): 4 + 3,
}
API_QUERIES = {
    "/api/landing/speed/": 2,  # projects with their stage dates, targets
    "/api/landing/speed/summary/": 3,  # targets, the summary, its industries' names
    "/api/landing/evaluation/": 3,  # years, thresholds, returns with projects
    "/api/landing/evaluation/export/": 3,
    "/api/landing/targets/": 1,
}


def add_projects(world, count):
    """``count`` signed projects in two industries, each with land, permits, groundbreaking
    and completion dates, in production with an annual return for 2025."""
    industries = [IndustryFactory(), IndustryFactory()]
    StageTarget.objects.create(stage="land", industry=industries[0], days=90)
    LandThreshold.objects.create(
        industry=industries[0],
        investment_per_mu=Decimal(300),
        output_per_mu=Decimal(500),
        tax_per_mu=Decimal(30),
        energy_per_output=Decimal("0.5"),
    )
    for n in range(count):
        project = ProjectFactory(
            owner=world.enterprise_x if n % 2 else world.enterprise_y,
            lead_department=world.department_a,
            industry=industries[n % 2],
            stage=Stage.PRODUCTION,
            milestones=True,
        )
        signed = date(2023, 1, 1) + timedelta(days=n)
        for code, after in [
            ("signing", 0),
            ("land_supply", 100 + n),
            ("construction_permit", 200 + n),
            ("groundbreaking", 230),
            ("completion", 600),
        ]:
            Milestone.objects.filter(project=project, kind__code=code).update(
                actual_date=signed + timedelta(days=after)
            )
        AnnualReturn.objects.create(
            project=project,
            year=2025,
            output=Decimal(40000 + n),
            tax=Decimal(2000),
            energy=Decimal(15000),
        )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", QUERIES)
def test_landing_pages_make_a_fixed_number_of_queries(
    world, django_assert_max_num_queries, url, size
):
    add_projects(world, size)
    client = client_for(world.coordinator)

    with django_assert_max_num_queries(QUERIES[url]):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_project_panel_makes_a_fixed_number_of_queries(
    world, django_assert_max_num_queries, size
):
    add_projects(world, size)
    url = reverse("landing:project_panel", args=[world.project_x.pk])
    client = client_for(world.owner_x)

    # 4 (every page, less nothing), the project, targets, its stage dates
    with django_assert_max_num_queries(4 + 3):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", API_QUERIES)
def test_landing_endpoints_make_a_fixed_number_of_queries(
    world, django_assert_max_num_queries, url, size
):
    add_projects(world, size)
    api = api_for(world.leader)

    with django_assert_max_num_queries(API_QUERIES[url]):
        response = api.get(url)

    assert response.status_code == 200

"""The search makes a fixed number of queries however much matches: measured with a
little and with ten times as much, against the same bound."""

import pytest
from django.urls import reverse

from diaodu.factories import (
    ActionItemFactory,
    DepartmentFactory,
    DepartmentStaffFactory,
    MeetingFactory,
    ProblemFactory,
    ProjectFactory,
)
from diaodu.search.tests.helpers import api_groups
from diaodu.test import api_for, client_for

SIZES = [3, 30]

KINDS = 6
# Every page pays 4: session, user, the user's organisation and the unread-notification
# count (the navigation bar). Then each kind: its best rows, and its count when there are
# more than shown. Organisations and people pay one more: those whose key holds a form of
# the name, for the name resolver.
NAMED = 2
PAGE_QUERIES = 4 + 2 * KINDS + NAMED
API_QUERIES = 2 * KINDS + NAMED
ONE_KIND_QUERIES = 4 + 2  # count and page


def add_matches(world, count):
    """``count`` of every kind, all matching 水务, on enterprise X's projects (so owner X
    and department A see them too)."""
    for n in range(count):
        project = ProjectFactory(
            code=f"2027-{n:03}",
            name=f"水务配套{n}",
            owner=world.enterprise_x,
            lead_department=world.department_a,
        )
        department = DepartmentFactory(name=f"水务{n}局")
        DepartmentStaffFactory(display_name=f"水务{n}科", organisation=world.department_a)
        problem = ProblemFactory(
            project=project,
            title=f"水务管网{n}",
            lead_department=world.department_a,
            raised_by=world.owner_x,
            cooperating_departments=[department],
        )
        ActionItemFactory(
            title=f"水务协调{n}",
            project=project,
            problem=problem,
            lead_department=world.department_a,
            assigned_by=world.coordinator,
        )
        MeetingFactory(title=f"水务调度{n}", chair=world.leader, created_by=world.coordinator)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "staff_a", "owner_x"])
def test_the_search_page_makes_a_fixed_number_of_queries(
    world, django_assert_max_num_queries, size, role
):
    add_matches(world, size)
    client = client_for(getattr(world, role))

    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(reverse("search:search"), {"q": "水务"})

    assert response.status_code == 200
    assert len(response.context["groups"]) >= 3


@pytest.mark.parametrize("size", SIZES)
def test_the_search_api_makes_a_fixed_number_of_queries(world, django_assert_max_num_queries, size):
    add_matches(world, size)
    api = api_for(world.staff_a)

    with django_assert_max_num_queries(API_QUERIES):
        response = api.get(reverse("api:search"), {"q": "水务"})

    assert response.status_code == 200
    assert api_groups(world.staff_a, "水务")["project"]


@pytest.mark.parametrize("size", SIZES)
def test_one_kind_a_page_at_a_time_makes_a_fixed_number_of_queries(
    world, django_assert_max_num_queries, size
):
    add_matches(world, size)
    client = client_for(world.coordinator)

    with django_assert_max_num_queries(ONE_KIND_QUERIES):
        response = client.get(reverse("search:search"), {"q": "水务", "kind": "problem"})

    assert len(response.context["groups"][0].hits) == size

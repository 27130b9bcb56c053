"""The API of annual returns, a project's history and the master data the pages show
(industries, project lists, land-efficiency thresholds)."""

from decimal import Decimal

import pytest

from diaodu.factories import IndustryFactory, ProjectFactory, ProjectListFactory
from diaodu.projects import services
from diaodu.projects.models import AnnualReturn, LandThreshold
from diaodu.test import api_for, check_api_rule, role_cells

GET, POST = "get", "post"
RETURN = {"year": 2025, "output": "52000", "tax": "3100", "energy": "800"}

API_REQUESTS = {
    "list industries": lambda w: (GET, "/api/industries/", None),
    "list project lists": lambda w: (GET, "/api/project-lists/", None),
    "list land thresholds": lambda w: (GET, "/api/land-thresholds/", None),
    "list annual returns": lambda w: (GET, "/api/annual-returns/", None),
    "read project X's history": lambda w: (GET, f"/api/projects/{w.project_x.pk}/history/", None),
    "record project X's annual return": lambda w: (
        POST,
        "/api/annual-returns/",
        {**RETURN, "project": w.project_x.pk},
    ),
}

# Columns: admin, coordinator, leader, staff_a, staff_b, owner_x, owner_y. Another
# enterprise's project id is refused as a nonexistent one is (400), never revealed (403).
API_RULES = {
    "list industries": (200, 200, 200, 200, 200, 200, 200),
    "list project lists": (200, 200, 200, 200, 200, 200, 200),
    "list land thresholds": (200, 200, 200, 200, 200, 200, 200),
    "list annual returns": (200, 200, 200, 200, 200, 200, 200),
    "read project X's history": (200, 200, 200, 200, 404, 200, 404),
    "record project X's annual return": (201, 201, 403, 403, 400, 201, 400),
}


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(API_RULES))
def test_api_permissions(world, action, role, expected):
    check_api_rule(getattr(world, role), API_REQUESTS[action](world), expected)


def _returns(world):
    for project, year in (
        (world.project_x, 2024),
        (world.project_x, 2025),
        (world.project_y, 2025),
    ):
        services.record_annual_return(
            project,
            {"year": year, "output": Decimal(year - 2000), "tax": Decimal("10")},
            actor=world.coordinator,
        )


def test_each_role_lists_the_returns_of_the_projects_it_sees(world):
    _returns(world)
    codes = {
        role: sorted(
            (r["project"], r["year"])
            for r in api_for(getattr(world, role)).get("/api/annual-returns/").data["results"]
        )
        for role in ("coordinator", "staff_b", "owner_x")
    }
    x, y = world.project_x.pk, world.project_y.pk
    assert codes == {
        "coordinator": sorted([(x, 2024), (x, 2025), (y, 2025)]),
        "staff_b": [(y, 2025)],
        "owner_x": [(x, 2024), (x, 2025)],
    }


def test_returns_are_filtered_by_project_and_year_and_ordered(world):
    _returns(world)
    api = api_for(world.coordinator)
    rows = api.get(
        "/api/annual-returns/", {"project": world.project_x.pk, "ordering": "year"}
    ).data["results"]
    assert [r["year"] for r in rows] == [2024, 2025]
    rows = api.get("/api/annual-returns/", {"year_from": 2025, "ordering": "-output"}).data[
        "results"
    ]
    assert {r["project"] for r in rows} == {world.project_x.pk, world.project_y.pk}
    assert api.get("/api/annual-returns/", {"project": 999999}).status_code == 400


def test_a_second_return_for_a_year_corrects_the_first(world):
    api = api_for(world.owner_x)
    body = {**RETURN, "project": world.project_x.pk}
    assert api.post("/api/annual-returns/", body).status_code == 201
    assert api.post("/api/annual-returns/", {**body, "tax": "3300"}).status_code == 201
    stored = AnnualReturn.objects.get(project=world.project_x, year=2025)
    assert stored.tax == Decimal("3300")


def test_a_bad_return_says_which_fields_are_wrong_and_saves_nothing(world):
    response = api_for(world.owner_x).post(
        "/api/annual-returns/",
        {"project": world.project_x.pk, "year": 1800, "output": "-1", "tax": "abc"},
    )
    assert response.status_code == 400
    assert set(response.data) == {"year", "output", "tax"}
    assert not AnnualReturn.objects.exists()


def test_a_projects_history_lists_its_changes_newest_first(world):
    services.update_project(world.project_x, {"location": "滨江二期"}, actor=world.coordinator)
    rows = (
        api_for(world.owner_x).get(f"/api/projects/{world.project_x.pk}/history/").data["results"]
    )
    newest = rows[0]
    assert newest["object_type"] == "projects.project"
    assert newest["actor"] == str(world.coordinator)
    assert (newest["before"]["location"], newest["after"]["location"]) == ("滨江片区", "滨江二期")
    assert [r["timestamp"] for r in rows] == sorted((r["timestamp"] for r in rows), reverse=True)


def test_master_data_is_filtered_and_ordered(world):
    IndustryFactory(name="新材料", sort_order=2)
    IndustryFactory(name="水务", sort_order=1)
    ProjectListFactory(name="2026年市级重点项目", year=2026, level="city")
    ProjectListFactory(name="2025年区重点项目", year=2025, level="zone")
    api = api_for(world.staff_a)
    names = [
        i["name"] for i in api.get("/api/industries/", {"ordering": "sort_order"}).data["results"]
    ]
    assert names.index("水务") < names.index("新材料")
    lists = api.get("/api/project-lists/", {"year": 2025}).data["results"]
    assert [entry["name"] for entry in lists] == ["2025年区重点项目"]
    assert api.get("/api/project-lists/", {"level": "galactic"}).status_code == 400


SIZES = [3, 30]
# The client is authenticated without queries; a list needs its count and its page.
LIST_QUERIES = 2
# History: the project, then the count and the page of changes (actors and types joined).
HISTORY_QUERIES = 1 + 2


@pytest.mark.parametrize("size", SIZES)
def test_the_master_data_and_returns_lists_make_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    for n in range(size):
        industry = IndustryFactory()
        ProjectListFactory()
        LandThreshold.objects.create(
            industry=industry, investment_per_mu=1, output_per_mu=2, tax_per_mu=3
        )
        project = ProjectFactory(owner=world.enterprise_x, lead_department=world.department_a)
        services.record_annual_return(
            project, {"year": 2025, "output": n, "tax": 1}, actor=world.coordinator
        )
    api = api_for(world.owner_x)
    for url in ("/api/industries/", "/api/project-lists/", "/api/land-thresholds/"):
        with django_assert_max_num_queries(LIST_QUERIES):
            assert api.get(url).status_code == 200
    with django_assert_max_num_queries(LIST_QUERIES):
        response = api.get("/api/annual-returns/")
    assert response.data["count"] == size


@pytest.mark.parametrize("size", SIZES)
def test_a_projects_history_makes_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    for n in range(size):
        services.update_project(world.project_x, {"location": f"片区{n}"}, actor=world.coordinator)
    api = api_for(world.coordinator)
    with django_assert_max_num_queries(HISTORY_QUERIES):
        response = api.get(f"/api/projects/{world.project_x.pk}/history/")
    assert response.data["count"] >= size

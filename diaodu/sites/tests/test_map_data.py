"""The map's data: the project list's filters, what each point says, and a fixed number
of queries however many projects there are."""

import json

import pytest
from django.urls import reverse

from diaodu.core.models import ChangeLog
from diaodu.factories import ParcelFactory, ProblemFactory, ProjectFactory, SiteFactory
from diaodu.sites.models import ZoneBoundary
from diaodu.sites.testfiles import ring
from diaodu.test import api_for, client_for

pytestmark = pytest.mark.django_db


def add_projects(world, count):
    for _ in range(count):
        project = ProjectFactory(
            owner=world.enterprise_x, lead_department=world.department_a, milestones=True
        )
        SiteFactory(project=project)
        ParcelFactory(project=project)
        ProblemFactory(project=project, lead_department=world.department_a)


def points(response):
    return points_of(response.json())


def test_a_point_tells_health_stage_problems_and_approvals(world):
    SiteFactory(project=world.project_x, latitude="30.2085", longitude="120.2107")
    ProblemFactory(project=world.project_x, lead_department=world.department_a)

    data = api_for(world.leader, "en").get(reverse("api:map")).json()

    point = points_of(data)["2026-001"]
    assert point["stage_label"] == "preparation"
    assert point["health"] in ("on_track", "at_risk", "delayed")
    assert point["open_problems"] == 1
    assert (
        point["pending_approvals"]
        == world.project_x.milestones.filter(
            approving_department__isnull=False, actual_date__isnull=True
        ).count()
    )
    feature = next(f for f in data["features"] if f["properties"].get("code") == "2026-001")
    assert feature["geometry"] == {"type": "Point", "coordinates": [120.2107, 30.2085]}
    assert data["datum"] == "wgs84"


def points_of(data):
    return {
        f["properties"]["code"]: f["properties"]
        for f in data["features"]
        if f["properties"]["layer"] == "project"
    }


def test_the_map_takes_the_project_list_s_filters(world):
    SiteFactory(project=world.project_x)
    SiteFactory(project=world.project_y)
    api = api_for(world.coordinator)

    assert set(points(api.get(reverse("api:map"), {"stage": "construction"}))) == {"2026-002"}
    assert set(points(api.get(reverse("api:map"), {"lead_department": world.department_a.pk}))) == {
        "2026-001"
    }
    assert set(points(api.get(reverse("api:map"), {"q": "水务"}))) == {"2026-001"}


def test_the_map_page_passes_its_filters_to_the_data(world):
    response = client_for(world.leader).get(reverse("sites:map"), {"stage": "construction"})

    assert response.context["data_url"] == reverse("api:map") + "?stage=construction"


def test_the_zone_boundary_comes_with_the_data(world):
    ZoneBoundary.objects.create(
        name="高新区", geometry={"type": "Polygon", "coordinates": [[list(c) for c in ring()]]}
    )

    zone = api_for(world.owner_y).get(reverse("api:map")).json()["zone"]

    assert zone["properties"]["name"] == "高新区"


@pytest.mark.parametrize("size", [2, 12])
def test_the_map_data_makes_a_fixed_number_of_queries(world, django_assert_max_num_queries, size):
    add_projects(world, size)
    api = api_for(world.coordinator)

    # session-less API: the user; located projects with their counts; land-grade years;
    # parcels; photos with a place
    with django_assert_max_num_queries(8):
        response = api.get(reverse("api:map"))

    assert len(points(response)) == size


@pytest.mark.parametrize("size", [2, 12])
def test_the_map_page_and_card_make_a_fixed_number_of_queries(
    world, django_assert_max_num_queries, size
):
    add_projects(world, size)
    client = client_for(world.leader)

    # 4 (every page) + the filter form's choices (5 menus)
    with django_assert_max_num_queries(4 + 6):
        assert client.get(reverse("sites:map")).status_code == 200
    # 4 + the project, its open milestones, open problems, latest photo
    with django_assert_max_num_queries(4 + 5):
        assert (
            client.get(reverse("sites:project_card", args=[world.project_x.pk])).status_code == 200
        )


def test_the_administrator_sets_the_zone_boundary_with_history(world):
    polygon = {"type": "Polygon", "coordinates": [[list(c) for c in ring()]]}
    client = client_for(world.admin)

    response = client.post(
        reverse("admin:sites_zoneboundary_add"), {"name": "高新区", "geometry": json.dumps(polygon)}
    )

    assert response.status_code == 302
    boundary = ZoneBoundary.objects.get()
    assert boundary.name == "高新区"
    assert ChangeLog.objects.filter(object_type__model="zoneboundary").exists()
    refused = client.post(
        reverse("admin:sites_zoneboundary_change", args=[boundary.pk]),
        {"name": "高新区", "geometry": json.dumps({"type": "Point", "coordinates": [120, 30]})},
    )
    assert refused.status_code == 200
    assert ZoneBoundary.objects.get().geometry["type"] == "Polygon"

"""The land-efficiency list: every project with land, those below a threshold flagged and
listable on their own (the rule itself is tested in ``projects/tests/test_land.py``).

Zone-wide thresholds: investment 300, output 500, tax 30 万元 per 亩.

- X: 100 亩, 80000 invested → 800 per mu; preparation: meets the thresholds
- Y: 400 亩, 80000 invested → 200 per mu: below
- Z: 120.5 亩, 50000 invested → 414.94 per mu; in production, 2025 return 48200 output
  (400 per mu: below) and 6025 tax (50 per mu)
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.projects.models import AnnualReturn, LandThreshold, Project
from diaodu.test import api_for, client_for

LAND = reverse("dashboard:land")


@pytest.fixture
def land(scene):
    Project.objects.filter(pk=scene.project_y.pk).update(land_area=Decimal(400))
    LandThreshold.objects.create(
        investment_per_mu=Decimal(300), output_per_mu=Decimal(500), tax_per_mu=Decimal(30)
    )
    AnnualReturn.objects.create(
        project=scene.project_z, year=2025, output=Decimal(48200), tax=Decimal(6025)
    )
    return scene


def test_every_project_with_land_is_listed_and_those_below_are_flagged(land):
    rows = client_for(land.leader).get(LAND).context["rows"]

    assert [(r.project.code, r.investment_per_mu, r.below_threshold) for r in rows] == [
        ("2026-001", Decimal("800.00"), False),
        ("2026-002", Decimal("200.00"), True),
        ("2026-003", Decimal("414.94"), True),
    ]
    z = rows[2]
    assert (z.output_per_mu, z.tax_per_mu, z.return_year) == (
        Decimal("400.00"),
        Decimal("50.00"),
        2025,
    )


def test_projects_below_a_threshold_can_be_listed_alone(land):
    response = client_for(land.leader).get(LAND, {"below": "1"})

    assert [r.project.code for r in response.context["rows"]] == ["2026-002", "2026-003"]
    assert response.content.decode().count('class="table-warning"') == 2


def test_the_below_threshold_switch_keeps_the_filters(land):
    response = client_for(land.leader).get(LAND, {"lead_department": land.department_b.pk})

    assert [r.project.code for r in response.context["rows"]] == ["2026-002", "2026-003"]
    assert f'href="?lead_department={land.department_b.pk}&amp;below=1"' in (
        response.content.decode()
    )


def test_filtering_keeps_the_below_threshold_switch(land):
    response = client_for(land.leader).get(LAND, {"below": "1"})

    assert '<input type="hidden" name="below" value="1">' in response.content.decode()


def test_the_api_gives_the_same_assessment(land):
    rows = api_for(land.leader).get("/api/dashboard/land/").json()

    assert [(r["name"], r["below_threshold"], len(r["shortfalls"])) for r in rows] == [
        ("水务产业园", False, 0),
        ("新材料产业基地", True, 1),
        ("智能装备产业园", True, 1),
    ]
    assert rows[2]["output_per_mu"] == "400.00"

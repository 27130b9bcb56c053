"""Each persona's dashboard counts only what that persona may see (see ``conftest``):
owner X sees project X, department A projects X and Z, department B projects Y and Z. The
department scorecard is for the office and leaders alone."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.dashboard.tests.helpers import API, DASHBOARD, by_label, money, rows_behind
from diaodu.projects.models import Milestone, Project
from diaodu.test import ROLES, api_for, client_for

# role: project count, stages, health, (total, plan, completed), problems
# (open, overdue, resolved this month), overdue action items by department.
EXPECTED = {
    "leader": (3, [0, 1, 1, 0, 1], [1, 1, 1], (210000, 40000, 2600), (4, 2, 1), {"a": 2, "b": 1}),
    "owner_x": (1, [0, 1, 0, 0, 0], [0, 0, 1], (80000, 20000, 2100), (2, 1, 0), {"a": 1}),
    "owner_y": (1, [0, 0, 1, 0, 0], [0, 1, 0], (80000, 20000, 500), (1, 0, 1), {"b": 1}),
    "staff_a": (2, [0, 1, 0, 0, 1], [1, 0, 1], (130000, 20000, 2100), (3, 2, 0), {"a": 2}),
    "staff_b": (2, [0, 0, 1, 0, 1], [1, 1, 0], (130000, 20000, 500), (2, 1, 1), {"b": 1}),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_persona_s_dashboard_counts_only_what_they_may_see(scene, role):
    count, stages, health, investment, problems, overdue = EXPECTED[role]
    departments = {"a": "区资规局", "b": "区审批局"}

    data = api_for(getattr(scene, role)).get(API).json()

    assert data["project_count"] == count
    assert [f["value"] for f in data["stages"]] == stages
    assert [f["value"] for f in data["health"]] == health
    assert tuple(money(data["investment"][k]) for k in ("total", "plan", "completed")) == tuple(
        Decimal(v) for v in investment
    )
    assert (
        data["problems"]["open"],
        data["problems"]["overdue"],
        data["problems"]["resolved_this_month"],
    ) == problems
    assert by_label(data["overdue_actions"]) == {departments[k]: n for k, n in overdue.items()}


def test_the_page_shows_the_same_scope_as_the_api(scene):
    context = client_for(scene.owner_x).get(DASHBOARD).context

    assert context["project_count"] == 1
    assert context["problems"].open == 2
    assert context["investment"].total == Decimal("80000")


SCORECARDS = [reverse("dashboard:departments"), "/api/dashboard/departments/"]


@pytest.mark.parametrize("url", SCORECARDS)
@pytest.mark.parametrize("role", ROLES)
def test_the_scorecard_is_for_the_office_and_leaders_only(world, role, url):
    user = getattr(world, role)
    client = api_for(user) if url.startswith("/api/") else client_for(user)

    response = client.get(url)

    allowed = role in ("admin", "coordinator", "leader")
    assert response.status_code == (200 if allowed else 403)


PAGES = ["dashboard", "cards", "timeline", "approvals", "land"]
ENDPOINTS = ["/api/dashboard/", "/api/dashboard/approvals/", "/api/dashboard/land/"]


@pytest.fixture
def everywhere(scene):
    """Every project has land and an approval under way, so every page has something of
    each project to show."""
    Project.objects.update(land_area=Decimal("50"))
    for project in (scene.project_x, scene.project_y, scene.project_z):
        Milestone.objects.filter(project=project, kind__code="project_approval").update(
            applied_date=date(2026, 5, 4), approving_department=scene.department_b
        )
    return scene


@pytest.mark.parametrize("page", PAGES)
def test_no_dashboard_page_shows_an_owner_another_enterprise_s_project(everywhere, page):
    w = everywhere
    html = client_for(w.owner_x).get(reverse(f"dashboard:{page}")).content.decode()

    for other in ("新材料产业基地", "智能装备产业园", "2026-002", "2026-003", "华材新材"):
        assert other not in html
    if page != "dashboard":
        assert "水务产业园" in html


@pytest.mark.parametrize("url", ENDPOINTS)
def test_no_dashboard_endpoint_gives_an_owner_another_enterprise_s_figures(everywhere, url):
    w = everywhere
    body = api_for(w.owner_x).get(url).content.decode()

    for other in ("新材料产业基地", "智能装备产业园", "华材新材"):
        assert other not in body


def test_an_owner_s_approval_figures_count_their_own_project_only(everywhere):
    rows = api_for(everywhere.owner_x).get("/api/dashboard/approvals/").json()

    assert [(r["department"], r["pending"]) for r in rows] == [("区审批局", 1)]


def test_a_department_s_approvals_are_those_of_the_projects_it_sees(everywhere):
    rows = api_for(everywhere.staff_a).get("/api/dashboard/approvals/").json()

    # Department A sees X and Z; B approves all three, but only two reach A.
    assert [(r["department"], r["pending"]) for r in rows] == [("区审批局", 2)]


def test_a_department_s_land_list_is_that_of_the_projects_it_sees(everywhere):
    rows = api_for(everywhere.staff_a).get("/api/dashboard/land/").json()

    assert sorted(r["name"] for r in rows) == ["智能装备产业园", "水务产业园"]


@pytest.mark.parametrize("url", [DASHBOARD, reverse("dashboard:cards"), reverse("dashboard:land")])
def test_pages_ask_a_stranger_to_log_in(db, client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("url", [*ENDPOINTS, "/api/dashboard/departments/"])
def test_endpoints_refuse_a_stranger(db, url):
    from rest_framework.test import APIClient

    assert APIClient().get(url).status_code in (401, 403)


@pytest.mark.parametrize("role", ["owner_x", "staff_a", "staff_b"])
def test_a_persona_s_figures_link_only_to_lists_they_may_open_showing_the_same_count(scene, role):
    browser = client_for(getattr(scene, role))
    response = browser.get(DASHBOARD)
    context = response.context
    problems = context["problems"]

    for figure in [*context["stages"], *context["health"]]:
        assert rows_behind(browser, figure.url) == figure.value, figure.url
    # The supervision lists are the office's and leaders': no link to a refusal.
    for figure in [*problems.by_category, *problems.by_department, *context["overdue_actions"]]:
        assert figure.url == ""
    assert reverse("problems:supervision") not in response.content.decode()

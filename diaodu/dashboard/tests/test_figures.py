"""The leader dashboard's figures on the small zone of ``conftest`` (worked out there by
hand), the lists their links lead to, and the filters that narrow them."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from diaodu.dashboard.tests.helpers import API, DASHBOARD, by_link, money, rows_behind
from diaodu.factories import ProblemFactory
from diaodu.problems.choices import Category
from diaodu.projects.choices import Health, Stage
from diaodu.test import api_for, client_for


@pytest.fixture
def figures(scene):
    """The leader's dashboard as the page's context."""
    return client_for(scene.leader).get(DASHBOARD).context


# --- Figures ---------------------------------------------------------------------------


def test_projects_are_counted_by_stage_and_by_health(figures):
    assert figures["project_count"] == 3
    assert [f.value for f in figures["stages"]] == [0, 1, 1, 0, 1]
    assert by_link(figures["stages"], "stage") == {
        Stage.PREPARATION: 1,
        Stage.CONSTRUCTION: 1,
        Stage.PRODUCTION: 1,
    }
    assert by_link(figures["health"], "health") == {
        Health.ON_TRACK: 1,
        Health.AT_RISK: 1,
        Health.DELAYED: 1,
    }


def test_investment_is_this_years_plan_against_approved_reports(figures):
    money = figures["investment"]

    assert money.total == Decimal("210000")
    assert money.plan == Decimal("40000")  # Z's plan is for 2025
    assert money.completed == Decimal("2600")  # 1200 + 900 + 500
    assert money.rate == Decimal("6.5")
    assert money.monthly_completed[:6] == [500, 0, 900, 0, 1200, 0]
    assert money.monthly_cumulative == [500, 500, 1400, 1400] + [2600] * 8
    assert money.monthly_plan[0] == Decimal("3333.33")
    assert money.monthly_plan[-1] == Decimal("40000.00")


def test_the_investment_chart_stops_at_this_month(figures):
    charts = figures["charts"]

    assert charts["completed"] == [500, 500, 1400, 1400, 2600, 2600]
    assert len(charts["plan"]) == len(charts["months"]) == 12


def test_projects_started_and_completed_this_year_are_set_against_the_plan(figures):
    landings = figures["landings"]

    assert (landings.started_planned, landings.started) == (2, 1)
    assert (landings.completed_planned, landings.completed) == (2, 1)


def test_problems_are_counted_open_overdue_and_resolved_this_month(scene, figures):
    problems = figures["problems"]

    assert problems.open == 4
    assert problems.overdue == 2  # P6, due today, is not overdue yet
    assert problems.resolved_this_month == 1  # P3 on 1 June; P4 on 31 May is last month's
    assert problems.average_days == Decimal("41.0")  # (22 + 60) / 2
    assert by_link(problems.by_category, "category") == {
        Category.LAND: 2,
        Category.APPROVAL: 1,
        Category.OTHER: 1,
    }
    assert by_link(problems.by_department, "lead_department") == {
        str(scene.department_a.pk): 3,
        str(scene.department_b.pk): 1,
    }


def test_overdue_action_items_are_counted_by_lead_department(scene, figures):
    # A3 awaits the office's acceptance, A5 is due today, A6 is done; A4 has no project.
    assert by_link(figures["overdue_actions"], "lead_department") == {
        str(scene.department_a.pk): 2,
        str(scene.department_b.pk): 1,
    }


def test_the_api_gives_the_pages_figures(scene):
    data = api_for(scene.leader).get(API).json()

    assert data["project_count"] == 3
    assert [f["value"] for f in data["stages"]] == [0, 1, 1, 0, 1]
    assert [f["value"] for f in data["health"]] == [1, 1, 1]
    money_ = data["investment"]
    assert money_["year"] == 2026
    assert [money(money_[k]) for k in ("total", "plan", "completed", "rate")] == [
        Decimal("210000"),
        Decimal("40000"),
        Decimal("2600"),
        Decimal("6.5"),
    ]
    assert [money(v) for v in money_["monthly_completed"]][:5] == [500, 0, 900, 0, 1200]
    assert data["landings"] == {
        "started_planned": 2,
        "started": 1,
        "completed_planned": 2,
        "completed": 1,
    }
    problems = data["problems"]
    assert (problems["open"], problems["overdue"], problems["resolved_this_month"]) == (4, 2, 1)
    assert money(problems["average_days"]) == Decimal("41.0")
    assert by_link(problems["by_department"], "lead_department") == {
        str(scene.department_a.pk): 3,
        str(scene.department_b.pk): 1,
    }
    assert by_link(data["overdue_actions"], "lead_department") == {
        str(scene.department_a.pk): 2,
        str(scene.department_b.pk): 1,
    }


# --- Links -----------------------------------------------------------------------------


def test_every_project_figure_links_to_a_list_of_that_many_projects(figures, scene):
    browser = client_for(scene.leader)

    for figure in [*figures["stages"], *figures["health"]]:
        assert rows_behind(browser, figure.url) == figure.value, figure.url


def test_every_problem_and_action_figure_links_to_a_list_of_that_many_items(figures, scene):
    browser = client_for(scene.leader)
    problems = figures["problems"]
    linked = [*problems.by_category, *problems.by_department, *figures["overdue_actions"]]

    assert len(linked) == 3 + 2 + 2
    for figure in linked:
        assert rows_behind(browser, figure.url) == figure.value, figure.url


def test_the_headline_cards_link_to_their_lists(scene):
    browser = client_for(scene.leader)
    html = browser.get(DASHBOARD).content.decode()

    projects = reverse("projects:project_list")
    assert f'href="{projects}?"' in html
    assert rows_behind(browser, projects) == 3
    overdue = reverse("problems:supervision") + "?tab=problems&overdue=true"
    assert f'href="{escape(overdue)}"' in html
    assert rows_behind(browser, overdue) == 2


def test_a_filtered_dashboards_project_links_keep_the_filter(scene):
    browser = client_for(scene.leader)
    context = browser.get(DASHBOARD, {"industry": scene.industry.pk}).context

    for figure in [*context["stages"], *context["health"]]:
        assert f"industry={scene.industry.pk}" in figure.url
        assert rows_behind(browser, figure.url) == figure.value, figure.url
    assert sum(f.value for f in context["stages"]) == 1


def test_a_cooperating_department_does_not_change_the_list_behind_a_lead_department(scene):
    ProblemFactory(
        project=scene.project_y,
        lead_department=scene.department_b,
        cooperating_departments=[scene.department_a],
        raised_by=scene.coordinator,
    )
    browser = client_for(scene.leader)
    problems = browser.get(DASHBOARD).context["problems"]

    assert by_link(problems.by_department, "lead_department") == {
        str(scene.department_a.pk): 3,
        str(scene.department_b.pk): 2,
    }
    for figure in problems.by_department:
        assert rows_behind(browser, figure.url) == figure.value, figure.url


# --- Filters ---------------------------------------------------------------------------

#: What the dashboard shows when a filter leaves only project X.
ONLY_X = {
    "project_count": 1,
    "stages": [0, 1, 0, 0, 0],
    "health": [0, 0, 1],
    "investment": ["80000", "20000", "2100", "10.5"],
    "landings": {"started_planned": 1, "started": 0, "completed_planned": 1, "completed": 0},
    "problems": [2, 1, 0, None],
    "by_category": {Category.LAND: 1, Category.APPROVAL: 1},
}

FILTERS = {
    "list": lambda w: w.zone_list.pk,
    "industry": lambda w: w.industry.pk,
    "responsible_leader": lambda w: w.leader.pk,
    "lead_department": lambda w: w.department_a.pk,
    "township": lambda w: w.township.pk,
}


@pytest.mark.parametrize("name", FILTERS)
def test_a_filtered_dashboards_problem_links_keep_the_filter(scene, name):
    browser = client_for(scene.leader)
    context = browser.get(DASHBOARD, {name: FILTERS[name](scene)}).context
    problems = context["problems"]
    linked = [*problems.by_category, *problems.by_department, *context["overdue_actions"]]

    assert sum(f.value for f in problems.by_category) == ONLY_X["problems"][0]
    for figure in linked:
        assert rows_behind(browser, figure.url) == figure.value, figure.url
    assert rows_behind(browser, context["overdue_url"]) == problems.overdue


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_narrows_every_figure(scene, name):
    data = api_for(scene.leader).get(API, {name: FILTERS[name](scene)}).json()

    assert data["project_count"] == ONLY_X["project_count"]
    assert [f["value"] for f in data["stages"]] == ONLY_X["stages"]
    assert [f["value"] for f in data["health"]] == ONLY_X["health"]
    investment = data["investment"]
    assert [money(investment[k]) for k in ("total", "plan", "completed", "rate")] == [
        Decimal(v) for v in ONLY_X["investment"]
    ]
    assert data["landings"] == ONLY_X["landings"]
    problems = data["problems"]
    assert [
        problems["open"],
        problems["overdue"],
        problems["resolved_this_month"],
        problems["average_days"],
    ] == ONLY_X["problems"]
    assert by_link(problems["by_category"], "category") == ONLY_X["by_category"]
    assert by_link(problems["by_department"], "lead_department") == {str(scene.department_a.pk): 2}
    # A1 on project X only: A4 belongs to no project, A2 to project Y.
    assert by_link(data["overdue_actions"], "lead_department") == {str(scene.department_a.pk): 1}


def test_filters_combine(scene):
    data = (
        api_for(scene.leader)
        .get(API, {"industry": scene.industry.pk, "lead_department": scene.department_b.pk})
        .json()
    )

    assert data["project_count"] == 0
    assert data["problems"]["open"] == 0
    assert data["overdue_actions"] == []
    assert data["investment"]["rate"] is None


@pytest.mark.parametrize("page", ["cards", "timeline", "land", "approvals"])
def test_the_other_dashboard_pages_are_narrowed_by_the_filters_too(scene, page):
    browser = client_for(scene.leader)

    html = browser.get(f"/dashboard/{page}/", {"industry": scene.industry.pk}).content.decode()
    assert "新材料产业基地" not in html
    assert "智能装备产业园" not in html
    if page != "approvals":
        assert "水务产业园" in html


def test_a_filter_naming_nothing_that_exists_narrows_nothing(scene):
    data = api_for(scene.leader).get(API, {"industry": 999999, "township": "x"}).json()

    assert data["project_count"] == 3
    assert by_link(data["overdue_actions"], "lead_department") == {
        str(scene.department_a.pk): 2,
        str(scene.department_b.pk): 1,
    }

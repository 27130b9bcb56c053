"""The project filters, shared by the list page and the API, and pagination."""

from datetime import timedelta

import pytest
from django.urls import reverse

from diaodu.factories import IndustryFactory, ProjectFactory, ProjectListFactory
from diaodu.projects import services
from diaodu.projects.views import PAGE_SIZE
from diaodu.test import api_for, client_for


@pytest.fixture
def zone(world):
    """Project X (水务产业园) is in preparation, delayed, in the water industry, led by
    department A; project Y (新材料产业基地) is under construction, on track, on the city
    list, led by department B."""
    world.water = IndustryFactory(name="节能环保", name_en="Energy saving")
    world.city_list = ProjectListFactory(name="2026年市级重点项目", level="city")
    services.update_project(
        world.project_x,
        {"industry": world.water, "national_code": "2401-330106-04-01-123456"},
        actor=world.coordinator,
    )
    services.update_project(world.project_y, {"lists": [world.city_list]}, actor=world.coordinator)
    services.plan_milestone(
        world.project_x.milestones.get(kind__code="signing"),
        {"planned_date": world.today - timedelta(days=1)},
        actor=world.coordinator,
    )
    return world


X, Y = "水务产业园", "新材料产业基地"

FILTERS = [
    ("stage", {"stage": "preparation"}, {X}),
    ("two stages", {"stage": ["preparation", "construction"]}, {X, Y}),
    ("delayed", {"health": "delayed"}, {X}),
    ("on track", {"health": "on_track"}, {Y}),
    ("at risk", {"health": "at_risk"}, set()),
    ("lead department", {"lead_department": lambda w: w.department_a.pk}, {X}),
    ("industry", {"industry": lambda w: w.water.pk}, {X}),
    ("key-project list", {"list": lambda w: w.city_list.pk}, {Y}),
    ("simplified name", {"q": "水务"}, {X}),
    ("traditional name", {"q": "水務產業園"}, {X}),
    ("pinyin initials", {"q": "swcyy"}, {X}),
    ("pinyin initials in capitals", {"q": "SWCYY"}, {X}),
    ("full pinyin", {"q": "shuiwuchanye"}, {X}),
    ("words with spaces", {"q": " 新材料 产业 "}, {Y}),
    ("a word both share", {"q": "产业"}, {X, Y}),
    ("project number", {"q": "2026-002"}, {Y}),
    ("part of the national code", {"q": "330106-04"}, {X}),
    ("nothing matches", {"q": "不存在的项目"}, set()),
    ("text and stage together", {"q": "swcyy", "stage": "construction"}, set()),
    ("an empty search", {"q": ""}, {X, Y}),
]


def _params(world, params):
    return {key: value(world) if callable(value) else value for key, value in params.items()}


@pytest.mark.parametrize(("params", "expected"), [pytest.param(p, e, id=i) for i, p, e in FILTERS])
def test_the_list_page_filters_by(zone, params, expected):
    response = client_for(zone.coordinator).get(
        reverse("projects:project_list"), _params(zone, params)
    )

    assert {project.name for project in response.context["page"]} == expected


@pytest.mark.parametrize(("params", "expected"), [pytest.param(p, e, id=i) for i, p, e in FILTERS])
def test_the_api_filters_by(zone, params, expected):
    response = api_for(zone.coordinator).get("/api/projects/", _params(zone, params))

    assert {project["name"] for project in response.json()["results"]} == expected


def test_a_search_never_reaches_beyond_what_the_user_may_see(zone):
    page = client_for(zone.owner_y).get(reverse("projects:project_list"), {"q": "swcyy"})
    api = api_for(zone.owner_y).get("/api/projects/", {"q": "swcyy"})

    assert list(page.context["page"]) == []
    assert api.json()["count"] == 0


def test_an_unknown_filter_value_is_a_400_in_the_api_and_a_notice_on_the_page(zone):
    api = api_for(zone.coordinator).get("/api/projects/", {"health": "purple"})
    page = client_for(zone.coordinator).get(reverse("projects:project_list"), {"health": "purple"})

    assert api.status_code == 400
    assert "health" in api.json()
    assert page.status_code == 200
    assert "health" in page.context["filter"].errors


def test_the_health_filter_follows_the_days(zone, clock):
    """Health is stored as of today; on a new day the first request brings it up to date:
    a milestone 15 days off falls within the at-risk window the day after."""
    services.plan_milestone(
        zone.project_y.milestones.get(kind__code="signing"),
        {"planned_date": zone.today + timedelta(days=15)},
        actor=zone.coordinator,
    )
    api = api_for(zone.coordinator)
    at_risk = api.get("/api/projects/", {"health": "at_risk"}).json()["results"]
    assert at_risk == []

    clock.advance(days=1)

    response = api.get("/api/projects/", {"health": "at_risk"})
    assert [p["name"] for p in response.json()["results"]] == [Y]


class TestPagination:
    @pytest.fixture
    def many(self, world):
        for _ in range(2 * PAGE_SIZE + 8):  # 58 more, 60 in all
            ProjectFactory(owner=world.enterprise_x, lead_department=world.department_a)
        return world

    def test_the_list_page_shows_a_page_at_a_time(self, many):
        browser = client_for(many.coordinator)

        first = browser.get(reverse("projects:project_list"))
        last = browser.get(reverse("projects:project_list"), {"page": 3})

        assert len(first.context["page"]) == PAGE_SIZE
        assert len(last.context["page"]) == 60 - 2 * PAGE_SIZE
        assert first.context["page"].paginator.count == 60
        assert not ({p.pk for p in first.context["page"]} & {p.pk for p in last.context["page"]})

    @pytest.mark.parametrize(("asked", "shown"), [("999", 3), ("abc", 1), ("-1", 3), ("0", 3)])
    def test_a_page_number_out_of_range_shows_a_real_page(self, many, asked, shown):
        response = client_for(many.coordinator).get(
            reverse("projects:project_list"), {"page": asked}
        )

        assert response.status_code == 200
        assert response.context["page"].number == shown

    def test_page_links_keep_the_filters(self, many):
        response = client_for(many.coordinator).get(
            reverse("projects:project_list"), {"stage": "preparation", "page": 2}
        )

        html = response.content.decode()
        assert "?stage=preparation&amp;page=1" in html
        assert "?stage=preparation&amp;page=3" in html

    def test_the_api_pages_by_fifty(self, many):
        api = api_for(many.owner_x)

        first = api.get("/api/projects/").json()
        second = api.get(first["next"]).json()

        assert (first["count"], len(first["results"]), len(second["results"])) == (59, 50, 9)
        assert second["next"] is None

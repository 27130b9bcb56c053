"""The leader's one-screen view counts what the dashboard counts (the scene in ``conftest``),
each tile opening a list of exactly that many rows; it is for the office and leaders."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from diaodu.core import derived
from diaodu.dashboard.tests.helpers import rows_behind
from diaodu.factories import MeetingFactory
from diaodu.meetings.choices import MeetingStatus
from diaodu.problems.choices import Level
from diaodu.problems.models import Problem
from diaodu.test import ROLES, api_for, client_for

TODAY = reverse("dashboard:today")
API = "/api/dashboard/today/"


@pytest.fixture
def zone(scene):
    """P1 waits on the city, P2 on the province, P4 (closed) was the city's; a meeting was
    held yesterday, one is tomorrow and one next week."""
    Problem.objects.filter(pk=scene.p1.pk).update(level=Level.CITY)
    Problem.objects.filter(pk=scene.p2.pk).update(level=Level.PROVINCE)
    Problem.objects.filter(pk=scene.p4.pk).update(level=Level.CITY)
    MeetingFactory(starts_at=datetime(2026, 6, 9, 1, 0, tzinfo=UTC), status=MeetingStatus.HELD)
    scene.tomorrow = MeetingFactory(
        title="水务产业园专题调度会", starts_at=datetime(2026, 6, 11, 1, 30, tzinfo=UTC)
    )
    MeetingFactory(starts_at=datetime(2026, 6, 17, 1, 0, tzinfo=UTC))
    return scene


def tiles_of(response):
    return {tile.key: tile for tile in response.context["tiles"]}


def test_the_tiles_show_todays_figures(zone):
    tiles = tiles_of(client_for(zone.leader).get(TODAY))

    counts = {key: tile.value for key, tile in tiles.items() if tile.kind == "count"}
    assert counts == {
        "delayed": 1,
        "at_risk": 1,
        "open_problems": 4,
        "overdue_problems": 2,
        "overdue_actions": 3,
        "escalated_city": 1,
        "escalated_province": 1,
    }
    assert str(tiles["investment"].value) == "6.5"
    assert tiles["next_meeting"].value == zone.tomorrow.starts_at
    assert tiles["next_meeting"].url == zone.tomorrow.get_absolute_url()


def test_every_count_opens_a_list_of_that_many_rows(zone):
    browser = client_for(zone.leader)

    for tile in tiles_of(browser.get(TODAY)).values():
        if tile.kind == "count":
            assert rows_behind(browser, tile.url) == tile.value, tile.key


def test_late_figures_call_for_attention_and_zero_does_not(zone):
    Problem.objects.filter(pk__in=[zone.p1.pk, zone.p5.pk]).update(due_date=zone.today)
    derived.changed(zone.p1, zone.p5)

    tiles = tiles_of(client_for(zone.leader).get(TODAY))

    assert tiles["overdue_problems"].value == 0
    assert tiles["overdue_problems"].css == ""
    assert tiles["overdue_actions"].css == "danger"
    assert tiles["at_risk"].css == "warning"


def test_with_no_meeting_ahead_the_tile_opens_the_meeting_list(scene):
    tiles = tiles_of(client_for(scene.leader).get(TODAY))

    assert tiles["next_meeting"].value is None
    assert tiles["next_meeting"].url == reverse("meetings:meeting_list")


def test_the_page_shows_each_figure_as_a_link(zone):
    html = client_for(zone.leader).get(TODAY).content.decode()

    assert 'id="tile-overdue_problems"' in html
    assert "水务产业园专题调度会" in html
    assert "6.5%" in html


def test_the_api_gives_the_same_tiles(zone):
    page = tiles_of(client_for(zone.leader).get(TODAY))

    data = api_for(zone.leader).get(API).json()

    assert [tile["key"] for tile in data] == list(page)
    by_key = {tile["key"]: tile for tile in data}
    assert by_key["overdue_actions"]["value"] == 3
    assert by_key["overdue_actions"]["url"] == page["overdue_actions"].url
    assert by_key["investment"]["kind"] == "percent"
    assert by_key["next_meeting"]["value"].startswith("2026-06-11")


@pytest.mark.parametrize("url", [TODAY, API])
@pytest.mark.parametrize("role", ROLES)
def test_the_one_screen_view_is_for_the_office_and_leaders_only(world, role, url):
    user = getattr(world, role)
    client = api_for(user) if url.startswith("/api/") else client_for(user)

    response = client.get(url)

    assert response.status_code == (200 if role in ("admin", "coordinator", "leader") else 403)


def test_the_dashboard_tabs_lead_to_it(scene):
    html = client_for(scene.leader).get(reverse("dashboard:dashboard")).content.decode()

    assert f'href="{TODAY}"' in html


def test_the_dashboard_api_counts_open_problems_waiting_on_the_city_and_province(zone):
    data = api_for(zone.leader).get("/api/dashboard/").json()

    escalated = data["problems"]["escalated"]
    assert [figure["value"] for figure in escalated] == [1, 1]  # P4, the city's, is closed
    assert "level=city" in escalated[0]["url"]

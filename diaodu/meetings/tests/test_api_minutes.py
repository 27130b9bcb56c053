"""Issued minutes through the API: to whoever may see every project on the agenda."""

import pytest

from diaodu.factories import AgendaItemFactory, MeetingFactory
from diaodu.lib.docx_writer import DOCX_TYPE
from diaodu.meetings import services
from diaodu.meetings.tests.helpers import ready_to_issue
from diaodu.test import api_for, check_api_rule, role_cells


@pytest.fixture
def issued(meetings):
    world = meetings
    ready_to_issue(world.meeting_x, world.coordinator)
    services.issue_minutes(world.meeting_x, lambda minutes: b"PK\x03\x04", actor=world.coordinator)
    world.minutes_x = world.meeting_x.minutes
    return world


# Columns: admin, coordinator, leader, staff_a, staff_b, owner_x, owner_y. Meeting X's
# agenda holds projects X and X2, both enterprise X's and led by department A.
API_RULES = {
    "read meeting X's minutes": (200, 200, 200, 200, 404, 200, 404),
    "download meeting X's minutes": (200, 200, 200, 200, 404, 200, 404),
}
PATHS = {"read meeting X's minutes": "", "download meeting X's minutes": "document/"}


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(API_RULES))
def test_api_permissions(issued, action, role, expected):
    url = f"/api/minutes/{issued.minutes_x.pk}/{PATHS[action]}"
    check_api_rule(getattr(issued, role), ("get", url, None), expected)


def test_the_minutes_download_with_a_token_is_the_frozen_document(issued):
    listed = api_for(issued.owner_x).get("/api/minutes/").data["results"]
    assert listed[0]["document"] == f"/api/minutes/{issued.minutes_x.pk}/document/"

    response = api_for(issued.owner_x).get(listed[0]["document"])

    assert response["Content-Type"] == DOCX_TYPE
    assert b"".join(response.streaming_content) == b"PK\x03\x04"


def test_minutes_are_listed_to_those_who_see_every_project_on_the_agenda(issued):
    ready_to_issue(issued.meeting_y, issued.coordinator)
    services.issue_minutes(
        issued.meeting_y, lambda minutes: b"PK\x03\x04", actor=issued.coordinator
    )
    listed = {
        role: [
            m["meeting"]
            for m in api_for(getattr(issued, role)).get("/api/minutes/").data["results"]
        ]
        for role in ("coordinator", "staff_a", "owner_y")
    }
    assert sorted(listed["coordinator"]) == sorted([issued.meeting_x.pk, issued.meeting_y.pk])
    assert listed["staff_a"] == [issued.meeting_x.pk]
    assert listed["owner_y"] == [issued.meeting_y.pk]
    only_x = api_for(issued.coordinator).get("/api/minutes/", {"meeting": issued.meeting_x.pk})
    assert [m["meeting"] for m in only_x.data["results"]] == [issued.meeting_x.pk]


@pytest.mark.parametrize("size", [1, 10])
def test_the_minutes_list_makes_a_fixed_number_of_queries(
    issued, size, django_assert_max_num_queries
):
    for _ in range(size):
        meeting = MeetingFactory(chair=issued.leader, created_by=issued.coordinator)
        AgendaItemFactory(meeting=meeting, project=issued.project_x)
        ready_to_issue(meeting, issued.coordinator)
        services.issue_minutes(meeting, lambda minutes: b"PK\x03\x04", actor=issued.coordinator)
    with django_assert_max_num_queries(2):  # the count and the page
        response = api_for(issued.owner_x).get("/api/minutes/")
    assert response.status_code == 200

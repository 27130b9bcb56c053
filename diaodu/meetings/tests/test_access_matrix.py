"""Who may do what with meetings and event batches, through the pages and through the API:
every role against meeting X (projects X and X2 on the agenda), meeting Y (project Y) and
the event batches, as tables (see ``conftest.py`` for the cast).

Read a row as "<role> tries to <action>" and the number under the role's column as what
the server answers: 200 (the page, the file, done), 201 (created), 302 (done, redirected),
403 (visible but not theirs to do), 404 (outside what they may see: the id reveals
nothing). Every refused request leaves the database untouched and every allowed write
leaves a change-log row; both are checked for each cell.

Owners and departments see a meeting only as far as their own projects are concerned: a
meeting appears to them when a project they may see is on its agenda, and its agenda, its
briefing pack (page and .docx) and the API show them only those projects.
"""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from diaodu.core.models import ChangeLog
from diaodu.factories import AgendaItemFactory, MeetingFactory
from diaodu.meetings import services
from diaodu.meetings.tests.helpers import (
    DOCX,
    action_data,
    all_text,
    discussion_data,
    docx_of,
    meeting_form_data,
    ready_to_issue,
)
from diaodu.test import ROLES, api_for, check_api_rule, client_for, role_cells

GET, POST, PATCH = "get", "post", "patch"

pytestmark = pytest.mark.usefixtures("meetings")


def _url(name, *objects, query=""):
    return reverse(f"meetings:{name}", args=[o.pk for o in objects]) + query


# --- Pages -----------------------------------------------------------------------------

PAGE_REQUESTS = {
    "see the meeting list": lambda w: (GET, _url("meeting_list"), None),
    "view meeting X": lambda w: (GET, _url("meeting_detail", w.meeting_x), None),
    "view meeting Y": lambda w: (GET, _url("meeting_detail", w.meeting_y), None),
    "read the briefing pack of meeting X": lambda w: (
        GET,
        _url("meeting_briefing", w.meeting_x),
        None,
    ),
    "download the briefing pack of meeting X": lambda w: (
        GET,
        _url("meeting_briefing", w.meeting_x, query="?format=docx"),
        None,
    ),
    "download the draft minutes of meeting X": lambda w: (
        GET,
        _url("meeting_minutes", w.meeting_x),
        None,
    ),
    "open the new-meeting form": lambda w: (GET, _url("meeting_create"), None),
    "create a meeting": lambda w: (
        POST,
        _url("meeting_create"),
        meeting_form_data(chair=w.leader.pk, organisations=[w.department_a.pk]),
    ),
    "open the edit form of meeting X": lambda w: (GET, _url("meeting_edit", w.meeting_x), None),
    "change meeting X": lambda w: (
        POST,
        _url("meeting_edit", w.meeting_x),
        meeting_form_data(w.meeting_x, place="滨江片区项目现场"),
    ),
    "mark meeting X held": lambda w: (POST, _url("meeting_held", w.meeting_x), {}),
    "add project Y to meeting X": lambda w: (
        POST,
        _url("agenda_add", w.meeting_x),
        {"projects": [w.project_y.pk]},
    ),
    "move project X down meeting X": lambda w: (POST, _url("agenda_down", w.item_x), {}),
    "remove project X2 from meeting X": lambda w: (POST, _url("agenda_remove", w.item_x2), {}),
    "record the discussion on project X": lambda w: (
        POST,
        _url("agenda_discussion", w.item_x),
        discussion_data(w.item_x, "场地平整已完成。", "资规局6月底前完成供地。"),
    ),
    "assign an action item on project X": lambda w: (
        POST,
        _url("agenda_assign", w.item_x),
        action_data(
            w.item_x,
            title="6月底前完成供地",
            lead_department=w.department_a.pk,
            due_date="2026-06-30",
        ),
    ),
    "record the discussion on project Y": lambda w: (
        POST,
        _url("agenda_discussion", w.item_y),
        discussion_data(w.item_y, "厂房封顶。"),
    ),
    "issue the minutes of meeting X": lambda w: (
        ready_to_issue(w.meeting_x, w.coordinator) and POST,
        _url("meeting_issue", w.meeting_x),
        {},
    ),
    "see the event batches": lambda w: (GET, _url("batch_list"), None),
    "view batch X": lambda w: (GET, _url("batch_detail", w.batch_x), None),
    "view batch Y": lambda w: (GET, _url("batch_detail", w.batch_y), None),
    "open the new-batch form": lambda w: (GET, _url("batch_create"), None),
    "create a batch": lambda w: (
        POST,
        _url("batch_create"),
        {
            "name": "2026年第三季度集中竣工活动",
            "kind": "completion",
            "date": "2026-09-28",
            "place": "滨江片区",
            "projects": [w.project_x.pk, w.project_y.pk],
        },
    ),
    "mark batch X held": lambda w: (
        POST,
        _url("batch_detail", w.batch_x),
        {"held_on": "2026-06-08"},
    ),
}

# fmt: off
PAGE_RULES = {
    #                                              admin  coord  leader dep_A  dep_B  own_X  own_Y
    "see the meeting list":                       (200,   200,   200,   200,   200,   200,   200),
    "view meeting X":                             (200,   200,   200,   200,   404,   200,   404),
    "view meeting Y":                             (200,   200,   200,   404,   200,   404,   200),
    "read the briefing pack of meeting X":        (200,   200,   200,   200,   404,   200,   404),
    "download the briefing pack of meeting X":    (200,   200,   200,   200,   404,   200,   404),
    "download the draft minutes of meeting X":    (200,   200,   200,   403,   404,   403,   404),
    "open the new-meeting form":                  (200,   200,   403,   403,   403,   403,   403),
    "create a meeting":                           (302,   302,   403,   403,   403,   403,   403),
    "open the edit form of meeting X":            (200,   200,   403,   403,   404,   403,   404),
    "change meeting X":                           (302,   302,   403,   403,   404,   403,   404),
    "mark meeting X held":                        (302,   302,   403,   403,   404,   403,   404),
    "add project Y to meeting X":                 (302,   302,   403,   403,   404,   403,   404),
    "move project X down meeting X":              (302,   302,   403,   403,   404,   403,   404),
    "remove project X2 from meeting X":           (302,   302,   403,   403,   404,   403,   404),
    "record the discussion on project X":         (302,   302,   302,   403,   404,   403,   404),
    "assign an action item on project X":         (302,   302,   302,   403,   404,   403,   404),
    "record the discussion on project Y":         (302,   302,   302,   404,   403,   404,   403),
    "issue the minutes of meeting X":             (302,   302,   403,   403,   404,   403,   404),
    "see the event batches":                      (200,   200,   200,   200,   200,   200,   200),
    "view batch X":                               (200,   200,   200,   200,   404,   200,   404),
    "view batch Y":                               (200,   200,   200,   404,   200,   404,   200),
    "open the new-batch form":                    (200,   200,   403,   403,   403,   403,   403),
    "create a batch":                             (302,   302,   403,   403,   403,   403,   403),
    "mark batch X held":                          (302,   302,   403,   403,   404,   403,   404),
}
# fmt: on


def _why(response):
    """What a page said instead of doing the thing, for the failure message."""
    form = response.context.get("form") if response.context else None
    return form.errors if form is not None else response.content.decode()[:300]


def test_every_page_action_has_a_rule():
    assert set(PAGE_REQUESTS) == set(PAGE_RULES)


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(PAGE_RULES))
def test_page_permissions(world, action, role, expected):
    method, url, data = PAGE_REQUESTS[action](world)
    changes_before = ChangeLog.objects.count()

    client = client_for(getattr(world, role))
    response = client.get(url) if method == GET else client.post(url, data)

    assert response.status_code == expected, _why(response)
    if expected == 302:
        assert not response.url.startswith(reverse("login"))
    if method == POST and expected == 302:
        assert ChangeLog.objects.count() > changes_before, "an allowed write leaves a log row"
    else:
        assert ChangeLog.objects.count() == changes_before, "a refused request changes nothing"


# --- API -------------------------------------------------------------------------------

API_REQUESTS = {
    "list meetings": lambda w: (GET, "/api/meetings/", None),
    "retrieve meeting X": lambda w: (GET, f"/api/meetings/{w.meeting_x.pk}/", None),
    "retrieve meeting Y": lambda w: (GET, f"/api/meetings/{w.meeting_y.pk}/", None),
    "create a meeting": lambda w: (
        POST,
        "/api/meetings/",
        {
            "kind": "weekly",
            "title": "重点项目周调度会",
            "starts_at": "2026-06-17T09:00:00+08:00",
            "chair": w.leader.pk,
        },
    ),
    "change meeting X": lambda w: (
        PATCH,
        f"/api/meetings/{w.meeting_x.pk}/",
        {"version": w.meeting_x.version, "place": "滨江片区项目现场"},
    ),
    "add project Y to meeting X": lambda w: (
        POST,
        f"/api/meetings/{w.meeting_x.pk}/agenda/",
        {"projects": [w.project_y.pk]},
    ),
    "issue the minutes of meeting X": lambda w: (
        ready_to_issue(w.meeting_x, w.coordinator) and POST,
        f"/api/meetings/{w.meeting_x.pk}/issue/",
        None,
    ),
    "list agenda items": lambda w: (GET, "/api/agenda-items/", None),
    "retrieve the agenda item of project X": lambda w: (
        GET,
        f"/api/agenda-items/{w.item_x.pk}/",
        None,
    ),
    "record decisions on project X": lambda w: (
        PATCH,
        f"/api/agenda-items/{w.item_x.pk}/",
        {
            "version": w.item_x.version,
            "summary": "场地平整已完成。",
            "decisions": "资规局6月底前完成供地。",
        },
    ),
    "assign an action item on project X": lambda w: (
        POST,
        f"/api/agenda-items/{w.item_x.pk}/assign/",
        {
            "title": "6月底前完成供地",
            "lead_department": w.department_a.pk,
            "due_date": "2026-06-30",
        },
    ),
    "list event batches": lambda w: (GET, "/api/event-batches/", None),
    "retrieve batch X": lambda w: (GET, f"/api/event-batches/{w.batch_x.pk}/", None),
    "create a batch": lambda w: (
        POST,
        "/api/event-batches/",
        {
            "name": "2026年第三季度集中竣工活动",
            "kind": "completion",
            "date": "2026-09-28",
            "projects": [w.project_x.pk],
        },
    ),
    "mark batch X held": lambda w: (
        POST,
        f"/api/event-batches/{w.batch_x.pk}/hold/",
        {"held_on": "2026-06-08"},
    ),
}

# fmt: off
API_RULES = {
    #                                              admin  coord  leader dep_A  dep_B  own_X  own_Y
    "list meetings":                              (200,   200,   200,   200,   200,   200,   200),
    "retrieve meeting X":                         (200,   200,   200,   200,   404,   200,   404),
    "retrieve meeting Y":                         (200,   200,   200,   404,   200,   404,   200),
    "create a meeting":                           (201,   201,   403,   403,   403,   403,   403),
    "change meeting X":                           (200,   200,   403,   403,   404,   403,   404),
    "add project Y to meeting X":                 (200,   200,   403,   403,   404,   403,   404),
    "issue the minutes of meeting X":             (200,   200,   403,   403,   404,   403,   404),
    "list agenda items":                          (200,   200,   200,   200,   200,   200,   200),
    "retrieve the agenda item of project X":      (200,   200,   200,   200,   404,   200,   404),
    "record decisions on project X":              (200,   200,   200,   403,   404,   403,   404),
    "assign an action item on project X":         (201,   201,   201,   403,   404,   403,   404),
    "list event batches":                         (200,   200,   200,   200,   200,   200,   200),
    "retrieve batch X":                           (200,   200,   200,   200,   404,   200,   404),
    "create a batch":                             (201,   201,   403,   403,   403,   403,   403),
    "mark batch X held":                          (200,   200,   403,   403,   404,   403,   404),
}
# fmt: on


def test_every_api_action_has_a_rule():
    assert set(API_REQUESTS) == set(API_RULES)


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(API_RULES))
def test_api_permissions(world, action, role, expected):
    check_api_rule(getattr(world, role), API_REQUESTS[action](world), expected)


# Refused callers are refused before their input is looked at: whatever they send, they
# get a 403 and learn nothing from field errors.
REFUSED_WHATEVER_THEY_SEND = [
    ("owner_x", POST, lambda w: "/api/meetings/", {"starts_at": "2020-01-01T09:00:00+08:00"}),
    ("leader", POST, lambda w: "/api/meetings/", {}),
    ("leader", PATCH, lambda w: f"/api/meetings/{w.meeting_x.pk}/", {"title": ""}),
    ("staff_a", PATCH, lambda w: f"/api/meetings/{w.meeting_x.pk}/", {"chair": 999_999}),
    ("owner_x", PATCH, lambda w: f"/api/agenda-items/{w.item_x.pk}/", {"summary": "议" * 4001}),
    ("staff_a", POST, lambda w: f"/api/agenda-items/{w.item_x.pk}/assign/", {}),
    ("leader", POST, lambda w: f"/api/meetings/{w.meeting_x.pk}/agenda/", {"projects": []}),
    ("owner_x", POST, lambda w: "/api/event-batches/", {"kind": "demolition"}),
    ("staff_a", POST, lambda w: f"/api/event-batches/{w.batch_x.pk}/hold/", {"held_on": "x"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("role", "method", "url", "body"),
    [pytest.param(*case, id=f"{case[0]} {case[1]} {n}")
     for n, case in enumerate(REFUSED_WHATEVER_THEY_SEND)],
)  # fmt: skip
def test_a_refused_caller_gets_403_whatever_they_send(world, role, method, url, body):
    response = getattr(api_for(getattr(world, role)), method)(url(world), body)

    assert response.status_code == 403, response.content.decode()[:300]


# --- What each role sees -------------------------------------------------------------------

# fmt: off
SEES = {
    #               meetings        agenda items             batches
    "admin":       ({"X", "Y"},    {"X", "X2", "Y"},        {"X", "Y"}),
    "coordinator": ({"X", "Y"},    {"X", "X2", "Y"},        {"X", "Y"}),
    "leader":      ({"X", "Y"},    {"X", "X2", "Y"},        {"X", "Y"}),
    "staff_a":     ({"X"},         {"X", "X2"},             {"X"}),
    "staff_b":     ({"Y"},         {"Y"},                   {"Y"}),
    "owner_x":     ({"X"},         {"X", "X2"},             {"X"}),
    "owner_y":     ({"Y"},         {"Y"},                   {"Y"}),
}
# fmt: on


def _names(world, ids, kind):
    names = {
        "meeting": {world.meeting_x.pk: "X", world.meeting_y.pk: "Y"},
        "item": {world.item_x.pk: "X", world.item_x2.pk: "X2", world.item_y.pk: "Y"},
        "batch": {world.batch_x.pk: "X", world.batch_y.pk: "Y"},
    }[kind]
    return {names[pk] for pk in ids}


@pytest.mark.parametrize("role", ROLES)
def test_the_list_pages_show_exactly_what_a_role_may_see(world, role):
    browser = client_for(getattr(world, role))
    meetings, _, batches = SEES[role]

    meeting_list = browser.get(_url("meeting_list"))
    batch_list = browser.get(_url("batch_list"))

    assert _names(world, [m.pk for m in meeting_list.context["meetings"]], "meeting") == meetings
    assert _names(world, [b.pk for b in batch_list.context["batches"]], "batch") == batches
    html = meeting_list.content.decode() + batch_list.content.decode()
    assert ("水务产业园专题调度会议" in html) == ("X" in meetings)
    assert ("新材料产业基地专题调度会议" in html) == ("Y" in meetings)
    assert ("新材料产业集中签约活动" in html) == ("Y" in batches)


@pytest.mark.parametrize("role", ROLES)
def test_the_api_lists_show_exactly_what_a_role_may_see(world, role):
    api = api_for(getattr(world, role))
    meetings, items, batches = SEES[role]

    listed_meetings = api.get("/api/meetings/").json()["results"]
    listed_items = api.get("/api/agenda-items/").json()["results"]
    listed_batches = api.get("/api/event-batches/").json()["results"]

    assert _names(world, [m["id"] for m in listed_meetings], "meeting") == meetings
    assert _names(world, [i["id"] for i in listed_items], "item") == items
    assert _names(world, [b["id"] for b in listed_batches], "batch") == batches
    nested = [i["id"] for m in listed_meetings for i in m["agenda"]]
    assert _names(world, nested, "item") == items


# --- A meeting about both enterprises' projects -------------------------------------------


@pytest.fixture
def joint_meeting(world):
    """A monthly meeting with project X, then project Y, on its agenda; minutes drafted."""
    meeting = MeetingFactory(
        title="6月重点项目月度调度会",
        kind="monthly",
        starts_at=datetime(2026, 6, 12, 1, 0, tzinfo=UTC),
        chair=world.leader,
        created_by=world.coordinator,
    )
    world.joint_x = AgendaItemFactory(meeting=meeting, project=world.project_x, order=10)
    world.joint_y = AgendaItemFactory(meeting=meeting, project=world.project_y, order=20)
    services.record_discussion(
        world.joint_y, {"decisions": "华材新材追加投资五亿元。"}, actor=world.coordinator
    )
    return meeting


X_NAME, Y_NAME, Y_SECRET = "水务产业园", "新材料产业基地", "华材新材追加投资五亿元"


@pytest.mark.parametrize("role", ["owner_x", "staff_a"])
def test_project_x_s_people_never_see_project_y_on_a_meeting_about_both(world, joint_meeting, role):
    browser, api = client_for(getattr(world, role)), api_for(getattr(world, role))

    detail = browser.get(_url("meeting_detail", joint_meeting)).content.decode()
    briefing = browser.get(_url("meeting_briefing", joint_meeting)).content.decode()
    briefing_docx = all_text(
        docx_of(browser.get(_url("meeting_briefing", joint_meeting, query="?format=docx")))
    )
    retrieved = api.get(f"/api/meetings/{joint_meeting.pk}/").json()
    listed = api.get("/api/agenda-items/", {"meeting": joint_meeting.pk}).json()["results"]
    item_y = api.get(f"/api/agenda-items/{world.joint_y.pk}/")

    for text in (detail, briefing, briefing_docx):
        assert X_NAME in text
        assert Y_NAME not in text
        assert Y_SECRET not in text
    assert [item["project"] for item in retrieved["agenda"]] == [world.project_x.pk]
    assert [item["id"] for item in listed] == [world.joint_x.pk]
    assert item_y.status_code == 404


@pytest.mark.parametrize("role", ["owner_x", "staff_a"])
def test_the_meeting_list_counts_only_the_agenda_projects_a_role_may_see(
    world, joint_meeting, role
):
    response = client_for(getattr(world, role)).get(_url("meeting_list"))

    sizes = {m.pk: m.agenda_size for m in response.context["meetings"]}
    assert sizes[joint_meeting.pk] == 1
    assert sizes[world.meeting_x.pk] == 2


@pytest.mark.parametrize("role", ["owner_x", "staff_a"])
def test_the_issued_minutes_of_a_meeting_about_both_are_not_handed_to_project_x_s_people(
    world, joint_meeting, role
):
    client_for(world.coordinator).post(_url("meeting_issue", joint_meeting))

    theirs = client_for(getattr(world, role)).get(_url("meeting_minutes", joint_meeting))
    office = client_for(world.coordinator).get(_url("meeting_minutes", joint_meeting))
    page = client_for(getattr(world, role)).get(_url("meeting_detail", joint_meeting))

    assert theirs.status_code == 403
    assert Y_SECRET.encode() not in theirs.content
    assert office["Content-Type"] == DOCX
    assert Y_SECRET in all_text(docx_of(office))
    assert _url("meeting_minutes", joint_meeting) not in page.content.decode()


def test_owner_x_may_download_the_issued_minutes_of_a_meeting_about_project_x_only(world):
    ready_to_issue(world.meeting_x, world.coordinator)
    client_for(world.coordinator).post(_url("meeting_issue", world.meeting_x))

    response = client_for(world.owner_x).get(_url("meeting_minutes", world.meeting_x))

    assert X_NAME in all_text(docx_of(response))


def test_the_api_shows_an_owner_only_their_own_projects_in_a_batch(world):
    joint = world.batch_x
    joint.projects.add(world.project_y)

    as_owner = api_for(world.owner_x).get(f"/api/event-batches/{joint.pk}/").json()
    as_office = api_for(world.coordinator).get(f"/api/event-batches/{joint.pk}/").json()
    page = client_for(world.owner_x).get(_url("batch_detail", joint))
    batch_list = client_for(world.owner_x).get(_url("batch_list"))

    assert as_owner["projects"] == [world.project_x.pk]
    assert sorted(as_office["projects"]) == sorted([world.project_x.pk, world.project_y.pk])
    assert Y_NAME not in page.content.decode()
    assert page.context["investment"] == world.project_x.total_investment
    [listed] = [b for b in batch_list.context["batches"] if b.pk == joint.pk]
    assert (listed.project_count, listed.investment) == (1, world.project_x.total_investment)


def test_department_staff_see_a_meeting_their_organisation_attends_but_not_its_projects(world):
    world.meeting_y.organisations.add(world.department_a)

    page = client_for(world.staff_a).get(_url("meeting_detail", world.meeting_y))
    api = api_for(world.staff_a).get(f"/api/meetings/{world.meeting_y.pk}/")

    assert page.status_code == 200
    assert page.context["briefs"] == []
    assert "2026-002" not in page.content.decode()
    assert api.json()["agenda"] == []


def test_an_anonymous_visitor_is_sent_to_log_in_and_the_api_refuses_them(world):
    from django.test import Client
    from rest_framework.test import APIClient

    page = Client().get(_url("meeting_detail", world.meeting_x))
    api = APIClient().get("/api/meetings/")

    assert page.status_code == 302
    assert page.url.startswith(reverse("login"))
    assert api.status_code == 401

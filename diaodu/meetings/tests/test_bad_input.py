"""Bad input to meetings, agendas and event batches, through the forms and the API: refused
with a clear message on the right field (a 400 for the API, the form or a flash message for
the pages), never a 500, nothing saved, in the request's language."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from diaodu.core.models import ChangeLog
from diaodu.meetings import services
from diaodu.meetings.models import AgendaItem, EventBatch, Meeting
from diaodu.meetings.tests.helpers import HTMX, action_data, meeting_form_data, messages_of
from diaodu.problems.models import ActionItem
from diaodu.test import api_for, client_for, form_errors

pytestmark = pytest.mark.usefixtures("meetings")

PAST = {
    "zh-hans": "过去的会议不能设为待召开，请记录为已召开。",
    "en": "A meeting in the past cannot be upcoming: record it as held.",
}


def _url(name, *objects):
    return reverse(f"meetings:{name}", args=[o.pk for o in objects])


def meeting_api_data(**overrides):
    return {
        "kind": "weekly",
        "title": "重点项目周调度会",
        "starts_at": "2026-06-17T09:00:00+08:00",
        **overrides,
    }


# --- Meetings -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_meeting_in_the_past_cannot_be_created_as_upcoming(world, language):
    meetings, changes = Meeting.objects.count(), ChangeLog.objects.count()

    page = client_for(world.coordinator, language).post(
        _url("meeting_create"), meeting_form_data(starts_at="2026-06-09T15:00")
    )
    api = api_for(world.coordinator, language).post(
        "/api/meetings/", meeting_api_data(starts_at="2026-06-09T15:00:00+08:00")
    )

    assert form_errors(page) == {"starts_at": [PAST[language]]}
    assert api.status_code == 400
    assert api.json() == {"starts_at": [PAST[language]]}
    assert (Meeting.objects.count(), ChangeLog.objects.count()) == (meetings, changes)


def test_a_meeting_in_the_past_is_recorded_as_held(world):
    page = client_for(world.coordinator).post(
        _url("meeting_create"),
        meeting_form_data(title="6月8日现场会", starts_at="2026-06-08T09:00", status="held"),
    )
    api = api_for(world.coordinator).post(
        "/api/meetings/",
        meeting_api_data(
            title="6月5日周调度会", starts_at="2026-06-05T09:00:00+08:00", status="held"
        ),
    )

    assert page.status_code == 302, form_errors(page)
    assert api.status_code == 201, api.content
    assert set(Meeting.objects.filter(status="held").values_list("title", flat=True)) == {
        "6月8日现场会",
        "6月5日周调度会",
    }


def test_minutes_cannot_be_marked_issued_by_hand(world):
    page = client_for(world.coordinator).post(
        _url("meeting_create"), meeting_form_data(status="issued")
    )
    api = api_for(world.coordinator).patch(
        f"/api/meetings/{world.meeting_x.pk}/",
        {"version": world.meeting_x.version, "status": "issued"},
    )

    assert "status" in form_errors(page)
    assert api.status_code == 400
    assert "status" in api.json()
    world.meeting_x.refresh_from_db()
    assert world.meeting_x.status == "upcoming"


@pytest.mark.parametrize("at", ["07:30", "09:59", "23:00"])
def test_a_meeting_later_today_or_earlier_this_morning_may_be_upcoming(world, at):
    """Today is today in Shanghai: 07:30 on 10 June is still 9 June in UTC."""
    page = client_for(world.coordinator).post(
        _url("meeting_create"), meeting_form_data(starts_at=f"2026-06-10T{at}")
    )
    api = api_for(world.coordinator).post(
        "/api/meetings/", meeting_api_data(starts_at=f"2026-06-10T{at}:00+08:00")
    )

    assert page.status_code == 302, form_errors(page)
    assert api.status_code == 201, api.content


def test_the_day_of_a_meeting_is_the_day_in_shanghai_whatever_its_time_zone(world):
    """07:30 on 10 June in Shanghai, given in UTC (23:30 on 9 June): today, not past."""
    meeting = services.create_meeting(
        {
            "kind": "weekly",
            "title": "早间调度会",
            "starts_at": datetime(2026, 6, 9, 23, 30, tzinfo=UTC),
        },
        actor=world.coordinator,
    )

    assert meeting.status == "upcoming"


def test_an_upcoming_meeting_whose_day_has_passed_can_still_be_corrected(world, clock):
    clock.set(date(2026, 6, 20))

    page = client_for(world.coordinator).post(
        _url("meeting_edit", world.meeting_x),
        meeting_form_data(world.meeting_x, title="水务产业园专题调度会议（改期）"),
    )
    api = api_for(world.coordinator).patch(
        f"/api/meetings/{world.meeting_y.pk}/",
        {"version": world.meeting_y.version, "place": "项目现场"},
    )

    assert page.status_code == 302, form_errors(page)
    assert api.status_code == 200, api.content


MEETING_CASES = [
    ("no title", {"title": ""}, "title"),
    ("a title of 201 characters", {"title": "会" * 201}, "title"),
    ("an unknown kind", {"kind": "annual"}, "kind"),
    ("no date", {"starts_at": ""}, "starts_at"),
    ("a date that is not one", {"starts_at": "下周三"}, "starts_at"),
    ("an owner in the chair", {"chair": lambda w: w.owner_x.pk}, "chair"),
    ("an unknown chair", {"chair": 999_999}, "chair"),
    ("an owner among the attendees", {"attendees": lambda w: [w.owner_x.pk]}, "attendees"),
    ("an unknown previous meeting", {"previous": 999_999}, "previous"),
]  # fmt: skip


def _resolve(world, fields):
    return {k: v(world) if callable(v) else v for k, v in fields.items()}


@pytest.mark.parametrize(
    ("fields", "field"), [pytest.param(f, e, id=c) for c, f, e in MEETING_CASES]
)
def test_the_meeting_form_refuses(world, fields, field):
    meetings = Meeting.objects.count()

    response = client_for(world.coordinator).post(
        _url("meeting_create"), meeting_form_data(**_resolve(world, fields))
    )

    assert field in form_errors(response)
    assert Meeting.objects.count() == meetings


@pytest.mark.parametrize(
    ("fields", "field"), [pytest.param(f, e, id=c) for c, f, e in MEETING_CASES]
)
def test_the_meeting_api_refuses(world, fields, field):
    meetings = Meeting.objects.count()
    data = meeting_api_data(**_resolve(world, fields))
    if data["starts_at"] == "":
        data["starts_at"] = None

    response = api_for(world.coordinator).post("/api/meetings/", data)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Meeting.objects.count() == meetings


def test_a_meeting_cannot_follow_up_itself(world):
    page = client_for(world.coordinator).post(
        _url("meeting_edit", world.meeting_x),
        meeting_form_data(world.meeting_x, previous=world.meeting_x.pk),
    )
    api = api_for(world.coordinator).patch(
        f"/api/meetings/{world.meeting_x.pk}/",
        {"version": world.meeting_x.version, "previous": world.meeting_x.pk},
    )

    assert "previous" in form_errors(page)
    assert api.status_code == 400
    assert api.json() == {"previous": ["会议不能跟踪其自身。"]}


# --- Agenda -----------------------------------------------------------------------------------


def test_an_agenda_item_for_a_project_that_cannot_be_seen_is_refused(world):
    """Only the office builds agendas, and it sees every project: for it an id it cannot
    see is one that does not exist. Whoever else tries is refused before anything is read."""
    items = AgendaItem.objects.count()

    api = api_for(world.coordinator).post(
        f"/api/meetings/{world.meeting_x.pk}/agenda/", {"projects": [999_999]}
    )
    page = client_for(world.coordinator).post(
        _url("agenda_add", world.meeting_x), {"projects": [999_999]}
    )
    by_owner = api_for(world.owner_x).post(
        f"/api/meetings/{world.meeting_x.pk}/agenda/", {"projects": [world.project_y.pk]}
    )

    assert api.status_code == 400
    assert list(api.json()) == ["projects"]
    [(level, text)] = messages_of(page)
    assert level == "error"
    assert "999999" in text
    assert by_owner.status_code == 403
    assert AgendaItem.objects.count() == items


def test_an_empty_list_of_projects_is_refused_by_the_api(world):
    response = api_for(world.coordinator).post(
        f"/api/meetings/{world.meeting_x.pk}/agenda/", {"projects": []}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["projects"]


# --- Action items assigned in the meeting -------------------------------------------------------

ACTION_CASES = [
    ("no task", {"title": ""}, "title"),
    ("no lead department", {"lead_department": ""}, "lead_department"),
    ("an enterprise leading", {"lead_department": lambda w: w.enterprise_x.pk}, "lead_department"),
    ("no due date", {"due_date": ""}, "due_date"),
    ("a due date before today", {"due_date": "2026-06-09"}, "due_date"),
    ("a date that is not one", {"due_date": "月底"}, "due_date"),
    (
        "the lead also cooperating",
        {"cooperating_departments": lambda w: [w.department_a.pk]},
        "cooperating_departments",
    ),
]  # fmt: skip

ACTION = {"title": "6月底前完成供地", "due_date": "2026-06-30"}


@pytest.mark.parametrize(
    ("fields", "field"), [pytest.param(f, e, id=c) for c, f, e in ACTION_CASES]
)
def test_an_action_item_assigned_in_the_meeting_is_refused(world, fields, field):
    values = {**ACTION, "lead_department": world.department_a.pk, **_resolve(world, fields)}
    api_values = {k: v for k, v in values.items() if v != ""}

    page = client_for(world.leader).post(
        _url("agenda_assign", world.item_x), action_data(world.item_x, **values), headers=HTMX
    )
    api = api_for(world.leader).post(f"/api/agenda-items/{world.item_x.pk}/assign/", api_values)

    assert field in page.context["brief"].action_form.errors
    assert api.status_code == 400, api.content
    assert field in api.json()
    assert not ActionItem.objects.exists()


def test_messages_follow_the_request_language(world):
    english = api_for(world.leader, "en").post(
        f"/api/agenda-items/{world.item_x.pk}/assign/", {"title": "x"}
    )
    page = client_for(world.leader, "en").post(
        _url("agenda_assign", world.item_x), action_data(world.item_x, title="x")
    )

    assert english.json()["due_date"] == ["This field is required."]
    [(_, text)] = messages_of(page)
    assert "Lead department: This field is required." in text
    assert "Due date: This field is required." in text


# --- Event batches -------------------------------------------------------------------------------

BATCH = {"name": "2026年第三季度集中竣工活动", "kind": "completion", "date": "2026-09-28"}

BATCH_CASES = [
    ("no name", {"name": ""}, "name"),
    ("an unknown kind", {"kind": "demolition"}, "kind"),
    ("no date", {"date": ""}, "date"),
    ("no projects", {"projects": []}, "projects"),
    ("an unknown project", {"projects": [999_999]}, "projects"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "field"), [pytest.param(f, e, id=c) for c, f, e in BATCH_CASES])
def test_the_batch_form_and_api_refuse(world, fields, field):
    data = {**BATCH, "projects": [world.project_x.pk], **fields}
    batches = EventBatch.objects.count()

    page = client_for(world.coordinator).post(_url("batch_create"), data)
    api = api_for(world.coordinator).post(
        "/api/event-batches/", {k: v for k, v in data.items() if v != ""}
    )

    assert field in form_errors(page)
    assert api.status_code == 400
    assert field in api.json()
    assert EventBatch.objects.count() == batches


@pytest.mark.parametrize("value", ["2026-13-01", "昨天", ""])
def test_a_held_date_that_is_not_a_date_is_refused(world, value):
    page = client_for(world.coordinator).post(
        _url("batch_detail", world.batch_x), {"held_on": value}
    )
    api = api_for(world.coordinator).post(
        f"/api/event-batches/{world.batch_x.pk}/hold/", {"held_on": value}
    )

    assert "held_on" in form_errors(page)
    assert api.status_code == 400
    assert "held_on" in api.json()
    world.batch_x.refresh_from_db()
    assert world.batch_x.held_on is None

"""Issuing minutes cannot be undone: only a meeting marked held, not dated after today,
with at least one item on its agenda; the page says why not, the confirmation names who
will be told, and the message afterwards is true."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from diaodu.meetings import services
from diaodu.meetings.choices import MeetingStatus
from diaodu.meetings.models import Minutes
from diaodu.meetings.tests.helpers import messages_of, ready_to_issue
from diaodu.problems import services as problem_services
from diaodu.test import api_for, client_for


def _url(name, meeting):
    return reverse(f"meetings:{name}", args=[meeting.pk])


NOT_HELD = "The meeting is not marked as held."
FUTURE = "The meeting is dated in the future."
EMPTY = "The agenda is empty."


def upcoming(w):
    return w.meeting_x, [NOT_HELD, FUTURE]


def held_in_future(w):
    services.update_meeting(w.meeting_x, {"status": MeetingStatus.HELD}, actor=w.coordinator)
    return w.meeting_x, [FUTURE]


def empty_agenda(w):
    ready_to_issue(w.meeting_x, w.coordinator)
    for item in list(w.meeting_x.agenda.all()):
        services.remove_agenda_item(item, actor=w.coordinator)
    return w.meeting_x, [EMPTY]


CASES = [upcoming, held_in_future, empty_agenda]


@pytest.mark.parametrize("case", CASES)
def test_the_service_refuses_and_says_why(meetings, case):
    meeting, reasons = case(meetings)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.issue_minutes(meeting, lambda minutes: b"PK", actor=meetings.coordinator)

    assert refused.value.messages == reasons
    assert not Minutes.objects.exists()


@pytest.mark.parametrize("case", CASES)
def test_the_page_disables_the_button_with_the_reasons_and_refuses_a_post(meetings, case):
    meeting, reasons = case(meetings)
    client = client_for(meetings.coordinator, "en")

    page = client.get(_url("meeting_detail", meeting)).content.decode()
    response = client.post(_url("meeting_issue", meeting))

    assert 'id="issue-minutes"' not in page
    assert all(reason in page for reason in reasons)
    assert messages_of(response) == [("error", " ".join(reasons))]
    assert not Minutes.objects.exists()


@pytest.mark.parametrize("case", CASES)
def test_the_api_refuses_with_the_reasons(meetings, case):
    meeting, reasons = case(meetings)

    response = api_for(meetings.coordinator, "en").post(f"/api/meetings/{meeting.pk}/issue/")

    assert response.status_code == 400
    assert all(reason in str(response.json()) for reason in reasons)
    assert not Minutes.objects.exists()


def test_the_confirmation_names_who_will_be_told_and_the_message_says_who_was(meetings):
    meeting = ready_to_issue(meetings.meeting_x, meetings.coordinator)
    problem_services.assign_action_item(
        {
            "title": "完成二期供地",
            "project": meetings.project_x,
            "meeting": meeting,
            "lead_department": meetings.department_a,
            "due_date": meetings.today,
        },
        actor=meetings.coordinator,
    )
    client = client_for(meetings.coordinator, "en")

    page = client.get(_url("meeting_detail", meeting)).content.decode()
    response = client.post(_url("meeting_issue", meeting))

    assert f"These organisations will be notified: {meetings.department_a}." in page
    assert messages_of(response) == [
        ("success", f"Minutes issued; notified: {meetings.department_a}.")
    ]


def test_with_no_assignment_the_page_and_the_message_say_nobody_is_told(meetings):
    meeting = ready_to_issue(meetings.meeting_x, meetings.coordinator)
    client = client_for(meetings.coordinator, "en")

    page = client.get(_url("meeting_detail", meeting)).content.decode()
    response = client.post(_url("meeting_issue", meeting))

    assert "nobody will be notified" in page
    assert messages_of(response) == [
        ("success", "Minutes issued. No unit had an assignment in them; nobody was notified.")
    ]

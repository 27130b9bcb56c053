"""Names, history entries and outbound events pass through the access rules of the object
they name: nobody learns by the side door what they get 404 for at the front."""

from datetime import date

import pytest
from django.urls import reverse

from diaodu.factories import AgendaItemFactory, MeetingFactory, ProblemFactory
from diaodu.meetings import services as meeting_services
from diaodu.meetings.tests.helpers import ready_to_issue
from diaodu.notifications.choices import WebhookEvent
from diaodu.notifications.models import Delivery, WebhookEndpoint
from diaodu.problems import services as problem_services
from diaodu.test import api_for, client_for


@pytest.fixture
def meeting(world):
    """Project X on the agenda; enterprises X and Y and department A attend."""
    meeting = MeetingFactory(
        title="滨江片区调度会", chair=world.leader, created_by=world.coordinator
    )
    AgendaItemFactory(meeting=meeting, project=world.project_x, order=10)
    meeting.organisations.set([world.enterprise_x, world.enterprise_y, world.department_a])
    return meeting


# --- Attending organisations ----------------------------------------------------------


@pytest.mark.parametrize("reader", ["owner_x", "staff_a"])
def test_the_meeting_page_names_no_enterprise_the_reader_may_not_see(world, meeting, reader):
    page = client_for(getattr(world, reader)).get(meeting.get_absolute_url()).content.decode()

    assert str(world.enterprise_y) not in page
    assert str(world.department_a) in page


def test_the_office_sees_every_attending_organisation(world, meeting):
    page = client_for(world.coordinator).get(meeting.get_absolute_url()).content.decode()

    assert str(world.enterprise_y) in page


def test_the_api_lists_only_the_attending_organisations_the_reader_may_see(world, meeting):
    shown = api_for(world.owner_x).get(f"/api/meetings/{meeting.pk}/").json()["organisations"]
    listed = api_for(world.owner_x).get("/api/meetings/").json()["results"]

    assert sorted(shown) == sorted([world.enterprise_x.pk, world.department_a.pk])
    assert (
        world.enterprise_y.pk
        not in next(m for m in listed if m["id"] == meeting.pk)["organisations"]
    )


# --- History ----------------------------------------------------------------------------


@pytest.fixture
def hidden_item(world):
    """Department B works on a problem of project X, so it sees the project; the office
    assigns an action item on project X to department A alone: B gets 404 for it."""
    ProblemFactory(project=world.project_x, lead_department=world.department_b)
    return problem_services.assign_action_item(
        {
            "title": "落实二期用地指标",
            "project": world.project_x,
            "lead_department": world.department_a,
            "due_date": date(2026, 7, 10),
        },
        actor=world.coordinator,
    )


def test_a_projects_history_shows_no_action_item_the_reader_gets_404_for(world, hidden_item):
    staff_b = client_for(world.staff_b)
    assert staff_b.get(hidden_item.get_absolute_url()).status_code == 404

    page = staff_b.get(reverse("projects:project_detail", args=[world.project_x.pk]))
    api = api_for(world.staff_b).get(f"/api/projects/{world.project_x.pk}/history/").json()

    assert page.status_code == 200
    assert hidden_item.title not in page.content.decode()
    assert hidden_item.title not in str(api)


def test_a_projects_history_shows_the_action_item_to_its_department(world, hidden_item):
    page = client_for(world.staff_a).get(
        reverse("projects:project_detail", args=[world.project_x.pk])
    )

    assert hidden_item.title in page.content.decode()


# --- Outbound events ----------------------------------------------------------------------


def test_an_enterprises_webhook_gets_no_minutes_of_a_meeting_it_cannot_open(
    world, meeting, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    for_y = WebhookEndpoint.objects.create(
        name="企业Y", url="https://y.example.com/hook", secret="s" * 24, events=["minutes.issued"],
        organisation=world.enterprise_y,
    )  # fmt: skip
    for_x = WebhookEndpoint.objects.create(
        name="企业X", url="https://x.example.com/hook", secret="s" * 24, events=["minutes.issued"],
        organisation=world.enterprise_x,
    )  # fmt: skip

    meeting_services.issue_minutes(
        ready_to_issue(meeting, world.coordinator),
        lambda minutes: b"PK\x03\x04",
        actor=world.coordinator,
    )

    sent = Delivery.objects.filter(event=WebhookEvent.MINUTES_ISSUED)
    assert not sent.filter(endpoint=for_y).exists()
    assert sent.filter(endpoint=for_x).exists()


def test_an_enterprise_on_the_agenda_gets_no_minutes_that_also_hold_another_enterprise(
    world, meeting, settings, tmp_path
):
    """Enterprise Y sees the meeting (its project is on the agenda) but may not read the
    minutes, which hold project X too: its webhook is not told of them either."""
    settings.MEDIA_ROOT = tmp_path
    AgendaItemFactory(meeting=meeting, project=world.project_y, order=20)
    WebhookEndpoint.objects.create(
        name="企业Y", url="https://y.example.com/hook", secret="s" * 24, events=["minutes.issued"],
        organisation=world.enterprise_y,
    )  # fmt: skip
    zone = WebhookEndpoint.objects.create(
        name="市平台", url="https://city.example.com/hook", secret="s" * 24,
        events=["minutes.issued"],
    )  # fmt: skip

    meeting_services.issue_minutes(
        ready_to_issue(meeting, world.coordinator),
        lambda minutes: b"PK\x03\x04",
        actor=world.coordinator,
    )

    posted = Delivery.objects.filter(endpoint__isnull=False)
    assert list(posted.values_list("endpoint", flat=True)) == [zone.pk]

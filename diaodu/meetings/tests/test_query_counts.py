"""Meeting pages and endpoints make a fixed number of queries, however long the agenda and
however many meetings there are.

Each is measured with 3 and with 12 projects on every agenda (and as many meetings), each
project with milestones, reports, problems and action items, against the same bound; an
N+1 query makes the larger size fail and prints the SQL.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from diaodu.factories import (
    ActionItemFactory,
    EventBatchFactory,
    MeetingFactory,
    ProblemFactory,
    ProgressReportFactory,
    ProjectFactory,
)
from diaodu.meetings.models import AgendaItem, Meeting
from diaodu.problems.choices import ActionStatus
from diaodu.projects.choices import ReportStatus
from diaodu.projects.models import Milestone
from diaodu.test import api_for, client_for

SIZES = [3, 12]

# The bounds are what each needs today. Raise one only for a query that does not repeat per
# row, and say why. Every page pays 4: session, user, the user's organisation and the
# header's counts (unread notifications and the inbox, in one query).
MEETING_LIST_QUERIES = 4 + 2  # the count (30 a page); the meetings, with chair and agenda size
MEETING_DETAIL_QUERIES = 4 + 18  # meeting; agenda, milestones; reports; problems and their
#   cooperating departments; action items; latest photos; investment; follow-up; attendees;
#   organisations;
#   for the office the add-to-agenda form's lists and projects, and for the office and
#   leaders the inline assign forms' departments and problems (once for the whole agenda);
#   for the office, whether the minutes may be issued (an agenda?) and who would be told
BRIEFING_QUERIES = 4 + 9  # meeting; agenda, milestones; reports; problems and their
#   cooperating departments; action items; latest photos; investment; follow-up
API_MEETING_LIST_QUERIES = 2 + 3  # count, page; attendees, organisations, visible agenda
API_AGENDA_LIST_QUERIES = 2  # count, page


def add_meetings(world, size):
    """``size`` projects of both enterprises, each with the template milestones (one
    overdue, one due soon, one achieved), two reports, two problems and two action items of
    the previous meeting; then ``size`` meetings with all of them on the agenda, the first
    following up the previous one and assigning one more item per project. Returns the
    first meeting."""
    previous = MeetingFactory(
        title="上次调度会", status="issued", chair=world.leader, created_by=world.coordinator
    )
    projects = []
    for n in range(size):
        ours = n % 2 == 0
        project = ProjectFactory(
            owner=world.enterprise_x if ours else world.enterprise_y,
            lead_department=world.department_a if ours else world.department_b,
            responsible_leader=world.leader,
            milestones=True,
        )
        milestones = list(project.milestones.all()[:3])
        for offset, milestone in zip((-5, 3, 40), milestones, strict=True):
            milestone.planned_date = world.today + timedelta(days=offset)
        milestones[2].actual_date = world.today - timedelta(days=1)
        Milestone.objects.bulk_update(milestones, ["planned_date", "actual_date"])
        for month in (3, 4):
            ProgressReportFactory(
                project=project,
                submitted_by=world.owner_x if ours else world.owner_y,
                period_start=date(2026, month, 1),
                status=ReportStatus.APPROVED if month == 3 else ReportStatus.SUBMITTED,
            )
        for due in (date(2026, 6, 1), date(2026, 7, 1)):
            ProblemFactory(
                project=project,
                raised_by=world.coordinator,
                lead_department=project.lead_department,
                cooperating_departments=[world.department_a, world.department_b],
                due_date=due,
            )
        for status in (ActionStatus.ASSIGNED, ActionStatus.DONE):
            ActionItemFactory(
                project=project,
                meeting=previous,
                assigned_by=world.leader,
                status=status,
                lead_department=project.lead_department,
                cooperating_departments=[world.office],
            )
        projects.append(project)
    meetings = [
        MeetingFactory(
            starts_at=datetime(2026, 6, 15, 7, 0, tzinfo=UTC) + timedelta(days=n),
            previous=previous if n == 0 else None,
            chair=world.leader,
            created_by=world.coordinator,
        )
        for n in range(size)
    ]
    Meeting.attendees.through.objects.bulk_create(
        Meeting.attendees.through(meeting=meeting, user=person)
        for meeting in meetings
        for person in (world.coordinator, world.staff_a)
    )
    Meeting.organisations.through.objects.bulk_create(
        Meeting.organisations.through(meeting=meeting, organisation=organisation)
        for meeting in meetings
        for organisation in (world.department_a, world.department_b)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, project=project, order=(n + 1) * 10)
        for meeting in meetings
        for n, project in enumerate(projects)
    )
    for project in projects:
        ActionItemFactory(
            project=project,
            meeting=meetings[0],
            assigned_by=world.leader,
            lead_department=project.lead_department,
        )
    return meetings[0]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "owner_x"])
def test_the_meeting_list_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    add_meetings(world, size)
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(MEETING_LIST_QUERIES):
        response = browser.get(reverse("meetings:meeting_list"))

    assert len(response.context["meetings"]) >= size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "leader", "owner_x"])
def test_the_meeting_page_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    meeting = add_meetings(world, size)
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(MEETING_DETAIL_QUERIES):
        response = browser.get(reverse("meetings:meeting_detail", args=[meeting.pk]))

    assert len(response.context["briefs"]) >= size // 2
    assert len(response.context["follow_up"]) >= size // 2


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("role", "docx"), [("coordinator", True), ("owner_x", False)])
def test_the_briefing_pack_makes_a_fixed_number_of_queries(
    world, size, role, docx, django_assert_max_num_queries
):
    meeting = add_meetings(world, size)
    browser = client_for(getattr(world, role))
    url = reverse("meetings:meeting_briefing", args=[meeting.pk])

    with django_assert_max_num_queries(BRIEFING_QUERIES):
        response = browser.get(url, {"format": "docx"} if docx else {})

    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "owner_x"])
def test_the_api_meeting_list_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    add_meetings(world, size)
    api = api_for(getattr(world, role))

    with django_assert_max_num_queries(API_MEETING_LIST_QUERIES):
        response = api.get("/api/meetings/")

    body = response.json()
    assert body["count"] >= size
    assert max(len(m["agenda"]) for m in body["results"]) >= size // 2


@pytest.mark.parametrize("size", SIZES)
def test_the_api_agenda_list_makes_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    add_meetings(world, size)
    api = api_for(world.owner_x)

    with django_assert_max_num_queries(API_AGENDA_LIST_QUERIES):
        response = api.get("/api/agenda-items/")

    assert response.json()["count"] >= size * size // 2


BATCH_LIST_QUERIES = 4 + 1  # the batches, with their visible projects counted and summed
BATCH_DETAIL_QUERIES = 4 + 3  # the batch, its visible projects, their total investment
API_BATCH_LIST_QUERIES = 2 + 2  # count, page; projects; for owners the visible project ids


def add_batches(world, size):
    """``size`` groundbreaking events with the same ``size`` projects of both enterprises."""
    projects = [
        ProjectFactory(
            owner=world.enterprise_x if n % 2 == 0 else world.enterprise_y,
            lead_department=world.department_a if n % 2 == 0 else world.department_b,
        )
        for n in range(size)
    ]
    return [EventBatchFactory(name=f"集中开工活动{n}", projects=projects) for n in range(size)]


@pytest.mark.parametrize("size", SIZES)
def test_the_batch_pages_make_a_fixed_number_of_queries(world, size, django_assert_max_num_queries):
    batch = add_batches(world, size)[0]
    browser = client_for(world.owner_x)

    with django_assert_max_num_queries(BATCH_LIST_QUERIES):
        listed = browser.get(reverse("meetings:batch_list"))
    with django_assert_max_num_queries(BATCH_DETAIL_QUERIES):
        detail = browser.get(reverse("meetings:batch_detail", args=[batch.pk]))

    assert len(listed.context["batches"]) == size
    assert len(detail.context["projects"]) == (size + 1) // 2


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "owner_x"])
def test_the_api_batch_list_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    add_batches(world, size)
    api = api_for(getattr(world, role))

    with django_assert_max_num_queries(API_BATCH_LIST_QUERIES):
        response = api.get("/api/event-batches/")

    assert response.json()["count"] == size


def test_the_meeting_list_shows_thirty_meetings_a_page(world):
    add_meetings(world, 31)
    browser = client_for(world.coordinator)

    first = browser.get(reverse("meetings:meeting_list"))
    second = browser.get(reverse("meetings:meeting_list"), {"page": 2})

    assert len(first.context["meetings"]) == 30
    assert first.context["page"].paginator.count == len(second.context["meetings"]) + 30
    assert "page=2" in first.content.decode()

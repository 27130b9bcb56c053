"""A person's private calendar (iCalendar): their meetings and the due dates of their work,
at a secret address they may revoke or replace. The feed is read back with ``icalendar``.

Meeting X (15 June) has project X on its agenda, department A invited and owner X among the
attendees; meeting Y has project Y and department B. Problem and action item X are led by
department A (B cooperates on the action item), problem Y by department B. The June reporting
round asks project X for its report by 25 June. Today is 10 June 2026."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from diaodu.calendars import services
from diaodu.calendars.models import CalendarFeed, token_hash
from diaodu.core.models import ChangeLog
from diaodu.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    ProblemFactory,
    ReportingRoundFactory,
)
from diaodu.test import client_for

PAGE = reverse("calendars:calendar_page")


@pytest.fixture
def work(world):
    w = world
    w.meeting_x = MeetingFactory(
        title="水务产业园专题调度会议", chair=w.leader, created_by=w.coordinator
    )
    AgendaItemFactory(meeting=w.meeting_x, project=w.project_x)
    w.meeting_x.organisations.set([w.department_a])
    w.meeting_x.attendees.set([w.owner_x])
    w.meeting_y = MeetingFactory(
        title="新材料产业基地专题调度会议",
        starts_at=datetime(2026, 6, 16, 7, 0, tzinfo=UTC),
        chair=w.leader,
        created_by=w.coordinator,
    )
    AgendaItemFactory(meeting=w.meeting_y, project=w.project_y)
    w.meeting_y.organisations.set([w.department_b])
    w.problem_x = ProblemFactory(
        project=w.project_x,
        title="用地指标不足",
        lead_department=w.department_a,
        due_date=date(2026, 6, 20),
    )
    w.problem_y = ProblemFactory(
        project=w.project_y, title="施工用电未接入", lead_department=w.department_b
    )
    w.action_x = ActionItemFactory(
        project=w.project_x,
        title="6月底前完成供地",
        lead_department=w.department_a,
        cooperating_departments=[w.department_b],
    )
    w.round = ReportingRoundFactory(projects=[w.project_x], opened_by=w.coordinator)
    return w


def address_of(user) -> str:
    token = services.issue_feed(user, actor=user)
    return reverse("calendars:calendar_feed", args=[token])


def events(client, url) -> dict[str, object]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def uids(user, language=None) -> set[str]:
    return set(events(client_for(user, language), address_of(user)))


def test_department_staff_get_their_meetings_and_their_organisations_work(work):
    assert uids(work.staff_a) == {
        f"meeting-{work.meeting_x.pk}",
        f"problem-{work.problem_x.pk}",
        f"action-{work.action_x.pk}",
    }
    # B cooperates on action X but may not see meeting X's other business.
    assert uids(work.staff_b) == {
        f"meeting-{work.meeting_y.pk}",
        f"problem-{work.problem_y.pk}",
        f"action-{work.action_x.pk}",
    }


def test_an_owner_gets_the_meetings_they_attend_report_deadlines_and_their_milestones(work):
    found = uids(work.owner_x)
    assert f"meeting-{work.meeting_x.pk}" in found
    assert f"round-{work.round.pk}" in found
    milestones = {u for u in found if u.startswith("milestone-")}
    open_ = work.project_x.milestones.filter(actual_date__isnull=True, planned_date__isnull=False)
    assert milestones == {f"milestone-{m.pk}" for m in open_}
    assert not any(u.startswith(("problem-", "action-")) for u in found)
    other = uids(work.owner_y)
    assert f"meeting-{work.meeting_x.pk}" not in other
    assert f"round-{work.round.pk}" not in other


def test_the_leader_gets_the_meetings_they_chair_and_the_office_every_meeting(work):
    meetings = {f"meeting-{work.meeting_x.pk}", f"meeting-{work.meeting_y.pk}"}
    assert meetings <= uids(work.leader)
    assert meetings <= uids(work.coordinator)


def test_events_carry_time_place_link_and_all_day_due_dates(work):
    found = events(client_for(work.staff_a), address_of(work.staff_a))
    meeting = found[f"meeting-{work.meeting_x.pk}"]
    assert meeting.decoded("dtstart") == datetime(2026, 6, 15, 7, 0, tzinfo=UTC)
    assert str(meeting["location"]) == "管委会三楼第一会议室"
    assert str(meeting["url"]).endswith(work.meeting_x.get_absolute_url())
    assert "水务产业园专题调度会议" in str(meeting["summary"])
    problem = found[f"problem-{work.problem_x.pk}"]
    assert problem.decoded("dtstart") == date(2026, 6, 20)
    assert problem.decoded("dtend") == date(2026, 6, 21)


def test_closed_work_and_achieved_milestones_leave_the_calendar(work):
    work.problem_x.status = "resolved"
    work.problem_x.save(update_fields=["status"])
    assert f"problem-{work.problem_x.pk}" not in uids(work.staff_a)


@pytest.mark.parametrize(
    ("language", "word"), [("zh-hans", "会议"), ("zh-hant", "會議"), ("en", "Meeting")]
)
def test_the_feed_speaks_three_languages(work, language, word):
    found = events(client_for(work.staff_a, language), address_of(work.staff_a))
    assert str(found[f"meeting-{work.meeting_x.pk}"]["summary"]).startswith(word)


def test_a_revoked_address_is_not_found(work):
    url = address_of(work.staff_a)
    client = client_for(work.staff_a)
    assert client.post(reverse("calendars:calendar_revoke")).status_code == 302
    assert client.get(url).status_code == 404
    assert not CalendarFeed.objects.filter(user=work.staff_a).exists()


def test_a_new_address_replaces_the_old_one(work):
    old = address_of(work.staff_a)
    new = address_of(work.staff_a)
    client = client_for(work.staff_a)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_an_unknown_address_and_a_deactivated_person_are_not_found(work):
    url = address_of(work.staff_a)
    client = client_for(work.coordinator)
    assert client.get(reverse("calendars:calendar_feed", args=["guess"])).status_code == 404
    work.staff_a.is_active = False
    work.staff_a.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_the_feed_needs_no_log_in_but_the_secret(work):
    from django.test import Client

    url = address_of(work.staff_a)
    assert Client().get(url).status_code == 200


def test_only_a_hash_of_the_secret_is_stored_and_the_log_keeps_neither(work):
    token = services.issue_feed(work.staff_a, actor=work.staff_a)
    feed = CalendarFeed.objects.get(user=work.staff_a)
    assert feed.token_hash == token_hash(token) != token
    logged = ChangeLog.objects.filter(object_id=feed.pk, object_repr=str(feed))
    assert logged.exists()
    assert all(token not in str(e.after) and feed.token_hash not in str(e.after) for e in logged)


def test_the_page_shows_the_new_address_once_and_then_only_that_one_exists(work):
    client = client_for(work.staff_a)
    page = client_for(work.staff_a, "en").get(PAGE).content.decode()
    assert "Make my calendar address" in page
    response = client.post(reverse("calendars:calendar_issue"), follow=True)
    html = response.content.decode()
    assert "/calendar/feed/" in html
    address = html.split('id="calendar-address" type="text" readonly value="')[1].split('"')[0]
    assert client.get(address).status_code == 200
    assert "/calendar/feed/" not in client.get(PAGE).content.decode()


def test_the_page_needs_a_log_in_and_changes_are_posted(work):
    from django.test import Client

    assert Client().get(PAGE).status_code == 302
    client = client_for(work.staff_a)
    assert client.get(reverse("calendars:calendar_issue")).status_code == 405
    assert client.get(reverse("calendars:calendar_revoke")).status_code == 405


@pytest.mark.parametrize("extra", [0, 10])
def test_the_feed_takes_the_same_queries_however_much_work(
    work, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        ProblemFactory(project=work.project_x, lead_department=work.department_a)
        ActionItemFactory(project=work.project_x, lead_department=work.department_a)
        meeting = MeetingFactory(chair=work.leader, created_by=work.coordinator)
        meeting.organisations.set([work.department_a])
    url = address_of(work.staff_a)
    client = client_for(work.staff_a)
    # The address's person, then meetings, problems, action items, rounds, milestones.
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200

"""A meeting in a series shows what became of the previous meeting's action items: done,
overdue, still in time, each with its traffic light, as far as the reader may see them."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from diaodu.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory
from diaodu.problems.choices import ActionStatus
from diaodu.test import client_for

pytestmark = pytest.mark.usefixtures("meetings")


def _detail(meeting):
    return reverse("meetings:meeting_detail", args=[meeting.pk])


@pytest.fixture
def series(world):
    """Meeting X (15 June) assigned four things; the weekly meeting of 22 June follows it up
    with projects X and Y on its agenda."""
    w = world
    AgendaItemFactory(meeting=w.meeting_x, project=w.project_y, order=30)

    def assigned(title, project, **fields):
        return ActionItemFactory(
            title=title,
            project=project,
            meeting=w.meeting_x,
            lead_department=w.department_a if project != w.project_y else w.department_b,
            assigned_by=w.leader,
            last_activity_at=timezone.now(),
            **fields,
        )

    w.done = assigned(
        "6月底前完成供地",
        w.project_x,
        status=ActionStatus.DONE,
        completed_on=date(2026, 6, 8),
        due_date=date(2026, 6, 9),
    )
    w.overdue = assigned("协调供电线路接入", w.project_x, due_date=date(2026, 6, 5))
    w.in_time = assigned("管网施工图审查", w.project_x2, due_date=date(2026, 6, 30))
    w.of_y = assigned("7月中旬前接通施工用电", w.project_y, due_date=date(2026, 6, 11))
    w.weekly = MeetingFactory(
        kind="weekly",
        title="重点项目周调度会",
        starts_at=datetime(2026, 6, 22, 1, 0, tzinfo=UTC),
        previous=w.meeting_x,
        chair=w.leader,
        created_by=w.coordinator,
    )
    AgendaItemFactory(meeting=w.weekly, project=w.project_x, order=10)
    AgendaItemFactory(meeting=w.weekly, project=w.project_y, order=20)
    return w


def test_the_follow_up_lists_the_previous_meetings_action_items_with_their_lights(series):
    response = client_for(series.coordinator).get(_detail(series.weekly))

    lights = {a.title: a.light for a in response.context["follow_up"]}
    assert lights == {
        "6月底前完成供地": "done",
        "协调供电线路接入": "red",
        "管网施工图审查": "green",
        "7月中旬前接通施工用电": "yellow",
    }
    html = response.content.decode()
    assert "水务产业园专题调度会议交办事项落实情况" in html
    for title in lights:
        assert title in html
    assert html.count("light-red") >= 1
    assert "light-done" in html


@pytest.mark.parametrize(
    ("role", "titles"),
    [
        ("owner_x", {"6月底前完成供地", "协调供电线路接入", "管网施工图审查"}),
        ("owner_y", {"7月中旬前接通施工用电"}),
        ("staff_b", {"7月中旬前接通施工用电"}),
    ],
)
def test_the_follow_up_shows_only_the_action_items_the_reader_may_see(series, role, titles):
    response = client_for(getattr(series, role)).get(_detail(series.weekly))

    shown = {a.title for a in response.context["follow_up"]}
    assert shown == titles
    html = response.content.decode()
    for hidden in {"6月底前完成供地", "协调供电线路接入", "7月中旬前接通施工用电"} - titles:
        assert hidden not in html


def test_the_follow_up_follows_the_clock(series, clock):
    clock.advance(days=21)  # 1 July: the pipe-network review is now overdue too

    response = client_for(series.coordinator).get(_detail(series.weekly))

    lights = {a.title: a.light for a in response.context["follow_up"]}
    assert lights["管网施工图审查"] == "red"
    assert lights["6月底前完成供地"] == "done"


def test_a_previous_meeting_that_assigned_nothing_says_so(world):
    weekly = MeetingFactory(previous=world.meeting_y, chair=world.leader)
    AgendaItemFactory(meeting=weekly, project=world.project_y)

    response = client_for(world.coordinator).get(_detail(weekly))

    assert response.context["follow_up"] == []
    assert "上次会议没有交办事项。" in response.content.decode()


def test_a_meeting_outside_a_series_has_no_follow_up(world):
    response = client_for(world.coordinator).get(_detail(world.meeting_x))

    assert response.context["follow_up"] == []
    assert "交办事项落实情况" not in response.content.decode()


def test_a_meeting_names_the_one_it_follows_up_in_the_api(series):
    body = client_for(series.coordinator).get(f"/api/meetings/{series.weekly.pk}/").json()

    assert body["previous"] == series.meeting_x.pk

"""The Gantt-style milestone timeline: months or quarters wide, late milestones marked,
nothing drawn outside the window.

Today is 10 June 2026. In months the window runs from December 2025 to May 2027 (six
months back, a year ahead); in quarters from the second quarter of 2025 to the first of
2028 (a year back, rounded to the quarter, two years ahead).
"""

from datetime import date

import pytest
from django.urls import reverse

from diaodu.projects.models import Milestone
from diaodu.test import client_for

TIMELINE = reverse("dashboard:timeline")


def plan(project, code, planned=None, actual=None):
    Milestone.objects.filter(project=project, kind__code=code).update(
        planned_date=planned, actual_date=actual
    )


@pytest.fixture
def milestones(world):
    x = world.project_x
    plan(x, "signing", date(2025, 11, 30), date(2025, 11, 30))  # the day before the window
    plan(x, "land_supply", date(2025, 12, 1), date(2025, 12, 1))  # its first day
    plan(x, "project_approval", date(2026, 6, 1))  # overdue
    plan(x, "land_planning_permit", date(2026, 3, 1), date(2026, 3, 15))  # achieved late
    plan(x, "engineering_planning_permit", date(2026, 4, 1), date(2026, 3, 20))  # early
    plan(x, "completion", date(2027, 5, 31))  # the window's last day
    plan(x, "production", date(2027, 6, 1))  # the day after it
    return world


def marks_of(response, project) -> dict:
    (row,) = [r for r in response.context["rows"] if r["project"] == project]
    return {m["milestone"].kind.code: m for m in row["marks"]}


def test_the_month_scale_spans_six_months_back_and_a_year_ahead(milestones):
    response = client_for(milestones.leader, "en").get(TIMELINE)

    assert response.status_code == 200
    assert response.context["scale"] == "month"
    columns = response.context["columns"]
    assert len(columns) == 18
    assert columns[0]["left"] == 0
    assert response.context["end"] == date(2027, 5, 31)
    assert "December 2025" in columns[0]["label"]
    assert response.context["today_left"] is not None


def test_the_quarter_scale_spans_whole_quarters(milestones):
    response = client_for(milestones.leader, "en").get(TIMELINE, {"scale": "quarter"})

    assert response.status_code == 200
    assert response.context["scale"] == "quarter"
    labels = [c["label"] for c in response.context["columns"]]
    assert labels[0] == "2025 Q2"
    assert labels[-1] == "2028 Q1"
    assert len(labels) == 12
    assert response.context["end"] == date(2028, 3, 31)


def test_an_unknown_scale_is_months(milestones):
    response = client_for(milestones.leader).get(TIMELINE, {"scale": "decade"})

    assert response.context["scale"] == "month"


def test_late_milestones_are_marked_late(milestones):
    response = client_for(milestones.leader).get(TIMELINE)
    marks = marks_of(response, milestones.project_x)

    assert marks["project_approval"]["late"]  # planned 1 June, not achieved
    assert marks["land_planning_permit"]["late"]  # achieved two weeks after the plan
    assert not marks["engineering_planning_permit"]["late"]  # achieved early
    assert not marks["land_supply"]["late"]
    html = response.content.decode()
    assert html.count("gantt-mark planned late") == 2
    assert html.count("gantt-mark actual late") == 1


def test_marks_outside_the_window_are_left_out(milestones):
    response = client_for(milestones.leader).get(TIMELINE)
    marks = marks_of(response, milestones.project_x)

    assert marks["signing"]["planned"] is None
    assert marks["signing"]["actual"] is None
    assert marks["land_supply"]["planned"] == 0
    assert 99 < marks["completion"]["planned"] < 100
    assert marks["production"]["planned"] is None
    assert marks["topping_out"]["planned"] is None  # not planned at all


def test_in_quarters_a_mark_left_out_in_months_comes_in(milestones):
    response = client_for(milestones.leader).get(TIMELINE, {"scale": "quarter"})
    marks = marks_of(response, milestones.project_x)

    assert marks["signing"]["planned"] is not None
    assert marks["production"]["planned"] is not None


def test_the_scale_links_keep_the_filters(milestones):
    response = client_for(milestones.leader).get(
        TIMELINE, {"lead_department": milestones.department_a.pk, "scale": "month"}
    )

    assert [r["project"] for r in response.context["rows"]] == [milestones.project_x]
    html = response.content.decode()
    assert f'href="?lead_department={milestones.department_a.pk}&amp;scale=quarter"' in html


def test_filtering_keeps_the_scale(milestones):
    response = client_for(milestones.leader).get(TIMELINE, {"scale": "quarter"})

    assert '<input type="hidden" name="scale" value="quarter">' in response.content.decode()

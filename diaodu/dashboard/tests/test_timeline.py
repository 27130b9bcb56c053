"""The time plan as a Gantt chart: per project a bar per stage (前期 signing → groundbreaking,
建设 groundbreaking → completion, 投产 completion → production), planned above actual, the
delay between them, milestones by name; grouping by list, department or leader; and the
office re-planning a milestone by dragging it, through the milestone service and its history.

Today is 10 June 2026."""

import json
from datetime import date

import pytest
from django.urls import reverse

from diaodu.core.models import ChangeLog
from diaodu.factories import ProjectFactory, ProjectListFactory
from diaodu.projects.models import Milestone
from diaodu.test import client_for

TIMELINE = reverse("dashboard:timeline")


def plan(project, code, planned=None, actual=None):
    Milestone.objects.filter(project=project, kind__code=code).update(
        planned_date=planned, actual_date=actual
    )


def replan_url(milestone):
    return reverse("projects:milestone_replan", args=[milestone.pk])


@pytest.fixture
def milestones(world):
    """Project X: signed on time; groundbreaking planned for 1 March, done 15 March; completion
    planned for 1 June and not achieved (overdue); production planned for 2027."""
    x = world.project_x
    plan(x, "signing", date(2025, 11, 30), date(2025, 11, 30))
    plan(x, "groundbreaking", date(2026, 3, 1), date(2026, 3, 15))
    plan(x, "completion", date(2026, 6, 1))
    plan(x, "production", date(2027, 6, 1))
    return world


def chart_of(response):
    return response.context["chart"]


def bars_of(chart, row, stage):
    return {
        b["kind"]: (b["start"], b["end"])
        for b in chart["bars"]
        if b["row"] == row and b["stage"] == stage
    }


def row_of(chart, project):
    return next(i for i, r in enumerate(chart["rows"]) if r.get("code") == project.code)


def test_each_stage_is_a_planned_bar_an_actual_bar_and_its_delay(milestones):
    chart = chart_of(client_for(milestones.leader).get(TIMELINE))
    row = row_of(chart, milestones.project_x)

    assert bars_of(chart, row, "preparation") == {
        "planned": ("2025-11-30", "2026-03-01"),
        "actual": ("2025-11-30", "2026-03-15"),
        "delay": ("2026-03-01", "2026-03-15"),
    }
    # Under way since groundbreaking, overdue since 1 June: actual and delay run to today.
    assert bars_of(chart, row, "construction") == {
        "planned": ("2026-03-01", "2026-06-01"),
        "actual": ("2026-03-15", "2026-06-10"),
        "delay": ("2026-06-01", "2026-06-10"),
    }
    assert bars_of(chart, row, "production") == {"planned": ("2026-06-01", "2027-06-01")}
    assert chart["today"] == "2026-06-10"


def test_milestones_carry_their_names_and_only_the_office_may_drag_open_ones(milestones):
    for persona, draggable in (("coordinator", True), ("leader", False)):
        chart = chart_of(client_for(getattr(milestones, persona), "en").get(TIMELINE))
        row = row_of(chart, milestones.project_x)
        marks = {(m["code"], m["kind"]): m for m in chart["marks"] if m["row"] == row}
        assert marks[("completion", "planned")]["name"] == "Completion"
        assert marks[("completion", "planned")]["late"]
        assert marks[("completion", "planned")]["draggable"] is draggable
        # An achieved milestone stays where it is.
        assert marks[("groundbreaking", "planned")]["draggable"] is False
        assert marks[("groundbreaking", "actual")]["date"] == "2026-03-15"


def test_the_chart_data_is_embedded_and_milestones_are_printed_by_name(milestones):
    html = client_for(milestones.coordinator, "en").get(TIMELINE).content.decode()
    assert 'id="gantt-data"' in html
    assert "Drag a hollow milestone" in html
    assert "Completion" in html.split('class="table table-sm gantt-print-table"')[1]


def test_grouped_by_department_each_department_heads_its_projects(milestones):
    ProjectFactory(code="2026-900", lead_department=milestones.department_b, milestones=True)
    chart = chart_of(client_for(milestones.leader).get(TIMELINE, {"group": "department"}))
    headings = [r["label"] for r in chart["rows"] if r.get("group")]
    assert str(milestones.department_a) in headings
    assert str(milestones.department_b) in headings
    rows = chart["rows"]
    a = rows.index({"group": True, "label": str(milestones.department_a)})
    assert rows[a + 1]["code"] == milestones.project_x.code


def test_grouped_by_list_a_project_on_two_lists_is_shown_once_under_the_latest(milestones):
    older = ProjectListFactory(name="2025年市级重点项目", year=2025)
    newer = ProjectListFactory(name="2026年区级重点项目", year=2026)
    milestones.project_x.lists.set([older, newer])
    chart = chart_of(client_for(milestones.leader, "en").get(TIMELINE, {"group": "list"}))
    codes = [r.get("code") for r in chart["rows"]]
    assert codes.count(milestones.project_x.code) == 1
    headings = [r["label"] for r in chart["rows"] if r.get("group")]
    # Project Y is on no list.
    assert headings == ["2026年区级重点项目", "Not on a list"]


def test_grouped_by_leader_projects_without_one_come_last(milestones):
    ProjectFactory(code="2026-901", owner=milestones.enterprise_x, milestones=True)
    chart = chart_of(client_for(milestones.leader, "en").get(TIMELINE, {"group": "leader"}))
    headings = [r["label"] for r in chart["rows"] if r.get("group")]
    assert headings[-1] == "No responsible leader"
    assert str(milestones.leader) in headings


def test_an_unknown_scale_is_months_and_an_unknown_grouping_none(milestones):
    response = client_for(milestones.leader).get(TIMELINE, {"scale": "decade", "group": "x"})
    assert response.context["scale"] == "month"
    assert not any(r.get("group") for r in chart_of(response)["rows"])


def test_the_scale_links_keep_the_filters_and_the_filter_keeps_scale_and_grouping(milestones):
    response = client_for(milestones.leader).get(
        TIMELINE,
        {"lead_department": milestones.department_a.pk, "scale": "week", "group": "leader"},
    )
    assert [r["code"] for r in chart_of(response)["rows"] if "code" in r] == [
        milestones.project_x.code
    ]
    html = response.content.decode()
    department = milestones.department_a.pk
    assert f'href="?lead_department={department}&amp;group=leader&amp;scale=quarter"' in html
    assert '<input type="hidden" name="scale" value="week">' in html
    assert '<input type="hidden" name="group" value="leader">' in html


# --- dragging a milestone -----------------------------------------------------------------


def test_the_office_drags_a_milestone_and_the_history_records_it(milestones):
    completion = Milestone.objects.get(project=milestones.project_x, kind__code="completion")
    client = client_for(milestones.coordinator)
    response = client.post(replan_url(completion), {"planned_date": "2026-09-30"})

    assert response.status_code == 200
    assert response.json() == {"id": completion.pk, "planned_date": "2026-09-30"}
    completion.refresh_from_db()
    assert completion.planned_date == date(2026, 9, 30)
    log = ChangeLog.objects.filter(object_id=completion.pk).latest("pk")
    assert log.actor == milestones.coordinator
    assert log.before["planned_date"] == "2026-06-01"
    assert log.after["planned_date"] == "2026-09-30"
    history = client.get(milestones.project_x.get_absolute_url()).content.decode()
    assert "2026-09-30" in history or "2026年9月30日" in history


@pytest.mark.parametrize(
    ("persona", "status"),
    [("leader", 403), ("staff_a", 403), ("owner_x", 403), ("staff_b", 404), ("owner_y", 404)],
)
def test_only_the_office_re_plans_and_others_change_nothing(milestones, persona, status):
    completion = Milestone.objects.get(project=milestones.project_x, kind__code="completion")
    response = client_for(getattr(milestones, persona)).post(
        replan_url(completion), {"planned_date": "2026-09-30"}
    )
    assert response.status_code == status
    completion.refresh_from_db()
    assert completion.planned_date == date(2026, 6, 1)


@pytest.mark.parametrize("value", ["", "30/09/2026", "2026-02-30", "1999-12-31", "2101-01-01"])
def test_a_bad_date_is_refused_with_400_and_a_reason(milestones, value):
    completion = Milestone.objects.get(project=milestones.project_x, kind__code="completion")
    response = client_for(milestones.coordinator, "en").post(
        replan_url(completion), {"planned_date": value}
    )
    assert response.status_code == 400
    assert response.json()["errors"]
    completion.refresh_from_db()
    assert completion.planned_date == date(2026, 6, 1)


def test_re_planning_is_post_only(milestones):
    completion = Milestone.objects.get(project=milestones.project_x, kind__code="completion")
    assert client_for(milestones.coordinator).get(replan_url(completion)).status_code == 405


def test_labels_for_the_browser_are_valid_json(milestones):
    html = client_for(milestones.coordinator).get(TIMELINE).content.decode()
    labels = html.split('id="gantt-labels"')[1].split(">", 1)[1].split("</script>")[0]
    assert "%(date)s" in json.loads(labels)["saved"]

"""Building an agenda and running the meeting: the quick ways to fill the agenda, its order,
the discussion typed during the meeting and the action items assigned on the spot, through
the pages (plain posts and htmx) and through the API."""

from datetime import date

import pytest
from django.urls import reverse

from diaodu.core import derived
from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.factories import MeetingFactory, ProblemFactory, ProjectListFactory
from diaodu.meetings.tests.helpers import HTMX, action_data, discussion_data, messages_of
from diaodu.notifications.models import Notification
from diaodu.problems.choices import ActionSource, ProblemStatus
from diaodu.problems.models import ActionItem
from diaodu.test import api_for, client_for

pytestmark = pytest.mark.usefixtures("meetings")


def _url(name, obj):
    return reverse(f"meetings:{name}", args=[obj.pk])


def agenda(meeting) -> list[str]:
    """The agenda's project numbers, in order."""
    return [i.project.code for i in meeting.agenda.select_related("project").order_by("order")]


def plan(project, code, day):
    project.milestones.filter(kind__code=code).update(planned_date=day)
    derived.changed(project)  # as the service would


@pytest.fixture
def empty_meeting(world):
    return MeetingFactory(
        title="重点项目周调度会", chair=world.leader, created_by=world.coordinator
    )


X, Y, X2 = "2026-001", "2026-002", "2026-003"


# --- Building the agenda -------------------------------------------------------------------


def test_picked_projects_are_added_after_the_agenda_by_project_number(world):
    response = client_for(world.coordinator).post(
        _url("agenda_add", world.meeting_y),
        {"projects": [world.project_x2.pk, world.project_x.pk]},
    )

    assert response.status_code == 302
    assert agenda(world.meeting_y) == [Y, X, X2]
    assert messages_of(response) == [("success", "已将2个项目加入议程。")]


def test_all_delayed_and_at_risk_projects_are_added_the_delayed_first(world, empty_meeting):
    plan(world.project_x, "land_supply", date(2026, 6, 20))  # due in 10 days: at risk
    plan(world.project_y, "land_supply", date(2026, 6, 1))  # 9 days overdue: delayed
    # Project X2 has no dated milestone: on track, left out.

    client_for(world.coordinator).post(_url("agenda_add", empty_meeting), {"group": "attention"})

    assert agenda(empty_meeting) == [Y, X]


def test_all_projects_with_overdue_problems_are_added(world, empty_meeting):
    ProblemFactory(project=world.project_x2, due_date=date(2026, 6, 5))
    ProblemFactory(project=world.project_y, due_date=date(2026, 7, 1))
    ProblemFactory(project=world.project_x, due_date=date(2026, 6, 1), status=ProblemStatus.CLOSED)

    client_for(world.coordinator).post(
        _url("agenda_add", empty_meeting), {"group": "overdue_problems"}
    )

    assert agenda(empty_meeting) == [X2]


def test_a_key_project_list_is_added_and_projects_already_on_the_agenda_are_skipped(world):
    key_projects = ProjectListFactory(name="2026年市级重点项目")
    key_projects.projects.set([world.project_y, world.project_x])

    response = client_for(world.coordinator).post(
        _url("agenda_add", world.meeting_x), {"project_list": key_projects.pk}
    )

    assert agenda(world.meeting_x) == [X, X2, Y]
    assert messages_of(response) == [("success", "已将1个项目加入议程。")]


def test_every_quick_way_at_once_adds_each_project_once_picked_ones_first(world, empty_meeting):
    plan(world.project_x2, "land_supply", date(2026, 6, 1))
    key_projects = ProjectListFactory()
    key_projects.projects.set([world.project_x, world.project_x2, world.project_y])

    client_for(world.coordinator).post(
        _url("agenda_add", empty_meeting),
        {
            "projects": [world.project_y.pk],
            "group": "attention",
            "project_list": key_projects.pk,
        },
    )

    assert agenda(empty_meeting) == [Y, X2, X]


def test_adding_nothing_says_what_to_choose(world):
    response = client_for(world.coordinator).post(_url("agenda_add", world.meeting_x), {})

    assert messages_of(response) == [("error", "请选择要添加的项目、类别或清单。")]
    assert agenda(world.meeting_x) == [X, X2]


def test_the_api_appends_projects_in_the_order_given_and_skips_duplicates(world, empty_meeting):
    api = api_for(world.coordinator)
    url = f"/api/meetings/{empty_meeting.pk}/agenda/"

    first = api.post(url, {"projects": [world.project_y.pk, world.project_x2.pk]})
    second = api.post(url, {"projects": [world.project_x2.pk, world.project_x.pk]})

    assert (first.status_code, second.status_code) == (200, 200)
    assert agenda(empty_meeting) == [Y, X2, X]
    rows = second.json()["agenda"]
    assert [row["project"] for row in rows] == [
        world.project_y.pk,
        world.project_x2.pk,
        world.project_x.pk,
    ]
    assert [row["order"] for row in rows] == sorted(row["order"] for row in rows)


# --- Order and removal ---------------------------------------------------------------------


def test_an_agenda_item_moves_up_and_down_and_each_move_is_logged(world):
    meeting, browser = world.meeting_x, client_for(world.coordinator)
    browser.post(_url("agenda_add", meeting), {"projects": [world.project_y.pk]})
    item_y = meeting.agenda.get(project=world.project_y)

    browser.post(_url("agenda_up", item_y))
    after_up = agenda(meeting)
    browser.post(_url("agenda_down", world.item_x))

    assert after_up == [X, Y, X2]
    assert agenda(meeting) == [Y, X, X2]
    log = ChangeLog.objects.filter(object_id=meeting.pk, action=ChangeAction.UPDATE)
    assert log.latest("pk").before == {
        "agenda": ["水务产业园", "新材料产业基地", "水务产业园配套管网"]
    }
    assert log.latest("pk").after == {
        "agenda": ["新材料产业基地", "水务产业园", "水务产业园配套管网"]
    }


def test_moving_the_first_item_up_or_the_last_down_changes_nothing(world):
    browser, changes = client_for(world.coordinator), ChangeLog.objects.count()

    up = browser.post(_url("agenda_up", world.item_x))
    down = browser.post(_url("agenda_down", world.item_x2))

    assert (up.status_code, down.status_code) == (302, 302)
    assert agenda(world.meeting_x) == [X, X2]
    assert ChangeLog.objects.count() == changes


def test_removing_an_agenda_item_is_logged_with_what_it_held(world):
    world.item_x2.summary = "管网施工单位已进场。"
    world.item_x2.save(update_fields=["summary"])

    response = client_for(world.coordinator).post(_url("agenda_remove", world.item_x2))

    assert response.status_code == 302
    assert agenda(world.meeting_x) == [X]
    row = ChangeLog.objects.get(action=ChangeAction.DELETE)
    assert row.object_repr == "水务产业园专题调度会议 · 水务产业园配套管网"
    assert row.before["summary"] == "管网施工单位已进场。"
    assert (row.related_id, row.actor) == (world.meeting_x.pk, world.coordinator)


# --- Recording the discussion --------------------------------------------------------------


def test_the_discussion_is_saved_from_a_plain_post(world):
    response = client_for(world.leader).post(
        _url("agenda_discussion", world.item_x),
        discussion_data(world.item_x, "场地平整已完成。", "资规局6月底前完成供地。"),
    )

    assert response.status_code == 302
    assert messages_of(response) == [("success", "讨论情况已保存。")]
    world.item_x.refresh_from_db()
    assert (world.item_x.summary, world.item_x.decisions) == (
        "场地平整已完成。",
        "资规局6月底前完成供地。",
    )
    row = ChangeLog.objects.latest("pk")
    assert (row.actor, row.related_id) == (world.leader, world.meeting_x.pk)
    assert row.after["decisions"] == "资规局6月底前完成供地。"


def test_an_htmx_save_returns_the_agenda_item_alone_with_its_forms_again(world):
    item = world.item_x

    response = client_for(world.coordinator).post(
        _url("agenda_discussion", item),
        {**discussion_data(item, "场地平整已完成。", "6月底前供地。"), "number": "1"},
        headers=HTMX,
    )

    assert response.status_code == 200
    templates = [t.name for t in response.templates]
    assert templates[:1] == ["meetings/_agenda_item.html"]
    assert "base.html" not in templates
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div class="card mb-3" id="agenda-{item.pk}">')
    assert f'hx-target="#agenda-{item.pk}"' in html
    assert "已保存" in html
    assert "场地平整已完成。</textarea>" in html
    assert "1. " in html
    # The office's buttons to reorder and remove stay on the card it swapped in.
    assert _url("agenda_up", item) in html
    assert _url("agenda_remove", item) in html


def test_an_htmx_save_for_a_leader_has_no_office_buttons(world):
    response = client_for(world.leader).post(
        _url("agenda_discussion", world.item_x),
        discussion_data(world.item_x, "场地平整已完成。"),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert _url("agenda_up", world.item_x) not in response.content.decode()


def test_an_over_long_summary_comes_back_in_the_partial_with_its_error(world):
    response = client_for(world.leader).post(
        _url("agenda_discussion", world.item_x),
        discussion_data(world.item_x, "议" * 4001),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "summary" in response.context["brief"].discussion_form.errors
    world.item_x.refresh_from_db()
    assert world.item_x.summary == ""


def test_the_api_records_the_discussion_and_the_decisions(world):
    response = api_for(world.leader).patch(
        f"/api/agenda-items/{world.item_x.pk}/",
        {
            "version": world.item_x.version,
            "summary": "场地平整已完成。",
            "decisions": "资规局6月底前完成供地。",
        },
    )

    assert response.status_code == 200
    assert response.json()["decisions"] == "资规局6月底前完成供地。"
    world.item_x.refresh_from_db()
    assert world.item_x.summary == "场地平整已完成。"


def test_the_api_does_not_let_an_agenda_item_change_meeting_project_or_order(world):
    response = api_for(world.coordinator).patch(
        f"/api/agenda-items/{world.item_x.pk}/",
        {
            "version": world.item_x.version,
            "meeting": world.meeting_y.pk,
            "project": world.project_y.pk,
            "order": 1,
        },
    )

    assert response.status_code == 200
    world.item_x.refresh_from_db()
    assert (world.item_x.meeting, world.item_x.project, world.item_x.order) == (
        world.meeting_x,
        world.project_x,
        10,
    )


# --- Assigning during the meeting ----------------------------------------------------------


def test_an_action_item_assigned_in_the_meeting_belongs_to_it_and_is_announced(world):
    problem = ProblemFactory(project=world.project_x, lead_department=world.department_a)
    item = world.item_x

    response = client_for(world.leader).post(
        _url("agenda_assign", item),
        action_data(
            item,
            title="6月底前完成供地",
            lead_department=world.department_a.pk,
            cooperating_departments=[world.department_b.pk],
            due_date="2026-06-30",
            problem=problem.pk,
        ),
        headers=HTMX,
    )

    assert response.status_code == 200
    action = ActionItem.objects.get()
    assert (action.meeting, action.project, action.problem) == (
        world.meeting_x,
        world.project_x,
        problem,
    )
    assert (action.source, action.assigned_by) == (ActionSource.MEETING, world.leader)
    assert (action.lead_department, action.due_date) == (world.department_a, date(2026, 6, 30))
    assert list(action.cooperating_departments.all()) == [world.department_b]
    html = response.content.decode()
    assert "本次会议交办" in html
    assert "6月底前完成供地" in html
    told = Notification.objects.filter(event="action_assigned")
    assert {n.recipient for n in told} == {world.staff_a, world.staff_b}


def test_an_action_item_without_lead_department_or_due_date_is_refused_in_the_partial(world):
    item = world.item_x

    response = client_for(world.coordinator).post(
        _url("agenda_assign", item), action_data(item, title="协调供电接入"), headers=HTMX
    )

    assert response.status_code == 200
    form = response.context["brief"].action_form
    assert set(form.errors) == {"lead_department", "due_date"}
    assert 'value="协调供电接入"' in response.content.decode()
    assert not ActionItem.objects.exists()


def test_an_action_item_without_lead_department_or_due_date_names_them_in_the_message(world):
    item = world.item_x

    response = client_for(world.coordinator).post(
        _url("agenda_assign", item), action_data(item, title="协调供电接入")
    )

    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "责任单位" in text
    assert "截止日期" in text
    assert not ActionItem.objects.exists()


def test_a_problem_of_another_project_cannot_be_linked_on_the_page(world):
    other = ProblemFactory(project=world.project_y)

    response = client_for(world.coordinator).post(
        _url("agenda_assign", world.item_x),
        action_data(
            world.item_x,
            title="协调供电接入",
            lead_department=world.department_a.pk,
            due_date="2026-06-30",
            problem=other.pk,
        ),
        headers=HTMX,
    )

    assert "problem" in response.context["brief"].action_form.errors
    assert not ActionItem.objects.exists()


def test_the_api_assigns_an_action_item_in_the_meeting(world):
    response = api_for(world.leader).post(
        f"/api/agenda-items/{world.item_x.pk}/assign/",
        {
            "title": "6月底前完成供地",
            "lead_department": world.department_a.pk,
            "due_date": "2026-06-30",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["project"], body["source"]) == (world.project_x.pk, "meeting")
    assert ActionItem.objects.get(pk=body["id"]).meeting == world.meeting_x


def test_the_api_refuses_an_action_item_without_lead_department_or_due_date(world):
    response = api_for(world.coordinator).post(
        f"/api/agenda-items/{world.item_x.pk}/assign/", {"title": "协调供电接入"}
    )

    assert response.status_code == 400
    assert {"lead_department", "due_date"} <= set(response.json())
    assert not ActionItem.objects.exists()


def test_the_api_refuses_a_problem_of_another_project(world):
    other = ProblemFactory(project=world.project_y)

    response = api_for(world.coordinator).post(
        f"/api/agenda-items/{world.item_x.pk}/assign/",
        {
            "title": "协调供电接入",
            "lead_department": world.department_a.pk,
            "due_date": "2026-06-30",
            "problem": other.pk,
        },
    )

    assert response.status_code == 400
    assert response.json() == {"problem": ["该问题属于其他项目。"]}
    assert not ActionItem.objects.exists()


def test_the_api_assigns_to_the_agenda_items_project_whatever_project_is_sent(world):
    response = api_for(world.coordinator).post(
        f"/api/agenda-items/{world.item_x.pk}/assign/",
        {
            "title": "协调供电接入",
            "project": world.project_y.pk,
            "lead_department": world.department_a.pk,
            "due_date": "2026-06-30",
        },
    )

    assert response.status_code == 201
    assert ActionItem.objects.get().project == world.project_x


def test_the_office_reorders_and_removes_agenda_items_through_the_api(world, meetings):
    api = api_for(world.coordinator)
    first, second = meetings.meeting_x.agenda.order_by("order", "pk")[:2]

    moved = api.post(f"/api/agenda-items/{second.pk}/move/", {"direction": "up"}, format="json")
    removed = api.delete(f"/api/agenda-items/{first.pk}/")

    assert moved.status_code == 200
    assert [row["id"] for row in moved.json()][:2] == [second.pk, first.pk]
    assert removed.status_code == 204
    assert not meetings.meeting_x.agenda.filter(pk=first.pk).exists()
    assert ChangeLog.objects.filter(action="delete", object_id=first.pk).exists()


def test_owners_cannot_reorder_or_remove_agenda_items(world, meetings):
    item = meetings.meeting_x.agenda.first()
    api = api_for(world.owner_x)

    assert api.post(f"/api/agenda-items/{item.pk}/move/", {"direction": "up"}).status_code == 403
    assert api.delete(f"/api/agenda-items/{item.pk}/").status_code == 403
    assert meetings.meeting_x.agenda.filter(pk=item.pk).exists()

"""Every change is recorded: who, when, before and after; and the project page shows it."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.factories import MilestoneKindFactory, ProjectListFactory
from diaodu.projects import services
from diaodu.projects.models import Project
from diaodu.test import client_for, new_project, project_form_data


def last_change() -> ChangeLog:
    return ChangeLog.objects.order_by("-pk").first()


def test_creating_a_project_records_who_created_it_and_its_values(
    coordinator, enterprise_x, department_a, clock
):
    project = new_project(
        coordinator, code="N-1", name="新项目", owner=enterprise_x, lead_department=department_a
    )

    change = ChangeLog.objects.get(object_type__model="project", object_id=project.pk)
    assert change.action == ChangeAction.CREATE
    assert change.actor == coordinator
    assert change.timestamp == clock.now
    assert change.before is None
    assert change.after["name"] == "新项目"
    assert change.after["owner"] == "绿源水务"  # related objects by name, as people read them
    assert change.after["total_investment"] == "80000.00"
    assert "search_key" not in change.after


def test_updating_a_project_records_the_values_before_and_after(world):
    before = ChangeLog.objects.count()

    services.update_project(
        world.project_x, {"name": "水务产业园（一期）", "total_investment": Decimal("90000")},
        actor=world.coordinator,
    )  # fmt: skip

    assert ChangeLog.objects.count() == before + 1
    change = last_change()
    assert (change.action, change.actor, change.object_id) == (
        ChangeAction.UPDATE,
        world.coordinator,
        world.project_x.pk,
    )
    assert (change.before["name"], change.after["name"]) == ("水务产业园", "水务产业园（一期）")
    assert (change.before["total_investment"], change.after["total_investment"]) == (
        "80000.00",
        "90000.00",
    )
    with translation.override("en"):
        assert [(str(label), old, new) for label, old, new in change.changed_fields()] == [
            ("name", "水务产业园", "水务产业园（一期）"),
            ("total investment (10k yuan)", "80000.00", "90000.00"),
        ]


def test_an_update_that_changes_nothing_leaves_no_record(world):
    before = ChangeLog.objects.count()

    services.update_project(
        world.project_x,
        {"name": "水务产业园", "total_investment": Decimal("80000.00"), "lists": []},
        actor=world.coordinator,
    )
    services.plan_milestone(
        world.milestone_x, {"planned_date": date(2026, 7, 1)}, actor=world.coordinator
    )

    assert ChangeLog.objects.count() == before


def test_revising_a_report_awaiting_review_without_changes_leaves_no_record(world, clock):
    clock.advance(days=1)
    before = ChangeLog.objects.count()

    services.revise_report(
        world.report_x,
        {"narrative": "完成场地平整。", "investment": Decimal("1200.00")},
        actor=world.owner_x,
    )

    assert ChangeLog.objects.count() == before
    world.report_x.refresh_from_db()
    assert world.report_x.submitted_at < clock.now


def test_resubmitting_a_returned_report_unchanged_is_recorded(world):
    services.review_report(world.report_x, approve=False, note="补充照片", actor=world.coordinator)

    services.revise_report(world.report_x, {"narrative": "完成场地平整。"}, actor=world.owner_x)

    change = last_change()
    assert (change.before["status"], change.after["status"]) == ("returned", "submitted")


def test_saving_the_edit_form_unchanged_leaves_no_record(world):
    before = ChangeLog.objects.count()

    project = client_for(world.coordinator).post(
        reverse("projects:project_edit", args=[world.project_x.pk]),
        project_form_data(world.project_x),
    )
    report = client_for(world.owner_x).post(
        reverse("projects:report_edit", args=[world.report_x.pk]),
        {
            "period_kind": "month",
            "period_start": "2026-05-01",
            "narrative": "完成场地平整。",
            "investment": "1200",
            "version": world.report_x.version,
        },
    )

    assert (project.status_code, report.status_code) == (302, 302)
    assert ChangeLog.objects.count() == before


def test_a_change_of_lists_is_recorded(world):
    city_list = ProjectListFactory(name="2026年市级重点项目")

    services.update_project(world.project_x, {"lists": [city_list]}, actor=world.coordinator)

    change = last_change()
    assert (change.before["lists"], change.after["lists"]) == ([], ["2026年市级重点项目"])


def test_a_change_through_a_page_is_recorded_with_the_person_who_made_it(world):
    client_for(world.admin).post(
        reverse("projects:project_edit", args=[world.project_x.pk]),
        project_form_data(world.project_x, stage="construction"),
    )

    change = last_change()
    assert change.actor == world.admin
    assert (change.before["stage"], change.after["stage"]) == ("preparation", "construction")
    with translation.override("en"):
        assert [
            (str(label), str(old), str(new)) for label, old, new in change.changed_fields()
        ] == [("stage", "preparation", "under construction")]


def test_a_change_through_the_api_is_recorded_with_the_caller(world):
    from diaodu.test import api_for

    api_for(world.coordinator).patch(
        f"/api/projects/{world.project_x.pk}/",
        {"version": world.project_x.version, "location": "北区"},
    )

    change = last_change()
    assert change.actor == world.coordinator
    assert (change.before["location"], change.after["location"]) == ("滨江片区", "北区")


MILESTONE_AND_REPORT_WRITES = {
    "add a milestone": lambda w: services.add_milestone(
        w.project_x, {"kind": MilestoneKindFactory()}, actor=w.coordinator
    ),
    "plan a milestone": lambda w: services.plan_milestone(
        w.milestone_x, {"planned_date": date(2026, 8, 1)}, actor=w.coordinator
    ),
    "report a milestone": lambda w: services.report_milestone(
        w.milestone_x, date(2026, 6, 9), actor=w.owner_x
    ),
    "confirm a milestone": lambda w: services.confirm_milestone(w.milestone_x, actor=w.coordinator),
    "submit a report": lambda w: services.submit_report(
        w.project_x,
        {"period_kind": "week", "period_start": date(2026, 6, 8), "narrative": "周报",
         "investment": Decimal("10")},
        actor=w.owner_x,
    ),
    "revise a report": lambda w: services.revise_report(
        w.report_x, {"investment": Decimal("1300")}, actor=w.owner_x
    ),
    "review a report": lambda w: services.review_report(
        w.report_x, approve=False, note="补充照片", actor=w.coordinator
    ),
}  # fmt: skip

ACTORS = {
    "add a milestone": "coordinator",
    "plan a milestone": "coordinator",
    "report a milestone": "owner_x",
    "confirm a milestone": "coordinator",
    "submit a report": "owner_x",
    "revise a report": "owner_x",
    "review a report": "coordinator",
}


@pytest.mark.parametrize("write", MILESTONE_AND_REPORT_WRITES)
def test_milestone_and_report_changes_are_recorded_against_their_project(world, write):
    before = ChangeLog.objects.count()

    obj = MILESTONE_AND_REPORT_WRITES[write](world)

    assert ChangeLog.objects.count() == before + 1
    change = last_change()
    assert change.actor == getattr(world, ACTORS[write])
    assert change.object_type == ContentType.objects.get_for_model(obj)
    assert change.object_id == obj.pk
    assert change.related_type == ContentType.objects.get_for_model(Project)
    assert change.related_id == world.project_x.pk
    assert change.after
    if change.action == ChangeAction.CREATE:
        assert change.before is None
    else:
        assert change.before != change.after
    assert ChangeLog.objects.for_object(world.project_x).filter(pk=change.pk).exists()
    assert not ChangeLog.objects.for_object(world.project_y).filter(pk=change.pk).exists()


def test_confirming_records_the_actual_date_and_the_cleared_report(world):
    services.confirm_milestone(world.milestone_x, actor=world.coordinator)

    change = last_change()
    assert (change.before["actual_date"], change.after["actual_date"]) == (None, "2026-06-01")
    assert (change.before["reported_date"], change.after["reported_date"]) == ("2026-06-01", None)
    assert (change.before["reported_by"], change.after["reported_by"]) == ("绿源张经理", None)


def test_the_project_page_shows_its_own_and_its_milestones_and_reports_changes(world):
    services.confirm_milestone(world.milestone_x, actor=world.coordinator)
    services.review_report(world.report_x, approve=False, note="补充照片", actor=world.coordinator)
    services.update_project(world.project_y, {"location": "南区"}, actor=world.coordinator)

    response = client_for(world.leader, language="en").get(
        reverse("projects:project_detail", args=[world.project_x.pk])
    )

    changes = list(response.context["changes"])
    shown = [(c.object_type.model, c.action, c.actor) for c in changes]
    assert shown[:2] == [
        ("progressreport", "update", world.coordinator),
        ("milestone", "update", world.coordinator),
    ]
    assert ("project", "create", world.coordinator) in shown
    assert ("progressreport", "create", world.owner_x) in shown
    assert all(
        c.object_id != world.project_y.pk or c.object_type.model != "project" for c in changes
    )
    html = response.content.decode()
    assert "returned for revision" in html  # the report's status change, labelled
    assert "补充照片" in html
    assert "南区" not in html  # project Y's change is not project X's history


def test_history_is_newest_first_and_stops_at_a_page(world):
    for n in range(40):
        services.update_project(world.project_x, {"location": f"地块{n}"}, actor=world.coordinator)

    response = client_for(world.coordinator).get(
        reverse("projects:project_detail", args=[world.project_x.pk])
    )

    changes = list(response.context["changes"])
    assert 0 < len(changes) < 41
    assert changes[0].after["location"] == "地块39"

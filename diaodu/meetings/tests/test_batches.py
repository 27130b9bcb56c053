"""Event batches (集中开竣工/签约活动): the page shows the projects and their total
investment; marking the event held sets the matching milestone's actual date for every
project in it, in one transaction."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from diaodu.core.models import ChangeLog
from diaodu.factories import EventBatchFactory, template_kind
from diaodu.meetings import services
from diaodu.meetings.models import EventBatch
from diaodu.meetings.tests.helpers import messages_of
from diaodu.projects.models import Milestone
from diaodu.test import api_for, client_for, form_errors

pytestmark = pytest.mark.usefixtures("meetings")

HELD_ON = date(2026, 6, 8)


def _detail(batch):
    return reverse("meetings:batch_detail", args=[batch.pk])


@pytest.fixture
def batch(world):
    """The groundbreaking event of 8 June with projects X and Y (80,000 万元 each)."""
    return EventBatchFactory(
        name="2026年第二季度重点项目集中开工活动",
        place="滨江片区",
        projects=[world.project_x, world.project_y],
    )


def groundbreaking(project) -> Milestone:
    return project.milestones.get(kind__code="groundbreaking")


def test_the_batch_page_shows_its_projects_and_their_total_investment(world, batch):
    response = client_for(world.coordinator).get(_detail(batch))

    assert list(response.context["projects"]) == [world.project_x, world.project_y]
    assert response.context["investment"] == Decimal("160000")
    html = response.content.decode()
    for text in (
        "2026年第二季度重点项目集中开工活动",
        "水务产业园",
        "新材料产业基地",
        "160,000.00",
    ):
        assert text in html


def test_the_batch_list_counts_projects_and_sums_their_investment(world, batch):
    response = client_for(world.leader).get(reverse("meetings:batch_list"))

    [listed] = [b for b in response.context["batches"] if b.pk == batch.pk]
    assert (listed.project_count, listed.investment) == (2, Decimal("160000"))
    assert "160,000.00" in response.content.decode()


def test_marking_the_event_held_sets_every_projects_groundbreaking_date(world, batch):
    response = client_for(world.coordinator).post(_detail(batch), {"held_on": "2026-06-08"})

    assert response.status_code == 302
    assert messages_of(response) == [("success", "活动已标记为已举办，相关项目的时间节点已更新。")]
    batch.refresh_from_db()
    assert batch.held_on == HELD_ON
    assert groundbreaking(world.project_x).actual_date == HELD_ON
    assert groundbreaking(world.project_y).actual_date == HELD_ON
    # The owner's report of 1 June awaited confirmation; the event's date is what counts.
    assert groundbreaking(world.project_x).reported_date == date(2026, 6, 1)


def test_a_project_without_the_milestone_gets_one(world, batch):
    groundbreaking(world.project_y).delete()

    services.hold_batch(batch, HELD_ON, actor=world.coordinator)

    milestone = groundbreaking(world.project_y)
    assert (milestone.planned_date, milestone.actual_date) == (date(2026, 6, 8), HELD_ON)


def test_an_actual_date_already_confirmed_is_kept(world, batch):
    Milestone.objects.filter(pk=world.milestone_y.pk).update(actual_date=date(2026, 6, 2))

    services.hold_batch(batch, HELD_ON, actor=world.coordinator)

    assert groundbreaking(world.project_y).actual_date == date(2026, 6, 2)
    assert groundbreaking(world.project_x).actual_date == HELD_ON


@pytest.mark.parametrize(("kind", "code"), [("signing", "signing"), ("completion", "completion")])
def test_each_kind_of_event_sets_its_own_milestone(world, kind, code):
    event = EventBatchFactory(kind=kind, projects=[world.project_x])

    services.hold_batch(event, HELD_ON, actor=world.coordinator)

    assert world.project_x.milestones.get(kind=template_kind(code)).actual_date == HELD_ON
    assert groundbreaking(world.project_x).actual_date is None


def test_marking_held_is_all_or_nothing(world, batch, monkeypatch):
    """The second project's update fails: the first project's date is rolled back too."""
    real_plan = services.project_services.plan_milestone
    calls = []

    def plan_then_fail(milestone, changes, *, actor):
        calls.append(milestone.project_id)
        if len(calls) == 2:
            raise ValidationError("节点更新失败")
        return real_plan(milestone, changes, actor=actor)

    monkeypatch.setattr(services.project_services, "plan_milestone", plan_then_fail)
    changes = ChangeLog.objects.count()

    response = client_for(world.coordinator).post(_detail(batch), {"held_on": "2026-06-08"})

    assert len(calls) == 2
    assert form_errors(response) == {"__all__": ["节点更新失败"]}
    assert "节点更新失败" in response.content.decode()
    assert groundbreaking(world.project_x).actual_date is None
    assert groundbreaking(world.project_y).actual_date is None
    assert EventBatch.objects.get(pk=batch.pk).held_on is None
    assert ChangeLog.objects.count() == changes


def test_an_event_cannot_be_held_in_the_future(world, batch):
    page = client_for(world.coordinator).post(_detail(batch), {"held_on": "2026-06-11"})
    api = api_for(world.coordinator).post(
        f"/api/event-batches/{batch.pk}/hold/", {"held_on": "2026-06-11"}
    )

    assert form_errors(page) == {"held_on": ["活动举办日期不能晚于今天。"]}
    assert api.status_code == 400
    assert api.json() == {"held_on": ["活动举办日期不能晚于今天。"]}
    assert groundbreaking(world.project_x).actual_date is None


def test_holding_an_event_twice_is_refused_with_a_message(world, batch):
    client_for(world.coordinator).post(_detail(batch), {"held_on": "2026-06-08"})
    changes = ChangeLog.objects.count()

    page = client_for(world.coordinator).post(_detail(batch), {"held_on": "2026-06-09"})
    api = api_for(world.coordinator).post(
        f"/api/event-batches/{batch.pk}/hold/", {"held_on": "2026-06-09"}
    )

    assert form_errors(page) == {"__all__": ["该活动已标记为已举办。"]}
    assert "该活动已标记为已举办。" in page.content.decode()
    assert api.status_code == 400
    assert api.json() == {"non_field_errors": ["该活动已标记为已举办。"]}
    batch.refresh_from_db()
    assert batch.held_on == HELD_ON
    assert groundbreaking(world.project_x).actual_date == HELD_ON
    assert ChangeLog.objects.count() == changes


def test_the_api_creates_lists_and_holds_a_batch(world):
    api = api_for(world.coordinator)

    created = api.post(
        "/api/event-batches/",
        {
            "name": "2026年第三季度集中竣工活动",
            "kind": "completion",
            "date": "2026-06-09",
            "place": "滨江片区",
            "projects": [world.project_x.pk, world.project_y.pk],
        },
    )
    pk = created.json()["id"]
    held = api.post(f"/api/event-batches/{pk}/hold/", {"held_on": "2026-06-09"})
    listed = api.get("/api/event-batches/", {"kind": "completion"}).json()["results"]

    assert created.status_code == 201, created.content
    assert held.status_code == 200
    assert held.json()["held_on"] == "2026-06-09"
    assert [b["id"] for b in listed] == [pk]
    completion = template_kind("completion")
    assert world.project_y.milestones.get(kind=completion).actual_date == date(2026, 6, 9)


def test_the_batch_form_creates_a_batch(world):
    response = client_for(world.coordinator).post(
        reverse("meetings:batch_create"),
        {
            "name": "2026年重点项目集中签约活动",
            "kind": "signing",
            "date": "2026-06-28",
            "place": "会展中心",
            "projects": [world.project_x.pk],
        },
    )

    batch = EventBatch.objects.get(name="2026年重点项目集中签约活动")
    assert response.status_code == 302
    assert response.url == _detail(batch)
    assert list(batch.projects.all()) == [world.project_x]

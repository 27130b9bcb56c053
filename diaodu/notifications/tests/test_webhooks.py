"""Events posted to outside systems' webhooks, received by a real HTTP server on
127.0.0.1 (the ``robot`` of ``conftest``): signed, retried with back-off, recorded, and
sent only for what happened and was subscribed to."""

import hashlib
import hmac
import time
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from diaodu.factories import AgendaItemFactory
from diaodu.meetings import services as meeting_services
from diaodu.notifications import tasks
from diaodu.notifications.choices import DeliveryStatus, WebhookEvent
from diaodu.notifications.delivery import BACKOFF
from diaodu.notifications.models import Delivery, WebhookEndpoint
from diaodu.problems import services as problem_services
from diaodu.problems.chasing import chase
from diaodu.problems.choices import Category, ProblemStatus
from diaodu.projects import services as project_services

SECRET = "s3cret-for-the-city-platform"
ALL_EVENTS = list(WebhookEvent.values)


@pytest.fixture
def endpoint(robot, db):
    return WebhookEndpoint.objects.create(
        name="市重点项目监管平台", url=f"{robot.url}/hooks/diaodu", secret=SECRET, events=ALL_EVENTS
    )


def verified(received, secret=SECRET) -> bool:
    """What a receiver does: recompute the HMAC of "<t>." + body and compare."""
    parts = dict(part.split("=", 1) for part in received.headers["X-Diaodu-Signature"].split(","))
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + received.body, hashlib.sha256
    ).hexdigest()
    fresh = abs(time.time() - int(parts["t"])) < 300
    return fresh and hmac.compare_digest(parts["sha256"], expected)


def raise_problem(world, due=date(2026, 6, 30), project=None):
    return problem_services.raise_problem(
        project or world.project_x,
        {
            "title": "供水管网接驳未完成",
            "description": "园区市政供水管网尚未接驳。",
            "category": Category.UTILITIES,
            "lead_department": world.department_a,
            "due_date": due,
        },
        actor=world.owner_x,
    )


def test_a_raised_problem_is_posted_signed_with_its_fields_and_page(
    world, endpoint, robot, run_inline, django_capture_on_commit_callbacks, settings
):
    settings.DIAODU_SITE_URL = "https://diaodu.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        problem = raise_problem(world)

    assert len(robot.received) == 1
    received = robot.received[0]
    assert received.path == "/hooks/diaodu"
    assert verified(received)
    assert not verified(received, secret="another-secret-entirely")
    assert received.headers["X-Diaodu-Event"] == "problem.raised"
    event = received.json
    assert event["type"] == "problem.raised"
    assert len(event["id"]) == 36
    assert event["occurred_at"].startswith("2026-06-10T02:00")
    assert event["actor"] == {"id": world.owner_x.pk, "name": str(world.owner_x)}
    assert event["object"]["type"] == "problems.problem"
    assert event["object"]["id"] == problem.pk
    assert event["object"]["url"] == f"https://diaodu.example.com/problems/{problem.pk}/"
    assert event["object"]["fields"]["title"] == "供水管网接驳未完成"
    assert event["object"]["fields"]["status"] == ProblemStatus.OPEN
    assert event["object"]["fields"]["due_date"] == "2026-06-30"
    assert event["project"] == {"id": world.project_x.pk, "code": "2026-001", "name": "水务产业园"}
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert received.headers["X-Diaodu-Delivery"] == str(delivery.pk)


def test_a_failed_post_is_recorded_backed_off_and_sent_again_with_the_same_event(
    world, endpoint, robot, run_inline, django_capture_on_commit_callbacks, clock
):
    # Only this post is followed: the world's own e-mails (its reports submitted) are not.
    Delivery.objects.all().delete()
    robot.answer(500, b"internal error")
    with django_capture_on_commit_callbacks(execute=True):
        raise_problem(world)

    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert delivery.last_error == "HTTP 500: internal error"
    assert delivery.last_attempt_at == clock.now
    assert delivery.next_attempt_at == clock.now + BACKOFF[0]
    assert delivery.sent_at is None

    # Not due yet: the cron's requeue leaves it alone.
    assert tasks.requeue_due() == 0
    robot.answer(200, b"ok")
    clock.advance(days=1)
    assert tasks.requeue_due() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert delivery.sent_at == clock.now
    first, second = robot.received
    assert first.json["id"] == second.json["id"]
    assert verified(second)


def test_an_endpoint_gets_only_the_events_it_subscribed_to(
    world, endpoint, robot, run_inline, django_capture_on_commit_callbacks
):
    endpoint.events = [WebhookEvent.PROBLEM_RESOLVED]
    endpoint.save(update_fields=["events"])
    with django_capture_on_commit_callbacks(execute=True):
        problem = raise_problem(world)
    assert robot.received == []
    assert not Delivery.objects.filter(endpoint=endpoint).exists()

    with django_capture_on_commit_callbacks(execute=True):
        problem_services.transition_problem(
            problem, ProblemStatus.RESOLVED, actor=world.staff_a, resolution="已完成接驳。"
        )
    assert [r.json["type"] for r in robot.received] == ["problem.resolved"]
    assert robot.received[0].json["object"]["fields"]["resolution"] == "已完成接驳。"


def test_a_switched_off_endpoint_gets_nothing(
    world, endpoint, robot, run_inline, django_capture_on_commit_callbacks
):
    endpoint.is_active = False
    endpoint.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        raise_problem(world)
    assert robot.received == []


def test_an_action_that_rolls_back_sends_nothing(
    world, endpoint, robot, run_inline, django_capture_on_commit_callbacks
):
    def raise_then_fail():
        with transaction.atomic():
            raise_problem(world)
            raise RuntimeError("the page failed after raising the problem")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        raise_then_fail()
    assert callbacks == []
    assert robot.received == []
    assert not Delivery.objects.filter(endpoint=endpoint).exists()


def test_an_organisations_endpoint_gets_only_events_about_its_projects(
    world, endpoint, robot, run_inline, django_capture_on_commit_callbacks
):
    endpoint.organisation = world.enterprise_y
    endpoint.save(update_fields=["organisation"])
    with django_capture_on_commit_callbacks(execute=True):
        raise_problem(world)
    assert robot.received == []

    with django_capture_on_commit_callbacks(execute=True):
        raise_problem(world, project=world.project_y)
    assert [r.json["project"]["code"] for r in robot.received] == ["2026-002"]


def test_an_overdue_problem_is_posted_once_per_due_date_however_often_chasing_runs(
    world, endpoint, robot, queue, clock
):
    problem = raise_problem(world, due=date(2026, 6, 12))
    overdue = Delivery.objects.filter(endpoint=endpoint, event=WebhookEvent.PROBLEM_OVERDUE)

    chase(clock.today)
    assert not overdue.exists()  # due in two days: a reminder, not overdue

    clock.advance(days=3)
    chase(clock.today)
    chase(clock.today)
    clock.advance(days=10)  # escalated by now: still the same overdue due date
    chase(clock.today)
    assert overdue.count() == 1
    assert overdue.get().payload["object"]["id"] == problem.pk

    problem_services.edit_problem(
        problem, {"due_date": clock.today + timedelta(days=2)}, version=1, actor=world.coordinator
    )
    clock.advance(days=3)
    chase(clock.today)
    chase(clock.today)
    assert overdue.count() == 2


def test_a_dry_run_of_chasing_posts_nothing(world, endpoint, queue, clock):
    raise_problem(world, due=date(2026, 6, 12))
    clock.advance(days=3)
    run = chase(clock.today, dry_run=True)
    assert len(run.overdue_problems) == 1
    assert not Delivery.objects.filter(endpoint=endpoint, event="problem.overdue").exists()


def test_a_milestone_is_posted_achieved_when_first_confirmed_not_when_corrected(
    world, endpoint, queue
):
    achieved = Delivery.objects.filter(endpoint=endpoint, event=WebhookEvent.MILESTONE_ACHIEVED)
    project_services.report_milestone(world.milestone_x, date(2026, 6, 2), actor=world.owner_x)
    assert not achieved.exists()

    project_services.confirm_milestone(world.milestone_x, actor=world.coordinator)
    project_services.plan_milestone(
        world.milestone_x, {"actual_date": date(2026, 6, 3)}, actor=world.coordinator
    )
    project_services.plan_milestone(
        world.milestone_x, {"planned_date": date(2026, 7, 3)}, actor=world.coordinator
    )

    event = achieved.get().payload
    assert event["object"]["type"] == "projects.milestone"
    assert event["object"]["fields"]["actual_date"] == "2026-06-02"
    assert event["object"]["url"] == world.project_x.get_absolute_url()


def test_issued_minutes_are_posted(world, endpoint, queue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = meeting_services.create_meeting(
        {
            "kind": "special",
            "title": "水务产业园专题调度会",
            "starts_at": world.today.isoformat() + "T09:00:00+08:00",
            "chair": world.leader,
            "status": "held",
        },
        actor=world.coordinator,
    )
    AgendaItemFactory(meeting=meeting, project=world.project_x)
    meeting_services.issue_minutes(meeting, lambda minutes: b"PK\x03\x04", actor=world.coordinator)

    event = Delivery.objects.get(endpoint=endpoint).payload
    assert event["type"] == "minutes.issued"
    assert event["object"]["id"] == meeting.pk
    assert event["object"]["fields"]["status"] == "issued"
    assert event["project"] is None


def test_an_endpoint_needs_known_events_and_a_long_enough_secret(db):
    endpoint = WebhookEndpoint(name="x", url="ftp://example.com", secret="short", events=["nope"])
    with pytest.raises(ValidationError) as error:
        endpoint.full_clean()
    assert set(error.value.message_dict) == {"url", "secret", "events"}


def test_an_endpoint_subscribing_later_hears_once_of_problems_overdue_then(
    world, endpoint, queue, clock
):
    endpoint.events = [WebhookEvent.PROBLEM_RAISED]
    endpoint.save(update_fields=["events"])
    raise_problem(world, due=date(2026, 6, 12))
    clock.advance(days=3)
    chase(clock.today)
    overdue = Delivery.objects.filter(endpoint=endpoint, event=WebhookEvent.PROBLEM_OVERDUE)
    assert not overdue.exists()

    endpoint.events = ALL_EVENTS
    endpoint.save(update_fields=["events"])
    chase(clock.today)
    chase(clock.today)
    assert overdue.count() == 1


def test_a_webhook_s_title_in_the_log_reads_in_each_reader_s_language(world, endpoint, queue):
    from django.utils import translation

    from diaodu.test import api_for

    with translation.override("zh-hans"):  # raised by someone reading Simplified
        raise_problem(world)

    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.title_message["key"] == "%(event)s: %(object)s"

    def title_for(language):
        listed = api_for(world.admin, language).get("/api/deliveries/").json()["results"]
        [title] = [d["title"] for d in listed if d["endpoint"] == endpoint.pk]
        return title

    assert title_for("en") == "problem raised: 供水管网接驳未完成"
    # The separator's Chinese form comes with the catalogue: the label and the data are
    # what must follow the reader.
    traditional = title_for("zh-hant")
    assert traditional.startswith("新問題")
    assert traditional.endswith("供水管網接駁未完成")

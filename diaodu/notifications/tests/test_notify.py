import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from diaodu.factories import DepartmentFactory, DepartmentStaffFactory
from diaodu.notifications.choices import ChannelKind, DeliveryStatus
from diaodu.notifications.models import Delivery, Notification
from diaodu.notifications.services import notify
from diaodu.notifications.tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def recipients(notifications) -> set[str]:
    return {n.recipient.username for n in notifications}


def emailed() -> set[str]:
    return set(
        Delivery.objects.filter(notification__isnull=False).values_list(
            "notification__recipient__username", flat=True
        )
    )


def raise_problem(**kwargs):
    return notify(
        event="problem_raised",
        title="水务产业园：用地指标未落实",
        body="需区资规局牵头协调。",
        url="/problems/7/",
        **kwargs,
    )


def test_everyone_active_in_the_organisations_and_each_user_is_notified_once(
    cast, alice, dan, planning, queue
):
    notifications = raise_problem(users=[alice, dan], organisations=[planning, planning])

    assert recipients(notifications) == {"alice", "bob", "dan"}
    assert Notification.objects.count() == 3
    first = Notification.objects.get(recipient=alice)
    assert (first.event, first.title, first.body, first.url, first.read_at) == (
        "problem_raised",
        "水务产业园：用地指标未落实",
        "需区资规局牵头协调。",
        "/problems/7/",
        None,
    )


def test_the_actor_is_not_notified_of_their_own_action(cast, alice, planning, queue):
    notifications = raise_problem(users=[alice], organisations=[planning], actor=alice)

    assert recipients(notifications) == {"bob"}


def test_closed_accounts_are_not_notified_even_when_named(cast, alice, carol, queue):
    assert recipients(raise_problem(users=[carol, None, alice])) == {"alice"}


def test_email_goes_to_people_with_an_address_who_did_not_turn_it_off(
    cast, planning, approvals, queue
):
    raise_problem(organisations=[planning, approvals])

    assert recipients(Notification.objects.all()) == {"alice", "bob", "dan", "erin"}
    assert emailed() == {"alice", "bob"}
    delivery = Delivery.objects.get(notification__recipient__username="alice")
    assert (delivery.title, delivery.body, delivery.url, delivery.status, delivery.attempts) == (
        "水务产业园：用地指标未落实",
        "需区资规局牵头协调。",
        "/problems/7/",
        DeliveryStatus.PENDING,
        0,
    )


def test_each_active_channel_of_each_organisation_gets_one_post(
    cast, alice, planning, approvals, queue
):
    group = ChannelFactory(organisation=planning, kind=ChannelKind.WECOM)
    ChannelFactory(organisation=planning, kind=ChannelKind.DINGTALK, is_active=False)
    approvals_group = ChannelFactory(organisation=approvals, kind=ChannelKind.FEISHU)
    ChannelFactory(kind=ChannelKind.WEBHOOK)  # another organisation's

    raise_problem(organisations=[planning, approvals, planning], actor=alice)

    posts = Delivery.objects.filter(channel__isnull=False)
    assert sorted(posts.values_list("channel", flat=True)) == sorted([group.pk, approvals_group.pk])


def test_channels_post_even_when_the_actor_is_the_only_person(planning, queue):
    actor = DepartmentStaffFactory(organisation=planning)
    ChannelFactory(organisation=planning)

    assert raise_problem(organisations=[planning], actor=actor) == []
    assert Delivery.objects.filter(channel__isnull=False).count() == 1


def test_deliveries_are_queued_only_when_the_transaction_commits(
    cast, planning, queue, django_capture_on_commit_callbacks
):
    ChannelFactory(organisation=planning)

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        raise_problem(organisations=[planning])
        assert Delivery.objects.count() == 3  # e-mails to Alice and Bob, the group post
        assert queue.results == []
    assert queue.results == []
    assert len(callbacks) == 3

    for callback in callbacks:
        callback()

    queued = sorted(result.args[0] for result in queue.results)
    assert queued == sorted(Delivery.objects.values_list("pk", flat=True))
    assert {result.task.name for result in queue.results} == {"deliver_task"}


def test_nothing_is_queued_when_the_action_rolls_back(
    cast, planning, queue, django_capture_on_commit_callbacks
):
    ChannelFactory(organisation=planning)

    def failing_action():
        with transaction.atomic():
            raise_problem(organisations=[planning])
            raise RuntimeError("the service failed after notifying")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        failing_action()

    assert callbacks == []
    assert queue.results == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_notifying_nobody_does_nothing(queue, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert raise_problem(users=[], organisations=[]) == []


def test_the_number_of_queries_does_not_grow_with_the_number_of_people(queue):
    def queries_to_notify(size: int) -> int:
        department = DepartmentFactory()
        DepartmentStaffFactory.create_batch(size, organisation=department)
        ChannelFactory.create_batch(2, organisation=department)
        with CaptureQueriesContext(connection) as context:
            raise_problem(organisations=[department])
        return len(context.captured_queries)

    assert queries_to_notify(2) == queries_to_notify(25)


def test_overlong_titles_are_cut_and_overlong_links_dropped(alice, queue):
    (notification,) = notify(
        event="reminder", title="长" * 300, url="/x/" + "y" * 600, users=[alice]
    )

    notification.refresh_from_db()
    assert len(notification.title) == 200
    assert notification.title.endswith("…")
    assert notification.url == ""

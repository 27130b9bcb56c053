from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from diaodu.inbox.context import header
from diaodu.notifications.choices import ChannelKind, DeliveryStatus
from diaodu.notifications.models import Delivery, Notification, Preference
from diaodu.notifications.tests.factories import ChannelFactory, NotificationFactory

pytestmark = pytest.mark.urls("diaodu.notifications.tests.urls")

LIST = "/notifications/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def read_url(notification) -> str:
    return reverse("notifications:notification_read", args=[notification.pk])


# --- The list ----------------------------------------------------------------------------


def test_the_list_shows_ones_own_notifications_newest_first_unread_highlighted(alice, bob):
    old = NotificationFactory(recipient=alice, title="旧的通知", read_at=timezone.now())
    new = NotificationFactory(recipient=alice, title="新的通知")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    NotificationFactory(recipient=bob, title="李博的通知")

    response = client_for(alice).get(LIST)

    assert response.status_code == 200
    assert [n.title for n in response.context["page"]] == ["新的通知", "旧的通知"]
    html = response.content.decode()
    assert "李博的通知" not in html
    assert html.count("list-group-item-primary") == 1
    row = html[html.index(f'id="notification-{new.pk}"') - 20 :][:300]
    assert "list-group-item-primary" in row


def test_the_list_is_paginated_and_can_show_unread_only(alice):
    NotificationFactory.create_batch(26, recipient=alice, read_at=timezone.now())
    NotificationFactory.create_batch(3, recipient=alice)
    client = client_for(alice)

    assert len(client.get(LIST).context["page"]) == 25
    assert len(client.get(LIST, {"page": 2}).context["page"]) == 4
    unread = client.get(LIST, {"unread": "true"})
    assert len(unread.context["page"]) == 3
    assert unread.context["unread_only"] is True


def test_the_list_needs_a_login(db):
    response = Client().get(LIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_list_costs_the_same_queries_with_many_notifications(alice):
    def queries(count: int) -> int:
        Notification.objects.all().delete()
        NotificationFactory.create_batch(count, recipient=alice)
        client = client_for(alice)
        with CaptureQueriesContext(connection) as context:
            assert client.get(LIST).status_code == 200
        return len(context.captured_queries)

    assert queries(1) == queries(30)


# --- Marking read ------------------------------------------------------------------------


def test_marking_read_returns_to_the_list(alice):
    notification = NotificationFactory(recipient=alice)

    response = client_for(alice).post(read_url(notification), {"next": f"{LIST}?page=1"})

    assert response.status_code == 302
    assert response.url == f"{LIST}?page=1"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_with_htmx_returns_the_row_and_the_bell(alice):
    notification, _other = NotificationFactory.create_batch(2, recipient=alice)

    response = client_for(alice).post(read_url(notification), headers={"hx-request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{notification.pk}"' in html
    assert "list-group-item-primary" not in html
    assert 'id="notification-bell"' in html
    assert 'hx-swap-oob="true"' in html
    assert response.context["unread_notifications"] == 1


def test_nobody_can_mark_someone_elses_notification(alice, bob):
    notification = NotificationFactory(recipient=alice)

    response = client_for(bob).post(read_url(notification))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_is_a_post(alice):
    notification = NotificationFactory(recipient=alice)

    assert client_for(alice).get(read_url(notification)).status_code == 405


def test_marking_all_read_touches_only_ones_own(alice, bob):
    NotificationFactory.create_batch(3, recipient=alice)
    theirs = NotificationFactory(recipient=bob)

    response = client_for(alice).post(reverse("notifications:notification_read_all"), follow=True)

    assert response.status_code == 200
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    (message,) = response.context["messages"]
    assert "3" in str(message)


def test_opening_a_notification_marks_it_read_and_follows_its_link(alice):
    notification = NotificationFactory(recipient=alice, url="/projects/")

    response = client_for(alice).get(
        reverse("notifications:notification_open", args=[notification.pk])
    )

    assert response.status_code == 302
    assert response.url == "/projects/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_redirects_off_the_site(alice):
    notification = NotificationFactory(recipient=alice, url="https://evil.example.com/")

    response = client_for(alice).get(
        reverse("notifications:notification_open", args=[notification.pk])
    )

    assert response.url == LIST


def test_people_can_turn_email_notifications_off_and_on(alice):
    client = client_for(alice)

    client.post(reverse("notifications:preferences"), {})
    assert Preference.objects.get(user=alice).email_enabled is False
    assert client.get(LIST).context["preference_form"]["email_enabled"].value() is False

    client.post(reverse("notifications:preferences"), {"email_enabled": "on"})
    assert Preference.objects.get(user=alice).email_enabled is True


# --- The bell's count --------------------------------------------------------------------


def test_the_unread_count_is_one_query_however_many_there_are(alice, rf, django_assert_num_queries):
    for count in (1, 40):
        Notification.objects.all().delete()
        NotificationFactory.create_batch(count, recipient=alice)
        NotificationFactory(recipient=alice, read_at=timezone.now())
        request = rf.get("/")
        request.user = alice
        context = header(request)
        with django_assert_num_queries(1):
            assert context["unread_notifications"] == count
            assert context["unread_notifications"] > 0  # evaluated once, then cached
            assert context["inbox_count"] == 0  # counted in the same query


def test_pages_show_the_unread_count_to_signed_in_people_only(alice, db):
    NotificationFactory.create_batch(2, recipient=alice)

    assert client_for(alice).get(LIST).context["unread_notifications"] == 2
    assert "unread_notifications" not in Client().get(reverse("login")).context


# --- A page whose action notifies --------------------------------------------------------


# Serialized like every transactional test: a plain flush re-creates the content types,
# which the next serialized test would then load a second time.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broken_robot_does_not_break_the_page_that_notified(
    alice, bob, planning, robot, run_inline
):
    # The worst case: tasks run inside the request (the immediate backend), for real.
    robot.answer(500, b"robot down")
    ChannelFactory(organisation=planning, kind=ChannelKind.WECOM, url=robot.url)

    response = client_for(alice).post(reverse("raise_alarm", args=[planning.pk]))

    assert response.status_code == 200
    assert len(robot.received) == 1
    post = Delivery.objects.get(channel__isnull=False)
    assert (post.status, post.attempts, post.last_error) == (
        DeliveryStatus.PENDING,
        1,
        "HTTP 500: robot down",
    )
    assert Notification.objects.get().recipient == bob


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_database_queue_the_page_only_queues_and_the_worker_sends(
    alice, bob, planning, closed_port_url, mailoutbox
):
    ChannelFactory(organisation=planning, kind=ChannelKind.DINGTALK, url=closed_port_url)

    response = client_for(alice).post(reverse("raise_alarm", args=[planning.pk]))

    assert response.status_code == 200
    assert DBTaskResult.objects.count() == 2  # Bob's e-mail, the group's post
    assert Delivery.objects.filter(attempts=0).count() == 2

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()

    assert [mail.to for mail in mailoutbox] == [[bob.email]]
    post = Delivery.objects.get(channel__isnull=False)
    assert post.attempts == 1
    assert post.last_error.startswith("cannot connect:")
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs == {"args": [post.pk], "kwargs": {}}
    assert retry.run_after == post.next_attempt_at
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2

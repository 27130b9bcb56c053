import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from diaodu.notifications.models import Notification
from diaodu.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.urls("diaodu.notifications.tests.urls")

URL = "/api/notifications/"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_lists_only_the_callers_own_notifications(alice, bob):
    mine = NotificationFactory(recipient=alice, event="action_assigned", title="交办：土地报批")
    NotificationFactory(recipient=bob)

    response = api_for(alice).get(URL)

    assert response.status_code == 200
    assert response.data["count"] == 1
    (row,) = response.data["results"]
    assert row["id"] == mine.pk
    assert row["event"] == "action_assigned"
    assert row["title"] == "交办：土地报批"
    assert row["url"] == mine.url
    assert row["is_read"] is False
    assert row["read_at"] is None
    assert row["event_label"]


def test_the_api_filters_unread(alice):
    NotificationFactory.create_batch(2, recipient=alice)
    NotificationFactory(recipient=alice, read_at=timezone.now())
    client = api_for(alice)

    assert client.get(URL, {"unread": "true"}).data["count"] == 2
    assert client.get(URL, {"unread": "false"}).data["count"] == 1


def test_someone_elses_notification_is_not_found(alice, bob):
    theirs = NotificationFactory(recipient=bob)
    client = api_for(alice)

    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_marks_one_read(alice):
    notification = NotificationFactory(recipient=alice)

    response = api_for(alice).post(f"{URL}{notification.pk}/read/")

    assert response.status_code == 200
    assert response.data["is_read"] is True
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_api_marks_all_of_the_callers_read(alice, bob):
    NotificationFactory.create_batch(3, recipient=alice)
    NotificationFactory(recipient=alice, read_at=timezone.now())
    theirs = NotificationFactory(recipient=bob)

    response = api_for(alice).post(f"{URL}read-all/")

    assert response.status_code == 200
    assert response.data == {"marked": 3}
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_needs_authentication(db):
    assert APIClient().get(URL).status_code in {401, 403}


def test_the_api_list_costs_the_same_queries_with_many_notifications(
    alice, django_assert_max_num_queries
):
    client = api_for(alice)
    NotificationFactory(recipient=alice)
    with django_assert_max_num_queries(2):  # the page's count and rows
        client.get(URL)
    NotificationFactory.create_batch(40, recipient=alice)
    with django_assert_max_num_queries(2):
        assert len(client.get(URL).data["results"]) == 41

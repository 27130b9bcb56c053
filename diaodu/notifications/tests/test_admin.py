import pytest
from django.test import Client
from django.urls import reverse

from diaodu.factories import AdminFactory
from diaodu.notifications.choices import DeliveryStatus
from diaodu.notifications.models import Delivery
from diaodu.notifications.tests.factories import ChannelDeliveryFactory, ChannelFactory

pytestmark = pytest.mark.urls("diaodu.notifications.tests.urls")


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(AdminFactory())
    return client


def run_action(client, model: str, action: str, objects) -> None:
    response = client.post(
        reverse(f"admin:notifications_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
    )
    assert response.status_code == 302


def test_admins_see_channels_and_the_delivery_log(admin_client):
    delivery = ChannelDeliveryFactory(last_error="HTTP 500: down")

    assert admin_client.get(reverse("admin:notifications_channel_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:notifications_delivery_changelist"))
    assert page.status_code == 200
    assert delivery.title in page.content.decode()
    detail = admin_client.get(reverse("admin:notifications_delivery_change", args=[delivery.pk]))
    assert detail.status_code == 200
    assert "HTTP 500: down" in detail.content.decode()


def test_the_delivery_log_cannot_be_edited(admin_client):
    delivery = ChannelDeliveryFactory()

    admin_client.post(
        reverse("admin:notifications_delivery_change", args=[delivery.pk]), {"title": "改"}
    )

    delivery.refresh_from_db()
    assert delivery.title != "改"
    assert admin_client.get(reverse("admin:notifications_delivery_add")).status_code == 403


def test_retry_gives_failed_deliveries_one_more_attempt_once_committed(
    admin_client, queue, django_capture_on_commit_callbacks
):
    failed = ChannelDeliveryFactory(status=DeliveryStatus.FAILED, attempts=5, next_attempt_at=None)
    sent = ChannelDeliveryFactory(status=DeliveryStatus.SENT, next_attempt_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        run_action(admin_client, "delivery", "retry", [failed, sent])

    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.PENDING
    assert failed.next_attempt_at is not None
    assert [result.args for result in queue.results] == [[failed.pk]]
    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.SENT


def test_admins_can_send_a_test_message_to_a_channel(
    admin_client, queue, django_capture_on_commit_callbacks
):
    channel = ChannelFactory()
    switched_off = ChannelFactory(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        run_action(admin_client, "channel", "send_test_message", [channel, switched_off])

    test = Delivery.objects.get()
    assert (test.channel, test.event, test.status) == (channel, "test", DeliveryStatus.PENDING)
    assert [result.args for result in queue.results] == [[test.pk]]


def test_only_administrators_enter_the_admin(alice):
    client = Client()
    client.force_login(alice)

    response = client.get(reverse("admin:notifications_channel_changelist"))

    assert response.status_code == 302

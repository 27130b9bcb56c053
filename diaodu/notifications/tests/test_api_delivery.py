"""The administrators' API of chat channels, webhook endpoints and deliveries, and
everyone's notification preferences."""

from datetime import timedelta

import pytest

from diaodu.notifications.choices import ChannelKind, DeliveryStatus, WebhookEvent
from diaodu.notifications.models import Channel, Delivery, Preference, WebhookEndpoint
from diaodu.test import api_for, check_api_rule, role_cells

GET, POST, PATCH = "get", "post", "patch"
SECRET = "a-secret-long-enough"


@pytest.fixture
def hooks(world):
    # Only these deliveries are listed: the world's own e-mails (its reports submitted) are
    # not what these tests are about.
    Delivery.objects.all().delete()
    world.channel = Channel.objects.create(
        organisation=world.department_a,
        kind=ChannelKind.WEBHOOK,
        name="资规局工作群",
        url="https://hooks.example.com/a",
        secret="robot-secret",
    )
    world.endpoint = WebhookEndpoint.objects.create(
        name="市监管平台",
        url="https://city.example.com/hooks",
        secret=SECRET,
        events=[WebhookEvent.PROBLEM_RAISED],
    )
    world.delivery = Delivery.objects.create(
        endpoint=world.endpoint,
        event=WebhookEvent.PROBLEM_RAISED,
        title="新问题",
        payload={"type": "problem.raised"},
        status=DeliveryStatus.FAILED,
        attempts=5,
        last_error="HTTP 500",
    )
    return world


NEW_ENDPOINT = {
    "name": "园区企业服务平台",
    "url": "https://firm.example.com/hooks",
    "secret": SECRET,
    "events": ["problem.resolved", "minutes.issued"],
}

API_REQUESTS = {
    "list channels": lambda w: (GET, "/api/channels/", None),
    "list endpoints": lambda w: (GET, "/api/webhook-endpoints/", None),
    "add an endpoint": lambda w: (POST, "/api/webhook-endpoints/", NEW_ENDPOINT),
    "switch an endpoint off": lambda w: (
        PATCH,
        f"/api/webhook-endpoints/{w.endpoint.pk}/",
        {"is_active": False},
    ),
    "list deliveries": lambda w: (GET, "/api/deliveries/", None),
    "read a delivery": lambda w: (GET, f"/api/deliveries/{w.delivery.pk}/", None),
    "read own preferences": lambda w: (GET, "/api/notifications/preferences/", None),
}

# Columns: admin, coordinator, leader, staff_a, staff_b, owner_x, owner_y.
ADMIN_ONLY = (200, 403, 403, 403, 403, 403, 403)
API_RULES = {
    "list channels": ADMIN_ONLY,
    "list endpoints": ADMIN_ONLY,
    "add an endpoint": (201, 403, 403, 403, 403, 403, 403),
    "switch an endpoint off": ADMIN_ONLY,
    "list deliveries": ADMIN_ONLY,
    "read a delivery": ADMIN_ONLY,
    "read own preferences": (200, 200, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(API_RULES))
def test_api_permissions(hooks, action, role, expected):
    check_api_rule(getattr(hooks, role), API_REQUESTS[action](hooks), expected)


def test_secrets_are_written_but_never_read_back(hooks):
    api = api_for(hooks.admin)
    created = api.post("/api/webhook-endpoints/", NEW_ENDPOINT)
    assert created.status_code == 201
    assert "secret" not in created.data
    assert WebhookEndpoint.objects.get(pk=created.data["id"]).secret == SECRET
    channel = api.get(f"/api/channels/{hooks.channel.pk}/").data
    assert "secret" not in channel
    assert channel["has_secret"] is True


def test_a_bad_endpoint_says_which_fields_are_wrong_and_saves_nothing(hooks):
    response = api_for(hooks.admin).post(
        "/api/webhook-endpoints/",
        {"name": "x", "url": "ftp://example.com", "secret": "short", "events": ["nope"]},
    )
    assert response.status_code == 400
    assert set(response.data) == {"url", "secret", "events"}
    assert WebhookEndpoint.objects.count() == 1


def test_deliveries_are_filtered_ordered_and_retried(hooks, queue):
    api = api_for(hooks.admin)
    later = Delivery.objects.create(
        channel=hooks.channel, event="test", title="测试", status="sent"
    )
    # The clock is frozen: make the second one visibly later.
    Delivery.objects.filter(pk=later.pk).update(
        created_at=hooks.delivery.created_at + timedelta(minutes=1)
    )
    rows = api.get("/api/deliveries/", {"status": "failed"}).data["results"]
    assert [r["id"] for r in rows] == [hooks.delivery.pk]
    assert rows[0]["target"] == "市监管平台"
    assert rows[0]["payload"] == {"type": "problem.raised"}
    rows = api.get("/api/deliveries/", {"endpoint": hooks.endpoint.pk}).data["results"]
    assert [r["id"] for r in rows] == [hooks.delivery.pk]
    rows = api.get("/api/deliveries/", {"ordering": "created_at"}).data["results"]
    assert rows[0]["id"] == hooks.delivery.pk
    assert api.get("/api/deliveries/", {"status": "lost"}).status_code == 400

    retried = api.post(f"/api/deliveries/{hooks.delivery.pk}/retry/")
    assert retried.data == {"queued": 1}
    hooks.delivery.refresh_from_db()
    assert hooks.delivery.status == DeliveryStatus.PENDING


def test_a_person_turns_email_notifications_off(world):
    api = api_for(world.staff_a)
    assert api.get("/api/notifications/preferences/").data == {"email_enabled": True}
    response = api.put("/api/notifications/preferences/", {"email_enabled": False})
    assert response.data == {"email_enabled": False}
    assert Preference.objects.get(user=world.staff_a).email_enabled is False
    assert api.put("/api/notifications/preferences/", {}).status_code == 400


SIZES = [3, 30]
LIST_QUERIES = 2  # the count and the page (targets joined)


@pytest.mark.parametrize("size", SIZES)
def test_the_delivery_lists_make_a_fixed_number_of_queries(
    hooks, size, django_assert_max_num_queries
):
    for n in range(size):
        channel = Channel.objects.create(
            organisation=hooks.department_b, kind="webhook", name=f"群{n}", url="https://e.com"
        )
        endpoint = WebhookEndpoint.objects.create(
            name=f"平台{n}", url="https://e.com", secret=SECRET, events=["problem.raised"]
        )
        Delivery.objects.create(channel=channel, event="test", title="t")
        Delivery.objects.create(endpoint=endpoint, event="problem.raised", title="t")
    api = api_for(hooks.admin)
    for url in ("/api/channels/", "/api/webhook-endpoints/", "/api/deliveries/"):
        with django_assert_max_num_queries(LIST_QUERIES):
            response = api.get(url)
        assert response.data["count"] > size

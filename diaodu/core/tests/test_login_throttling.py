"""Log-ins are throttled per username and address (django-axes): after too many wrong
passwords that pair is refused for a while, with a message saying so."""

import pytest
from django.test import Client
from django.urls import reverse

# No ``world`` here: its frozen clock would make django-axes expire every failure at once.
pytestmark = pytest.mark.django_db

LOGIN_FAILURES = 5


@pytest.fixture
def owner_with_password(owner_x, fast_password_hashing):
    # On the real clock, not the world's frozen one: django-axes expires failures by it.
    owner_x.set_password("Correct-horse-2026")
    owner_x.save(update_fields=["password"])
    return owner_x


def log_in(client, username, password, address="10.1.1.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_after_five_wrong_passwords_the_right_one_is_refused_with_a_clear_message(
    owner_with_password, settings
):
    settings.AXES_FAILURE_LIMIT = LOGIN_FAILURES
    client = Client(headers={"accept-language": "en"})
    for _ in range(LOGIN_FAILURES - 1):
        assert log_in(client, "owner_x", "wrong").status_code == 200

    locked = log_in(client, "owner_x", "wrong")
    right_password = log_in(client, "owner_x", "Correct-horse-2026")

    for response in (locked, right_password):
        assert response.status_code == 429
        assert "Too many failed log-in attempts" in response.content.decode()
        assert "15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_for_that_username_from_that_address_only(owner_with_password, settings):
    settings.AXES_FAILURE_LIMIT = LOGIN_FAILURES
    for _ in range(LOGIN_FAILURES):
        log_in(Client(), "owner_x", "wrong", address="10.1.1.1")

    from_elsewhere = log_in(Client(), "owner_x", "Correct-horse-2026", address="10.2.2.2")

    assert from_elsewhere.status_code == 302


def test_a_successful_log_in_forgets_earlier_failures(owner_with_password):
    for _ in range(LOGIN_FAILURES - 1):
        log_in(Client(), "owner_x", "wrong")
    assert log_in(Client(), "owner_x", "Correct-horse-2026").status_code == 302

    for _ in range(LOGIN_FAILURES - 1):
        log_in(Client(), "owner_x", "wrong")

    assert log_in(Client(), "owner_x", "Correct-horse-2026").status_code == 302


def test_behind_proxies_the_address_is_the_one_the_nearest_trusted_proxy_saw(
    owner_with_password, settings
):
    settings.DIAODU_PROXY_COUNT = 1
    for _ in range(LOGIN_FAILURES):
        Client().post(
            reverse("login"),
            {"username": "owner_x", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="forged, 10.1.1.1",
        )

    other_client = Client().post(
        reverse("login"),
        {"username": "owner_x", "password": "Correct-horse-2026"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.3.3.3",
    )
    same_client = Client().post(
        reverse("login"),
        {"username": "owner_x", "password": "Correct-horse-2026"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.1.1.1",
    )

    assert other_client.status_code == 302, "nginx's own address did not get locked out"
    assert same_client.status_code == 429


def test_the_api_token_endpoint_refuses_a_locked_out_username_too(owner_with_password):
    for _ in range(LOGIN_FAILURES):
        Client().post(reverse("api:token"), {"username": "owner_x", "password": "wrong"})

    response = Client(headers={"accept-language": "en"}).post(
        reverse("api:token"), {"username": "owner_x", "password": "Correct-horse-2026"}
    )

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many failed log-in attempts.")
    assert "token" not in response.json()


def test_a_token_request_with_the_right_password_clears_the_count_of_failures(
    owner_with_password,
):
    client = Client()
    for _ in range(LOGIN_FAILURES - 1):
        client.post(reverse("api:token"), {"username": "owner_x", "password": "wrong"})

    right = client.post(
        reverse("api:token"), {"username": "owner_x", "password": "Correct-horse-2026"}
    )
    wrong_again = client.post(reverse("api:token"), {"username": "owner_x", "password": "wrong"})

    assert right.status_code == 200
    assert "token" in right.json()
    assert wrong_again.status_code == 400, "the earlier failures still counted"

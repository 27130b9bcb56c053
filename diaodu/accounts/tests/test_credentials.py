"""Credentials: API tokens expire, are listed and revoked by their person, and stop working
when the password changes; every person can change their password and reset it by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from diaodu.accounts.models import ApiToken
from diaodu.accounts.services import issue_token
from diaodu.core.models import ChangeLog
from diaodu.test import client_for

PASSWORD = "Correct-horse-2026"
NEW_PASSWORD = "Another-horse-2027"


def with_token(key):
    client = APIClient(headers={"accept-language": "en"})
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def owner(world, fast_password_hashing):
    world.owner_x.set_password(PASSWORD)
    world.owner_x.save(update_fields=["password"])
    return world.owner_x


def test_a_token_works_for_the_configured_days_then_is_refused_with_a_reason(world, clock):
    _token, key = issue_token(world.owner_x)

    clock.advance(days=29)
    still = with_token(key).get("/api/projects/")
    clock.advance(days=2)
    expired = with_token(key).get("/api/projects/")

    assert still.status_code == 200
    assert expired.status_code == 401
    assert expired.json()["detail"] == (
        "This token expired on 10 Jul 2026 10:00. Request a new one from /api/token/."
    )


def test_only_a_digest_of_the_key_is_stored(world):
    token, key = issue_token(world.owner_x)

    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.prefix == key[:8]


def test_the_token_endpoint_issues_a_new_token_each_time_with_its_expiry(owner):
    client = APIClient()
    first = client.post("/api/token/", {"username": "owner_x", "password": PASSWORD}).json()
    second = client.post("/api/token/", {"username": "owner_x", "password": PASSWORD}).json()

    assert first["token"] != second["token"]
    assert first["expires_at"] == "2026-07-10T10:00:00+08:00"
    assert owner.api_tokens.count() == 2


def test_a_person_lists_and_revokes_their_own_tokens_through_the_api(world):
    mine, key = issue_token(world.owner_x)
    other, _ = issue_token(world.owner_y)
    client = with_token(key)

    listed = client.get("/api/tokens/").json()["results"]
    not_theirs = client.delete(f"/api/tokens/{other.pk}/")
    revoked = client.delete(f"/api/tokens/{mine.pk}/")
    after = with_token(key).get("/api/projects/")

    assert [t["id"] for t in listed] == [mine.pk]
    assert set(listed[0]) == {"id", "prefix", "created_at", "expires_at"}
    assert not_theirs.status_code == 404
    assert revoked.status_code == 204
    assert after.status_code == 401
    assert ApiToken.objects.filter(pk=other.pk).exists()
    assert ChangeLog.objects.filter(action="delete", object_id=mine.pk).count() == 1


def test_a_person_lists_and_revokes_their_own_tokens_on_a_page(world):
    mine, _ = issue_token(world.staff_a)
    other, _ = issue_token(world.staff_b)
    browser = client_for(world.staff_a, language="en")

    page = browser.get(reverse("accounts:token_list"))
    not_theirs = browser.post(reverse("accounts:token_revoke", args=[other.pk]))
    revoked = browser.post(reverse("accounts:token_revoke", args=[mine.pk]), follow=True)

    assert list(page.context["tokens"]) == [mine]
    assert mine.prefix in page.content.decode()
    assert other.prefix not in page.content.decode()
    assert not_theirs.status_code == 404
    assert f"The token {mine.prefix}… was revoked." in revoked.content.decode()
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [other.pk]


def test_the_user_menu_offers_the_password_and_the_tokens(world):
    html = client_for(world.owner_x).get(reverse("notifications:notification_list")).content

    assert reverse("accounts:password_change").encode() in html
    assert reverse("accounts:token_list").encode() in html


@pytest.mark.parametrize("persona", ["owner_x", "staff_a", "leader", "coordinator"])
def test_every_person_changes_their_password_which_revokes_their_tokens(
    world, fast_password_hashing, persona
):
    person = getattr(world, persona)
    person.set_password(PASSWORD)
    person.save(update_fields=["password"])
    _token, key = issue_token(person)
    browser = client_for(person, language="en")

    form = browser.get(reverse("accounts:password_change"))
    response = browser.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert form.status_code == 200
    assert "API tokens issued with the old one no longer work." in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert with_token(key).get("/api/projects/").status_code == 401


def test_a_forgotten_password_is_reset_through_a_link_sent_by_e_mail(owner, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    owner.email = "owner@example.com"
    owner.save(update_fields=["email"])
    _token, key = issue_token(owner)
    browser = APIClient(headers={"accept-language": "en"})

    sent = browser.post(reverse("accounts:password_reset"), {"email": "owner@example.com"})
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    form = browser.get(link, follow=True)
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert sent.status_code == 302
    assert message.to == ["owner@example.com"]
    assert message.subject == "Reset your Diaodu password"
    assert "owner_x" in message.body
    assert "Your new password is set" in done.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert with_token(key).get("/api/projects/").status_code == 401


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_the_reset_e_mail_is_in_the_readers_language(owner, settings, language):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    owner.email = "owner@example.com"
    owner.save(update_fields=["email"])

    APIClient(headers={"accept-language": language}).post(
        reverse("accounts:password_reset"), {"email": "owner@example.com"}
    )

    (message,) = mail.outbox
    assert (
        message.subject == {"zh-hans": "重置调度平台密码", "zh-hant": "重置調度平臺密碼"}[language]
    )
    assert "Choose a new password" not in message.body
    assert "owner_x" in message.body

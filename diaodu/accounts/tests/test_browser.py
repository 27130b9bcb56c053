"""A person's own account in Debian's Chromium, on a desktop and on a phone: the user menu
leads to the password and the API tokens; a token is revoked from its page; the password
is changed. Screenshots are kept in ``test-artifacts/``."""

import pytest

from diaodu import demo
from diaodu.accounts.models import ApiToken, User
from diaodu.accounts.services import issue_token
from diaodu.browsing import log_in, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def fits(page, screen):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SCREENS[screen]["width"], f"{page.url} is {width} px wide"


@pytest.mark.parametrize("screen", SCREENS)
def test_an_owner_revokes_a_token_and_changes_the_password(browser, live_server, demo_zone, screen):
    owner = User.objects.get(username="yezhu")
    kept, _key = issue_token(owner)
    revoked, _key = issue_token(owner)

    page = log_in(browser, live_server, "yezhu", viewport=SCREENS[screen])
    page.goto(f"{live_server.url}/account/tokens/")
    fits(page, screen)
    shoot(page, f"account-tokens-{screen}")
    page.locator(f"form[action='/account/tokens/{revoked.pk}/revoke/'] button").click()
    page.wait_for_selector(".alert-success")
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [kept.pk]

    page.goto(f"{live_server.url}/account/password/")
    fits(page, screen)
    shoot(page, f"account-password-{screen}")
    page.fill("#id_old_password", demo.DEMO_PASSWORD)
    page.fill("#id_new_password1", "Another-horse-2027")
    page.fill("#id_new_password2", "Another-horse-2027")
    page.click("form button.btn-primary")
    page.wait_for_url("**/account/password/done/")
    shoot(page, f"account-password-done-{screen}")
    assert not ApiToken.objects.exists()
    page.context.close()


def test_the_log_in_page_leads_to_the_password_reset(browser, live_server, demo_zone):
    context = browser.new_context(viewport=SCREENS["phone"])
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.click("a[href='/account/password/reset/']")
    page.fill("#id_email", "nobody@example.com")
    fits(page, "phone")
    shoot(page, "account-reset-phone")
    page.click("form button.btn-primary")
    page.wait_for_url("**/account/password/reset/sent/")
    shoot(page, "account-reset-sent-phone")
    context.close()

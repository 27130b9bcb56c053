"""Each role lands on its daily work, and the office works from its inbox, on a desktop
and on a phone (demo zone). Screenshots are kept for looking at."""

import pytest

from diaodu.browsing import log_in, shoot

# serialized_rollback: each test starts with the rows data migrations made (the milestone
# kinds the demo zone needs).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def test_each_role_lands_on_its_daily_work_and_the_office_acts_from_its_inbox(
    browser, live_server, demo_zone
):
    for username, landing in [
        ("yezhu", "/projects/"),
        ("zigui", "/desk/"),
        ("lingdao", "/dashboard/"),
        ("xietiaoban", "/inbox/"),
    ]:
        for device, viewport in [("desktop", DESKTOP), ("phone", PHONE)]:
            page = log_in(browser, live_server, username, viewport=viewport)
            assert page.url.endswith(landing), f"{username} lands on {landing}"
            page.goto(f"{live_server.url}/inbox/")
            assert page.locator("#nav-inbox").count() == 1
            shoot(page, f"inbox-{username}-{device}")
            page.context.close()

    page = log_in(browser, live_server, "xietiaoban", viewport=PHONE)
    rows = page.locator("section#reports_submitted tbody tr")
    before = rows.count()
    assert before >= 1, "the demo zone has a report awaiting review"
    rows.first.locator("form button").click()
    page.locator(".alert-success").wait_for()
    assert page.url.endswith("/inbox/"), "back to the inbox after acting"
    assert page.locator("section#reports_submitted tbody tr").count() == before - 1
    shoot(page, "inbox-office-after-approving-phone")
    page.context.close()

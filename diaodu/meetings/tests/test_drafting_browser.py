"""The coordinator drafts a meeting from a report on a phone, in Debian's Chromium.
Screenshots are kept in ``test-artifacts/``."""

import pytest

from diaodu.browsing import log_in, shoot
from diaodu.meetings.models import Meeting
from diaodu.meetings.tests.test_drafting import read

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_coordinator_drafts_a_meeting_from_a_traditional_report_on_a_phone(
    browser,
    live_server,
    demo_zone,
):
    page = log_in(browser, live_server, "xietiaoban", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/meetings/")
    page.locator("a[href='/meetings/draft/']").click()
    page.fill("#id_text", read("traditional_monthly.txt"))
    page.locator("form button.btn-primary").click()

    page.wait_for_selector("#id_title")
    assert page.input_value("#id_title") == "管委会召开5月份重点项目月度调度会"
    assert page.input_value("#id_starts_at") == "2026-05-20T14:30"  # 下午
    assert "王建国" in page.locator("#id_chair option:checked").inner_text()
    assert page.locator(".draft-source").count() >= 5
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing wider than the phone"
    shoot(page, "meeting-draft-preview-phone")

    page.locator("form button.btn-primary").click()
    page.wait_for_url(f"{live_server.url}/meetings/*/")
    meeting = Meeting.objects.latest("pk")
    assert meeting.title == "管委会召开5月份重点项目月度调度会"
    assert meeting.chair.display_name == "王建国"
    shoot(page, "meeting-draft-created-phone")

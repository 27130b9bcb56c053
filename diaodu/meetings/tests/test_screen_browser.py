"""The weekly meeting on the room's big screen (1920 × 1080) while the clerk records it in a
second browser: what the clerk puts on screen and the decision typed appear on the screen
within two seconds. Screenshots are kept in ``test-artifacts/``."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from diaodu.browsing import assert_accessible, log_in, shoot
from diaodu.meetings import briefing, documents
from diaodu.meetings.models import Meeting
from diaodu.meetings.tests.helpers import paragraphs, read_docx, tables

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BIG_SCREEN = {"width": 1920, "height": 1080}
DECISION = "区资规局本周内完成供地方案报批。"


def test_the_meeting_runs_on_the_big_screen_while_the_clerk_records_a_decision(
    browser, live_server, demo_zone
):
    weekly = Meeting.objects.get(title="重点项目周调度会")
    first, second = list(weekly.agenda.order_by("order", "pk"))[:2]

    screen = log_in(browser, live_server, "lingdao", viewport=BIG_SCREEN)
    screen.goto(f"{live_server.url}/meetings/{weekly.pk}/screen/")
    expect(screen.locator('[data-slide="title"]')).to_be_visible()
    assert screen.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 28
    screen.screenshot(path="test-artifacts/big-screen-title.png")
    assert_accessible(screen)

    # The presenter's clicker: PageDown and the right arrow move on, PageUp back.
    screen.keyboard.press("PageDown")
    expect(screen.locator(f'[data-slide="{first.pk}"]')).to_be_visible()
    screen.keyboard.press("ArrowRight")
    expect(screen.locator(f'[data-slide="{second.pk}"]')).to_be_visible()
    screen.keyboard.press("PageUp")
    expect(screen.locator(f'[data-slide="{first.pk}"]')).to_be_visible()
    screen.screenshot(path="test-artifacts/big-screen-item.png")
    assert_accessible(screen)

    clerk = log_in(browser, live_server, "xietiaoban", viewport={"width": 390, "height": 844})
    clerk.goto(f"{live_server.url}/meetings/{weekly.pk}/")
    card = clerk.locator(f"#agenda-{second.pk}")
    card.get_by_role("button", name="投屏显示").click()
    # The screen follows the clerk to the second item.
    expect(screen.locator(f'[data-slide="{second.pk}"]')).to_be_visible(timeout=2000)

    card.locator(f"#id_d{second.pk}-decisions").fill(DECISION)
    card.get_by_role("button", name="保存讨论").click()
    expect(screen.locator(f'[data-slide="{second.pk}"] [data-record="decisions"]')).to_contain_text(
        DECISION, timeout=2000
    )
    shoot(clerk, "big-screen-clerk-phone")
    screen.screenshot(path="test-artifacts/big-screen-decision.png")

    # The presenter may still move on locally; the screen does not snap back.
    screen.keyboard.press("Space")
    expect(screen.locator(f'[data-slide="{second.pk}"]')).to_be_hidden()
    screen.wait_for_timeout(1500)
    expect(screen.locator(f'[data-slide="{second.pk}"]')).to_be_hidden()

    # After the meeting the same record is the minutes.
    weekly.refresh_from_db()
    briefs = briefing.briefs(weekly, weekly.agenda.all(), weekly.created_by, timezone.localdate())
    document = read_docx(documents.minutes_document(weekly, briefs))
    assert DECISION in "\n".join(paragraphs(document)) + str(tables(document))

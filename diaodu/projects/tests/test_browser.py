"""Journeys through the real pages in Debian's Chromium. Screenshots are kept in
``test-artifacts/`` for people to look at."""

import os
import re
from pathlib import Path

import pytest
from django.utils import translation

from diaodu import demo
from diaodu.projects.choices import ReportStatus

# serialized_rollback: each test starts with the rows data migrations made (the milestone
# template), which a transactional test's flush would otherwise remove.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_zone():
    demo.load()


def log_in(browser, live_server, username, language="zh-hans", viewport=None):
    context = browser.new_context(viewport=viewport or {"width": 1366, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.click("form button.btn-primary")
    page.wait_for_url(re.compile(r".*/projects/$"))
    return page


def shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize(
    ("language", "heading", "delayed"),
    [
        ("zh-hans", "重点项目", "滞后"),
        ("zh-hant", "重點項目", "滯後"),
        ("en", "Key projects", "delayed"),
    ],
)
def test_coordinator_reads_the_project_list_and_detail_in_each_language(
    browser, live_server, demo_zone, language, heading, delayed
):
    page = log_in(browser, live_server, "xietiaoban", language)
    assert page.locator("h1").first.inner_text().startswith(heading)
    assert page.locator("tbody tr").count() == len(demo.PROJECTS)
    assert page.get_by_text(delayed, exact=True).count() >= 1
    shoot(page, f"project-list-{language}")

    page.get_by_role("link", name=re.compile("水务产业园|水務產業園")).first.click()
    assert "2026-001" in page.locator(".breadcrumb").inner_text()
    assert page.locator("#health-reason").inner_text()
    shoot(page, f"project-detail-{language}")


def test_owner_submits_a_report_and_the_office_approves_it(browser, live_server, demo_zone):
    owner = log_in(browser, live_server, "yezhu", "zh-hans")
    rows = owner.locator("tbody tr")
    assert rows.count() == 1, "an owner sees only their own enterprise's project"
    rows.first.get_by_role("link").click()
    owner.locator("a[href$='/reports/new/']").click()
    owner.select_option("#id_period_kind", "week")
    owner.fill("#id_period_start", "2026-01-07")
    owner.fill("#id_narrative", "完成主体结构封顶前验收准备，塔吊拆除方案报审。")
    owner.fill("#id_investment", "-5")
    owner.locator("form button.btn-primary").click()
    assert owner.locator(".invalid-feedback").count() >= 1, "a negative amount is refused"
    owner.fill("#id_investment", "1250.5")
    owner.locator("form button.btn-primary").click()
    assert "塔吊拆除方案报审" in owner.content()
    shoot(owner, "owner-report-submitted")

    office = log_in(browser, live_server, "xietiaoban", "zh-hans")
    office.goto(owner.url)
    row = office.locator("tr", has_text="塔吊拆除方案报审")
    row.locator("a[href$='/review/']").click()
    office.check("input[name=approve][value='1']")
    office.locator("form button.btn-primary").click()
    row = office.locator("tr", has_text="塔吊拆除方案报审")
    with translation.override("zh-hans"):
        assert str(ReportStatus.APPROVED.label) in row.inner_text()


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_department_updates_a_problem_from_its_desk_in_place(
    browser, live_server, demo_zone, language
):
    page = log_in(browser, live_server, "zigui", language)
    page.goto(f"{live_server.url}/desk/")
    rows = page.locator("tr[id^='problem-']")
    assert rows.count() >= 1
    first = rows.first
    row_id = first.get_attribute("id")
    assert first.locator(".light-red").count() == 1, "the overdue problem comes first, in red"
    shoot(page, f"desk-{language}")

    first.locator("summary").click()
    first.locator("textarea[name=text]").first.fill("已完成控规调整方案公示。")
    with page.expect_response(lambda r: "/update/" in r.url):
        first.locator("form[hx-post$='/update/'] button").click()
    row = page.locator(f"#{row_id}")
    row.locator(".text-success").wait_for()
    assert page.url.endswith("/desk/"), "the update happened in place, without leaving the desk"
    page.goto(f"{live_server.url}{row.locator('a.fw-semibold').get_attribute('href')}")
    assert "已完成控规调整方案公示。" in page.content()


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_leader_reads_the_supervision_page(browser, live_server, demo_zone, language):
    page = log_in(browser, live_server, "lingdao", language)
    page.goto(f"{live_server.url}/supervision/?open=true")
    assert page.locator(".light-red").count() >= 2
    shoot(page, f"supervision-{language}")


def test_office_runs_a_meeting_and_issues_its_minutes(browser, live_server, demo_zone, tmp_path):
    from docx import Document

    from diaodu.meetings.models import Meeting

    weekly = Meeting.objects.get(kind="weekly")
    page = log_in(browser, live_server, "xietiaoban", "zh-hans")
    page.goto(f"{live_server.url}/meetings/{weekly.pk}/")
    assert page.locator(".card.border-warning li").count() >= 1, "follow-up of the last meeting"
    item = page.locator("[id^='agenda-']").first
    item_id = item.get_attribute("id")
    item.locator("textarea[name$='summary']").fill("供地手续已进入公示阶段。")
    item.locator("textarea[name$='decisions']").fill("区资规局本月底前完成供地。")
    item.locator("form[hx-post$='/discussion/'] button").click()
    page.locator(f"#{item_id} .text-success").wait_for()

    item = page.locator(f"#{item_id}")
    item.locator("input[name$='title']").fill("完成二期地块供地")
    item.locator("select[name$='lead_department']").select_option(label="区资规局")
    item.locator("input[name$='due_date']").fill("2027-01-15")
    item.locator("form[hx-post$='/assign/'] button").click()
    page.locator(f"#{item_id}", has_text="完成二期地块供地").wait_for()
    shoot(page, "meeting-in-progress")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[action$='/issue/'] button").click()
    page.locator(".alert-success").wait_for()
    with page.expect_download() as download:
        page.locator("a[href$='/minutes/']").click()
    path = tmp_path / "minutes.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "区资规局本月底前完成供地。" in text
    assert "会议纪要" in text or "纪要" in text


@pytest.mark.parametrize(
    ("device", "viewport"),
    [("desktop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})],
)
def test_leader_reads_the_dashboard(browser, live_server, demo_zone, device, viewport):
    page = log_in(browser, live_server, "lingdao", "zh-hans", viewport=viewport)
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#chart-health svg").wait_for()
    assert page.locator("#chart-investment svg").count() == 1, "ECharts drew the chart"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"] + 1, "nothing runs off the side of the screen"
    shoot(page, f"dashboard-{device}")
    page.goto(f"{live_server.url}/dashboard/cards/")
    assert page.locator(".card").count() == len(demo.PROJECTS)
    shoot(page, f"cards-{device}")

    page.goto(f"{live_server.url}/dashboard/")
    page.locator("a", has_text="滞后").first.click()
    page.wait_for_url(re.compile(r".*/projects/\?health=delayed"))
    assert page.locator("tbody tr").count() == 2, "the link opens the list behind the figure"

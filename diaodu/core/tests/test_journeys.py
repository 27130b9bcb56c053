"""Journeys through the real pages in Debian's Chromium, each step as the person who
does it. Screenshots are kept in ``test-artifacts/`` for people to look at.

The main one is a single story across roles on the demo zone: the owner of 水务产业园
reports progress and raises a problem, the office approves the report and assigns the
problem to 区资规局, the department resolves it from its desk, the office closes it and
takes the project to the weekly dispatch meeting, whose minutes it issues; the leader
reads the dashboard on a phone.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from docx import Document

from diaodu import demo
from diaodu.accounts.models import User
from diaodu.browsing import log_in, shoot
from diaodu.core.i18n import localized_name
from diaodu.meetings import services as meeting_services
from diaodu.meetings.choices import MeetingStatus
from diaodu.meetings.models import Meeting
from diaodu.org.models import Organisation
from diaodu.problems.choices import ProblemStatus
from diaodu.projects.choices import ReportStatus

# serialized_rollback: each test starts with the rows data migrations made (the milestone
# template), which a transactional test's flush would otherwise remove.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: Each language, the list's heading and the label of a delayed project in it.
LANGUAGES = [
    ("zh-hans", "重点项目", "滞后"),
    ("zh-hant", "重點項目", "滯後"),
    ("en", "Key projects", "delayed"),
]


# The demo zone takes most of the time of a journey to load, so the journeys that only
# differ by language go through the languages one after another on one demo zone.
def test_coordinator_reads_the_project_list_and_detail_in_each_language(
    browser, live_server, demo_zone
):
    for language, heading, delayed in LANGUAGES:
        page = log_in(browser, live_server, "xietiaoban", language)
        page.goto(f"{live_server.url}/projects/")
        assert page.locator("h1").first.inner_text().startswith(heading)
        assert page.locator("tbody tr").count() == len(demo.PROJECTS)
        assert page.get_by_text(delayed, exact=True).count() >= 1
        shoot(page, f"project-list-{language}")

        page.get_by_role("link", name=re.compile("水务产业园|水務產業園")).first.click()
        assert "2026-001" in page.locator(".breadcrumb").inner_text()
        assert page.locator("#health-reason").inner_text()
        shoot(page, f"project-detail-{language}")
        page.context.close()


def label(choice) -> str:
    """A choice's label as the Simplified Chinese pages show it."""
    with translation.override("zh-hans"):
        return str(choice.label)


def test_a_problem_travels_from_the_owner_to_the_leader(browser, live_server, demo_zone, tmp_path):
    project, problem = "水务产业园", "二期厂区污水接入市政管网的接口位置未明确"
    today = timezone.localdate()  # the demo zone is built around the real today

    # The owner reports the week's progress on their one project, then raises a problem.
    owner = log_in(browser, live_server, "yezhu")
    assert owner.locator("tbody tr").count() == 1, "an owner sees only their own project"
    owner.get_by_role("link", name=project).first.click()
    project_url = owner.url
    owner.locator("a[href$='/reports/new/']").click()
    owner.select_option("#id_period_kind", "week")
    owner.fill("#id_period_start", "2026-01-07")
    owner.fill("#id_narrative", "膜材料车间主体结构封顶，设备基础施工完成60%。")
    owner.fill("#id_investment", "1250.5")
    owner.locator("form button.btn-primary").click()
    owner.wait_for_url(project_url)  # the whole page, not the part parsed so far
    assert "膜材料车间主体结构封顶" in owner.locator("main").inner_text()
    shoot(owner, "story-1-owner-report-submitted")

    owner.locator("a[href$='/problems/new/']").click()
    owner.fill("#id_title", problem)
    owner.fill("#id_description", "二期厂区日处理污水2万吨，接入点需住建、资规部门共同明确。")
    owner.select_option("#id_category", "utilities")
    owner.select_option("#id_lead_department", label="区住建局")
    owner.fill("#id_due_date", (today + timedelta(days=90)).isoformat())
    owner.locator("form button.btn-primary").click()
    owner.wait_for_url(re.compile(r".*/problems/\d+/$"))
    problem_url = owner.url
    assert owner.locator("h1").inner_text() == problem
    shoot(owner, "story-2-owner-problem-raised")

    # The office hears of it, approves the report and assigns the problem to 区资规局.
    office = log_in(browser, live_server, "xietiaoban")
    office.goto(f"{live_server.url}/notifications/")
    office.get_by_role("link", name=re.compile(problem)).first.click()
    assert office.url == problem_url, "the notification leads to the problem"
    office.goto(project_url)
    office.locator("tr", has_text="膜材料车间主体结构封顶").locator("a[href$='/review/']").click()
    office.check("input[name=approve][value='1']")
    office.locator("form button.btn-primary").click()
    row = office.locator("tr", has_text="膜材料车间主体结构封顶")
    assert label(ReportStatus.APPROVED) in row.inner_text()

    office.goto(problem_url)
    office.locator("a[href$='/edit/']").click()
    office.select_option("#id_lead_department", label="区资规局")
    office.select_option("#id_cooperating_departments", label="区住建局")
    office.fill("#id_due_date", (today + timedelta(days=45)).isoformat())
    office.locator("form button.btn-primary").click()
    office.wait_for_url(problem_url)
    lead = Organisation.objects.get(short_name="区资规局")
    assert lead.name in office.locator("dl").first.inner_text()
    shoot(office, "story-3-office-assigned")

    # The department finds it on its desk and resolves it there, without leaving the desk.
    department = log_in(browser, live_server, "zigui")
    department.goto(f"{live_server.url}/desk/")
    row = department.locator("tr[id^='problem-']", has_text=problem)
    row_id = row.get_attribute("id")
    row.locator("summary").click()
    row.locator("textarea[name=text]").fill("已会同住建局踏勘，接入点定在临江大道DN800污水干管。")
    with department.expect_response(lambda r: "/update/" in r.url):
        row.locator("form[hx-post$='/update/'] button").click()
    row = department.locator(f"#{row_id}")
    row.locator(".text-success").wait_for()
    row.locator("summary").click()
    resolve = row.locator(
        "form[hx-post$='/transition/']",
        has=department.locator("input[name=to_status][value=resolved]"),
    )
    resolve.locator("textarea[name=resolution]").fill("接入点已确定，市政管网接口手续办结。")
    with department.expect_response(lambda r: "/transition/" in r.url):
        resolve.locator("button").click()
    row = department.locator(f"#{row_id}")
    row.locator(".text-success").wait_for()
    assert label(ProblemStatus.RESOLVED) in row.inner_text()
    assert department.url.endswith("/desk/")
    shoot(department, "story-4-department-resolved")

    # The office closes it and takes the project to the weekly dispatch meeting.
    office.goto(problem_url)
    assert "接入点已确定" in office.locator("main").inner_text()
    office.locator("form", has=office.locator("input[name=to_status][value=closed]")).locator(
        "button"
    ).click()
    assert label(ProblemStatus.CLOSED) in office.locator("h1 + div").inner_text()

    # The owner sees how it was solved.
    owner.goto(problem_url)
    assert label(ProblemStatus.CLOSED) in owner.locator("h1 + div").inner_text()
    assert "接入点已确定，市政管网接口手续办结。" in owner.locator("main").inner_text()
    shoot(owner, "story-5-owner-sees-it-solved")

    weekly = Meeting.objects.get(kind="weekly")
    office.goto(f"{live_server.url}/meetings/")
    office.get_by_role("link", name=weekly.title).first.click()
    office.locator("details:has(form[action$='/agenda/']) > summary").click()
    office.select_option("#id_projects", label=project)
    office.locator("form[action$='/agenda/'] button").click()
    item = office.locator("[id^='agenda-']", has_text=project).first
    item_id = item.get_attribute("id")
    item.locator("textarea[name$='summary']").fill("污水接入问题已解决，二期厂区具备开工条件。")
    item.locator("textarea[name$='decisions']").fill("区资规局6月底前完成二期供地。")
    item.locator("form[hx-post$='/discussion/'] button").click()
    office.locator(f"#{item_id} .text-success").wait_for()
    item = office.locator(f"#{item_id}")
    item.locator("input[name$='title']").fill("完成水务产业园二期供地")
    item.locator("select[name$='lead_department']").select_option(label="区资规局")
    item.locator("input[name$='due_date']").fill((today + timedelta(days=30)).isoformat())
    item.locator("form[hx-post$='/assign/'] button").click()
    office.locator(f"#{item_id}", has_text="完成水务产业园二期供地").wait_for()
    shoot(office, "story-6-meeting-in-progress")

    # Minutes are issued only once the meeting is held: the demo's is two days ahead, so it
    # is moved to this morning and recorded as held, as the office would after it.
    assert office.locator("form[action$='/issue/']").count() == 0, "not before it is held"
    meeting_services.update_meeting(
        weekly,
        {"status": MeetingStatus.HELD, "starts_at": timezone.now() - timedelta(hours=1)},
        actor=User.objects.get(username="xietiaoban"),
    )
    office.reload()
    office.once("dialog", lambda dialog: dialog.accept())
    office.locator("form[action$='/issue/'] button").click()
    office.locator(".alert-success").wait_for()
    with office.expect_download() as download:
        office.locator("a[href$='/minutes/']").click()
    path = tmp_path / "minutes.docx"
    download.value.save_as(path)
    document = Document(path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "区资规局6月底前完成二期供地。" in text
    assert "完成水务产业园二期供地" in text
    shoot(office, "story-7-minutes-issued")

    # The leader reads the dashboard on a phone; nothing runs off the side of the screen.
    phone = {"width": 390, "height": 844}
    leader = log_in(browser, live_server, "lingdao", viewport=phone)
    leader.goto(f"{live_server.url}/dashboard/")
    leader.locator("#chart-health svg").wait_for()
    assert leader.evaluate("document.documentElement.scrollWidth") <= phone["width"] + 1
    shoot(leader, "story-8-leader-dashboard-phone")
    leader.goto(project_url)
    assert problem in leader.locator("main").inner_text()
    shoot(leader, "story-9-leader-project-phone")


def test_department_updates_problems_from_its_desk_in_place_in_each_language(
    browser, live_server, demo_zone
):
    for language, _, _ in LANGUAGES:
        page = log_in(browser, live_server, "zigui", language)
        page.goto(f"{live_server.url}/desk/")
        rows = page.locator("tr[id^='problem-']")
        assert rows.count() >= 1
        first = rows.first
        row_id = first.get_attribute("id")
        assert first.locator(".light-red").count() == 1, "the overdue problem comes first, in red"
        shoot(page, f"desk-{language}")

        text = f"已完成控规调整方案公示（{language}）。"
        first.locator("summary").click()
        first.locator("textarea[name=text]").first.fill(text)
        with page.expect_response(lambda r: "/update/" in r.url):
            first.locator("form[hx-post$='/update/'] button").click()
        row = page.locator(f"#{row_id}")
        row.locator(".text-success").wait_for()
        assert page.url.endswith("/desk/"), "the update happened in place, without leaving the desk"
        page.goto(f"{live_server.url}{row.locator('a.fw-semibold').get_attribute('href')}")
        with translation.override(language):
            shown = localized_name(text, "")  # in Traditional to readers of Traditional
        assert shown in page.content()
        page.context.close()


def test_leader_reads_supervision_in_each_language_and_the_dashboard_on_desktop_and_phone(
    browser, live_server, demo_zone
):
    for language, _, _ in LANGUAGES:
        page = log_in(browser, live_server, "lingdao", language)
        page.goto(f"{live_server.url}/supervision/?open=true")
        assert page.locator(".light-red").count() >= 2
        shoot(page, f"supervision-{language}")
        page.context.close()

    for device, viewport in [
        ("desktop", {"width": 1366, "height": 900}),
        ("phone", {"width": 390, "height": 844}),
    ]:
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
        page.context.close()

"""A week of daily work in Debian's Chromium, each step as the person who does it, on a
desktop and on a 390 px phone: the owner raises an enterprise request and reports its
progress; the office works only from its inbox (triage, review, close, accept); the
department handles its desk; the leader reads the one-screen view and taps a tile.

Every page of the journey must fit the screen and pass axe-core; after each step the
database says it happened, the item has left the inbox and the people concerned were told.
Screenshots are kept in ``test-artifacts/``.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from diaodu.accounts.models import User
from diaodu.appeals.choices import AppealStatus
from diaodu.appeals.models import Appeal
from diaodu.browsing import DESKTOP, PHONE, assert_accessible, assert_fits_width, log_in, shoot
from diaodu.notifications.models import Notification
from diaodu.org.models import Organisation
from diaodu.problems import services as problem_services
from diaodu.problems.choices import ActionStatus, EntryKind, ProblemStatus
from diaodu.problems.models import ActionItem
from diaodu.projects.choices import ReportStatus
from diaodu.projects.models import ProgressReport, Project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = {"desktop": DESKTOP, "phone": PHONE}
REQUEST = "园区东路路灯未安装影响夜间施工"
REPORT = "膜材料车间主体结构封顶，设备基础施工完成60%。"


def looked_at(page, name):
    """The page as it is now fits the screen, passes axe-core and is kept as a picture."""
    page.wait_for_load_state()
    shoot(page, name)
    assert_fits_width(page)
    assert_accessible(page)


def choose(page, field, text):
    """Picks ``text`` in a searchable choice, as a person does: typing, then clicking."""
    page.locator(f"#{field} + .ts-wrapper .ts-control").click()
    page.keyboard.type(text)
    page.locator(f"#{field}-ts-dropdown .option", has_text=text).first.click()
    page.keyboard.press("Escape")


def told(username, event, since):
    return Notification.objects.filter(
        recipient__username=username, event=event, created_at__gte=since
    ).exists()


def open_inbox(page):
    """The inbox from the menu, opening the menu first on a phone."""
    if not page.locator("#nav-inbox").is_visible():
        page.locator(".navbar-toggler").click()
    page.locator("#nav-inbox").click()
    page.wait_for_url("**/inbox/")


def in_inbox(page, key, pk):
    return page.locator(f"section#{key} tr#{key}-{pk}")


def handle(page, row_id, to_status=None):
    """Opens a desk row's quick actions; the form of a move, or the update form."""
    row = page.locator(f"#{row_id}")
    row.locator("summary").click()
    if to_status is None:
        return row.locator("form[hx-post$='/update/'], form[hx-post$='/feedback/']")
    return row.locator("form", has=page.locator(f"input[name=to_status][value={to_status}]"))


def send(page, form, row_id):
    """Sends a desk row's form in place and waits for the row to come back with its word."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        form.locator("button").click()
    page.locator(f"#{row_id} .text-success").wait_for()
    assert page.url.endswith("/desk/"), "the desk was never left"


@pytest.mark.parametrize("screen", SCREENS)
def test_a_week_of_daily_work_each_role_on_its_own_pages(browser, live_server, demo_zone, screen):
    viewport, today = SCREENS[screen], timezone.localdate()
    project = Project.objects.get(code="2026-001")
    zigui = Organisation.objects.get(short_name="区资规局")
    zhujian = Organisation.objects.get(short_name="区住建局")
    # Last week's meeting gave 区资规局 an assignment on the project, not yet taken on.
    action = problem_services.assign_action_item(
        {
            "title": "完成二期地块控规调整公示",
            "project": project,
            "lead_department": zigui,
            "assigned_on": today - timedelta(days=2),
            "due_date": today + timedelta(days=12),
        },
        actor=User.objects.get(username="xietiaoban"),
    )
    start = timezone.now()

    # The owner raises a request from its project's page, then reports the month's progress.
    owner = log_in(browser, live_server, "yezhu", viewport=viewport)
    looked_at(owner, f"day-{screen}-01-owner-lands")
    owner.get_by_role("link", name=project.name).first.click()
    owner.wait_for_url(f"**{project.get_absolute_url()}")
    looked_at(owner, f"day-{screen}-02-owner-project")
    owner.locator(f"a[href='/requests/new/{project.pk}/']").click()
    owner.fill("#id_title", REQUEST)
    owner.select_option("#id_category", "utilities")
    owner.fill("#id_description", "园区东路路灯尚未安装，夜间施工车辆通行有安全隐患。")
    looked_at(owner, f"day-{screen}-03-owner-request-form")
    owner.locator("form button.btn-primary").click()
    owner.wait_for_url(re.compile(r".*/requests/\d+/$"))
    appeal = Appeal.objects.get(title=REQUEST)
    assert appeal.status == AppealStatus.RAISED
    assert told("xietiaoban", "appeal_raised", start)
    looked_at(owner, f"day-{screen}-04-owner-request-raised")

    # The month's reporting round waits in its inbox; the report form comes filled in.
    open_inbox(owner)
    looked_at(owner, f"day-{screen}-05-owner-inbox")
    round_row = owner.locator("section#rounds_open tbody tr", has_text=project.name)
    round_row.locator("a.btn").click()
    assert owner.locator("#id_period_start").input_value()
    owner.fill("#id_narrative", REPORT)
    owner.fill("#id_investment", "1250.5")
    looked_at(owner, f"day-{screen}-06-owner-report-form")
    owner.locator("form button.btn-primary").click()
    owner.wait_for_url(f"**{project.get_absolute_url()}")
    report = ProgressReport.objects.get(project=project, narrative=REPORT)
    assert report.status == ReportStatus.SUBMITTED
    assert told("xietiaoban", "report_submitted", start)
    looked_at(owner, f"day-{screen}-07-owner-report-submitted")
    open_inbox(owner)
    assert round_row.count() == 0, "the round, reported, has left the owner's inbox"

    # The office works from its inbox alone: it lands there and every step starts there.
    office = log_in(browser, live_server, "xietiaoban", viewport=viewport)
    assert office.url.endswith("/inbox/")
    looked_at(office, f"day-{screen}-08-office-inbox")
    in_inbox(office, "appeals_to_triage", appeal.pk).get_by_role("link").last.click()
    office.wait_for_url(re.compile(rf".*/requests/{appeal.pk}/\?next="))
    looked_at(office, f"day-{screen}-09-office-triage")
    choose(office, "accept_lead_department", str(zigui))
    choose(office, "accept_cooperating_departments", str(zhujian))
    office.fill("#accept_due_date", (today + timedelta(days=30)).isoformat())
    office.locator("#pane-accept button.btn-primary").click()
    office.wait_for_url("**/inbox/")
    office.locator(".alert-success").wait_for()
    appeal.refresh_from_db()
    problem = appeal.problem
    assert appeal.status == AppealStatus.ACCEPTED
    assert problem.lead_department == zigui
    assert list(problem.cooperating_departments.all()) == [zhujian]
    assert told("zigui", "problem_raised", start)
    assert told("zhujian", "problem_raised", start)
    assert told("yezhu", "appeal_accepted", start)
    assert in_inbox(office, "appeals_to_triage", appeal.pk).count() == 0
    looked_at(office, f"day-{screen}-10-office-triaged")

    in_inbox(office, "reports_submitted", report.pk).locator("form button").click()
    office.locator(".alert-success").wait_for()
    assert office.url.endswith("/inbox/")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert told("yezhu", "report_approved", start)
    assert in_inbox(office, "reports_submitted", report.pk).count() == 0
    looked_at(office, f"day-{screen}-11-office-report-approved")

    # The department handles its desk in place: the new problem and the assignment.
    department = log_in(browser, live_server, "zigui", viewport=viewport)
    assert department.url.endswith("/desk/")
    looked_at(department, f"day-{screen}-12-department-desk")
    row = f"action-{action.pk}"
    send(department, handle(department, row, ActionStatus.ACKNOWLEDGED), row)
    assert ActionItem.objects.get(pk=action.pk).status == ActionStatus.ACKNOWLEDGED
    form = handle(department, row)
    form.locator("textarea[name=text]").fill("公示稿已报区政府审定。")
    send(department, form, row)
    assert action.entries.filter(kind=EntryKind.FEEDBACK, text="公示稿已报区政府审定。").exists()
    looked_at(department, f"day-{screen}-13-department-feedback")
    form = handle(department, row, ActionStatus.SUBMITTED)
    form.locator("textarea[name=text]").fill("控规调整方案已公示完毕，无异议。")
    send(department, form, row)
    assert ActionItem.objects.get(pk=action.pk).status == ActionStatus.SUBMITTED
    assert told("xietiaoban", "action_submitted", start)

    row = f"problem-{problem.pk}"
    form = handle(department, row)
    form.locator("textarea[name=text]").fill("已会同住建局现场踏勘，路灯纳入东路配套工程。")
    send(department, form, row)
    assert problem.entries.filter(kind=EntryKind.UPDATE).exists()
    form = handle(department, row, ProblemStatus.RESOLVED)
    form.locator("textarea[name=resolution]").fill("路灯已安装并通电。")
    send(department, form, row)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RESOLVED
    assert told("xietiaoban", "problem_resolved", start)
    looked_at(department, f"day-{screen}-14-department-resolved")

    # Back in the inbox, the office closes the problem and accepts the result.
    open_inbox(office)
    looked_at(office, f"day-{screen}-15-office-inbox-again")
    in_inbox(office, "problems_resolved", problem.pk).locator("form button").click()
    office.locator(".alert-success").wait_for()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    assert told("zigui", "problem_closed", start)
    assert told("yezhu", "appeal_closed", start)
    assert in_inbox(office, "problems_resolved", problem.pk).count() == 0

    in_inbox(office, "results_submitted", action.pk).locator("form button").first.click()
    office.locator(".alert-success").wait_for()
    assert ActionItem.objects.get(pk=action.pk).status == ActionStatus.DONE
    assert told("zigui", "action_done", start)
    assert in_inbox(office, "results_submitted", action.pk).count() == 0
    assert office.url.endswith("/inbox/")
    looked_at(office, f"day-{screen}-16-office-done")

    # The enterprise is asked to rate how its request was settled, from its inbox.
    open_inbox(owner)
    assert in_inbox(owner, "appeals_to_rate", appeal.pk).count() == 1
    looked_at(owner, f"day-{screen}-17-owner-inbox")

    # The leader reads the one-screen view and taps through one figure.
    leader = log_in(browser, live_server, "lingdao", viewport=viewport)
    leader.get_by_role("link", name="今日概览").click()
    leader.wait_for_url("**/dashboard/today/")
    looked_at(leader, f"day-{screen}-18-leader-today")
    tile = leader.locator("#tile-overdue_problems")
    figure = tile.locator(".today-figure").inner_text()
    tile.click()
    leader.wait_for_url("**/supervision/**")
    assert leader.locator("main p.small").first.inner_text() == f"共{figure}项"
    looked_at(leader, f"day-{screen}-19-leader-tile-opened")
    for page in (owner, office, department, leader):
        page.context.close()

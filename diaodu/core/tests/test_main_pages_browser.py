"""Every main page of every role's daily work, on a 390 px phone and a 1440 px desktop: it
must not scroll sideways and axe-core must find no WCAG 2.1 AA violation on it.
Screenshots are kept in ``test-artifacts/``.

``MAIN_PAGES`` is the one list of pages: add a page there and every role that may open it
is checked on both screens.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from diaodu.accounts.models import User
from diaodu.appeals.access import visible_appeals
from diaodu.appeals.choices import AppealStatus
from diaodu.browsing import DESKTOP, PHONE, assert_accessible, assert_fits_width, log_in, shoot
from diaodu.meetings.access import visible_meetings
from diaodu.problems.access import visible_action_items, visible_problems
from diaodu.projects.access import visible_projects

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: The first demo account of each role whose day the pages serve.
ROLES = {
    "coordinator": "xietiaoban",
    "leader": "lingdao",
    "department": "zigui",
    "owner": "yezhu",
}
EVERYONE = tuple(ROLES)
OVERSEERS = ("coordinator", "leader")  # those who see everything


def _first(queryset):
    return queryset.order_by("pk").first().get_absolute_url()


@dataclass
class MainPage:
    name: str
    url: Callable[[User], str]  # the page's address as this user opens it
    roles: tuple = EVERYONE
    status: int = 200  # what the role gets: the error pages are main pages too


def _named(name, query=""):
    return lambda user: reverse(name) + query


def _raise_request(user):
    project = visible_projects(user).order_by("pk").first()
    return reverse("appeals:appeal_raise", args=[project.pk])


MAIN_PAGES = [
    MainPage("inbox", _named("inbox:inbox")),
    MainPage("projects", _named("projects:project_list")),
    MainPage("project", lambda user: _first(visible_projects(user))),
    MainPage("desk", _named("problems:desk")),
    MainPage("supervision", _named("problems:supervision", "?open=true"), OVERSEERS),
    MainPage(
        "supervision-actions", _named("problems:supervision", "?tab=actions&open=true"), OVERSEERS
    ),
    MainPage("problem", lambda user: _first(visible_problems(user))),
    MainPage(
        "action-item",
        lambda user: _first(visible_action_items(user)),
        ("coordinator", "leader", "department"),
    ),
    MainPage("meetings", _named("meetings:meeting_list")),
    MainPage(
        "meeting",
        lambda user: _first(visible_meetings(user)),
        ("coordinator", "leader", "department"),
    ),
    MainPage(
        "meeting-screen",
        lambda user: reverse(
            "meetings:meeting_screen", args=[visible_meetings(user).order_by("pk").first().pk]
        ),
        ("coordinator", "leader", "department"),
    ),
    MainPage("calendar", _named("calendars:calendar_page")),
    MainPage("rounds", _named("projects:round_list")),
    MainPage("today", _named("dashboard:today"), OVERSEERS),
    MainPage("dashboard", _named("dashboard:dashboard"), OVERSEERS),
    MainPage("dashboard-cards", _named("dashboard:cards"), OVERSEERS),
    MainPage("dashboard-timeline", _named("dashboard:timeline"), OVERSEERS),
    MainPage("dashboard-departments", _named("dashboard:departments"), OVERSEERS),
    MainPage("dashboard-approvals", _named("dashboard:approvals"), OVERSEERS),
    MainPage("dashboard-land", _named("dashboard:land"), OVERSEERS),
    MainPage("notifications", _named("notifications:notification_list")),
    MainPage("search", _named("search:search", "?q=%E6%B0%B4%E5%8A%A1")),  # 水务
    MainPage("requests", _named("appeals:appeal_list"), ("coordinator", "owner")),
    # One awaiting triage: the office's page then carries its triage forms.
    MainPage(
        "request",
        lambda user: _first(visible_appeals(user).filter(status=AppealStatus.RAISED)),
        ("coordinator", "owner"),
    ),
    MainPage("request-raise", _raise_request, ("owner",)),
    # Departments do not see enterprise requests: they meet the refusal.
    MainPage("error-403", _named("appeals:appeal_list"), ("department",), status=403),
    MainPage("error-404", lambda user: "/no-such-page/", status=404),
    MainPage("map", _named("sites:map")),
    MainPage(
        "photo-timeline",
        lambda user: reverse(
            "sites:photo_timeline", args=[visible_projects(user).order_by("pk")[0].pk]
        ),
    ),
    MainPage(
        "project-site",
        lambda user: reverse(
            "sites:project_site", args=[visible_projects(user).order_by("pk")[0].pk]
        ),
        ("coordinator",),
    ),
]

SCREENS = {"phone": PHONE, "desktop": DESKTOP}


def _check(page, label, failures):
    shoot(page, label)
    for check in (assert_fits_width, assert_accessible):
        try:
            check(page)
        except AssertionError as error:
            failures.append(f"[{label}] {error}")


# English words are longer than Chinese ones: the phone is checked in both.
CHECKS = {"phone": (PHONE, "zh-hans"), "phone-en": (PHONE, "en"), "desktop": (DESKTOP, "zh-hans")}


# The demo zone is most of the cost, so one test per screen walks every role through every
# page and reports all that is wrong at once.
@pytest.mark.parametrize("screen", CHECKS)
def test_every_main_page_fits_the_screen_and_passes_axe(browser, live_server, demo_zone, screen):
    (viewport, language), failures = CHECKS[screen], []

    context = browser.new_context(viewport=viewport)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    _check(page, f"a11y-{screen}-login", failures)
    context.close()

    for role, username in ROLES.items():
        user = User.objects.get(username=username)
        page = log_in(browser, live_server, username, language, viewport)
        for main in MAIN_PAGES:
            if role not in main.roles:
                continue
            response = page.goto(live_server.url + main.url(user))
            assert response.status == main.status, f"{role} {main.name}: {response.status}"
            _check(page, f"a11y-{screen}-{role}-{main.name}", failures)
        page.context.close()

    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_department_handles_its_desk_with_the_keyboard_alone(
    browser, live_server, demo_zone, screen
):
    viewport = SCREENS[screen]
    page = log_in(browser, live_server, ROLES["department"], viewport=viewport)
    page.goto(f"{live_server.url}{reverse('problems:desk')}")

    # The skip link is the first stop and takes the keyboard past the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    for _step in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    else:
        pytest.fail("no quick action on the desk is reachable with Tab")
    row = page.locator("#" + page.evaluate("document.activeElement.closest('tr').id"))
    page.keyboard.press("Enter")
    form = row.locator(".quick-form")
    assert form.is_visible()
    box = form.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= viewport["width"], "the quick action opens off the screen"
    assert_fits_width(page)
    shoot(page, f"desk-{screen}-handle-open")

    page.keyboard.press("Tab")
    page.keyboard.type("已与业主现场核实，本周内出具意见。")
    for _step in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
    page.keyboard.press("Enter")
    row.locator(".text-success").wait_for()
    assert_fits_width(page)
    assert_accessible(page)
    shoot(page, f"desk-{screen}-handled")
    page.context.close()


def test_the_leader_reads_the_dashboard_on_a_phone(browser, live_server, demo_zone):
    page = log_in(browser, live_server, ROLES["leader"], viewport=PHONE)
    page.goto(f"{live_server.url}{reverse('dashboard:dashboard')}")

    # The tabs stay on one line (and scroll); the filters wait behind one button.
    tops = {
        round(tab.bounding_box()["y"]) for tab in page.locator("main .nav-pills .nav-link").all()
    }
    assert len(tops) == 1, "the dashboard's tabs wrap"
    assert not page.locator("#dashboard-filters").is_visible()
    page.get_by_role("button", name="筛选条件").click()
    page.locator("#dashboard-filters").wait_for()
    assert_fits_width(page)
    shoot(page, "dashboard-phone-filters")

    # The one-screen view: every figure on the first screen, each opening its list.
    page.get_by_role("link", name="今日概览").click()
    page.wait_for_url("**/dashboard/today/")

    tiles = page.locator(".today-tile")
    assert tiles.count() == 9
    for n in range(tiles.count()):
        box = tiles.nth(n).bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], "a figure is below the first screen"
    assert_fits_width(page)
    shoot(page, "today-phone")

    overdue = page.locator("#tile-overdue_problems .today-figure").inner_text()
    page.locator("#tile-overdue_problems").click()
    page.wait_for_url("**/supervision/**")
    assert page.locator("main p.small").first.inner_text() == f"共{overdue}项"
    page.context.close()

"""Every main page of every role's daily work, on a 390 px phone and a 1440 px desktop: it
must not scroll sideways and axe-core must find no WCAG 2.1 AA violation on it.
Screenshots are kept in ``test-artifacts/``.

``MAIN_PAGES`` is the one list of pages: add a page there and every role that may open it
is checked on both screens.
"""

from dataclasses import dataclass
from typing import Callable

import pytest
from django.urls import reverse

from diaodu.accounts.models import User
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


def _named(name, query=""):
    return lambda user: reverse(name) + query


MAIN_PAGES = [
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
    MainPage("rounds", _named("projects:round_list")),
    MainPage("dashboard", _named("dashboard:dashboard"), OVERSEERS),
    MainPage("dashboard-cards", _named("dashboard:cards"), OVERSEERS),
    MainPage("dashboard-timeline", _named("dashboard:timeline"), OVERSEERS),
    MainPage("dashboard-departments", _named("dashboard:departments"), OVERSEERS),
    MainPage("dashboard-approvals", _named("dashboard:approvals"), OVERSEERS),
    MainPage("dashboard-land", _named("dashboard:land"), OVERSEERS),
    MainPage("notifications", _named("notifications:notification_list")),
    MainPage("search", _named("search:search", "?q=%E6%B0%B4%E5%8A%A1")),  # 水务
]

SCREENS = {"phone": PHONE, "desktop": DESKTOP}


def _check(page, label, failures):
    shoot(page, label)
    for check in (assert_fits_width, assert_accessible):
        try:
            check(page)
        except AssertionError as error:
            failures.append(f"[{label}] {error}")


# The demo zone is most of the cost, so one test per screen walks every role through every
# page and reports all that is wrong at once.
@pytest.mark.parametrize("screen", SCREENS)
def test_every_main_page_fits_the_screen_and_passes_axe(browser, live_server, demo_zone, screen):
    viewport, failures = SCREENS[screen], []

    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    _check(page, f"a11y-{screen}-login", failures)
    context.close()

    for role, username in ROLES.items():
        user = User.objects.get(username=username)
        page = log_in(browser, live_server, username, viewport=viewport)
        for main in MAIN_PAGES:
            if role not in main.roles:
                continue
            response = page.goto(live_server.url + main.url(user))
            assert response.ok, f"{role} {main.name}: {response.status}"
            _check(page, f"a11y-{screen}-{role}-{main.name}", failures)
        page.context.close()

    assert not failures, "\n\n".join(failures)

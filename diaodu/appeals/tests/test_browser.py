"""The loop of an enterprise request in Debian's Chromium, on a desktop and on a phone:
the owner raises it from its project's page, the office answers it in place, the owner
rates the answer. Screenshots are kept in ``test-artifacts/``."""

import pytest

from diaodu.appeals.models import Appeal
from diaodu.browsing import log_in, shoot
from diaodu.projects.models import Project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def fits(page, screen):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SCREENS[screen]["width"], f"{page.url} is {width} px wide"


@pytest.mark.parametrize("screen", SCREENS)
def test_an_owner_raises_a_request_the_office_answers_and_the_owner_rates(
    browser, live_server, demo_zone, screen
):
    viewport = SCREENS[screen]
    project = Project.objects.get(code="2026-001")

    owner = log_in(browser, live_server, "yezhu", viewport=viewport)
    owner.goto(f"{live_server.url}{project.get_absolute_url()}")
    fits(owner, screen)
    shoot(owner, f"appeal-project-page-{screen}")
    owner.locator(f"a[href='/requests/new/{project.pk}/']").click()
    owner.fill("#id_title", "厂区道路照明未安装")
    owner.select_option("#id_category", "utilities")
    owner.fill("#id_description", "园区东路路灯尚未安装，夜间施工车辆通行有安全隐患。")
    fits(owner, screen)
    shoot(owner, f"appeal-raise-{screen}")
    owner.locator("form button.btn-primary").click()
    owner.wait_for_url(f"{live_server.url}/requests/*/")
    appeal = Appeal.objects.get(title="厂区道路照明未安装")
    fits(owner, screen)
    shoot(owner, f"appeal-raised-{screen}")

    office = log_in(browser, live_server, "xietiaoban", viewport=viewport)
    office.goto(f"{live_server.url}/requests/")
    fits(office, screen)
    shoot(office, f"appeal-list-office-{screen}")
    office.goto(f"{live_server.url}{appeal.get_absolute_url()}")
    fits(office, screen)
    shoot(office, f"appeal-accept-form-{screen}")
    office.locator("#tab-answer").click()
    office.fill("#answer_answer", "已协调园区建设公司，下周完成路灯安装。")
    fits(office, screen)
    shoot(office, f"appeal-triage-{screen}")
    office.locator("#pane-answer button.btn-primary").click()
    office.wait_for_selector(".alert-success")
    assert Appeal.objects.get(pk=appeal.pk).status == "answered"

    owner.goto(f"{live_server.url}{appeal.get_absolute_url()}")
    owner.select_option("#id_rating", "4")
    owner.fill("#id_comment", "答复及时")
    owner.locator("form[action$='/rate/'] button").click()
    owner.wait_for_selector(".alert-success")
    assert Appeal.objects.get(pk=appeal.pk).rating == 4
    fits(owner, screen)
    shoot(owner, f"appeal-rated-{screen}")
    owner.goto(f"{live_server.url}/requests/")
    fits(owner, screen)
    shoot(owner, f"appeal-list-owner-{screen}")

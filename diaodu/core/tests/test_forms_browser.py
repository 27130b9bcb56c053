"""Forms and error pages in Debian's Chromium, with the Content Security Policy on: people
and organisations are chosen by searching (Tom Select, started from diaodu.js), limited
text counts its characters as one types, mistakes are summarised at the top, and error
pages keep the site's layout on a desk and on a phone. Screenshots in test-artifacts/."""

import pytest

from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.browsing import log_in, shoot
from diaodu.projects.models import Project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESK = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def watch(page) -> list[str]:
    """What the browser complains about: policy violations and script errors."""
    complaints = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: complaints.append(str(error)))
    return complaints


@pytest.mark.parametrize(("size", "viewport"), [("desk", DESK), ("phone", PHONE)])
def test_attendees_are_found_by_typing_and_shown_with_organisation_and_title(
    browser, live_server, demo_zone, size, viewport
):
    staff = User.objects.filter(role=Role.DEPARTMENT).select_related("organisation").first()
    page = log_in(browser, live_server, "xietiaoban", viewport=viewport)
    complaints = watch(page)
    page.goto(f"{live_server.url}/meetings/new/")

    control = page.locator("#id_attendees-ts-control")
    control.click()
    control.fill(staff.display_name)
    option = page.locator(".ts-dropdown .option", has_text=staff.display_name).first
    assert str(staff.organisation) in option.inner_text()
    assert " · " in option.inner_text()
    option.click()
    page.keyboard.press("Escape")

    chosen = page.eval_on_selector_all(
        "#id_attendees option:checked", "options => options.map(o => o.value)"
    )
    assert chosen == [str(staff.pk)]
    assert page.locator("#id_attendees + .ts-wrapper .item").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert complaints == []

    page.locator("form button.btn-primary").last.click()
    page.wait_for_selector("#form-errors")
    assert page.locator("#form-errors a.alert-link").count() >= 1
    shoot(page, f"forms-meeting-with-mistakes-{size}")


def test_limited_text_counts_its_characters_as_one_types(browser, live_server, demo_zone):
    project = Project.objects.order_by("pk").first()
    page = log_in(browser, live_server, "xietiaoban", language="en", viewport=DESK)
    complaints = watch(page)
    page.goto(f"{live_server.url}/projects/{project.pk}/problems/new/")

    counter = page.locator("#id_description-counter")
    assert counter.inner_text() == "0 / 4000"
    page.fill("#id_description", "用地指标不足")
    assert counter.inner_text() == "6 / 4000"
    title = page.locator("#id_title-counter")
    page.fill("#id_title", "用地指标不足")
    assert title.is_hidden(), "a one-line field counts only near its limit"
    page.fill("#id_title", "x" * 170)
    assert title.inner_text() == "170 / 200"
    assert "text-danger" not in title.get_attribute("class")
    page.fill("#id_title", "x" * 190)
    assert "text-danger" in title.get_attribute("class"), "close to the limit"
    assert page.locator("#id_cooperating_departments-ts-control").count() == 1
    assert page.locator("#id_lead_department option").first.inner_text() == "Please choose"
    assert complaints == []
    shoot(page, "forms-problem-raise-desk")


@pytest.mark.parametrize(("size", "viewport"), [("desk", DESK), ("phone", PHONE)])
def test_a_forbidden_page_keeps_the_layout_and_offers_a_way_back(
    browser, live_server, demo_zone, size, viewport
):
    page = log_in(browser, live_server, "zigui", viewport=viewport)
    complaints = watch(page)
    page.goto(f"{live_server.url}/projects/")
    response = page.goto(f"{live_server.url}/projects/new/")

    assert response.status == 403
    assert page.locator("nav.navbar").count() == 1
    assert "工作台" in page.locator("#role-may-do").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shoot(page, f"forms-error-403-{size}")
    page.locator("a[data-back]").click()
    page.wait_for_url(f"{live_server.url}/projects/")
    assert complaints == []

    page.goto(f"{live_server.url}/no-such-page/")
    shoot(page, f"forms-error-404-{size}")


@pytest.mark.parametrize(("size", "viewport"), [("desk", DESK), ("phone", PHONE)])
def test_the_project_page_names_milestones_and_loads_earlier_history_on_demand(
    browser, live_server, demo_zone, size, viewport
):
    project = Project.objects.order_by("pk").first()
    page = log_in(browser, live_server, "xietiaoban", viewport=viewport)
    complaints = watch(page)
    page.goto(f"{live_server.url}/projects/{project.pk}/")

    landing = page.locator("#landing-panel")
    landing.wait_for()
    assert "已竣工" not in landing.inner_text()
    assert "已投产" not in landing.inner_text()
    history = page.locator("#history li.list-group-item")
    shown = history.count()
    assert shown == 11, "the latest ten and the button for more"
    page.locator("#history-more a").click()
    history.nth(11).wait_for()  # the next ten came in place of the button
    assert page.locator("#agreements").count() == 1
    assert complaints == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shoot(page, f"forms-project-page-{size}")

"""Two coordinators edit the same project in Debian's Chromium: the second save shows both
versions side by side, the second re-applies theirs with one button. On a desktop and on
a phone; screenshots are kept in ``test-artifacts/``."""

import pytest

from diaodu.browsing import log_in, shoot
from diaodu.projects.models import Project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("screen", SCREENS)
def test_the_second_coordinator_sees_both_versions_and_re_applies(
    browser, live_server, demo_zone, screen
):
    viewport = SCREENS[screen]
    project = Project.objects.get(code="2026-001")
    edit = f"{live_server.url}/projects/{project.pk}/edit/"
    first = log_in(browser, live_server, "xietiaoban", viewport=viewport)
    second = log_in(browser, live_server, "zhoujie", viewport=viewport)
    first.goto(edit)
    second.goto(edit)

    first.fill("#id_location", "滨江片区一期地块")
    first.locator("form.card button.btn-primary").click()
    second.fill("#id_location", "滨江片区二期地块")
    second.locator("form.card button.btn-primary").click()

    conflict = second.locator("#conflict")
    conflict.wait_for()
    assert "滨江片区一期地块" in conflict.inner_text()
    assert conflict.locator("tr.table-warning").count() == 1
    width = second.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the conflict page is {width} px wide"
    shoot(second, f"conflict-{screen}")
    project.refresh_from_db()
    assert project.location == "滨江片区一期地块"

    second.locator("#conflict button[name=reapply]").click()
    second.wait_for_url(f"{live_server.url}{project.get_absolute_url()}")
    project.refresh_from_db()
    assert project.location == "滨江片区二期地块"

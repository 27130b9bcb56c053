"""The Gantt chart in Debian's Chromium: the office drags a milestone to a later date and the
project's history shows the change; the leader reads it on a 390 px phone, where the chart
scrolls in its own box. Screenshots are kept in ``test-artifacts/``."""

import re

import pytest
from playwright.sync_api import expect

from diaodu.browsing import ARTIFACTS, PHONE, assert_accessible, assert_fits_width, log_in, shoot
from diaodu.core.models import ChangeLog
from diaodu.projects.models import Milestone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Where a milestone's hollow diamond is drawn, in page pixels, asked of the chart itself.
_POSITION = """id => {
  const element = document.getElementById("gantt-chart");
  const chart = echarts.getInstanceByDom(element);
  const data = JSON.parse(document.getElementById("gantt-data").textContent);
  const mark = data.marks.find((m) => m.id === id && m.kind === "planned");
  const [y, m, d] = mark.date.split("-").map(Number);
  const [px, py] = chart.convertToPixel({gridIndex: 0}, [Date.UTC(y, m - 1, d), mark.row]);
  const box = element.getBoundingClientRect();
  return {x: box.left + px, y: box.top + py - 7};
}"""


def test_the_office_drags_a_milestone_and_the_history_shows_it(browser, live_server, demo_zone):
    page = log_in(
        browser, live_server, "xietiaoban", language="en", viewport={"width": 1440, "height": 1000}
    )
    page.goto(f"{live_server.url}/dashboard/timeline/?group=department&scale=quarter")
    page.wait_for_selector("#gantt-chart svg")
    milestone = (
        Milestone.objects.filter(
            actual_date__isnull=True, planned_date__isnull=False, kind__code="completion"
        )
        .select_related("project", "kind")
        .order_by("project__code")
        .first()
    )
    before = milestone.planned_date
    spot = page.evaluate(_POSITION, milestone.pk)
    page.mouse.move(spot["x"], spot["y"])
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(spot["x"] + step * 12, spot["y"])
    shoot(page, "gantt-dragging")
    page.mouse.up()
    expect(page.locator("#gantt-status")).to_contain_text("moved to", timeout=5000)
    milestone.refresh_from_db()
    assert milestone.planned_date > before
    log = ChangeLog.objects.filter(object_id=milestone.pk).latest("pk")
    assert log.after["planned_date"] == milestone.planned_date.isoformat()
    shoot(page, "gantt-desktop")
    assert_accessible(page)
    # On paper: A3 landscape (420 × 297 mm is 1190.55 × 841.89 pt).
    pdf = page.pdf(prefer_css_page_size=True)
    (size,) = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
    assert [round(float(v)) for v in size] == [1191, 842]
    (ARTIFACTS / "gantt-a3.pdf").write_bytes(pdf)

    page.goto(f"{live_server.url}{milestone.project.get_absolute_url()}")
    # The newest change on the project's history: the coordinator moved the planned date.
    change = page.locator(".card", has_text="History").locator("li.list-group-item").first
    expect(change).to_contain_text("陈晓琳")
    expect(change.locator("del")).to_contain_text(before.isoformat())
    expect(change.locator("ins")).to_contain_text(milestone.planned_date.isoformat())
    change.scroll_into_view_if_needed()
    shoot(page, "gantt-history")


def test_the_leader_reads_the_gantt_chart_on_a_phone(browser, live_server, demo_zone):
    page = log_in(browser, live_server, "lingdao", viewport=PHONE)
    page.goto(f"{live_server.url}/dashboard/timeline/")
    page.wait_for_selector("#gantt-chart svg")
    assert_fits_width(page)
    scroller = page.locator(".gantt-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth"), (
        "the chart scrolls in its box"
    )
    # Leaders read; nothing on their chart can be dragged.
    assert page.locator("text=Drag a hollow milestone").count() == 0
    page.locator('[data-gantt-scale="year"]').click()
    expect(page.locator('[data-gantt-scale="year"]')).to_have_attribute("aria-current", "true")
    shoot(page, "gantt-phone")
    assert_accessible(page)

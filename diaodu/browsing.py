"""Fixtures and helpers of the browser journeys (marker ``browser``), loaded as a pytest
plugin by the repository's ``conftest.py`` so every app's journeys share one Chromium."""

import os
from pathlib import Path

import pytest

from diaodu import demo

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
#: The success criteria of WCAG 2.1 levels A and AA, which GB/T 37668 asks of public sites.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run: a second Playwright cannot start while one runs."""
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop running in this thread, so Django
    # takes every database call here for one made from async code; they are not.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


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
    # Each role lands on its own page (its inbox, desk, dashboard or projects): wait for
    # any page but the log-in form, then go where the test needs to be.
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def assert_accessible(page):
    """Runs axe-core on the page as it is now and fails, naming each rule and the elements
    that break it, if it finds any violation of WCAG 2.1 A or AA."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the debugging protocol: a <script> tag would be refused by the
        # pages' Content-Security-Policy, which the check must not have to weaken.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {', '.join(map(str, n['target']))}" for n in v["nodes"][:10])
        + (f"\n    … and {len(v['nodes']) - 10} more" if len(v["nodes"]) > 10 else "")
        for v in results["violations"]
    ]
    assert not problems, f"{page.url} breaks WCAG 2.1 AA:\n" + "\n".join(problems)


# Elements may reach past the edge inside something that scrolls on purpose (a wide
# table in .table-responsive, the dashboard's tabs) or clips; those are not counted, except
# in a list that turns into cards on a phone: a card must fit.
_OVERFLOW = """() => {
  const width = window.innerWidth;
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (/(auto|scroll|hidden|clip)/.test(style.overflowX)) return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string"
       ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const offenders = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || box.right <= width + 1) continue;
    // Not drawn: hidden, or inside a closed <details> (whose content keeps its layout).
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    if (getComputedStyle(el).position === "fixed") continue;
    if (inScroller(el) && !el.closest("table.table-cards")) continue;
    offenders.push(`${name(el)} reaches ${Math.round(box.right)} px`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, offenders};
}"""


def assert_fits_width(page):
    """Fails if the page scrolls sideways or a visible element reaches past the right edge
    of the viewport (a phone's 390 px), naming the elements that do."""
    found = page.evaluate(_OVERFLOW)
    where = f"{page.url} in a {found['width']} px viewport"
    assert found["scrollWidth"] <= found["width"], f"{where} is {found['scrollWidth']} px wide"
    assert not found["offenders"], f"{where}:\n  " + "\n  ".join(found["offenders"][:20])

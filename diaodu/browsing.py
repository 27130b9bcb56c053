"""Fixtures and helpers of the browser journeys (marker ``browser``), loaded as a pytest
plugin by the repository's ``conftest.py`` so every app's journeys share one Chromium."""

import os
from pathlib import Path

import pytest

from diaodu import demo

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
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

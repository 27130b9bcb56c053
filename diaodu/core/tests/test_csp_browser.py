"""The Content Security Policy holds in a real browser: Chromium reports no violation on
the main pages (scripts, charts, htmx, Bootstrap's components, the admin)."""

import pytest

from diaodu.test import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Csp-check-password-2026"


PAGES = [
    "/projects/",
    "/dashboard/",
    "/dashboard/timeline/",
    "/dashboard/departments/",
    "/desk/",
    "/supervision/?open=true",
    "/meetings/",
    "/projects/rounds/",
    "/notifications/",
    "/admin/",
]


def test_the_main_pages_break_no_rule_of_the_content_security_policy(browser, live_server):
    w = build_world()
    w.admin.set_password(PASSWORD)
    w.admin.save(update_fields=["password"])
    page = browser.new_page()
    complaints = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: complaints.append(str(error)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", w.admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("form button.btn-primary")
    page.wait_for_url(lambda url: "/login/" not in url)

    for path in [*PAGES, f"/projects/{w.project_x.pk}/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")

    assert complaints == []

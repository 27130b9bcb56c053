"""Who may open the landing pages, the evaluation and its export, and who sets the targets,
through the pages and the API. What each reader sees inside is tested with the figures
(``test_speed``, ``test_evaluation``)."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from diaodu.core.models import ChangeLog
from diaodu.landing.models import StageTarget
from diaodu.projects.models import Milestone
from diaodu.test import api_for, check_api_rule, client_for, role_cells

#          admin coordinator leader staff_a staff_b owner_x owner_y
PAGES = {
    "speed": (200, 200, 200, 200, 200, 200, 200),
    "evaluation": (200, 200, 200, 200, 200, 200, 200),
    "evaluation_export": (200, 200, 200, 200, 200, 200, 200),
    "targets": (200, 200, 200, 200, 200, 200, 200),
    "edit a target": (200, 200, 403, 403, 403, 403, 403),
    "set a target": (302, 302, 403, 403, 403, 403, 403),
    "remove a target": (302, 302, 403, 403, 403, 403, 403),
    "panel of project X": (200, 200, 200, 200, 404, 200, 404),
}


def zone_target(stage="land"):
    return StageTarget.objects.get(stage=stage, industry=None)


def page_request(world, action):
    target = zone_target()
    special = {
        "edit a target": ("get", reverse("landing:target_edit", args=[target.pk]), None),
        "set a target": ("post", reverse("landing:targets"), {"stage": "land", "days": 100}),
        "remove a target": ("post", reverse("landing:target_remove", args=[target.pk]), None),
        "panel of project X": (
            "get",
            reverse("landing:project_panel", args=[world.project_x.pk]),
            None,
        ),
    }
    return special[action] if action in special else ("get", reverse(f"landing:{action}"), None)


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(PAGES))
def test_page_permissions(world, action, role, expected):
    method, url, data = page_request(world, action)
    # The zone-wide land target exists already: setting one is refused as a duplicate
    # (the form again, 200) unless the existing one is gone.
    if action == "set a target":
        StageTarget.objects.filter(stage="land", industry=None).delete()
    changes = ChangeLog.objects.count()

    response = getattr(client_for(getattr(world, role)), method)(url, data or {})

    assert response.status_code == expected
    if method == "post":
        assert ChangeLog.objects.count() == changes + (1 if expected == 302 else 0)


API = {
    "speed": (200, 200, 200, 200, 200, 200, 200),
    "speed summary": (200, 200, 200, 200, 200, 200, 200),
    "evaluation": (200, 200, 200, 200, 200, 200, 200),
    "targets": (200, 200, 200, 200, 200, 200, 200),
    "write a target": (405, 405, 405, 405, 405, 405, 405),
}
API_REQUESTS = {
    "speed": ("get", "/api/landing/speed/", None),
    "speed summary": ("get", "/api/landing/speed/summary/", None),
    "evaluation": ("get", "/api/landing/evaluation/", None),
    "targets": ("get", "/api/landing/targets/", None),
    "write a target": ("post", "/api/landing/targets/", {"stage": "land", "days": 10}),
}


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(API))
def test_api_permissions(world, action, role, expected):
    check_api_rule(getattr(world, role), API_REQUESTS[action], expected)


@pytest.mark.parametrize(
    "url",
    [reverse("landing:speed"), reverse("landing:evaluation"), reverse("landing:evaluation_export")],
)
def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(db, url):
    response = Client().get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", [url for _method, url, _data in API_REQUESTS.values()])
def test_the_api_refuses_anonymous_callers(db, url):
    assert Client().get(url).status_code in (401, 403)


@pytest.mark.parametrize(("role", "shown"), [("leader", True), ("owner_x", False)])
def test_the_menu_links_the_landing_pages_for_those_who_see_everything(world, role, shown):
    html = client_for(getattr(world, role)).get(reverse("projects:project_list")).content.decode()

    assert (f'href="{reverse("landing:speed")}"' in html) is shown


def test_an_account_made_inactive_sees_no_project_in_the_api(world):
    Milestone.objects.filter(project=world.project_x, kind__code="signing").update(
        actual_date=date(2026, 1, 5)
    )
    assert len(api_for(world.owner_x).get("/api/landing/speed/").json()) == 1

    world.owner_x.is_active = False
    world.owner_x.save(update_fields=["is_active"])

    assert api_for(world.owner_x).get("/api/landing/speed/").json() == []

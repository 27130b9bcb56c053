"""The menu highlights the section a page belongs to (``core.navigation``): one, and the
right one, including for pages that are not a menu item themselves."""

import re

import pytest
from django.urls import reverse

from diaodu.factories import ReportingRoundFactory
from diaodu.test import client_for


def active_items(html: str) -> list[str]:
    return re.findall(r'<a class="nav-link active" aria-current="true" href="([^"]+)"', html)


DESK = reverse("problems:desk")
SUPERVISION = reverse("problems:supervision") + "?open=true"
ROUNDS = reverse("projects:round_list")
PROJECTS = reverse("projects:project_list")


def problem(w):
    return reverse("problems:problem_detail", args=[w.problem_x.pk])


def action(w):
    return reverse("problems:action_detail", args=[w.item_a.pk])


def a_round(w):
    return reverse("projects:round_detail", args=[ReportingRoundFactory().pk])


def review(w):
    return reverse("projects:report_review", args=[w.report_x.pk])


@pytest.mark.parametrize(
    ("persona", "page", "section"),
    [
        ("coordinator", problem, SUPERVISION),
        ("staff_a", problem, DESK),
        ("coordinator", action, SUPERVISION),
        ("staff_a", action, DESK),
        ("coordinator", lambda w: DESK, DESK),
        ("coordinator", review, ROUNDS),
        ("coordinator", a_round, ROUNDS),
        ("coordinator", lambda w: reverse("reports:import_start"), PROJECTS),
        ("coordinator", lambda w: reverse("meetings:batch_list"), reverse("meetings:meeting_list")),
        ("owner_x", lambda w: w.project_x.get_absolute_url(), PROJECTS),
        ("owner_x", lambda w: reverse("search:search") + "?q=x", None),
    ],
)  # fmt: skip
def test_the_menu_highlights_the_section_of_the_page(world, persona, page, section):
    response = client_for(getattr(world, persona)).get(page(world))

    assert response.status_code == 200
    active = active_items(response.content.decode())
    assert active == ([] if section is None else [section])

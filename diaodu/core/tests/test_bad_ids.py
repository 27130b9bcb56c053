"""Ids that are not numbers, or numbers no database column can hold, are refused as bad
input (a 400, or "not one of the choices"), never a 500."""

import pytest
from django.urls import reverse

from diaodu.meetings.models import AgendaItem
from diaodu.meetings.tests.conftest import build_meetings
from diaodu.problems.models import Problem
from diaodu.projects.models import Project
from diaodu.test import client_for, form_errors

HUGE = "9" * 30


def test_the_desk_refuses_an_organisation_that_is_not_a_number(world):
    response = client_for(world.coordinator, language="en").get(
        reverse("problems:desk") + "?organisation=abc"
    )

    assert response.status_code == 400
    assert response.content.decode() == "The organisation is chosen by its number, not abc."


def test_the_desk_finds_no_organisation_of_a_huge_number(world):
    response = client_for(world.coordinator).get(reverse("problems:desk") + f"?organisation={HUGE}")

    assert response.status_code == 404


def test_a_huge_id_in_a_multi_select_is_not_one_of_the_choices(world):
    problems = Problem.objects.count()

    response = client_for(world.owner_x, language="en").post(
        reverse("problems:problem_raise", args=[world.project_x.pk]),
        {
            "title": "施工用电容量不足",
            "description": "需新建开关站。",
            "category": "utilities",
            "severity": "normal",
            "level": "zone",
            "lead_department": world.department_a.pk,
            "cooperating_departments": [world.department_b.pk, HUGE],
            "due_date": "2026-07-15",
        },
    )

    assert "cooperating_departments" in form_errors(response)
    assert Problem.objects.count() == problems


def test_a_huge_id_among_the_projects_added_to_an_agenda_is_refused(world):
    build_meetings(world)
    items = AgendaItem.objects.count()

    response = client_for(world.coordinator, language="en").post(
        reverse("meetings:agenda_add", args=[world.meeting_x.pk]), {"projects": [HUGE]}
    )

    assert response.status_code in (200, 302)
    assert AgendaItem.objects.count() == items


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE])
def test_an_in_lookup_ignores_numbers_out_of_the_columns_range(world, value):
    found = Project.objects.filter(pk__in=[int(value), world.project_x.pk])

    assert list(found) == [world.project_x]
    assert not Project.objects.filter(pk__in=[int(value)]).exists()

"""A project's stored state (``projects.derived``): what its rules say, over projects at
every boundary of them, as days pass, and after writes through pages and the API."""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from diaodu.core import derived
from diaodu.factories import (
    MilestoneFactory,
    MilestoneKindFactory,
    ProblemFactory,
    ProjectFactory,
    template_kind,
)
from diaodu.problems import services as problem_services
from diaodu.problems.choices import ProblemStatus
from diaodu.projects import services
from diaodu.projects.choices import Health
from diaodu.projects.derived import STORED_STATES
from diaodu.projects.models import Project
from diaodu.test import TODAY, api_for, client_for

[STATE] = STORED_STATES

pytestmark = pytest.mark.django_db

# Projects at every boundary: (planned, actual) offsets in days from "today".
BOUNDARY_PROJECTS = {
    "no milestones": [],
    "undated": [(None, None)],
    "planned yesterday": [(-1, None)],
    "planned a year ago": [(-365, None)],
    "planned today": [(0, None)],
    "planned in 14 days": [(14, None)],
    "planned in 15 days": [(15, None)],
    "overdue but achieved": [(-1, -1)],
    "achieved late, next one far off": [(-10, -2), (40, None)],
    "achieved early, next one due soon": [(-10, -20), (3, None)],
    "one overdue and one due soon": [(-2, None), (5, None)],
    "two due the same day": [(6, None), (6, None)],
    "all achieved": [(-1, -1), (0, 0), (30, -3)],
}

# Problems of every light on one project: (status, due offset in days from "today").
PROBLEMS = [
    (ProblemStatus.OPEN, -3),  # overdue
    (ProblemStatus.IN_PROGRESS, -1),  # overdue
    (ProblemStatus.OPEN, 0),  # due today: overdue tomorrow
    (ProblemStatus.IN_PROGRESS, 2),
    (ProblemStatus.OPEN, 30),
    (ProblemStatus.RESOLVED, -5),  # awaiting the office: not overdue
    (ProblemStatus.CLOSED, -5),
]


def make_zone(today: date) -> dict[str, Project]:
    projects = {}
    kinds = [template_kind(code) for code in ("signing", "land_supply", "groundbreaking")]
    for label, milestones in BOUNDARY_PROJECTS.items():
        project = ProjectFactory(name=label)
        for kind, (planned, actual) in zip(kinds, milestones, strict=False):
            MilestoneFactory(
                project=project,
                kind=kind,
                planned_date=None if planned is None else today + timedelta(days=planned),
                actual_date=None if actual is None else today + timedelta(days=actual),
                approving_department=project.lead_department if kind.code == "signing" else None,
            )
        projects[label] = project
    for status, due in PROBLEMS:
        ProblemFactory(
            project=projects["planned in 15 days"],
            status=status,
            raised_on=today - timedelta(days=40),
            due_date=today + timedelta(days=due),
        )
    return projects


def stored(name: str) -> Project:
    return Project.objects.with_reasons().get(name=name)


@pytest.mark.parametrize(
    "day",
    [TODAY, date(2026, 12, 25), date(2024, 2, 28)],
    ids=["june", "window across the year end", "window across a leap day"],
)
def test_the_stored_state_is_the_rules_verdict_at_every_boundary_and_stays_so(clock, day):
    clock.set(day)
    make_zone(day)

    assert derived.inconsistencies(day)[str(STATE)] == 0
    assert dict(Project.objects.values_list("name", "health")) == {
        "no milestones": Health.ON_TRACK,
        "undated": Health.ON_TRACK,
        "planned yesterday": Health.DELAYED,
        "planned a year ago": Health.DELAYED,
        "planned today": Health.AT_RISK,
        "planned in 14 days": Health.AT_RISK,
        "planned in 15 days": Health.ON_TRACK,
        "overdue but achieved": Health.ON_TRACK,
        "achieved late, next one far off": Health.ON_TRACK,
        "achieved early, next one due soon": Health.AT_RISK,
        "one overdue and one due soon": Health.DELAYED,
        "two due the same day": Health.AT_RISK,
        "all achieved": Health.ON_TRACK,
    }
    # Every day the rules may change their verdict on, from the day after to a year on:
    # refreshing what is due leaves nothing stale.
    for days in (1, 2, 3, 4, 5, 6, 7, 14, 15, 16, 31, 41, 366):
        later = day + timedelta(days=days)
        derived.refresh_due(later)
        assert derived.inconsistencies(later)[str(STATE)] == 0, f"{days} days on"
    assert set(Project.objects.values_list("health", flat=True)) == {
        Health.ON_TRACK,
        Health.DELAYED,
    }


def test_what_explains_the_health_and_the_counts_are_stored(today):
    make_zone(today)

    late = stored("one overdue and one due soon")
    assert late.health_milestone.kind.code == "signing"
    assert (late.assessment.days, late.health_others) == (2, 0)
    assert late.next_milestone == late.health_milestone
    assert late.pending_approvals == 1
    # Not tomorrow, although it is a day later then: the next change is the milestone due
    # soon falling late too.
    assert late.state_changes_on == today + timedelta(days=6)
    tie = stored("two due the same day")
    assert tie.next_milestone.kind.code == "signing"  # first in the template
    assert (tie.assessment.days, tie.health_others) == (6, 1)
    with_problems = stored("planned in 15 days")
    assert (with_problems.open_problems, with_problems.overdue_problems) == (5, 2)
    assert with_problems.state_changes_on == today + timedelta(days=1)
    assert stored("no milestones").state_changes_on is None
    assert stored("achieved late, next one far off").state_changes_on == today + timedelta(26)


def test_a_day_passing_is_seen_by_the_first_page_of_the_day(clock, coordinator):
    project = ProjectFactory(name="水务产业园")
    MilestoneFactory(project=project, planned_date=clock.today + timedelta(days=15))
    page = reverse("projects:project_list")

    [row] = client_for(coordinator, "en").get(page).context["page"]
    assert row.health == Health.ON_TRACK

    clock.advance(days=1)  # (signed in again: the session of yesterday has expired)

    [row] = client_for(coordinator, "en").get(page).context["page"]
    assert row.health == Health.AT_RISK
    assert "due 25 Jun 2026, in 14 days" in row.assessment.reason


def test_the_daily_command_finds_a_wrong_row_and_repairs_it(today):
    make_zone(today)
    Project.objects.filter(name="planned yesterday").update(health=Health.ON_TRACK)

    with pytest.raises(CommandError):
        call_command("refresh_derived", "--check")
    call_command("refresh_derived", "--all")
    call_command("refresh_derived", "--check")

    assert stored("planned yesterday").health == Health.DELAYED


def test_a_confirmed_milestone_puts_the_project_back_on_track_through_the_pages(world):
    milestone = world.milestone_x  # reported achieved on 1 June
    services.plan_milestone(milestone, {"planned_date": date(2026, 6, 5)}, actor=world.coordinator)
    assert stored("水务产业园").health == Health.DELAYED

    response = client_for(world.coordinator).post(
        reverse("projects:milestone_confirm", args=[milestone.pk])
    )

    assert response.status_code == 302
    project = stored("水务产业园")
    assert (project.health, project.health_milestone, project.next_milestone) == (
        Health.ON_TRACK,
        None,
        None,
    )


def test_a_milestone_reported_through_the_api_puts_the_project_on_track(world):
    api = api_for(world.coordinator, "en")
    milestone = world.milestone_y
    milestone.refresh_from_db()
    response = api.patch(
        f"/api/milestones/{milestone.pk}/",
        {"planned_date": "2026-06-12", "version": milestone.version},
    )
    assert response.status_code == 200, response.content
    assert api.get(f"/api/projects/{world.project_y.pk}/").json()["health"] == "at_risk"

    api.post(f"/api/milestones/{milestone.pk}/confirm/")

    data = api.get(f"/api/projects/{world.project_y.pk}/").json()
    assert (data["health"], data["health_reason"]) == (
        "on_track",
        "No milestone is overdue or due within 14 days.",
    )


def test_problems_raised_and_closed_change_the_counts(world, clock):
    api = api_for(world.coordinator)
    response = api.post(
        "/api/problems/",
        {
            "project": world.project_x.pk,
            "title": "用地指标不足",
            "description": "需调整控规。",
            "category": "land",
            "lead_department": world.department_a.pk,
            "due_date": "2026-06-12",
        },
    )
    assert response.status_code == 201, response.content
    assert (stored("水务产业园").open_problems, stored("水务产业园").overdue_problems) == (1, 0)

    clock.advance(days=3)
    client_for(world.coordinator).get(reverse("projects:project_list"))
    assert stored("水务产业园").overdue_problems == 1

    problem = world.project_x.problems.get()
    problem_services.transition_problem(
        problem, ProblemStatus.RESOLVED, actor=world.staff_a, resolution="已调整。"
    )
    assert (stored("水务产业园").open_problems, stored("水务产业园").overdue_problems) == (0, 0)


def test_an_admin_reordering_the_template_changes_the_next_milestone(world):
    today = world.today
    project = ProjectFactory()
    first, second = MilestoneKindFactory(sort_order=10), MilestoneKindFactory(sort_order=20)
    for kind in (first, second):
        MilestoneFactory(project=project, kind=kind, planned_date=today + timedelta(days=30))
    assert Project.objects.get(pk=project.pk).next_milestone.kind == first

    client_for(world.admin).post(
        reverse("admin:projects_milestonekind_change", args=[second.pk]),
        {
            "code": second.code,
            "name": second.name,
            "name_en": second.name_en,
            "sort_order": 5,
            "day_kind": second.day_kind,
        },
    )

    assert Project.objects.get(pk=project.pk).next_milestone.kind == second

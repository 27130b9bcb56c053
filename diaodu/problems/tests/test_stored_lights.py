"""The stored lights of problems and action items (``diaodu.problems.derived``).

Recomputed from scratch, every stored light agrees with its inputs: over the demo zone and
over items in every status, due on every side of the near window, silent or not; and it
keeps agreeing as the days go by and only the rows whose day has come are refreshed. Run
on SQLite and on PostgreSQL (``DATABASE_URL``).

Then what keeps them so: every write through the services (pages, API), and the first
request of a new day.
"""

from datetime import timedelta
from itertools import product

from django.conf import settings
from django.urls import reverse

from diaodu import demo
from diaodu.accounts.models import User
from diaodu.core import derived
from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.factories import ActionItemFactory, ProblemFactory
from diaodu.org.models import Organisation
from diaodu.problems import services
from diaodu.problems.choices import ActionStatus, Light, ProblemStatus
from diaodu.problems.models import ActionItem, Problem
from diaodu.projects.models import Project
from diaodu.test import api_for, client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


def _varied_items(now, today):
    """Items in every status, due from a month ago to a month ahead (on each edge of the
    near window), last touched from today to a month ago (on each edge of the silence),
    on the demo zone's projects."""
    near, silent = settings.DIAODU_NEAR_DUE_DAYS, settings.DIAODU_SILENT_DAYS
    dues = [-30, -1, 0, 1, near, near + 1, near + 2, 30]
    silences = [0, silent, silent + 1, 30]
    project = Project.objects.order_by("code").first()
    department = Organisation.objects.departments().first()
    coordinator = User.objects.get(username="xietiaoban")
    for status, due, silence in product(ProblemStatus, dues, silences):
        ProblemFactory(
            project=project,
            lead_department=department,
            raised_by=coordinator,
            status=status,
            due_date=today + timedelta(days=due),
            last_activity_at=now - timedelta(days=silence),
        )
    for status, due, silence in product(ActionStatus, dues, silences):
        ActionItemFactory(
            project=project,
            lead_department=department,
            assigned_by=coordinator,
            status=status,
            due_date=today + timedelta(days=due),
            last_activity_at=now - timedelta(days=silence),
        )


def _nothing_differs(day) -> dict:
    found = derived.inconsistencies(day)
    assert found, "no stored state is registered"
    return {rule: count for rule, count in found.items() if count}


def test_every_stored_light_agrees_with_its_inputs_as_the_days_go_by(
    db, clock, fast_password_hashing
):
    demo.load()
    _varied_items(clock.now, clock.today)
    lights = set(Problem.objects.values_list("light", flat=True)) | set(
        ActionItem.objects.values_list("light", flat=True)
    )
    assert lights == set(Light)  # every branch of the rule is on the table
    assert _nothing_differs(clock.today) == {}

    for step in [1, 1, 1, 2, 3, 5, 7, 14, 30, 60]:
        clock.advance(days=step)
        refreshed = derived.refresh_due(clock.today)
        assert _nothing_differs(clock.today) == {}, clock.today
        assert refreshed >= 0
    # Two months on, everything still with a department is overdue.
    assert not Problem.objects.filter(
        status__in=[ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS]
    ).exclude(light=Light.RED)


def test_a_refresh_writes_only_the_rows_whose_day_has_come(world, clock):
    soon = ProblemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        due_date=clock.today + timedelta(days=settings.DIAODU_NEAR_DUE_DAYS + 1),
    )
    ProblemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        due_date=clock.today + timedelta(days=settings.DIAODU_NEAR_DUE_DAYS + 2),
    )
    assert derived.refresh_due(clock.today) == 0

    clock.advance(days=1)

    assert derived.refresh_due(clock.today) == 1
    soon.refresh_from_db()
    assert (soon.light, soon.state_changes_on) == (Light.YELLOW, soon.due_date + timedelta(days=1))


def test_the_first_page_of_a_new_day_shows_the_new_lights(world, clock):
    """Due tomorrow: yellow today; two days later the desk shows it red, with no command run."""
    problem = world.problem_x
    services.edit_problem(
        problem,
        {"due_date": clock.today + timedelta(days=1)},
        version=problem.version,
        actor=world.coordinator,
    )
    desk = reverse("problems:desk")
    assert client_for(world.staff_a).get(desk).context["problems"][0].light == Light.YELLOW

    clock.advance(days=2)

    [row] = client_for(world.staff_a).get(desk).context["problems"]
    assert (row.pk, row.light) == (problem.pk, Light.RED)


def test_an_update_on_a_silent_problem_turns_it_green_in_the_returned_row(world, clock):
    problem = world.problem_x
    clock.advance(days=settings.DIAODU_SILENT_DAYS + 1)
    derived.refresh_due(clock.today)
    problem.refresh_from_db()
    assert problem.light == Light.YELLOW

    response = client_for(world.staff_a).post(
        reverse("problems:problem_update", args=[problem.pk]), {"text": "已现场核实"}, **HTMX
    )

    assert response.context["item"].light == Light.GREEN
    problem.refresh_from_db()
    assert problem.light == Light.GREEN


def test_moves_through_the_api_answer_with_the_new_light(world):
    url = f"/api/problems/{world.problem_x.pk}/transition/"
    resolved = api_for(world.staff_a).post(
        url, {"to_status": "resolved", "version": 1, "resolution": "已调整控规"}
    )
    assert (resolved.json()["light"], resolved.json()["overdue"]) == (Light.AWAITING, False)

    reopened = api_for(world.coordinator).post(
        url, {"to_status": "open", "version": 2, "text": "业主反映仍未落实"}
    )
    assert reopened.json()["light"] == Light.GREEN


def test_the_api_lists_an_item_as_overdue_from_the_day_after_its_due_date(world, clock):
    item = world.item_a
    api = api_for(world.coordinator)
    response = api.patch(
        f"/api/action-items/{item.pk}/",
        {"due_date": (clock.today + timedelta(days=1)).isoformat(), "version": item.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["light"], response.json()["overdue"]) == (Light.YELLOW, False)
    assert api.get("/api/action-items/", {"overdue": "true"}).json()["results"] == []

    clock.advance(days=2)

    [row] = api.get("/api/action-items/", {"overdue": "true"}).json()["results"]
    assert (row["id"], row["light"], row["overdue"]) == (item.pk, Light.RED, True)


def test_the_change_log_keeps_what_people_wrote_not_the_stored_light(world):
    problem = world.problem_x
    created = (
        ChangeLog.objects.filter(object_id=problem.pk, action=ChangeAction.CREATE)
        .filter(object_type__model="problem")
        .get()
    )

    assert created.after["due_date"] == problem.due_date.isoformat()
    assert "light" not in created.after
    assert "state_changes_on" not in created.after

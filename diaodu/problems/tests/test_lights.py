"""Traffic lights at their boundaries, on a fixed today; the day each light next changes
(``next_change``); and the light stored on every row by the factories (as by the services)
being the rule's.

The settings are set explicitly (two days "near", five days "silent"), so the tests also
show that the lights follow them.
"""

from datetime import datetime, time, timedelta

import pytest

from diaodu.core import derived
from diaodu.factories import ActionItemFactory, ProblemFactory
from diaodu.problems.choices import ActionStatus, Light, ProblemStatus
from diaodu.problems.lights import DueState, due_state, light, next_change
from diaodu.problems.models import ActionItem, Problem
from diaodu.test import SHANGHAI, TODAY

NEAR, SILENT = 2, 5

GREEN, YELLOW, RED, AWAITING, DONE = (
    Light.GREEN,
    Light.YELLOW,
    Light.RED,
    Light.AWAITING,
    Light.DONE,
)


@pytest.fixture(autouse=True)
def _light_settings(settings):
    settings.DIAODU_NEAR_DUE_DAYS = NEAR
    settings.DIAODU_SILENT_DAYS = SILENT


def at(days_ago: int, hour: int = 10, second: int = 0) -> datetime:
    """A moment ``days_ago`` days before TODAY, Shanghai time."""
    day = TODAY - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, 0, second), tzinfo=SHANGHAI)


START_OF_SILENCE = datetime.combine(TODAY - timedelta(days=SILENT), time.min, tzinfo=SHANGHAI)

# (what, status, due in days from today, last activity, light)
ACTIVE = "active"  # each model's "still with the department" statuses are filled in below
CASES = [
    ("overdue by a day", ACTIVE, -1, at(0), RED),
    ("overdue by a month", ACTIVE, -30, at(0), RED),
    ("overdue and silent", ACTIVE, -1, at(30), RED),
    ("due today", ACTIVE, 0, at(0), YELLOW),
    ("due tomorrow", ACTIVE, 1, at(0), YELLOW),
    ("due on the last near day", ACTIVE, NEAR, at(0), YELLOW),
    ("due the day after the near days", ACTIVE, NEAR + 1, at(0), GREEN),
    ("far off, touched this morning", ACTIVE, 30, at(0, hour=0), GREEN),
    # The silent window starts at local midnight (16:00 UTC the day before), not UTC's.
    ("far off, last word at the start of the silent window", ACTIVE, 30, START_OF_SILENCE, GREEN),
    (
        "far off, last word a second before the silent window",
        ACTIVE,
        30,
        START_OF_SILENCE - timedelta(seconds=1),
        YELLOW,
    ),
    ("far off, silent for a month", ACTIVE, 30, at(30), YELLOW),
]  # fmt: skip

PROBLEM_ACTIVE = [ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS]
# Once the lead department has resolved the problem or submitted its result, the ball is
# in the office's court: the item is no longer the department's to be late with, and its
# light says it waits to be closed or accepted, not that it is finished.
PROBLEM_AWAITING = [ProblemStatus.RESOLVED]
PROBLEM_FINISHED = [ProblemStatus.CLOSED]
ACTION_ACTIVE = [ActionStatus.ASSIGNED, ActionStatus.ACKNOWLEDGED]
ACTION_AWAITING = [ActionStatus.SUBMITTED]
ACTION_FINISHED = [ActionStatus.DONE, ActionStatus.CANCELLED]


def _expand(active, awaiting, finished):
    """Every case for every active status, and every case again for every awaiting and
    finished status, where it must be "awaiting" or "done" whatever the dates say."""
    cases = []
    for what, _, due, activity, expected in CASES:
        for status in active:
            cases.append(pytest.param(status, due, activity, expected, id=f"{status}, {what}"))
        for status in awaiting:
            cases.append(pytest.param(status, due, activity, AWAITING, id=f"{status}, {what}"))
        for status in finished:
            cases.append(pytest.param(status, due, activity, DONE, id=f"{status}, {what}"))
    return cases


PROBLEM_CASES = _expand(PROBLEM_ACTIVE, PROBLEM_AWAITING, PROBLEM_FINISHED)
ACTION_CASES = _expand(ACTION_ACTIVE, ACTION_AWAITING, ACTION_FINISHED)


@pytest.mark.parametrize(("status", "due", "activity", "expected"), PROBLEM_CASES)
def test_the_light_of_a_problem(status, due, activity, expected):
    problem = Problem(
        status=status, due_date=TODAY + timedelta(days=due), last_activity_at=activity
    )

    assert light(problem, TODAY) == expected


@pytest.mark.parametrize(("status", "due", "activity", "expected"), ACTION_CASES)
def test_the_light_of_an_action_item(status, due, activity, expected):
    item = ActionItem(
        status=status, due_date=TODAY + timedelta(days=due), last_activity_at=activity
    )

    assert light(item, TODAY) == expected


def test_the_lights_follow_the_settings(settings):
    problem = Problem(status="open", due_date=TODAY + timedelta(days=10), last_activity_at=at(8))
    assert light(problem, TODAY) == YELLOW  # silent for more than five days

    settings.DIAODU_SILENT_DAYS = 9
    assert light(problem, TODAY) == GREEN

    settings.DIAODU_NEAR_DUE_DAYS = 10
    assert light(problem, TODAY) == YELLOW  # due within ten days


@pytest.mark.parametrize(
    ("factory", "cases"),
    [
        pytest.param(ProblemFactory, PROBLEM_CASES, id="problems"),
        pytest.param(ActionItemFactory, ACTION_CASES, id="action items"),
    ],
)
def test_every_row_stores_its_light_and_the_day_it_next_changes(db, clock, factory, cases):
    """One row per case, stored as written today; then day after day, the rows whose day
    has come are refreshed, and every row's stored light is the rule's for that day: the
    stored day of the next change is never too late, and nothing else changes."""
    model = factory._meta.model
    expected = {}
    for case in cases:
        status, due, activity, light_expected = case.values
        item = factory(
            status=status, due_date=TODAY + timedelta(days=due), last_activity_at=activity
        )
        expected[item.pk] = light_expected
    assert dict(model.objects.values_list("pk", "light")) == expected

    for _day in range(40):
        clock.advance(days=1)
        derived.refresh_due(clock.today)
        stored = {item.pk: (item.light, item.state_changes_on) for item in model.objects.all()}
        recomputed = {
            item.pk: (light(item, clock.today), next_change(item, clock.today))
            for item in model.objects.all()
        }
        assert stored == recomputed, clock.today


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        pytest.param(
            Problem(status="open", due_date=TODAY + timedelta(days=5), last_activity_at=at(0)),
            TODAY + timedelta(days=5 - NEAR),
            id="green: yellow when the due date comes near",
        ),
        pytest.param(
            Problem(status="open", due_date=TODAY + timedelta(days=30), last_activity_at=at(1)),
            TODAY + timedelta(days=SILENT),
            id="green: yellow when the silence grows long",
        ),
        pytest.param(
            Problem(status="open", due_date=TODAY + timedelta(days=1), last_activity_at=at(0)),
            TODAY + timedelta(days=2),
            id="yellow: red the day after the due date",
        ),
        pytest.param(
            Problem(status="open", due_date=TODAY - timedelta(days=1), last_activity_at=at(0)),
            None,
            id="red stays red",
        ),
        pytest.param(
            ActionItem(
                status="submitted", due_date=TODAY + timedelta(days=1), last_activity_at=at(9)
            ),
            None,
            id="awaiting acceptance: only a person changes it",
        ),
    ],
)
def test_the_day_a_light_next_changes(item, expected):
    assert next_change(item, TODAY) == expected


CLOSED_ON = TODAY - timedelta(days=3)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        pytest.param(
            Problem(status=ProblemStatus.OPEN, due_date=TODAY - timedelta(days=1)),
            DueState("overdue", days=1),
            id="open, due yesterday",
        ),
        pytest.param(
            Problem(status=ProblemStatus.IN_PROGRESS, due_date=TODAY),
            DueState("today"),
            id="in progress, due today",
        ),
        pytest.param(
            ActionItem(status=ActionStatus.ACKNOWLEDGED, due_date=TODAY + timedelta(days=13)),
            DueState("due", days=13),
            id="in hand, due in 13 days",
        ),
        pytest.param(
            Problem(
                status=ProblemStatus.RESOLVED,
                due_date=TODAY + timedelta(days=13),
                resolved_on=CLOSED_ON,
            ),
            DueState("resolved", on=CLOSED_ON),
            id="resolved, due in 13 days",
        ),
        pytest.param(
            Problem(
                status=ProblemStatus.CLOSED,
                due_date=TODAY + timedelta(days=13),
                resolved_on=CLOSED_ON - timedelta(days=1),
                closed_on=CLOSED_ON,
            ),
            DueState("closed", on=CLOSED_ON),
            id="closed, due in 13 days",
        ),
        pytest.param(
            ActionItem(
                status=ActionStatus.DONE, due_date=TODAY - timedelta(days=5), completed_on=CLOSED_ON
            ),
            DueState("closed", on=CLOSED_ON),
            id="accepted as done after its due date",
        ),
        pytest.param(
            ActionItem(status=ActionStatus.SUBMITTED, due_date=TODAY - timedelta(days=5)),
            DueState("submitted"),
            id="submitted after its due date",
        ),
        pytest.param(
            ActionItem(status=ActionStatus.CANCELLED, due_date=TODAY + timedelta(days=5)),
            DueState("cancelled"),
            id="cancelled",
        ),
    ],
)
def test_a_finished_item_says_when_it_finished_not_when_it_was_due(item, expected):
    assert due_state(item, TODAY) == expected

"""The stored-state protocol (``core.derived``), over every rule registered: what is stored
equals what the rules say when recomputed from scratch, over varied data and over the demo
zone, on the day it is written and on each day after once the day's refresh has run."""

from datetime import timedelta

import pytest
from django.urls import reverse

from diaodu import demo
from diaodu.core import derived
from diaodu.factories import ActionItemFactory, CommitmentFactory
from diaodu.problems.choices import ActionStatus
from diaodu.projects.tests.test_derived import make_zone
from diaodu.test import client_for

pytestmark = pytest.mark.django_db

# Days after the data is written: the days due dates, at-risk and near-due windows and
# silences end on, and a year on.
DAYS_ON = (1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 30, 31, 41, 60, 366)


def assert_consistent(day) -> None:
    wrong = {rule: count for rule, count in derived.inconsistencies(day).items() if count}
    assert wrong == {}, f"stale on {day}"


def assert_consistent_as_days_pass(today) -> None:
    assert_consistent(today)
    for days in DAYS_ON:
        day = today + timedelta(days=days)
        derived.refresh_due(day)
        assert_consistent(day)


def test_every_rule_has_its_stored_state_registered():
    assert "projects.Project (health" in " ".join(str(s) for s in derived.stored_states())


def test_stored_verdicts_agree_with_their_inputs_over_varied_data_as_days_pass(today):
    projects = make_zone(today)
    for offset, status in [(-2, ActionStatus.ASSIGNED), (1, ActionStatus.ACKNOWLEDGED)]:
        ActionItemFactory(
            project=projects["planned today"],
            status=status,
            due_date=today + timedelta(days=offset),
        )
    CommitmentFactory()

    assert_consistent_as_days_pass(today)


def test_stored_verdicts_agree_with_their_inputs_over_the_demo_zone_as_days_pass(today):
    demo.load()

    assert_consistent_as_days_pass(today)


def test_the_first_request_of_a_day_refreshes_what_the_day_changed_once(clock, coordinator):
    make_zone(clock.today)
    page = reverse("projects:project_list")
    client_for(coordinator).get(page)
    clock.advance(days=16)
    stale = derived.inconsistencies(clock.today)
    assert any(stale.values())

    client_for(coordinator).get(page)

    assert_consistent(clock.today)
    assert derived.refresh_due(clock.today) == 0  # nothing left for the daily command

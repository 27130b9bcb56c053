"""The health rule at its boundaries: the verdict and its reason (``assess``), the next
milestone and the day the verdict may change by itself. That the stored state agrees with
them: ``test_derived``."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from diaodu.factories import template_kind
from diaodu.projects.choices import Health
from diaodu.projects.health import assess, changes_on, milestone_state, next_milestone
from diaodu.projects.models import Milestone

TODAY = date(2026, 6, 10)


def due(days: int, achieved: int | None = None, kind: str = "groundbreaking") -> Milestone:
    """An unsaved milestone planned ``days`` from TODAY (negative: in the past), achieved
    ``achieved`` days from TODAY if given."""
    return Milestone(
        kind=template_kind(kind),
        planned_date=TODAY + timedelta(days=days),
        actual_date=None if achieved is None else TODAY + timedelta(days=achieved),
    )


pytestmark = pytest.mark.django_db


def test_a_milestone_planned_yesterday_and_not_achieved_makes_the_project_delayed_by_one_day():
    assessment = assess([due(-1)], TODAY)

    assert assessment.health == Health.DELAYED
    assert assessment.days == 1


def test_the_delay_counts_days_since_the_earliest_overdue_milestone():
    assessment = assess([due(-3, kind="completion"), due(-30), due(5, kind="production")], TODAY)

    assert assessment.health == Health.DELAYED
    assert assessment.days == 30
    assert assessment.milestone.kind.code == "groundbreaking"
    assert assessment.others == 1  # one more overdue; the one due soon is not counted


def test_a_milestone_planned_today_is_at_risk_due_today():
    assessment = assess([due(0)], TODAY)

    assert assessment.health == Health.AT_RISK
    assert assessment.days == 0


def test_a_milestone_due_in_exactly_fourteen_days_is_at_risk():
    assessment = assess([due(14)], TODAY)

    assert assessment.health == Health.AT_RISK
    assert assessment.days == 14


def test_a_milestone_due_in_fifteen_days_leaves_the_project_on_track():
    assessment = assess([due(15)], TODAY)

    assert assessment.health == Health.ON_TRACK
    assert assessment.milestone is None


def test_achieved_milestones_are_ignored_even_when_planned_in_the_past():
    assert assess([due(-10, achieved=-12), due(3, achieved=-1)], TODAY).health == Health.ON_TRACK


def test_milestones_without_a_planned_date_are_ignored():
    undated = Milestone(kind=template_kind("signing"), planned_date=None)

    assert assess([undated], TODAY).health == Health.ON_TRACK


def test_a_project_without_milestones_is_on_track():
    assert assess([], TODAY).health == Health.ON_TRACK


def test_the_at_risk_window_follows_the_setting(settings):
    settings.DIAODU_AT_RISK_DAYS = 7

    assert assess([due(7)], TODAY).health == Health.AT_RISK
    assert assess([due(8)], TODAY).health == Health.ON_TRACK


class TestReason:
    """The reason is shown next to the traffic light, in the reader's language."""

    def test_delayed_names_the_milestone_its_planned_date_and_the_days_overdue(self):
        with translation.override("en"):
            reason = assess([due(-1)], TODAY).reason

        assert reason == "Groundbreaking planned 9 Jun 2026, 1 day overdue"

    def test_delayed_counts_the_other_overdue_milestones(self):
        with translation.override("en"):
            reason = assess([due(-3), due(-2, kind="completion")], TODAY).reason

        assert reason == "Groundbreaking planned 7 Jun 2026, 3 days overdue (and 1 more)"

    def test_due_today_says_so(self):
        with translation.override("en"):
            reason = assess([due(0)], TODAY).reason

        assert reason == "Groundbreaking due today (10 Jun 2026)"

    def test_due_soon_gives_the_date_and_days_left(self):
        with translation.override("en"):
            assert assess([due(1)], TODAY).reason == "Groundbreaking due 11 Jun 2026, in 1 day"
            assert assess([due(14)], TODAY).reason == "Groundbreaking due 24 Jun 2026, in 14 days"

    def test_on_track_names_the_window(self):
        with translation.override("en"):
            reason = assess([due(15)], TODAY).reason

        assert reason == "No milestone is overdue or due within 14 days."

    def test_in_chinese_the_milestone_is_named_by_its_chinese_name(self):
        with translation.override("zh-hans"):
            reason = assess([due(-1)], TODAY).reason

        assert reason.startswith("开工")
        assert "2026年6月9日" in reason


@pytest.mark.parametrize(
    ("planned", "actual", "state"),
    [
        (-5, -7, ("done", 0)),
        (-5, -2, ("done_late", 3)),
        (-5, None, ("overdue", 5)),
        (0, None, ("due_soon", 0)),
        (14, None, ("due_soon", 14)),
        (15, None, ("pending", 0)),
        (None, None, ("unplanned", 0)),
    ],
)
def test_one_milestones_state(planned, actual, state):
    milestone = Milestone(
        planned_date=None if planned is None else TODAY + timedelta(days=planned),
        actual_date=None if actual is None else TODAY + timedelta(days=actual),
    )

    result = milestone_state(milestone, TODAY)

    assert (result.code, result.days) == state


def test_the_next_milestone_is_the_open_one_due_first_the_template_order_breaking_a_tie():
    land = due(5, kind="land_supply")
    groundbreaking = due(5)
    done = due(-3, achieved=-4, kind="signing")
    undated = Milestone(kind=template_kind("completion"))

    assert next_milestone([groundbreaking, done, undated, land]) is land
    assert next_milestone([done, undated]) is None


def verdict(milestones, day):
    """What is stored of ``assess``: the days late or to go are counted when shown."""
    assessment = assess(milestones, day)
    return assessment.health, assessment.milestone, assessment.others


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ([], None),
        ([(-3, -3)], None),
        ([(-1, None)], None),  # delayed it stays, whatever the days
        ([(0, None)], 1),  # delayed tomorrow
        ([(14, None)], 15),  # at risk until it passes its date
        ([(15, None)], 1),  # at risk tomorrow
        ([(-5, None), (3, None)], 4),  # a second one late: one more behind the first
        ([(40, None), (30, None)], 16),
    ],
    ids=[
        "none",
        "all achieved",
        "delayed",
        "due today",
        "at risk",
        "enters tomorrow",
        "another falls late",
        "later",
    ],
)
def test_the_day_health_may_change_by_itself(dates, expected):
    kinds = ("groundbreaking", "completion")
    milestones = [due(days, done, kind) for (days, done), kind in zip(dates, kinds, strict=False)]
    day = changes_on(milestones, TODAY)

    assert day == (None if expected is None else TODAY + timedelta(days=expected))
    if day is not None:
        # Nothing stored changes before that day, and something does on it.
        before = verdict(milestones, day - timedelta(days=1))
        assert before == verdict(milestones, TODAY)
        assert verdict(milestones, day) != before

"""The health rule at its boundaries, in Python (``assess``) and in SQL (``annotate_health``,
and ``health_is`` for filters)."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from diaodu.factories import MilestoneFactory, ProjectFactory, template_kind
from diaodu.projects.choices import Health
from diaodu.projects.health import annotate_health, assess, health_is, milestone_state
from diaodu.projects.models import Milestone, Project

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
    "all achieved": [(-1, -1), (0, 0), (30, -3)],
}


def _make_boundary_projects(today):
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
            )
        projects[label] = project
    return projects


@pytest.mark.parametrize(
    "day",
    [TODAY, date(2026, 12, 25), date(2024, 2, 28)],
    ids=["june", "window across the year end", "window across a leap day"],
)
def test_the_sql_annotation_agrees_with_the_python_rule_at_every_boundary(day):
    _make_boundary_projects(day)

    in_sql = dict(annotate_health(Project.objects.all(), day).values_list("name", "health"))
    in_python = {
        project.name: assess(project.milestones.all(), day).health
        for project in Project.objects.prefetch_related("milestones__kind")
    }

    by_condition = {
        name: health
        for health in Health.values
        for name in Project.objects.filter(health_is(health, day)).values_list("name", flat=True)
    }
    assert in_sql == in_python == by_condition
    assert in_python == {
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
        "all achieved": Health.ON_TRACK,
    }


def test_with_health_uses_the_frozen_today_by_default(today):
    project = ProjectFactory()
    MilestoneFactory(project=project, planned_date=today - timedelta(days=1))

    assert Project.objects.with_health().get().health == Health.DELAYED

"""The landing-speed summary is computed by the database (PostgreSQL's ``percentile_cont``
for medians; on SQLite the middle days numbered by a window). Its figures must be exactly
those of the definition in Python below, over every signed project's landing: on varied
projects (groups of odd and even size, days on their target, stages reached out of order,
approvals without a construction permit, projects without an industry, one group that
reached nothing), by industry and by signing year. Also on PostgreSQL (``DATABASE_URL``).
"""

import random
import statistics
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from diaodu.factories import IndustryFactory, ProjectFactory, template_kind
from diaodu.landing import speed
from diaodu.landing.models import StageTarget
from diaodu.projects.models import Milestone, MilestoneKind, Project

TENTH = Decimal("0.1")
STAGE_CODES = ["land_supply", "construction_permit", "groundbreaking", "completion", "production"]


def reference(landings, by) -> dict:
    """The definition: per group (and the whole, ``None``) and stage, of the stages
    reached: how many, mean and median days (to a tenth, half up) and the percent within
    target of those with one; and how many signed projects the group has."""
    days, targets, projects = {}, {}, {}
    for landing in landings:
        key = landing.signed_on.year if by == speed.BY_YEAR else landing.project.industry_id
        for group in ("all", key):
            projects[group] = projects.get(group, 0) + 1
            for stage in landing.stages:
                days.setdefault((group, stage.stage), [])
                targets.setdefault((group, stage.stage), [])
                if stage.achieved:
                    days[(group, stage.stage)].append(stage.days)
                    if stage.target is not None:
                        targets[(group, stage.stage)].append(stage.days <= stage.target)

    return {
        group: (count, [figures(days[(group, s)], targets[(group, s)]) for s in speed.STAGES])
        for group, count in projects.items()
    }


def figures(days: list[int], within: list[bool]) -> tuple:
    def tenth(value):
        return Decimal(value).quantize(TENTH, ROUND_HALF_UP)

    if not days:
        return (0, None, None, None)
    return (
        len(days),
        tenth(Decimal(sum(days)) / len(days)),
        tenth(str(statistics.median(days))),
        tenth(Decimal(sum(within)) * 100 / len(within)) if within else None,
    )


def in_sql(projects, by) -> dict:
    total, groups = speed.summary(projects, by, speed.Targets())
    return {
        ("all" if group is total else group.key): (
            group.projects,
            [(s.count, s.mean, s.median, s.within_rate) for s in group.summaries],
        )
        for group in [total, *groups]
    }


@pytest.fixture
def varied(db):
    rng = random.Random(14)
    industries = [IndustryFactory(sort_order=n) for n in range(3)]
    StageTarget.objects.create(stage="land", industry=industries[0], days=90)
    StageTarget.objects.create(stage="groundbreaking", industry=industries[1], days=150)
    StageTarget.objects.filter(industry=None, stage="completion").delete()
    approvals = list(MilestoneKind.objects.filter(is_approval=True, in_template=True))
    for n in range(41):
        # Industry 2 gets one project that never gets past signing: a group with no stage.
        industry = [industries[0], industries[1], None][n % 3] if n < 40 else industries[2]
        project = ProjectFactory(industry=industry, milestones=True)
        signed = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 1000))
        dates = {"signing": signed}
        if n < 40:
            after = 0
            for code in STAGE_CODES:
                if rng.random() < 0.2:
                    continue  # not reached (later ones may be, out of order)
                # Often exactly on a target (90, 120, 150, 180, 210, 570, 660 days).
                after = rng.choice([after + rng.randrange(1, 200), 90, 120, 150, 180, 210, 570])
                dates[code] = signed + timedelta(days=after)
        if n % 5 == 0:
            # No construction permit: approvals end with the last approval, if all granted.
            Milestone.objects.filter(project=project, kind__code="construction_permit").delete()
            dates.pop("construction_permit", None)
            for kind in approvals:
                if kind.code != "construction_permit" and (n % 10 or rng.random() < 0.5):
                    dates[kind.code] = signed + timedelta(days=rng.randrange(10, 400))
        for code, day in dates.items():
            Milestone.objects.filter(project=project, kind=template_kind(code)).update(
                actual_date=day
            )
    ProjectFactory(industry=industries[0], milestones=True)  # never signed: not counted
    return Project.objects.all()


@pytest.mark.parametrize("by", [speed.BY_INDUSTRY, speed.BY_YEAR])
def test_the_summary_in_sql_is_the_python_definition(varied, today, by):
    expected = reference(speed.landings(varied, today), by)

    assert in_sql(varied, by) == expected
    # What the data was meant to hold, so the comparison covers it.
    medians = [stage[2] for _projects, stages in expected.values() for stage in stages]
    assert any(m is not None and m % 1 for m in medians), "a median between two days"
    assert expected["all"][0] == 41


def test_a_filtered_summary_counts_only_the_filtered_projects(varied, today):
    some = varied.filter(industry__sort_order=0)

    assert in_sql(some, speed.BY_INDUSTRY) == reference(
        speed.landings(some, today), speed.BY_INDUSTRY
    )


def test_a_page_of_landings_is_that_slice_of_them_all(varied, today):
    targets = speed.Targets()
    every = speed.landings(varied, today, targets)
    pages = speed.Landings(varied, today, targets, len(every))

    assert [row.project for row in pages[10:20]] == [row.project for row in every[10:20]]
    assert pages.count() == 41

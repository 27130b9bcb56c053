"""The demo zone has figures worth looking at: every project signed and several landed,
and its producing project evaluated on every indicator. (Loading the demo takes a few
seconds: one test.)"""

from decimal import Decimal

from diaodu import demo
from diaodu.landing import evaluation, speed
from diaodu.projects.models import Project
from diaodu.test import TODAY


def test_the_demo_shows_landing_speed_and_an_evaluation_with_different_grades(db, today):
    demo.load(TODAY)

    rows = speed.landings(Project.objects.all(), today)
    total, _groups = speed.summary(Project.objects.all(), speed.BY_INDUSTRY, speed.Targets())
    rated = evaluation.evaluation(Project.objects.all(), today.year - 1)

    assert len(rows) == len(demo.PROJECTS)
    assert all(summary.count for summary in total.summaries)
    # Only the project signed 45 days ago has no stage past its target yet.
    assert [landing.project.code for landing in rows if not landing.slowest] == ["2026-004"]
    # 数字经济 thresholds 400 / 800 / 50 / 0.1: 80 mu, 38000 invested, 36500 output, 2270
    # tax, 3100 tonnes → 475.00, 456.25, 28.38 per mu and 0.0849 per 10k yuan.
    assert [(r.project.code, r.score, r.grade) for r in rated] == [
        ("2026-007", Decimal("75.25"), "D")
    ]

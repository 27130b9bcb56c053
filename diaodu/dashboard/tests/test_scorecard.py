"""The department scorecard: for a period, what each organisation was assigned as lead,
what it resolved (and on time), what is overdue now and how many days it took on average.

Period under test: May 2026 (today is 10 June).

Department C (区科经局)
  problems: c1 raised 2 May, due 20 May, resolved 13 May (11 days, on time)
            c2 raised 10 May, due 20 May, resolved 30 May (20 days, late)
            c3 raised 20 April, due 5 May, resolved 5 May (15 days, on the due day: on time)
            c4 raised 25 May, due 1 June, open (overdue now)
            c5 raised 2 June, resolved 5 June (after the period)
  actions:  c6 assigned 1 May, due 10 May, accepted 1 May (0 days, on time)
            c7 assigned 31 May, due 5 June, in hand (overdue now)
            c8 assigned 15 May, due 20 May, awaiting acceptance (not overdue: the office's move)
  → assigned 6, resolved 4, on time 3 (75 %), overdue now 2, 11.5 days ((11+20+15+0)/4)

Department D (区住建局)
  problems: d1 raised 3 May, due 31 May, resolved 31 May (28 days, on time)
            d2 raised 1 March, due 1 April, open (overdue now)
  actions:  d3 assigned 5 May, due 25 May, accepted 20 May (15 days, on time)
            d4, d5 assigned 1 March, due 1 April, assigned / in hand (overdue now)
  → assigned 2, resolved 2, on time 2 (100 %), overdue now 3, 21.5 days

Township E (滨江街道): e1 raised 1 June, due 1 July, open → nothing in May.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from diaodu.dashboard.scorecard import scorecard
from diaodu.dashboard.tests.helpers import rows_behind
from diaodu.factories import ActionItemFactory, DepartmentFactory, ProblemFactory, TownshipFactory
from diaodu.problems.choices import ActionStatus, ProblemStatus
from diaodu.test import api_for, client_for

MAY = {"start": "2026-05-01", "end": "2026-05-31"}

OPEN, RESOLVED, CLOSED = ProblemStatus.OPEN, ProblemStatus.RESOLVED, ProblemStatus.CLOSED
AS, AK, SU, DN = (
    ActionStatus.ASSIGNED,
    ActionStatus.ACKNOWLEDGED,
    ActionStatus.SUBMITTED,
    ActionStatus.DONE,
)

PROBLEMS = [
    # department, raised, due, status, resolved
    ("c", (5, 2), (5, 20), CLOSED, (5, 13)),
    ("c", (5, 10), (5, 20), RESOLVED, (5, 30)),
    ("c", (4, 20), (5, 5), RESOLVED, (5, 5)),
    ("c", (5, 25), (6, 1), OPEN, None),
    ("c", (6, 2), (6, 30), RESOLVED, (6, 5)),
    ("d", (5, 3), (5, 31), RESOLVED, (5, 31)),
    ("d", (3, 1), (4, 1), OPEN, None),
    ("e", (6, 1), (7, 1), OPEN, None),
]
ACTIONS = [
    # department, assigned, due, status, completed
    ("c", (5, 1), (5, 10), DN, (5, 1)),
    ("c", (5, 31), (6, 5), AK, None),
    ("c", (5, 15), (5, 20), SU, None),
    ("d", (5, 5), (5, 25), DN, (5, 20)),
    ("d", (3, 1), (4, 1), AS, None),
    ("d", (3, 1), (4, 1), AK, None),
]


def day(month_day):
    return date(2026, *month_day) if month_day else None


@pytest.fixture
def departments(world):
    orgs = {
        "c": DepartmentFactory(name="科技和经济信息化局", short_name="区科经局"),
        "d": DepartmentFactory(name="住房和城乡建设局", short_name="区住建局"),
        "e": TownshipFactory(name="滨江街道办事处", short_name="滨江街道"),
    }
    for key, raised, due, status, resolved in PROBLEMS:
        ProblemFactory(
            project=world.project_x,
            lead_department=orgs[key],
            raised_on=day(raised),
            due_date=day(due),
            status=status,
            resolved_on=day(resolved),
            raised_by=world.coordinator,
        )
    for key, assigned, due, status, completed in ACTIONS:
        ActionItemFactory(
            project=world.project_x,
            lead_department=orgs[key],
            assigned_on=day(assigned),
            due_date=day(due),
            status=status,
            completed_on=day(completed),
            assigned_by=world.coordinator,
        )
    return orgs


def row(score):
    return (
        score.assigned,
        score.resolved,
        score.on_time,
        score.on_time_rate,
        score.overdue_now,
        score.average_days,
    )


def test_each_department_s_record_for_the_period(departments, today):
    scores = {s.organisation.short_name: s for s in scorecard(date(2026, 5, 1), date(2026, 5, 31))}

    assert row(scores["区科经局"]) == (6, 4, 3, Decimal("75.0"), 2, Decimal("11.5"))
    assert row(scores["区住建局"]) == (2, 2, 2, Decimal("100.0"), 3, Decimal("21.5"))
    assert row(scores["滨江街道"]) == (0, 0, 0, None, 0, None)


def test_a_department_that_resolves_everything_the_day_it_is_raised_averages_zero_days(
    world, today
):
    quick = DepartmentFactory(short_name="区快办局")
    ProblemFactory(
        project=world.project_x,
        lead_department=quick,
        raised_on=date(2026, 5, 6),
        due_date=date(2026, 5, 20),
        status=ProblemStatus.RESOLVED,
        resolved_on=date(2026, 5, 6),
        raised_by=world.coordinator,
    )

    (score,) = scorecard(date(2026, 5, 1), date(2026, 5, 31))

    assert (score.resolved, score.average_days) == (1, Decimal("0.0"))


SORTS = {
    "assigned": ["区科经局", "区住建局", "滨江街道"],
    "resolved": ["区科经局", "区住建局", "滨江街道"],
    "on_time": ["区住建局", "区科经局", "滨江街道"],  # by the share on time; none last
    "overdue": ["区住建局", "区科经局", "滨江街道"],
    "days": ["区科经局", "区住建局", "滨江街道"],  # fewest days first; none last
}


@pytest.mark.parametrize("sort", SORTS)
def test_the_page_sorts_by_each_column(departments, world, sort):
    response = client_for(world.leader).get(reverse("dashboard:departments"), {**MAY, "sort": sort})

    assert [str(s.organisation) for s in response.context["scores"]] == SORTS[sort]
    assert response.context["sort"] == sort


def test_the_page_sorts_by_overdue_now_unless_told_otherwise(departments, world):
    response = client_for(world.leader).get(reverse("dashboard:departments"), {**MAY, "sort": "x"})

    assert [str(s.organisation) for s in response.context["scores"]] == SORTS["overdue"]


def test_the_period_defaults_to_this_year_so_far_and_a_reversed_one_is_turned_round(
    departments, world
):
    browser = client_for(world.coordinator)

    default = browser.get(reverse("dashboard:departments"), {"start": "nonsense"}).context
    reversed_ = browser.get(
        reverse("dashboard:departments"), {"start": "2026-05-31", "end": "2026-05-01"}
    ).context

    assert (default["start"], default["end"]) == (date(2026, 1, 1), date(2026, 6, 10))
    c = next(s for s in default["scores"] if s.organisation == departments["c"])
    assert (c.assigned, c.resolved) == (8, 5)  # c3 and c5 come in
    assert (reversed_["start"], reversed_["end"]) == (date(2026, 5, 1), date(2026, 5, 31))


def test_the_api_gives_the_same_record(departments, world):
    rows = api_for(world.leader).get("/api/dashboard/departments/", MAY).json()

    by_name = {r["name"]: r for r in rows}
    c = by_name["科技和经济信息化局"]
    assert (c["organisation"], c["assigned"], c["resolved"], c["on_time"], c["overdue_now"]) == (
        departments["c"].pk,
        6,
        4,
        3,
        2,
    )
    assert Decimal(c["on_time_rate"]) == Decimal("75.0")
    assert Decimal(c["average_days"]) == Decimal("11.5")
    assert by_name["滨江街道办事处"]["average_days"] is None


def test_each_overdue_count_links_to_a_list_of_that_many_items(departments, world):
    browser = client_for(world.leader)
    response = browser.get(reverse("dashboard:departments"), MAY)
    html = response.content.decode()
    d = next(s for s in response.context["scores"] if s.organisation == departments["d"])
    supervision = reverse("problems:supervision")
    links = {
        "problems": f"{supervision}?tab=problems&lead_department={d.organisation.pk}&overdue=true",
        "actions": f"{supervision}?tab=actions&lead_department={d.organisation.pk}&overdue=true",
    }

    assert (d.overdue_problems, d.overdue_actions, d.overdue_now) == (1, 2, 3)
    for url in links.values():
        assert f'href="{escape(url)}"' in html, url
    assert rows_behind(browser, links["problems"]) == d.overdue_problems
    assert rows_behind(browser, links["actions"]) == d.overdue_actions

"""A small zone whose dashboard figures the tests work out by hand.

On top of the shared world (see ``diaodu.test``; today is Wednesday 10 June 2026),
``scene`` adds a third project and gives all three their milestones, reports, problems and
action items:

Projects

- X 水务产业园 (world): enterprise X, department A, the leader, industry 新材料, list L1,
  township T1, 100 mu; *preparation*; land supply planned 1 June and not achieved → *delayed*;
  groundbreaking planned 1 July (world), completion planned 31 December. Plan 2026:
  20000 of 80000.
- Y 新材料产业基地 (world): enterprise Y, department B; *under construction*; construction
  permit planned 20 June → *at risk*; groundbreaking planned 1 July (world). Plan 2026:
  20000 of 80000.
- Z 智能装备产业园 (here): enterprise Z, department B; *in production*; groundbreaking
  planned December 2025, achieved 1 March 2026; completion planned 1 May, achieved 20 May
  → *on track*. Plan year 2025 (12000), so no 2026 plan. 50000 in total.

So: stages preparation 1, construction 1, production 1; health 1 / 1 / 1; 210000 in total.

Approved 2026 investment: X May 1200 (world's report, approved here), X March 900,
Y January 500 → 2600 of a 40000 plan (6.5 %). Y's May report (world) is only submitted,
Y's February report was returned, Z's December 2025 report is last year: none counts.

Started this year: planned 2 (X, Y on 1 July), achieved 1 (Z). Completed: planned 2 (X, Z),
achieved 1 (Z).

Problems (lead department; raised → due; status)

- P1 on X, A, land, 1 May → 1 June, open: overdue
- P2 on X, A, approval, 2 June → 1 July, in progress
- P3 on Y, B, land, 10 May → 30 June, resolved 1 June (22 days; this month, on its first day)
- P4 on Y, B, funding, 1 April → 15 May, resolved 31 May (60 days; last month), closed
- P5 on Z, A, land, 9 June → 9 June, open: overdue
- P6 on Y, B, other, 1 June → 10 June (today), open: not overdue yet

Open 4, overdue 2, resolved this month 1, average 41.0 days; open by category land 2,
approval 1, other 1; open by lead department A 3, B 1.

Action items (lead department; due; status)

- A1 on X, A, 1 June, assigned: overdue
- A2 on Y, B, 5 June, in hand: overdue
- A3 on Y, B, 5 June, awaiting acceptance: not overdue (the office's move)
- A4 on no project, A, 1 June, assigned: overdue
- A5 on X, A, 10 June (today), assigned: not overdue yet
- A6 on Z, B, 1 May, done on 20 May

Overdue by department: A 2, B 1.

Who sees what: owner X sees X (P1, P2; A1, A5); department A sees X and Z (P1, P2, P5;
A1, A4, A5); department B sees Y and Z (P3–P6; A2, A3, A6).
"""

import copy
from datetime import date
from decimal import Decimal

import pytest

from diaodu.factories import (
    ActionItemFactory,
    EnterpriseFactory,
    IndustryFactory,
    ProblemFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectListFactory,
    TownshipFactory,
)
from diaodu.problems.choices import ActionStatus, Category, ProblemStatus
from diaodu.projects.choices import ReportStatus, Stage
from diaodu.projects.models import Milestone, ProgressReport, Project
from diaodu.test import TODAY, Clock


def plan(project, code, planned=None, actual=None):
    Milestone.objects.filter(project=project, kind__code=code).update(
        planned_date=planned, actual_date=actual
    )


def build_scene(w):
    w.industry = IndustryFactory(name="新材料", name_en="New materials")
    w.zone_list = ProjectListFactory(name="2026年区级重点项目")
    w.township = TownshipFactory(name="滨江街道办事处", short_name="滨江街道")
    Project.objects.filter(pk=w.project_x.pk).update(
        industry=w.industry, township=w.township, land_area=Decimal("100")
    )
    w.project_x.lists.set([w.zone_list])
    w.enterprise_z = EnterpriseFactory(name="智造装备有限公司", short_name="智造装备")
    w.project_z = ProjectFactory(
        code="2026-003",
        name="智能装备产业园",
        owner=w.enterprise_z,
        lead_department=w.department_b,
        stage=Stage.PRODUCTION,
        total_investment=Decimal("50000"),
        plan_year=2025,
        annual_plan=Decimal("12000"),
        milestones=True,
    )

    plan(w.project_x, "land_supply", date(2026, 6, 1))
    plan(w.project_x, "completion", date(2026, 12, 31))
    plan(w.project_y, "construction_permit", date(2026, 6, 20))
    plan(w.project_z, "groundbreaking", date(2025, 12, 1), date(2026, 3, 1))
    plan(w.project_z, "completion", date(2026, 5, 1), date(2026, 5, 20))

    ProgressReport.objects.filter(pk=w.report_x.pk).update(status=ReportStatus.APPROVED)
    for project, month, amount, status in [
        (w.project_x, date(2026, 3, 1), "900", ReportStatus.APPROVED),
        (w.project_y, date(2026, 1, 1), "500", ReportStatus.APPROVED),
        (w.project_y, date(2026, 2, 1), "700", ReportStatus.RETURNED),
        (w.project_z, date(2025, 12, 1), "999", ReportStatus.APPROVED),
    ]:
        ProgressReportFactory(
            project=project,
            period_start=month,
            investment=Decimal(amount),
            status=status,
            submitted_by=w.owner_x if project == w.project_x else w.owner_y,
        )

    a, b = w.department_a, w.department_b
    problems = [
        # name, project, lead, category, raised, due, status, resolved
        ("p1", w.project_x, a, Category.LAND, (5, 1), (6, 1), ProblemStatus.OPEN, None),
        ("p2", w.project_x, a, Category.APPROVAL, (6, 2), (7, 1), ProblemStatus.IN_PROGRESS, None),
        ("p3", w.project_y, b, Category.LAND, (5, 10), (6, 30), ProblemStatus.RESOLVED, (6, 1)),
        ("p4", w.project_y, b, Category.FUNDING, (4, 1), (5, 15), ProblemStatus.CLOSED, (5, 31)),
        ("p5", w.project_z, a, Category.LAND, (6, 9), (6, 9), ProblemStatus.OPEN, None),
        ("p6", w.project_y, b, Category.OTHER, (6, 1), (6, 10), ProblemStatus.OPEN, None),
    ]
    for name, project, lead, category, raised, due, status, resolved in problems:
        problem = ProblemFactory(
            title=f"{name}：{project.name}",
            project=project,
            lead_department=lead,
            category=category,
            raised_on=date(2026, *raised),
            due_date=date(2026, *due),
            status=status,
            resolved_on=date(2026, *resolved) if resolved else None,
            raised_by=w.coordinator,
        )
        setattr(w, name, problem)
    actions = [
        # name, project, lead, due, status, completed
        ("a1", w.project_x, a, (6, 1), ActionStatus.ASSIGNED, None),
        ("a2", w.project_y, b, (6, 5), ActionStatus.ACKNOWLEDGED, None),
        ("a3", w.project_y, b, (6, 5), ActionStatus.SUBMITTED, None),
        ("a4", None, a, (6, 1), ActionStatus.ASSIGNED, None),
        ("a5", w.project_x, a, (6, 10), ActionStatus.ASSIGNED, None),
        ("a6", w.project_z, b, (5, 1), ActionStatus.DONE, (5, 20)),
    ]
    for name, project, lead, due, status, completed in actions:
        item = ActionItemFactory(
            title=f"{name}：交办",
            project=project,
            lead_department=lead,
            assigned_on=date(2026, 4, 1),
            due_date=date(2026, *due),
            status=status,
            completed_on=date(2026, *completed) if completed else None,
            assigned_by=w.coordinator,
        )
        setattr(w, name, item)
    return w


@pytest.fixture(scope="module")
def _scene_of_module(_world_of_module, django_db_blocker):
    """The scene, built once per module on the module's world and rolled back with it
    (see ``diaodu.test._world_of_module``)."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        Clock(monkeypatch, TODAY)
        return build_scene(copy.deepcopy(_world_of_module))


@pytest.fixture
def scene(world, _scene_of_module):
    """The world and the scene above, on the fixed clock; each test gets its own copy of
    the Python objects and its writes are rolled back after it, as with ``world``."""
    w = copy.deepcopy(_scene_of_module)
    w.today = world.today
    return w

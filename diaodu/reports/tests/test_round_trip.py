"""What the dispatch table exports, the import reads back as it was: exporting, then
importing the file unchanged, changes nothing, in any language."""

from datetime import date

import pytest

from diaodu.core.models import ChangeLog
from diaodu.factories import DepartmentFactory, IndustryFactory, ProjectFactory, template_kind
from diaodu.projects import services
from diaodu.projects.models import Milestone, Project
from diaodu.reports.importing import UNCHANGED, UPDATE, plan_import
from diaodu.reports.services import commit_import
from diaodu.reports.tests.helpers import add_projects, content_of, opened
from diaodu.test import client_for

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")


@pytest.fixture
def varied(world):
    """Projects with an industry, odd names, overdue and future milestones, reports and
    problems, so every column of the table holds something."""
    add_projects(world, 4)
    industry = IndustryFactory(name="高端装备", name_en="High-end equipment")
    ProjectFactory(
        code="2026-070",
        name="=SUM(A1:A9)",  # would be a formula
        owner=world.enterprise_x,
        lead_department=world.department_a,
        industry=industry,
        responsible_leader=world.leader,
        milestones=True,
    )
    ProjectFactory(code="0070", name="-东区厂房", owner=world.enterprise_y,
                   lead_department=world.department_b)  # fmt: skip
    approval = world.project_x.milestones.get(kind=template_kind("project_approval"))
    services.plan_milestone(approval, {"planned_date": date(2026, 6, 1)}, actor=world.coordinator)
    science = DepartmentFactory(name="科技和经济发展局", short_name="区科经局")
    world.project_x.cooperating_departments.set([world.department_b, science])


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_importing_an_exported_dispatch_table_changes_nothing(world, varied, language):
    exported = content_of(client_for(world.coordinator, language).get("/reports/dispatch-table/"))
    logs, milestones = ChangeLog.objects.count(), Milestone.objects.count()

    plan = plan_import("projects", exported, actor=world.coordinator)

    assert plan.ok, plan.issues
    assert plan.header_rows == [3, 4]
    assert {c.action for c in plan.changes} == {UNCHANGED}, [
        (c.key, c.fields) for c in plan.changes if c.fields
    ]
    assert len(plan.changes) == Project.objects.count()
    assert plan.new_enterprises == []
    commit_import(plan, actor=world.coordinator)
    assert ChangeLog.objects.count() == logs
    assert Milestone.objects.count() == milestones


def test_every_column_of_the_export_is_recognised(world, varied):
    exported = content_of(client_for(world.coordinator).get("/reports/dispatch-table/"))

    plan = plan_import("projects", exported, actor=world.coordinator)

    assert [c.field for c in plan.columns] == [
        "index",
        "code",
        "name",
        "owner",
        "industry",
        "stage",
        "health",
        "health_reason",
        "total_investment",
        "annual_plan",
        "year_to_date",
        "plan_rate",
        "next_milestone_kind",
        "next_milestone_date",
        "open_problems",
        "responsible_leader",
        "lead_department",
        "cooperating_departments",
    ]
    assert [c.field for c in plan.columns if c.imported] == [
        "code",
        "name",
        "owner",
        "industry",
        "stage",
        "total_investment",
        "annual_plan",
        "next_milestone_kind",
        "next_milestone_date",
        "responsible_leader",
        "lead_department",
        "cooperating_departments",
    ]


def test_an_edited_export_imports_the_edits(world):
    sheet_bytes = content_of(client_for(world.coordinator).get("/reports/dispatch-table/"))
    sheet = opened(sheet_bytes)
    sheet["J5"] = 30000  # project X's annual plan
    sheet["N5"] = date(2026, 7, 15)  # its next milestone (开工), rescheduled
    from io import BytesIO

    buffer = BytesIO()
    sheet.parent.save(buffer)

    plan = plan_import("projects", buffer.getvalue(), actor=world.coordinator)
    commit_import(plan, actor=world.coordinator)

    assert [c.action for c in plan.changes] == [UPDATE, UNCHANGED]
    x = Project.objects.get(pk=world.project_x.pk)
    assert x.annual_plan == 30000
    assert x.milestones.get(kind=template_kind("开工")).planned_date == date(2026, 7, 15)

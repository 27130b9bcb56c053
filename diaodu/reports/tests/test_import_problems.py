"""Importing a problem ledger: each row raises a problem on a project (or updates the one
of the same title), through the problems' own services."""

from datetime import date

import pytest
from django.utils import translation

from diaodu.factories import DepartmentFactory, ProjectFactory
from diaodu.notifications.models import Notification
from diaodu.problems.choices import Category, Level, ProblemStatus
from diaodu.problems.models import Problem, ProblemEntry
from diaodu.reports.importing import CREATE, UNCHANGED, UPDATE, plan_import
from diaodu.reports.services import commit_import
from diaodu.reports.tests.helpers import content_of, xlsx
from diaodu.test import client_for

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")

HEADER = [
    "序号",
    "项目编号",
    "项目名称",
    "存在问题",
    "问题类别",
    "牵头单位",
    "配合单位",
    "办结时限",
]


def preview(world, *rows, language="zh-hans"):
    with translation.override(language):
        return plan_import("problems", xlsx(*rows), actor=world.coordinator)


def imported(world, *rows):
    plan = preview(world, *rows)
    assert plan.ok, plan.issues
    commit_import(plan, actor=world.coordinator)
    return plan


def test_each_row_raises_a_problem_on_its_project(world):
    extra = DepartmentFactory(name="住房和城乡建设局", short_name="区住建局")

    plan = imported(
        world,
        ["2026年重点项目问题台账"],
        [*HEADER, "协调层级", "症结"],
        [1, "2026-001", "水务产业园", "用地指标不足", "用地", "区资规局", "区住建局、区审批局",
         "2026年6月30日", "市级", "控规未调整"],
        [2, None, "新材料产业基地", "环评批复滞后", "审批手续", "行政审批服务局", None, "2026/7/15",
         None, None],
    )  # fmt: skip

    assert [(c.row, c.action) for c in plan.changes] == [(3, CREATE), (4, CREATE)]
    land = Problem.objects.get(title="用地指标不足")
    assert land.project == world.project_x
    assert land.category == Category.LAND
    assert land.lead_department == world.department_a
    assert set(land.cooperating_departments.all()) == {extra, world.department_b}
    assert land.level == Level.CITY
    assert land.due_date == date(2026, 6, 30)
    assert land.root_cause == "控规未调整"
    assert land.description == "用地指标不足"  # none given: the title
    assert land.raised_by == world.coordinator
    assert land.raised_on == world.today
    assert land.status == ProblemStatus.OPEN
    assert ProblemEntry.objects.filter(problem=land, kind="raised").exists()
    # raise_problem tells the departments, as it does for a problem raised on the page.
    assert Notification.objects.filter(recipient=world.staff_a, event="problem_raised").exists()
    approval = Problem.objects.get(title="环评批复滞后")
    assert approval.project == world.project_y  # found by its name
    assert approval.category == Category.APPROVAL


def test_a_row_for_a_problem_already_there_updates_it_and_a_second_import_changes_nothing(world):
    rows = [
        HEADER,
        [1, "2026-001", None, "用地指标不足", "用地", "区资规局", None, "2026-06-30"],
    ]
    imported(world, *rows)
    problem = Problem.objects.get(title="用地指标不足")

    again = imported(world, *rows)
    moved = imported(
        world, HEADER, [1, "2026-001", None, "用地指标不足", "用地", "区审批局", None, "2026-07-31"]
    )

    assert [c.action for c in again.changes] == [UNCHANGED]
    assert [(c.action, c.fields) for c in moved.changes] == [(UPDATE, ["责任单位", "截止日期"])]
    problem.refresh_from_db()
    assert problem.lead_department == world.department_b
    assert problem.due_date == date(2026, 7, 31)
    assert problem.version == 2  # edited through edit_problem, with its optimistic lock
    assert Problem.objects.filter(title="用地指标不足").count() == 1


def test_problem_errors_are_listed_by_row_and_column(world):
    ProjectFactory(code="2026-090", name="水务产业园", owner=world.enterprise_x,
                   lead_department=world.department_a)  # fmt: skip

    plan = preview(
        world,
        HEADER,
        [1, "2099-999", None, "问题一", "用地", "区资规局", None, "2026-06-30"],
        [2, None, "水务产业园", "问题二", "用地", "区资规局", None, "2026-06-30"],
        [3, "2026-001", None, None, "用地", "区资规局", None, "2026-06-30"],
        [4, "2026-001", None, "问题四", "天气", "区资规局", "区气象局", None],
        [5, "2026-001", None, "问题五", None, "区资规局", None, "2026-01-01"],
        language="en",
    )

    with translation.override("en"):
        categories = ", ".join(str(label) for label in Category.labels)
    assert [(i.row, i.column, i.message) for i in plan.issues] == [
        (2, "B", "There is no project numbered 2099-999."),
        (3, "C", "Several projects are named “水务产业园”; give the project number."),
        (4, "D", "This field cannot be blank."),
        (5, "E", f"“天气” is not one of: {categories}."),
        (5, "G", "“区气象局” is not a department known to Diaodu."),
        (5, "H", "This field cannot be blank."),
        (6, "H", "The due date cannot be before the day the problem was raised."),
    ]
    assert not Problem.objects.exists()


def test_the_same_problem_twice_in_the_file_is_an_error(world):
    plan = preview(
        world,
        HEADER,
        [1, "2026-001", None, "用地指标不足", None, "区资规局", None, "2026-06-30"],
        [2, "2026-001", None, "用地指标不足", None, "区资规局", None, "2026-07-30"],
        language="en",
    )

    assert [(i.row, i.column) for i in plan.issues] == [(2, "D"), (3, "D")]
    assert "appears more than once" in plan.issues[0].message


def test_an_exported_problem_ledger_imports_back_unchanged(world):
    imported(
        world,
        [*HEADER, "协调层级", "症结", "提出时间"],
        [1, "2026-001", None, "用地指标不足", "用地", "区资规局", "区审批局", "2026-06-01", "市级",
         "'=控规", "2026-05-01"],  # a text, as spreadsheets store '=
        [2, "2026-002", None, "环评批复滞后", "审批", "区审批局", None, "2026-07-15", None, None,
         None],
    )  # fmt: skip
    exported = content_of(client_for(world.coordinator).get("/reports/problem-ledger/"))

    plan = plan_import("problems", exported, actor=world.coordinator)

    assert plan.ok, plan.issues
    assert [c.action for c in plan.changes] == [UNCHANGED, UNCHANGED]
    assert Problem.objects.get(title="用地指标不足").root_cause == "=控规"


def test_a_lead_and_cooperating_units_in_one_cell(world):
    DepartmentFactory(name="科技和经济发展局", short_name="区科经局")

    imported(
        world,
        HEADER,
        [1, "2026-001", "水务产业园", "用地指标不足", "用地", "资规局、区科经局 区审批局", None,
         "2026年6月30日"],
    )  # fmt: skip

    problem = Problem.objects.get(title="用地指标不足")
    assert problem.lead_department == world.department_a
    assert {d.short_name for d in problem.cooperating_departments.all()} == {"区科经局", "区审批局"}
